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

from .admin_pages import links, visible_text
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


REASSIGN = "feedback_reassign"
REASSIGNED = "kennisbank.feedback.reassigned"


def test_a_curator_hands_a_flag_to_another_owner_of_their_gemeente_logged_in_its_history(client, world):
    roosendaal, bergen = world["roosendaal"], world["bergen"]
    item = flag(client, world["agent"], world["paspoort"], "costs")  # Roosendaal's local text, no owner: its curators
    colleague = municipal_curator(roosendaal)
    team = Team.objects.create(name="Burgerzaken", gemeente=roosendaal)
    team.members.add(colleague)
    bergen_curator, bergen_team = municipal_curator(bergen), Team.objects.create(name="Publiekszaken", gemeente=bergen)
    client.force_login(world["curator"])
    edit = client.get(reverse(EDIT, args=[item.pk])).content.decode()
    assert reverse(REASSIGN, args=[item.pk]) in edit  # "Doorsturen" on the flag
    form = client.get(reverse(REASSIGN, args=[item.pk]))
    assert form.status_code == 200
    assert colleague.username in form.content.decode() and bergen_curator.username not in form.content.decode()
    assert "Publiekszaken" not in form.content.decode()

    # Another gemeente's person or team: refused by the server, whatever the form offered.
    for forged in ({"assignee": bergen_curator.pk, "assignee_team": ""}, {"assignee": "", "assignee_team": bergen_team.pk}):
        response = client.post(reverse(REASSIGN, args=[item.pk]), forged)
        assert response.status_code == 200 and response.context["form"].errors, forged
    item.refresh_from_db()
    assert (item.assignee, item.assignee_team) == (None, None)

    response = client.post(reverse(REASSIGN, args=[item.pk]), {"assignee": colleague.pk, "assignee_team": team.pk})
    assert response.status_code == 302 and response["Location"] == reverse(EDIT, args=[item.pk])
    item.refresh_from_db()
    assert (item.assignee, item.assignee_team, item.route, item.status) == (colleague, team, "local", "new")
    assert item.pk in inbox(client, colleague) and item.pk not in inbox(client, world["curator"])
    [entry] = ModelLogEntry.objects.filter(action=REASSIGNED, object_id=str(item.pk))
    assert entry.user == world["curator"] and entry.data == {"from": f"kennisregisseurs {roosendaal}", "to": f"{colleague} · {team}"}
    client.force_login(world["curator"])
    history = client.get(reverse("wagtailsnippets_feedback_feedback:history", args=[item.pk])).content.decode()
    assert "Melding doorgestuurd" in history

    # Back to nobody: the curators of the text again.
    assert client.post(reverse(REASSIGN, args=[item.pk]), {"assignee": "", "assignee_team": ""}).status_code == 302
    assert item.pk in inbox(client, world["curator"])
    assert ModelLogEntry.objects.filter(action=REASSIGNED, object_id=str(item.pk)).count() == 2


def test_only_who_may_handle_the_flag_hands_it_on_and_only_to_people_who_see_it(client, world):
    bergen = world["bergen"]
    bergen_flag = flag(client, make_user(Role.AGENT, bergen), world["paspoort"], "costs", gemeente="bergen-op-zoom")
    ours = flag(client, world["agent"], world["paspoort"], "lead_time")  # the shared text: the regional curators
    bergen_curator = municipal_curator(bergen)
    client.force_login(world["curator"])
    assert client.get(reverse(REASSIGN, args=[bergen_flag.pk])).status_code in (403, 404)
    assert client.post(reverse(REASSIGN, args=[bergen_flag.pk]), {"assignee": world["curator"].pk, "assignee_team": ""}).status_code in (403, 404)
    client.force_login(world["agent"])
    assert client.post(reverse(REASSIGN, args=[ours.pk]), {"assignee": world["agent"].pk, "assignee_team": ""}).status_code in (302, 403, 404)
    ours.refresh_from_db()
    bergen_flag.refresh_from_db()
    assert ours.assignee is None and bergen_flag.assignee is None
    # The region hands it to the region's people and teams or the gemeente's, not to another gemeente's (who could not see it).
    client.force_login(world["regional"])
    assert client.post(reverse(REASSIGN, args=[ours.pk]), {"assignee": bergen_curator.pk, "assignee_team": ""}).context["form"].errors
    colleague, team = regional_curator(), Team.objects.create(name="Team Burgerzaken")
    assert client.post(reverse(REASSIGN, args=[ours.pk]), {"assignee": colleague.pk, "assignee_team": team.pk}).status_code == 302
    ours.refresh_from_db()
    assert (ours.assignee, ours.assignee_team) == (colleague, team) and ours.pk in inbox(client, colleague)


def list_of(client, user):
    """What the flag list shows `user`; None when it does not open for them."""
    client.force_login(user)
    response = client.get(reverse(LIST))
    return {item.pk for item in response.context["object_list"]} if response.status_code == 200 else None


