"""Issue 13: owners and review dates. Every shared entry has an owner and a
review date; a gemeente's local texts have the gemeente's own. "Nog juist"
(one click, logged) or a change sets the next date from the review cycle
of the entry's theme or kind. Overdue, due within 30 days, flagged and never
reviewed show in a report per gemeente and for the region and on the
dashboard, and owners get an e-mail digest. Curators see and handle only
their own gemeente's reviews."""

from datetime import date, datetime, timezone as tz

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import ModelLogEntry

from feedback.models import Feedback
from gemeenten.models import Role
from pdc.models import Theme
from redactie import reviews
from redactie.models import ReviewCycle
from sharing.models import LocalOwnership, Team
from sharing.overrides import set_override

from .factories import make_gemeente, make_product, make_user, make_vac, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db
REPORT = "redactie_reviews"
CONFIRM = "redactie_review_confirm"
TODAY = date(2026, 6, 15)
DENIED = (302, 403)  # Wagtail's admin answers a refusal with a redirect to the dashboard and a message


@pytest.fixture
def world():
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal", email="")
    bergen = make_gemeente("Bergen op Zoom", slug="bergen-op-zoom")
    regional, curator, bergen_curator = regional_curator(), municipal_curator(roosendaal), municipal_curator(bergen)
    for user, address in ((regional, "regio@example.nl"), (curator, "roosendaal@example.nl"), (bergen_curator, "boz@example.nl")):
        user.email = address
        user.save()
    paspoort = make_product(slug="paspoort", title_nl="Paspoort aanvragen", costs_nl="<p>€ 84</p>")
    return {"roosendaal": roosendaal, "bergen": bergen, "regional": regional, "curator": curator, "bergen_curator": bergen_curator, "paspoort": paspoort}


def test_due_and_overdue_on_a_given_day():
    flagged = reviews.review_state(date(2026, 7, 1), datetime(2025, 7, 1, tzinfo=tz.utc), open_flags=1, today=TODAY)
    assert flagged == {reviews.State.DUE, reviews.State.FLAGGED}
    assert reviews.review_state(date(2026, 6, 14), None, today=TODAY) == {reviews.State.OVERDUE, reviews.State.NEVER}
    assert reviews.review_state(date(2026, 6, 15), datetime(2026, 1, 1, tzinfo=tz.utc), today=TODAY) == {reviews.State.DUE}
    assert reviews.review_state(date(2026, 7, 15), datetime(2026, 1, 1, tzinfo=tz.utc), today=TODAY) == {reviews.State.DUE}
    assert reviews.review_state(date(2026, 7, 16), datetime(2026, 1, 1, tzinfo=tz.utc), today=TODAY) == set()
    assert reviews.add_months(date(2026, 8, 31), 6) == date(2027, 2, 28)


def test_the_report_follows_the_clock(client, world):
    paspoort = world["paspoort"]
    paspoort.review_date, paspoort.reviewed_at = date(2026, 7, 1), datetime(2025, 7, 1, tzinfo=tz.utc)
    paspoort.save()
    client.force_login(world["regional"])
    with time_machine.travel(datetime(2026, 5, 1, 12, tzinfo=tz.utc)):
        assert paspoort not in entries(client, scope="regio", state="due")
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=tz.utc)):
        assert paspoort in entries(client, scope="regio", state="due")
    with time_machine.travel(datetime(2026, 7, 2, 12, tzinfo=tz.utc)):
        assert paspoort in entries(client, scope="regio", state="overdue")
        assert paspoort not in entries(client, scope="regio", state="due")


def entries(client, **params):
    response = client.get(reverse(REPORT), params)
    assert response.status_code == 200
    return [item.entry for item in response.context["items"]]


