"""Issue 13: a flag goes to the owner of the text the agent saw — the
gemeente's owner of its local text when it overrides that field, else the
shared entry's owner — and, without an owner, to the curators of that text.
The owner handles it (status and reason, logged); the agent sees the status
in "Mijn meldingen"; other agents of the gemeente see the answer is being
handled. Flags are tenant-scoped, plain text, length- and rate-limited."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from feedback.models import Feedback
from gemeenten.models import Role
from sharing.models import LocalOwnership, Team
from sharing.overrides import set_override

from .admin_pages import visible_text
from .factories import make_gemeente, make_product, make_user, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db
FLAG = "api:feedback"
LIST = "wagtailsnippets_feedback_feedback:list"
EDIT = "wagtailsnippets_feedback_feedback:edit"


@pytest.fixture
def world():
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal")
    bergen = make_gemeente("Bergen op Zoom", slug="bergen-op-zoom")
    regional = regional_curator()
    curator = municipal_curator(roosendaal)
    paspoort = make_product(slug="paspoort", costs_nl="<p>€ 84</p>", lead_time_nl="<p>5 dagen</p>")
    set_override(paspoort, roosendaal, "costs_nl", "<p>€ 90</p>", curator)
    return {
        "roosendaal": roosendaal,
        "bergen": bergen,
        "regional": regional,
        "curator": curator,
        "paspoort": paspoort,
        "agent": make_user(Role.AGENT, roosendaal),
    }


def own_local(entry, gemeente, **owner):
    """The gemeente's owner of its local texts of `entry` (saving an override already made the row)."""
    LocalOwnership.objects.update_or_create(entry_kind="product", entry_id=entry.pk, gemeente=gemeente, defaults=owner)


def flag(client, agent, entry, field="", kind="wrong", remark="Klopt niet", gemeente="roosendaal"):
    client.force_login(agent)
    body = {"gemeente": gemeente, "kind": kind, "entry": {"kind": "product", "id": entry.pk}, "remark": remark}
    if field:
        body["field"] = field
    response = client.post(reverse(FLAG), body, content_type="application/json")
    assert response.status_code == 201, response.content
    return Feedback.objects.get(pk=response.json()["id"])


def inbox(client, user):
    client.force_login(user)
    response = client.get(reverse(LIST), {"inbox": "mine"})
    assert response.status_code == 200
    return {item.pk for item in response.context["object_list"]}


@pytest.mark.parametrize("overridden", [True, False])
@pytest.mark.parametrize("owner_set", [True, False])
def test_the_flag_goes_to_the_owner_of_the_text_the_agent_saw(client, world, overridden, owner_set):
    paspoort, roosendaal = world["paspoort"], world["roosendaal"]
    local_owner, shared_owner = municipal_curator(roosendaal), regional_curator()
    if owner_set:
        own_local(paspoort, roosendaal, owner=local_owner)
        paspoort.owner = shared_owner
        paspoort.save()
    field = "costs" if overridden else "lead_time"
    item = flag(client, world["agent"], paspoort, field)

    expected_route = Feedback.Route.LOCAL if overridden else Feedback.Route.SHARED
    expected_owner = (local_owner if overridden else shared_owner) if owner_set else None
    assert (item.route, item.assignee, item.field_name) == (expected_route, expected_owner, field)
    if owner_set:
        assert item.pk in inbox(client, expected_owner)
        other_owner = shared_owner if overridden else local_owner
        assert item.pk not in inbox(client, other_owner)
    # Without an owner: the curators of that text — the gemeente's own for its local text, else the region's.
    assert (item.pk in inbox(client, world["curator"])) == (overridden and not owner_set)
    assert (item.pk in inbox(client, world["regional"])) == (not overridden and not owner_set)


def test_a_team_owns_the_flag_of_its_text_and_every_member_gets_it(client, world):
    paspoort, roosendaal = world["paspoort"], world["roosendaal"]
    member, outsider = municipal_curator(roosendaal), municipal_curator(roosendaal)
    team = Team.objects.create(name="Burgerzaken", gemeente=roosendaal)
    team.members.add(member)
    own_local(paspoort, roosendaal, owner_team=team)
    item = flag(client, world["agent"], paspoort, "costs")
    assert item.assignee_team == team
    assert item.pk in inbox(client, member)
    assert item.pk not in inbox(client, outsider)


def test_a_local_entry_and_a_missing_answer(client, world):
    roosendaal = world["roosendaal"]
    owner = municipal_curator(roosendaal)
    local = make_product(slug="lokaal", gemeente=roosendaal, owner=owner)
    assert (flag(client, world["agent"], local).route, Feedback.objects.last().assignee) == (Feedback.Route.LOCAL, owner)
    client.post(reverse(FLAG), {"gemeente": "roosendaal", "kind": "missing", "query": "zwerfkat"}, content_type="application/json")
    missing = Feedback.objects.get(kind="missing")
    assert (missing.route, missing.assignee) == (Feedback.Route.SHARED, None)
    assert missing.pk in inbox(client, world["regional"])