def handle(client, user, item, status="in_progress"):
    client.force_login(user)
    return client.post(reverse(EDIT, args=[item.pk]), {"status": status, "status_reason": "", "note": "Opgepakt"})


def test_a_flag_handed_to_a_regional_team_is_seen_and_handled_by_its_members_of_any_gemeente(client, world):
    roosendaal, bergen = world["roosendaal"], world["bergen"]
    # Bergen op Zoom's agent flags the shared text (no owner): the regional curators'.
    item = flag(client, make_user(Role.AGENT, bergen), world["paspoort"], "lead_time", gemeente="bergen-op-zoom")
    member, agent_member, outsider = municipal_curator(roosendaal), make_user(Role.AGENT, roosendaal), world["curator"]
    bergen_curator = municipal_curator(bergen)
    team = Team.objects.create(name="Burgerzaken regio")
    team.members.add(member, agent_member)
    assert item.pk not in list_of(client, member), "not yet handed to the team: Bergen op Zoom's flag"

    client.force_login(world["regional"])
    assert client.post(reverse(REASSIGN, args=[item.pk]), {"assignee": "", "assignee_team": team.pk}).status_code == 302

    # The member (Roosendaal's curator) sees it in the list and in their inbox, opens it and changes its status.
    assert item.pk in list_of(client, member)
    assert item.pk in inbox(client, member)
    client.force_login(member)
    assert client.get(reverse(EDIT, args=[item.pk])).status_code == 200
    assert handle(client, member, item).status_code == 302
    item.refresh_from_db()
    assert (item.status, item.note) == ("in_progress", "Opgepakt")
    [logged] = ModelLogEntry.objects.filter(action="kennisbank.feedback.status", object_id=str(item.pk))
    assert logged.user == member

    # A curator of another gemeente who is not in the team is refused, as before.
    assert item.pk not in list_of(client, outsider)
    client.force_login(outsider)
    assert client.get(reverse(EDIT, args=[item.pk])).status_code in (403, 404)
    assert handle(client, outsider, item, "fixed").status_code in (403, 404)
    # An agent in the team: the role has no flags in the admin.
    assert list_of(client, agent_member) is None or item.pk not in list_of(client, agent_member)
    assert handle(client, agent_member, item, "fixed").status_code in (302, 403, 404)
    item.refresh_from_db()
    assert item.status == "in_progress"

    # The member hands it on only back to the text's curators: no names of Bergen op Zoom, a forged choice refused.
    client.force_login(member)
    form = client.get(reverse(REASSIGN, args=[item.pk]))
    assert form.status_code == 200 and 'id="only-back"' in form.content.decode()
    assert bergen_curator.username not in form.content.decode()
    for forged in ({"assignee": bergen_curator.pk, "assignee_team": ""}, {"assignee": member.pk, "assignee_team": team.pk}):
        assert client.post(reverse(REASSIGN, args=[item.pk]), forged).context["form"].errors, forged
    assert client.post(reverse(REASSIGN, args=[item.pk]), {"assignee": "", "assignee_team": ""}).status_code == 302
    item.refresh_from_db()
    assert (item.assignee, item.assignee_team) == (None, None)
    assert item.pk in inbox(client, world["regional"])
    # Handed back, it is Bergen op Zoom's flag again: the member no longer opens it.
    assert item.pk not in list_of(client, member)
    client.force_login(member)
    assert client.get(reverse(EDIT, args=[item.pk])).status_code in (403, 404)


def test_a_member_from_another_gemeente_gets_no_link_to_a_local_entry_they_may_not_open(client, world):
    bergen = world["bergen"]
    local = make_product(slug="bergen-lokaal", title_nl="Lokale regeling", gemeente=bergen)
    item = flag(client, make_user(Role.AGENT, bergen), local, gemeente="bergen-op-zoom")
    member = municipal_curator(world["roosendaal"])
    team = Team.objects.create(name="Burgerzaken", gemeente=bergen)
    team.members.add(member)
    client.force_login(municipal_curator(bergen))
    assert client.post(reverse(REASSIGN, args=[item.pk]), {"assignee": "", "assignee_team": team.pk}).status_code == 302

    client.force_login(member)
    response = client.get(reverse(LIST))
    assert item.pk in {row.pk for row in response.context["object_list"]}
    hrefs = {href for _, href in links(response)}
    viewset = local.snippet_viewset
    dead = {reverse(viewset.get_url_name(view), args=[local.pk]) for view in ("edit", "inspect")}
    assert not hrefs & dead, "no link into Bergen op Zoom's local entry, which would not open"
    client.force_login(member)
    assert all(client.get(url).status_code in (403, 404) for url in dead)
    assert handle(client, member, item).status_code == 302


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


