"""Issue 12, agents first for changes of live content: a change of a live
shared entry or of a gemeente's override, approved and scheduled to go
live on D with "voor KCC-medewerkers vanaf" D-5, is what agents see (the
agent API, agent search, marked with the date it goes public) from D-5,
while every public surface (site, sitemap, SC feed, public API and
search) keeps the live text until D; from D everyone sees it. Real roles,
real admin POSTs; the clock is time-machine's."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from gemeenten.models import Publication, Role
from sharing.overrides import set_override
from sharing.workflow_models import OverrideChange
from website.provisioning import provision_gemeente

from .admin_forms import approve, post_edit_form, rich_text
from .factories import make_product, make_user, municipal_curator, regional_curator
from .test_leaks import public_surface

pytestmark = pytest.mark.django_db

CANARY = "Voortijdigkanarie3317"
D = timezone.make_aware(datetime.datetime(2027, 1, 1))
DAY = datetime.timedelta(days=1)


@pytest.fixture
def here(settings):
    settings.SEARCH_ENGINE = "none"  # the database answers search: deterministic
    return provision_gemeente(name="Voorstad", slug="voorstad", cbs_code="0998", hostname="voorstad.localhost", publication=Publication.DIRECT)


def at(moment):
    return time_machine.travel(moment, tick=False)


def agent_view(client, gemeente, agent, slug="paspoort"):
    """(detail, search hits) the widget gets for the passport."""
    client.force_login(agent)
    detail = client.get(reverse("api:agent-detail", args=[gemeente.slug, "producten", slug])).json()
    hits = client.get(reverse("api:agent-search", args=[gemeente.slug]), {"q": "paspoort"}).json()["hits"]
    client.logout()
    return detail, hits


def public_shows(client, gemeente):
    return [where for where, text in public_surface(client, gemeente) if CANARY in text]


def _passport():
    return make_product(
        slug="paspoort", title_nl="Paspoort aanvragen", summary_nl="Vraag een paspoort aan.", procedure_nl="<p>Maak een afspraak.</p>"
    )


def test_a_scheduled_change_of_a_live_shared_entry_reaches_agents_first(client, here):
    agent = make_user(Role.AGENT, here)
    elders = provision_gemeente(name="Elders", slug="elders", cbs_code="0997", hostname="elders.localhost", publication=Publication.DIRECT)
    with at(D - 10 * DAY):
        product = _passport()
        set_override(product, elders, "offered", False, regional_curator())  # its page says "not offered here", with the title
        editor, second = regional_curator(), regional_curator()
        client.force_login(editor)
        changes = {
            "title_nl": f"Paspoort aanvragen {CANARY}",
            "summary_nl": f"Vraag een paspoort aan. {CANARY}",
            "procedure_nl": rich_text(f"<p>Vanaf 2027 online: {CANARY}.</p>"),
            "go_live_at": "2027-01-01 00:00",
            "agents_from": "2026-12-27 00:00",
        }
        assert post_edit_form(client, product, changes, action="action-submit").status_code == 302
        client.logout()
        assert approve(product, second).status_code == 302
        product.refresh_from_db()
        assert product.live and CANARY not in product.procedure_nl
        assert product.revisions.get(approved_go_live_at__isnull=False).approved_go_live_at == D
        call_command("publish_scheduled")
        detail, hits = agent_view(client, here, agent)
        assert CANARY not in str(detail) and CANARY not in str(hits) and detail["public_from"] is None
        assert not public_shows(client, here)

    with at(D - 4 * DAY):
        call_command("publish_scheduled")
        detail, hits = agent_view(client, here, agent)
        assert CANARY in str(detail["sections"]) and parse_datetime(detail["public_from"]) == D, "agents see it, marked"
        assert CANARY in str(hits), "and find it"
        assert not public_shows(client, here), "the public keeps the live text"
        withdrawn = client.get("/producten/paspoort/", HTTP_HOST="elders.localhost")
        assert withdrawn.status_code == 410 and "Paspoort aanvragen" in withdrawn.content.decode()
        assert CANARY not in withdrawn.content.decode()

    with at(D + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled")
        product.refresh_from_db()
        assert CANARY in product.procedure_nl
        detail, _ = agent_view(client, here, agent)
        assert CANARY in str(detail["sections"]) and detail["public_from"] is None
        assert public_shows(client, here)


def test_a_scheduled_override_change_reaches_agents_first(client, here):
    agent = make_user(Role.AGENT, here)
    url = lambda product: reverse("sharing:field_editor", args=["product", product.pk, here.slug, "procedure_nl"])  # noqa: E731
    with at(D - 10 * DAY):
        product = _passport()
        client.force_login(municipal_curator(here))
        value = rich_text(f"<p>Voorstad: {CANARY}.</p>")
        response = client.post(url(product), {"value": value, "go_live_at": "2027-01-01T00:00", "agents_from": "2026-12-27T00:00"})
        assert response.status_code == 302
        change = OverrideChange.objects.get()
        assert change.status == OverrideChange.Status.SCHEDULED and change.agents_from == D - 5 * DAY
        client.logout()
        call_command("publish_scheduled")
        assert CANARY not in str(agent_view(client, here, agent)[0])

    with at(D - 4 * DAY):
        call_command("publish_scheduled")
        detail, _ = agent_view(client, here, agent)
        assert CANARY in str(detail["sections"]) and parse_datetime(detail["public_from"]) == D
        assert not public_shows(client, here)
        assert not product.overrides.exists()

    with at(D + datetime.timedelta(minutes=1)):
        call_command("publish_scheduled")
        assert public_shows(client, here)
        assert agent_view(client, here, agent)[0]["public_from"] is None


def test_an_override_change_approved_after_its_agents_date_reaches_agents_at_once(client, here):
    here.publication = Publication.FOUR_EYES
    here.save()
    agent = make_user(Role.AGENT, here)
    with at(D - 10 * DAY):
        product = _passport()
        editor, colleague = municipal_curator(here), municipal_curator(here)
        client.force_login(editor)
        url = reverse("sharing:field_editor", args=["product", product.pk, here.slug, "procedure_nl"])
        client.post(url, {"value": rich_text(f"<p>{CANARY}</p>"), "go_live_at": "2027-01-01T00:00", "agents_from": "2026-12-27T00:00"})
        change = OverrideChange.objects.get()
        assert change.status == OverrideChange.Status.PENDING
    with at(D - 4 * DAY):
        call_command("publish_scheduled")
        assert CANARY not in str(agent_view(client, here, agent)[0]), "not before a second curator approves"
        client.force_login(colleague)
        assert client.post(reverse("sharing:review_change", args=[change.pk]), {"action": "approve"}).status_code == 302
        client.logout()
        detail, _ = agent_view(client, here, agent)
        assert CANARY in str(detail["sections"]) and parse_datetime(detail["public_from"]) == D
        assert not public_shows(client, here)


def test_the_agents_date_needs_a_go_live_date_before_it(client, here):
    product = _passport()
    client.force_login(municipal_curator(here))
    url = reverse("sharing:field_editor", args=["product", product.pk, here.slug, "procedure_nl"])
    later = (timezone.localtime() + 10 * DAY).strftime("%Y-%m-%dT%H:%M")
    sooner = (timezone.localtime() + 5 * DAY).strftime("%Y-%m-%dT%H:%M")
    for data in ({"agents_from": sooner}, {"go_live_at": sooner, "agents_from": later}):
        response = client.post(url, {"value": rich_text(f"<p>{CANARY}</p>"), **data})
        assert response.status_code == 200 and "KCC-medewerkers" in response.content.decode()
    assert not OverrideChange.objects.exists() and not product.overrides.exists()


def test_agent_lists_and_database_search_read_the_agents_version(client, here):
    """Agents' lists show the title and summary agents see in the detail (a
    scheduled change of the shared entry, a scheduled override change of
    this gemeente's title), and the database search finds the entry by a
    word that only the agents' version has; the public sees neither."""
    agent = make_user(Role.AGENT, here)
    with at(D - 10 * DAY):
        product = _passport()
        other = make_product(slug="rijbewijs", title_nl="Rijbewijs verlengen", summary_nl="Verleng uw rijbewijs.")
        client.force_login(regional_curator())
        changes = {"summary_nl": f"Vraag een paspoort aan. {CANARY}", "go_live_at": "2027-01-01 00:00", "agents_from": "2026-12-27 00:00"}
        assert post_edit_form(client, product, changes, action="action-submit").status_code == 302
        client.logout()
        assert approve(product, regional_curator()).status_code == 302
        client.force_login(municipal_curator(here))
        url = reverse("sharing:field_editor", args=["product", other.pk, here.slug, "title_nl"])
        data = {"value": f"Rijbewijs {CANARY}verlengen", "go_live_at": "2027-01-01T00:00", "agents_from": "2026-12-27T00:00"}
        assert client.post(url, data).status_code == 302
        client.logout()

    with at(D - 4 * DAY):
        call_command("publish_scheduled")
        client.force_login(agent)
        listed = {i["slug"]: i for i in client.get(reverse("api:agent-list", args=[here.slug, "producten"])).json()["results"]}
        detail = client.get(reverse("api:agent-detail", args=[here.slug, "producten", "rijbewijs"])).json()
        assert listed["rijbewijs"]["title"] == detail["title"] == f"Rijbewijs {CANARY}verlengen"
        assert CANARY in listed["paspoort"]["summary"]
        hits = client.get(reverse("api:agent-search", args=[here.slug]), {"q": CANARY}).json()["hits"]
        assert {hit["slug"] for hit in hits} == {"paspoort", "rijbewijs"}, "found by the agents' text alone"
        client.logout()
        public = client.get(reverse("api:list", args=[here.slug, "producten"])).json()["results"]
        assert CANARY not in str(public) and not client.get(reverse("api:search", args=[here.slug]), {"q": CANARY}).json()["hits"]
        assert not public_shows(client, here)