def test_a_citizens_not_helpful_with_a_remark_is_routed_the_same_way(client, world):
    paspoort = world["paspoort"]
    paspoort.owner = owner = regional_curator()
    paspoort.save()
    body = {"gemeente": "roosendaal", "kind": "not_helpful", "entry": {"kind": "product", "id": paspoort.pk}, "remark": "Onduidelijk"}
    assert client.post(reverse(FLAG), body, content_type="application/json").status_code == 201
    item = Feedback.objects.get(kind="not_helpful")
    assert (item.route, item.assignee) == (Feedback.Route.SHARED, owner)
    assert item.pk in inbox(client, owner)


def test_a_field_that_is_not_the_entrys_is_refused(client, world):
    client.force_login(world["agent"])
    body = {"gemeente": "roosendaal", "kind": "unclear", "entry": {"kind": "product", "id": world["paspoort"].pk}, "field": "password"}
    assert client.post(reverse(FLAG), body, content_type="application/json").status_code == 400
    assert not Feedback.objects.exists()


def test_owner_handles_the_flag_and_the_agent_sees_the_status(client, world):
    agent, colleague = world["agent"], make_user(Role.AGENT, world["roosendaal"])
    item = flag(client, agent, world["paspoort"], "costs", remark="De leges zijn € 92")
    client.force_login(colleague)
    open_url = reverse("api:agent-open-flags", args=["roosendaal"])
    assert client.get(open_url).json()["results"] == [{"entry": {"kind": "product", "id": world["paspoort"].pk}, "field": "costs", "status": "new"}]

    client.force_login(world["curator"])
    response = client.post(reverse(EDIT, args=[item.pk]), {"status": "in_progress", "status_reason": "", "note": ""})
    assert response.status_code == 302
    client.force_login(agent)
    mine = client.get(reverse("api:agent-flags")).json()["results"]
    assert [(f["id"], f["status"], f["status_label"], f["remark"]) for f in mine] == [(item.pk, "in_progress", "in behandeling", "De leges zijn € 92")]

    client.force_login(world["curator"])
    assert client.post(reverse(EDIT, args=[item.pk]), {"status": "fixed", "status_reason": "", "note": "Leges aangepast"}).status_code == 302
    client.force_login(agent)
    assert client.get(reverse("api:agent-flags")).json()["results"][0]["status_label"] == "opgelost"
    client.force_login(colleague)
    assert client.get(open_url).json()["results"] == [], "resolved: no longer shown as being handled"
    assert client.get(reverse("api:agent-flags")).json()["results"] == [], "only one's own flags"
    history = ModelLogEntry.objects.filter(action="kennisbank.feedback.status", object_id=str(item.pk)).order_by("timestamp")
    assert [(e.data["status"], e.user) for e in history] == [("in_progress", world["curator"]), ("fixed", world["curator"])]


def test_rejecting_needs_a_reason_which_the_agent_sees(client, world):
    item = flag(client, world["agent"], world["paspoort"], "costs")
    client.force_login(world["curator"])
    url = reverse(EDIT, args=[item.pk])
    assert client.post(url, {"status": "rejected", "status_reason": " ", "note": ""}).status_code == 200
    item.refresh_from_db()
    assert item.status == "new"
    assert client.post(url, {"status": "rejected", "status_reason": "De leges zijn juist", "note": ""}).status_code == 302
    client.force_login(world["agent"])
    assert client.get(reverse("api:agent-flags")).json()["results"][0]["reason"] == "De leges zijn juist"


def test_a_municipal_curator_handles_only_flags_of_their_own_gemeente(client, world):
    bergen_agent = make_user(Role.AGENT, world["bergen"])
    item = flag(client, bergen_agent, world["paspoort"], "costs", gemeente="bergen-op-zoom")
    client.force_login(world["curator"])
    response = client.post(reverse(EDIT, args=[item.pk]), {"status": "fixed", "status_reason": "", "note": ""})
    assert response.status_code in (403, 404)
    item.refresh_from_db()
    assert item.status == "new"
    assert item.pk not in inbox(client, world["curator"])
    # An agent sees neither another gemeente's open flags nor anything without signing in.
    client.force_login(world["agent"])
    assert client.get(reverse("api:agent-open-flags", args=["bergen-op-zoom"])).status_code == 403
    client.logout()
    assert client.get(reverse("api:agent-flags")).status_code == 401


def test_remarks_are_plain_text_length_and_rate_limited(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "feedback": "3/h"}
    client.force_login(world["agent"])
    body = {"gemeente": "roosendaal", "kind": "wrong", "entry": {"kind": "product", "id": world["paspoort"].pk}}
    too_long = client.post(reverse(FLAG), {**body, "remark": "x" * 2001}, content_type="application/json")
    assert too_long.status_code == 400
    script = '<script>alert("x")</script><b>vet</b>'
    assert client.post(reverse(FLAG), {**body, "remark": script}, content_type="application/json").status_code == 201
    assert client.post(reverse(FLAG), body, content_type="application/json").status_code == 201
    assert client.post(reverse(FLAG), body, content_type="application/json").status_code == 429
    assert Feedback.objects.count() == 2
    # Per agent: a colleague behind the same address still flags.
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    assert client.post(reverse(FLAG), body, content_type="application/json").status_code == 201
    client.force_login(world["curator"])
    html = client.get(reverse(LIST)).content.decode()
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    assert script in visible_text(client.get(reverse(LIST)))
