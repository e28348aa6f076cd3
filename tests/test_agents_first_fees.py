"""Issue 12, agents first for a fee: a new value of a gemeente's variable
"geldig vanaf" D with "voor KCC-medewerkers vanaf" D-5 — entered under
"Waarden per gemeente" (held for a second curator in a four-eyes gemeente,
written at once in a direct one) or taken over from an expert's proposal —
is what the agent channel shows from D-5 (widget answer, agent list, agent
search; marked "vanaf D publiek"), while every public surface (site, public
API, SC feed, public search) keeps the old fee until D; after
`publish_scheduled` past D everyone sees the new fee. Real roles, real admin
POSTs; the clock is time-machine's."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from gemeenten.models import Publication, Role
from sharing.kinds import get_kind
from sharing.models import Variable, VariableValue
from sharing.workflow_models import ValueChange
from voorstellen.models import Status
from voorstellen.services import suggest
from website.provisioning import provision_gemeente

from .admin_forms import form_data
from .factories import make_product, make_user, municipal_curator, regional_curator
from .test_leaks import public_surface

pytestmark = pytest.mark.django_db

D = timezone.make_aware(datetime.datetime(2027, 1, 1))
DAY = datetime.timedelta(days=1)
OLD, NEW = "€ 84,25", "€ 87,10"
ADD = "wagtailsnippets_sharing_variablevalue:add"


@pytest.fixture
def leges():
    return Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")


def _gemeente(publication, name="Voorstad", code="0998"):
    slug = name.lower()
    return provision_gemeente(name=name, slug=slug, cbs_code=code, hostname=f"{slug}.localhost", publication=publication)


@pytest.fixture
def here(settings, leges):
    settings.SEARCH_ENGINE = "none"  # the database answers search: deterministic
    return _gemeente(Publication.FOUR_EYES)


@pytest.fixture
def direct(settings, leges):
    settings.SEARCH_ENGINE = "none"
    return _gemeente(Publication.DIRECT, "Nastad", "0997")


def at(moment):
    return time_machine.travel(moment, tick=False)


def _passport(gemeente, leges):
    VariableValue.objects.create(variable=leges, gemeente=gemeente, value="84.25")
    return make_product(
        slug="paspoort",
        title_nl="Paspoort aanvragen",
        summary_nl="Een paspoort kost {{ leges.paspoort }}.",
        procedure_nl="<p>Maak een afspraak.</p>",
        costs_nl="<p>Een paspoort kost {{ leges.paspoort }}.</p>",
    )


def _add_value(client, leges, gemeente, **fields):
    """The add form of "Waarden per gemeente", filled in and posted as a browser would."""
    url = reverse(ADD)
    data = form_data(client.get(url).content.decode())
    changes = {"variable": str(leges.pk), "gemeente": str(gemeente.pk), "value": "87,10", **fields}
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data, follow=True)


def agent_view(client, gemeente, agent):
    """(detail, list item, search hits) the widget gets for the passport."""
    client.force_login(agent)
    detail = client.get(reverse("api:agent-detail", args=[gemeente.slug, "producten", "paspoort"])).json()
    (item,) = [i for i in client.get(reverse("api:agent-list", args=[gemeente.slug, "producten"])).json()["results"] if i["slug"] == "paspoort"]
    hits = client.get(reverse("api:agent-search", args=[gemeente.slug]), {"q": "paspoort"}).json()["hits"]
    client.logout()
    return detail, item, hits


def public_fees(client, gemeente):
    """{where: which fees} on every public surface of the gemeente that shows one."""
    found = {}
    for where, text in public_surface(client, gemeente):
        shown = {fee for fee in (OLD, NEW) if fee in text}
        if shown:
            found[where] = shown
    return found


def _check_before(client, gemeente, agent):
    detail, item, hits = agent_view(client, gemeente, agent)
    assert OLD in str(detail["sections"]) and NEW not in str(detail) and detail["public_from"] is None
    assert OLD in item["summary"] and NEW not in str(hits)
    fees = public_fees(client, gemeente)
    assert fees and all(shown == {OLD} for shown in fees.values()), fees


def _check_agents_first(client, gemeente, agent):
    detail, item, hits = agent_view(client, gemeente, agent)
    assert NEW in str(detail["sections"]) and OLD not in str(detail["sections"]), "agents see the new fee"
    assert parse_datetime(detail["public_from"]) == D, "marked: public from 1 January"
    assert NEW in item["summary"], "in the agent list too"
    assert any(NEW in hit["summary"] or NEW in hit["snippet"] for hit in hits), "and in agent search"
    fees = public_fees(client, gemeente)
    assert fees and all(shown == {OLD} for shown in fees.values()), f"the public keeps the old fee: {fees}"
    page = client.get("/producten/paspoort/", HTTP_HOST=gemeente.site.hostname).content.decode()
    assert OLD in page and NEW not in page


def _check_after(client, gemeente, agent):
    call_command("publish_scheduled")
    detail, item, _ = agent_view(client, gemeente, agent)
    assert NEW in str(detail["sections"]) and detail["public_from"] is None and NEW in item["summary"]
    fees = public_fees(client, gemeente)
    assert fees and all(shown == {NEW} for shown in fees.values()), fees


def test_a_fee_held_under_four_eyes_reaches_agents_first(client, here, leges):
    agent = make_user(Role.AGENT, here)
    editor, colleague = municipal_curator(here), municipal_curator(here)
    with at(D - 10 * DAY):
        _passport(here, leges)
        client.force_login(editor)
        response = _add_value(client, leges, here, valid_from="2027-01-01", agents_from="2026-12-27 00:00")
        assert "wacht op goedkeuring" in response.content.decode()
        change = ValueChange.objects.get()
        assert change.agents_from == D - 5 * DAY and not VariableValue.objects.filter(value="87.10").exists()
        client.force_login(colleague)
        page = client.get(reverse("sharing:changes")).content.decode()
        assert "voor KCC-medewerkers vanaf 27 december 2026" in page
        assert client.post(reverse("sharing:review_value_change", args=[change.pk]), {"action": "approve"}).status_code == 302
        client.logout()
        assert VariableValue.objects.get(value="87.10").agents_from == D - 5 * DAY
        call_command("publish_scheduled")
        _check_before(client, here, agent)

    with at(D - 4 * DAY):
        call_command("publish_scheduled")
        _check_agents_first(client, here, agent)

    with at(D + datetime.timedelta(minutes=1)):
        _check_after(client, here, agent)


def test_a_fee_of_a_direct_gemeente_reaches_agents_on_the_minute(client, direct, leges):
    """Written at once; agents see it when `publish_scheduled` has run past
    its agents' moment (the cached answers of that day are dropped)."""
    agent = make_user(Role.AGENT, direct)
    with at(D - 5 * DAY + datetime.timedelta(hours=10)):
        _passport(direct, leges)
        client.force_login(municipal_curator(direct))
        response = _add_value(client, leges, direct, valid_from="2027-01-01", agents_from="2026-12-27 12:00")
        assert response.status_code == 200 and not ValueChange.objects.exists()
        assert VariableValue.objects.get(value="87.10").agents_from == D - 5 * DAY + datetime.timedelta(hours=12)
        call_command("publish_scheduled")
        _check_before(client, direct, agent)  # the day's answers are cached now
    with at(D - 5 * DAY + datetime.timedelta(hours=13)):
        call_command("publish_scheduled")
        _check_agents_first(client, direct, agent)
    with at(D + datetime.timedelta(minutes=1)):
        _check_after(client, direct, agent)