# --- acceptance story 5, in the browser -------------------------------------------


@pytest.fixture
def story(settings, live_server):
    """Roosendaal overrides the passport fee; its own owner keeps that text; the shared text has a regional owner."""
    from website.provisioning import provision_gemeente

    settings.SEARCH_ENGINE = "none"
    port = int(live_server.url.rsplit(":", 1)[1])
    roosendaal = provision_gemeente(name="Roosendaal", slug="roosendaal", cbs_code="1674", hostname="roosendaal.localhost", port=port)
    roosendaal.publication = "direct"  # its local text goes live at once (four eyes is issue 12's story)
    roosendaal.save()
    regional = regional_curator()
    owner = municipal_curator(roosendaal)
    owner.email = "burgerzaken@roosendaal.example"
    owner.save()
    shared_owner = regional_curator()
    passport = make_product(
        slug="paspoort", title_nl="Paspoort aanvragen", costs_nl="<p>Een paspoort kost € 84,00.</p>",
        lead_time_nl="<p>Na 5 werkdagen.</p>", owner=shared_owner,
    )
    set_override(passport, roosendaal, "costs_nl", "<p>Een paspoort kost € 86,00.</p>", owner)
    own_local(passport, roosendaal, owner=owner)
    agent = make_user(Role.AGENT, roosendaal)
    return {"roosendaal": roosendaal, "regional": regional, "owner": owner, "shared_owner": shared_owner,
            "passport": passport, "agent": agent, "url": live_server.url}


def flag_in_widget(widget, field_label, remark):
    entry = widget.locator("#entry")
    entry.locator("[data-action=flag]").click()
    entry.locator("#flag-field").select_option(label=field_label)
    entry.locator("#flag-remark").fill(remark)
    entry.get_by_role("button", name="Melding versturen").click()
    entry.get_by_text("Bedankt. Uw melding staat bij de kennisregisseur.").wait_for()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_acceptance_story_5_the_owner_of_the_override_gets_the_flag_and_the_agent_sees_it_resolved(browser, story, mailoutbox):
    from django.core.management import call_command
    from django.test import Client

    from .test_widget import signed_in_page

    page = signed_in_page(browser, story)
    widget = page.locator("kennis-widget")
    widget.locator("#q").press_sequentially("paspoort", delay=30)
    widget.locator("[role=option]", has_text="Paspoort aanvragen").first.click()
    widget.locator("#entry h2", has_text="Paspoort aanvragen").wait_for()
    flag_in_widget(widget, "Kosten", "De leges zijn per 1 januari € 88,00.")

    flag = Feedback.objects.get()
    assert (flag.field_name, flag.route, flag.assignee) == ("costs", "local", story["owner"])
    regional = Client()
    regional.force_login(story["regional"])
    assert flag.pk not in {i.pk for i in regional.get(reverse(LIST), {"inbox": "mine"}).context["object_list"]}
    call_command("review_digest")
    digest = {m.to[0]: m.body for m in mailoutbox}
    assert "Paspoort aanvragen (Roosendaal): antwoord klopt niet, veld costs" in digest["burgerzaken@roosendaal.example"]

    # The Roosendaal owner fixes it from their inbox in the admin.
    admin = page.context.browser.new_context(locale="nl-NL").new_page()
    admin.goto(f"{story['url']}/admin/login/")
    admin.fill("#id_username", story["owner"].username)
    admin.fill("#id_password", "x")
    admin.click("button[type=submit]")
    admin.wait_for_url(f"{story['url']}/admin/")
    admin.get_by_role("link", name="1 open melding aan jou gericht").click()
    admin.locator("tbody tr", has_text="De leges zijn per 1 januari").locator("a", has_text="Paspoort aanvragen").first.click()
    admin.select_option("select[name=status]", "fixed")
    admin.click("button[type=submit]:has-text('Opslaan')")
    admin.wait_for_url(f"{story['url']}{reverse(LIST)}*")
    flag.refresh_from_db()
    assert flag.status == "fixed"

    # The agent sees it resolved under "Mijn meldingen".
    widget.locator("#my-flags").click()
    item = widget.locator(f"[data-flag='{flag.pk}']")
    item.wait_for()
    assert "opgelost" in item.inner_text() and "Paspoort aanvragen" in item.inner_text()

    # The same flag on a field Roosendaal does not override goes to the shared entry's owner.
    widget.locator("#q").fill("paspoort")
    widget.locator("[role=option]", has_text="Paspoort aanvragen").first.click()
    widget.locator("#entry h2", has_text="Paspoort aanvragen").wait_for()
    flag_in_widget(widget, "Hoe lang duurt het?", "Het duurt nu 6 werkdagen.")
    second = Feedback.objects.exclude(pk=flag.pk).get()
    assert (second.field_name, second.route, second.assignee) == ("lead_time", "shared", story["shared_owner"])