def test_nog_juist_sets_the_next_date_from_the_cycle_and_is_logged(client, world):
    paspoort, theme = world["paspoort"], Theme.objects.create(name="Burgerzaken", slug="burgerzaken")
    ReviewCycle.objects.create(entry_kind="product", months=12)
    ReviewCycle.objects.create(theme=theme, months=6)
    owner = make_user(Role.AGENT, world["roosendaal"])  # an owner who is no curator (an expert in the front office)
    paspoort.owner = owner
    paspoort.save()
    client.force_login(owner)
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=tz.utc)):
        assert client.post(reverse(CONFIRM), {"kind": "product", "id": paspoort.pk, "next": "/admin/"}).status_code == 302
        paspoort.refresh_from_db()
        assert paspoort.review_date == date(2027, 6, 15), "the kind's cycle"
        paspoort.themes.add(theme)
        paspoort.save()
        client.post(reverse(CONFIRM), {"kind": "product", "id": paspoort.pk})
        paspoort.refresh_from_db()
        assert (paspoort.review_date, paspoort.reviewed_at.date()) == (date(2026, 12, 15), date(2026, 6, 15)), "the theme's cycle comes first"
    logged = ModelLogEntry.objects.filter(action=reviews.CONFIRM_ACTION, object_id=str(paspoort.pk))
    assert logged.count() == 2 and logged.first().user == owner
    # Someone who is neither owner nor curator may not.
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    assert client.post(reverse(CONFIRM), {"kind": "product", "id": paspoort.pk}).status_code in DENIED
    assert ModelLogEntry.objects.filter(action=reviews.CONFIRM_ACTION).count() == 2


def test_a_change_is_a_review_of_that_text(world):
    paspoort, roosendaal = world["paspoort"], world["roosendaal"]
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=tz.utc)):
        set_override(paspoort, roosendaal, "costs_nl", "<p>€ 90</p>", world["curator"])
        local = LocalOwnership.objects.get(entry_kind="product", entry_id=paspoort.pk, gemeente=roosendaal)
        assert (local.review_date, local.reviewed_at.date()) == (date(2027, 6, 15), date(2026, 6, 15))
        paspoort.refresh_from_db()
        assert paspoort.reviewed_at is None, "the shared text was not reviewed"
        paspoort.title_nl = "Paspoort"
        paspoort.save_revision(user=world["regional"]).publish(user=world["regional"])
        paspoort.refresh_from_db()
        assert paspoort.review_date == date(2027, 6, 15)


def test_a_gemeentes_report_holds_its_local_texts_with_their_own_owner(client, world):
    paspoort, roosendaal = world["paspoort"], world["roosendaal"]
    set_override(paspoort, roosendaal, "costs_nl", "<p>€ 90</p>", world["curator"])
    LocalOwnership.objects.filter(gemeente=roosendaal).update(review_date=date(2020, 1, 1))
    local_vac = make_vac(slug="lokaal", question_nl="Lokale vraag", gemeente=roosendaal)
    other = make_product(slug="ander", title_nl="Ander product")
    client.force_login(world["curator"])
    response = client.get(reverse(REPORT), {"scope": "roosendaal"})
    items = {item.entry: item for item in response.context["items"]}
    assert set(items) == {paspoort, local_vac}, "its overrides and local entries; not shared texts it does not override"
    assert reviews.State.OVERDUE in items[paspoort].states and reviews.State.NEVER in items[local_vac].states
    assert other not in items


def test_a_municipal_curator_sees_and_confirms_only_their_own_gemeente(client, world):
    paspoort, bergen = world["paspoort"], world["bergen"]
    set_override(paspoort, bergen, "costs_nl", "<p>€ 70</p>", world["bergen_curator"])
    client.force_login(world["curator"])
    assert client.get(reverse(REPORT), {"scope": "bergen-op-zoom"}).status_code in DENIED
    assert client.get(reverse(REPORT), {"scope": "regio"}).status_code in DENIED
    before = LocalOwnership.objects.get(gemeente=bergen).reviewed_at
    assert client.post(reverse(CONFIRM), {"kind": "product", "id": paspoort.pk, "gemeente": "bergen-op-zoom"}).status_code in DENIED
    assert client.post(reverse(CONFIRM), {"kind": "product", "id": paspoort.pk}).status_code in DENIED, "the shared text is the region's"
    assert LocalOwnership.objects.get(gemeente=bergen).reviewed_at == before
    paspoort.refresh_from_db()
    assert paspoort.reviewed_at is None
    owner_url = reverse("redactie_local_owner", args=["product", paspoort.pk, "bergen-op-zoom"])
    assert client.post(owner_url, {"owner": world["curator"].pk}).status_code in DENIED
    assert LocalOwnership.objects.get(gemeente=bergen).owner is None