@pytest.mark.parametrize(
    "fields, error",
    [
        ({"valid_from": "2027-01-01", "agents_from": "2027-01-02 00:00"}, "KCC-medewerkers zien de wijziging vóór of op &#x27;geldig vanaf&#x27;, niet erna."),
        ({"valid_from": "", "agents_from": "2026-12-27 00:00"}, "Alleen bij een geplande wijziging: vul ook &#x27;geldig vanaf&#x27; in."),
    ],
)
def test_the_agents_moment_comes_before_the_fee_is_valid(client, here, direct, leges, fields, error):
    for gemeente in (here, direct):
        with at(D - 10 * DAY):
            client.force_login(municipal_curator(gemeente))
            response = _add_value(client, leges, gemeente, **fields)
        assert error in response.content.decode()
    assert not ValueChange.objects.exists() and not VariableValue.objects.exists()


@pytest.fixture
def proposal(leges):
    """An expert's proposal of the 2027 passport fee of a four-eyes gemeente."""
    here = _gemeente(Publication.FOUR_EYES)
    with at(D - 10 * DAY):
        product = _passport(here, leges)
        suggestion = suggest(entry_kind=get_kind(product), entry=product, gemeente=here, author_name="Bea Burgerzaken", fees=[(leges, "87.10", D.date())])
    return here, suggestion


def _accept(client, suggestion, **data):
    with at(D - 10 * DAY):
        client.force_login(regional_curator())
        return client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "accept-all", **data}, follow=True)


def test_an_accepted_fee_proposal_reaches_agents_first(client, settings, proposal):
    settings.SEARCH_ENGINE = "none"
    here, suggestion = proposal
    _accept(client, suggestion, kcc_vanaf="2026-12-27T00:00")
    change = ValueChange.objects.get()
    assert change.agents_from == D - 5 * DAY and change.status == ValueChange.Status.PENDING
    with at(D - 10 * DAY):
        client.force_login(regional_curator())  # a second curator
        assert client.post(reverse("sharing:review_value_change", args=[change.pk]), {"action": "approve"}).status_code == 302
    assert VariableValue.objects.get(value="87.10").agents_from == D - 5 * DAY
    with at(D - 4 * DAY):
        call_command("publish_scheduled")
        _check_agents_first(client, here, make_user(Role.AGENT, here))


def test_an_agents_moment_after_the_proposed_date_is_refused(client, proposal):
    _, suggestion = proposal
    response = _accept(client, suggestion, kcc_vanaf="2027-01-02T00:00")
    assert "Bedragen voor KCC-medewerkers vanaf: KCC-medewerkers zien de wijziging vóór of op" in response.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW and not ValueChange.objects.exists()