def test_the_local_owner_is_someone_of_that_gemeente(client, world):
    paspoort, roosendaal = world["paspoort"], world["roosendaal"]
    colleague = make_user(Role.AGENT, roosendaal)
    team = Team.objects.create(name="Burgerzaken", gemeente=roosendaal)
    client.force_login(world["curator"])
    url = reverse("redactie_local_owner", args=["product", paspoort.pk, "roosendaal"])
    refused = client.post(url, {"owner": world["bergen_curator"].pk, "owner_team": "", "review_date": ""})
    assert refused.status_code == 200 and not LocalOwnership.objects.exists()
    assert world["bergen_curator"].username not in refused.content.decode()
    saved = client.post(url, {"owner": colleague.pk, "owner_team": team.pk, "review_date": "2026-09-01"})
    assert saved.status_code == 302
    local = LocalOwnership.objects.get()
    assert (local.gemeente, local.owner, local.owner_team, local.review_date) == (roosendaal, colleague, team, date(2026, 9, 1))


def test_the_dashboard_panel_counts_per_gemeente(client, world):
    paspoort, roosendaal = world["paspoort"], world["roosendaal"]
    set_override(paspoort, roosendaal, "costs_nl", "<p>€ 90</p>", world["curator"])
    LocalOwnership.objects.update(review_date=date(2020, 1, 1))
    client.force_login(world["curator"])
    panel = next(p for p in client.get(reverse("wagtailadmin_home")).context["panels"] if p.name == "herzien")
    assert [(row["label"], row["totals"]["overdue"]) for row in panel.rows] == [("Roosendaal", 1)]
    client.force_login(world["regional"])
    panel = next(p for p in client.get(reverse("wagtailadmin_home")).context["panels"] if p.name == "herzien")
    assert [row["label"] for row in panel.rows] == ["Regio (gedeelde teksten)", "Bergen op Zoom", "Roosendaal"]
    assert "Herzien en meldingen" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_owners_get_a_digest_of_what_is_due_and_flagged(client, world, mailoutbox):
    paspoort, roosendaal = world["paspoort"], world["roosendaal"]
    owner = make_user()
    owner.email = "eigenaar@example.nl"
    owner.save()
    paspoort.owner, paspoort.review_date = owner, date(2026, 6, 1)
    paspoort.save()
    set_override(paspoort, roosendaal, "costs_nl", "<p>€ 90</p>", world["curator"])
    LocalOwnership.objects.update(review_date=date(2026, 7, 1))
    agent = make_user(Role.AGENT, roosendaal)
    client.force_login(agent)
    body = {"gemeente": "roosendaal", "kind": "wrong", "entry": {"kind": "product", "id": paspoort.pk}, "field": "costs", "remark": "€ 92"}
    client.post(reverse("api:feedback"), body, content_type="application/json")
    with time_machine.travel(datetime(2026, 6, 15, 12, tzinfo=tz.utc)):
        call_command("review_digest")
    mail = {message.to[0]: message.body for message in mailoutbox}
    assert set(mail) == {"eigenaar@example.nl", "roosendaal@example.nl"}
    assert "Paspoort aanvragen" in mail["eigenaar@example.nl"] and "te laat" in mail["eigenaar@example.nl"]
    assert "Open meldingen" not in mail["eigenaar@example.nl"], "the flag is about Roosendaal's own text"
    roosendaal_mail = mail["roosendaal@example.nl"]
    assert "lokale tekst Roosendaal" in roosendaal_mail and "antwoord klopt niet, veld costs" in roosendaal_mail


def test_the_digest_task_sends_through_the_task_backend(world, mailoutbox):
    from redactie.digest import send_review_digests

    paspoort = world["paspoort"]
    paspoort.review_date = date(2000, 1, 1)
    paspoort.save()
    send_review_digests.enqueue()
    assert [message.to for message in mailoutbox] == [["regio@example.nl"]], "no owner: the regional curators"
    Feedback.objects.all().delete()


def test_a_municipal_curator_sees_the_regions_totals_read_only_beside_their_own(client, world):
    from datetime import timedelta

    from django.utils import timezone

    paspoort, roosendaal, bergen = world["paspoort"], world["roosendaal"], world["bergen"]
    today = timezone.localdate()
    rijbewijs = make_product(slug="rijbewijs", title_nl="Rijbewijs verlengen")
    type(paspoort).objects.filter(pk=paspoort.pk).update(review_date=today.replace(year=today.year - 1))  # overdue
    type(rijbewijs).objects.filter(pk=rijbewijs.pk).update(review_date=today + timedelta(days=10))  # due
    Feedback.objects.create(gemeente=bergen, kind=Feedback.Kind.WRONG, origin=Feedback.Origin.WIDGET, entry=rijbewijs)  # on the shared text
    # Bergen op Zoom's local text of the passport: overdue, flagged — not the region's, not Roosendaal's.
    set_override(paspoort, bergen, "costs_nl", "<p>€ 70</p>", world["bergen_curator"])
    LocalOwnership.objects.filter(gemeente=bergen).update(review_date=date(2020, 1, 1))
    Feedback.objects.create(gemeente=bergen, kind=Feedback.Kind.WRONG, origin=Feedback.Origin.WIDGET, entry=paspoort, field_name="costs")
    set_override(rijbewijs, roosendaal, "costs_nl", "<p>€ 45</p>", world["curator"])
    LocalOwnership.objects.filter(gemeente=roosendaal).update(review_date=date(2020, 1, 1))

    client.force_login(world["curator"])
    response = client.get(reverse(REPORT), {"scope": "roosendaal"})
    assert response.status_code == 200
    assert response.context["totals"]["overdue"] == 1 and response.context["totals"]["flagged"] == 0  # Roosendaal's own local text
    regional = response.context["regional"]
    assert (regional["overdue"], regional["due"], regional["flagged"]) == (1, 1, 1)
    assert [item.entry for item in response.context["items"]] == [rijbewijs]  # Bergen op Zoom's override is not listed
    html = response.content.decode()
    line = html[html.index('id="regional-totals"') : html.index("</p>", html.index('id="regional-totals"'))]
    assert "1 te laat · 1 binnen 30 dagen · 1 gemeld" in line and "<a " not in line  # totals, not links into the region's list
    assert "scope=regio" not in html and "Bergen op Zoom" not in html.split('id="regional-totals"')[1]
    assert client.get(reverse(REPORT), {"scope": "regio"}).status_code in DENIED
    # The same filters apply to both: with a theme nothing is in it, the region's totals say 0 too.
    theme = Theme.objects.create(name="Afval", slug="afval")
    filtered = client.get(reverse(REPORT), {"scope": "roosendaal", "theme": theme.pk}).context["regional"]
    assert (filtered["overdue"], filtered["due"], filtered["flagged"]) == (0, 0, 0)
    # The line is a municipal curator's: a regional curator has the region's own report, on the region or on a gemeente.
    client.force_login(world["regional"])
    assert client.get(reverse(REPORT), {"scope": "regio"}).context["regional"] is None
    as_region = client.get(reverse(REPORT), {"scope": "roosendaal"})
    assert as_region.status_code == 200 and as_region.context["totals"]["overdue"] == 1
    assert as_region.context["regional"] is None and 'id="regional-totals"' not in as_region.content.decode()
