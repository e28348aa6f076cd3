"""Contact outcomes (the widget's one click, through the agent API) and the
management information page: the first-contact resolution, the tenant
rules, the CSV export and the SVG charts."""

import csv
import datetime
import io
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Feedback
from gemeenten.models import Role
from pdc.models import Theme
from sharing.overrides import set_override
from stuurinformatie import figures
from stuurinformatie.models import ContactOutcome
from tests.factories import make_gemeente, make_product, make_user, make_vac, municipal_curator, regional_curator
from widget.models import WidgetToken
from zoeken.models import SearchQuery

pytestmark = pytest.mark.django_db
URL = "/api/v1/agent/contactuitkomsten"
MI = "/admin/stuurinformatie/"
O = ContactOutcome.Outcome


@pytest.fixture
def world():
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal")
    bergen = make_gemeente("Bergen op Zoom", slug="bergen-op-zoom")
    burgerzaken = Theme.objects.create(name="Burgerzaken", slug="burgerzaken")
    afval = Theme.objects.create(name="Afval", slug="afval")
    passport = make_product(slug="paspoort", title_nl="Paspoort aanvragen", handling_level="volledige afhandeling")
    passport.themes.set([burgerzaken])
    passport.save()  # a ParentalManyToManyField is written on save
    grofvuil = make_vac(slug="grofvuil", question_nl="Hoe laat ik grofvuil ophalen?")
    grofvuil.themes.set([afval])
    grofvuil.save()
    local = make_product(slug="kluis", title_nl="Documentenkluis", gemeente=bergen, handling_level="doorverwijzen")
    return {"roosendaal": roosendaal, "bergen": bergen, "passport": passport, "grofvuil": grofvuil, "local": local,
            "burgerzaken": burgerzaken, "afval": afval}


def post(client, body, **headers):
    return client.post(URL, body, content_type="application/json", **headers)


def body(gemeente, entry, outcome="answered"):
    return {"gemeente": gemeente.slug, "entry": {"kind": "product" if entry.__class__.__name__ == "Product" else "vac", "id": entry.pk}, "outcome": outcome}


def record(gemeente, entry, outcome, n=1, days_ago=0):
    kind = "product" if entry.__class__.__name__ == "Product" else "vac"
    at = timezone.now() - datetime.timedelta(days=days_ago)
    for _ in range(n):
        item = ContactOutcome.objects.create(gemeente=gemeente, entry_kind=kind, entry_id=entry.pk, outcome=outcome)
        ContactOutcome.objects.filter(pk=item.pk).update(created_at=at)


# The outcome API ---------------------------------------------------------------


def test_an_agent_records_an_outcome_with_a_session_or_a_widget_token(client, world):
    roosendaal, passport = world["roosendaal"], world["passport"]
    assert post(client, body(roosendaal, passport)).status_code == 401
    agent = make_user(Role.AGENT, roosendaal)
    token, _ = WidgetToken.objects.issue(agent, "https://kcs.example")
    response = post(client, body(roosendaal, passport, "transfer_failed"), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201, response.content
    client.force_login(agent)
    assert post(client, body(roosendaal, passport, "copied")).status_code == 201
    rows = list(ContactOutcome.objects.order_by("pk").values_list("gemeente__slug", "entry_kind", "entry_id", "outcome"))
    assert rows == [("roosendaal", "product", passport.pk, "transfer_failed"), ("roosendaal", "product", passport.pk, "copied")]
    assert post(client, body(roosendaal, passport), HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401


def test_an_outcome_is_only_for_the_agents_own_gemeente_and_an_entry_it_sees(client, world):
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    assert post(client, body(world["bergen"], world["passport"])).status_code == 403
    assert post(client, body(world["roosendaal"], world["local"])).status_code == 404  # Bergen op Zoom's own entry
    curator = municipal_curator(world["bergen"])
    client.force_login(curator)
    assert post(client, body(world["bergen"], world["local"])).status_code == 201
    assert ContactOutcome.objects.count() == 1


@pytest.mark.parametrize(
    "payload",
    [
        {"gemeente": "roosendaal", "entry": {"kind": "product", "id": 1}, "outcome": "happy"},
        {"gemeente": "roosendaal", "entry": {"kind": "nonsense", "id": 1}, "outcome": "answered"},
        {"gemeente": "roosendaal", "entry": {"kind": "product", "id": -1}, "outcome": "answered"},
        {"gemeente": "roosendaal", "outcome": "answered"},
        {"gemeente": "../x", "entry": {"kind": "product", "id": 1}, "outcome": "answered"},
        {"gemeente": "roosendaal", "entry": {"kind": "product", "id": 1}, "outcome": "answered", "caller": "06-12345678"},
        [],
        "{",
    ],
)
def test_invalid_outcomes_are_400_and_store_nothing(client, world, payload):
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    response = post(client, payload)
    assert response.status_code == 400 and set(response.json()) == {"error"}
    assert not ContactOutcome.objects.exists()


def test_outcomes_take_json_only_and_are_rate_limited(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "contact-outcome": "2/m"}
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    good = body(world["roosendaal"], world["passport"])
    assert client.post(URL, good).status_code == 415  # a form post
    assert [post(client, good).status_code for _ in range(3)] == [201, 201, 429]
    assert ContactOutcome.objects.count() == 2


def test_the_operation_is_in_the_openapi_document(client, world):
    document = client.get("/api/v1/openapi.json").json()
    operation = document["paths"]["/agent/contactuitkomsten"]["post"]
    assert set(operation["responses"]) >= {"201", "400", "401", "403", "429"}


# First-contact resolution -------------------------------------------------------------


def test_first_contact_resolution_counts_answered_of_all_outcomes_not_copies(world):
    roosendaal, passport, grofvuil = world["roosendaal"], world["passport"], world["grofvuil"]
    record(roosendaal, passport, O.ANSWERED, 8)
    record(roosendaal, passport, O.TRANSFERRED, 1)
    record(roosendaal, passport, O.CALLBACK, 1)
    record(roosendaal, passport, O.COPIED, 5)  # use, not an outcome
    record(roosendaal, grofvuil, O.ANSWERED, 1)
    record(roosendaal, grofvuil, O.REFERRED, 2)
    record(roosendaal, grofvuil, O.TRANSFER_FAILED, 1)
    record(world["bergen"], passport, O.CALLBACK, 4)  # another gemeente
    record(roosendaal, passport, O.CALLBACK, 3, days_ago=60)  # before the period
    scope, period = figures.Scope(roosendaal), figures.Period(timezone.localdate() - datetime.timedelta(days=29), timezone.localdate())
    totals = figures.outcome_counts(scope, period)
    assert totals["contacts"] == 14 and totals["fcr"] == round(100 * 9 / 14, 1)
    per_entry = figures.outcomes_per_entry(scope, period)
    assert [(r["title"], r["contacts"], r["fcr"]) for r in figures.fcr_per_entry(per_entry)] == [
        ("Paspoort aanvragen", 10, 80.0), ("Hoe laat ik grofvuil ophalen?", 4, 25.0)
    ]
    assert [(r["theme"], r["fcr"]) for r in figures.fcr_per_theme(per_entry)] == [("Burgerzaken", 80.0), ("Afval", 25.0)]
    region = figures.outcome_counts(figures.Scope(), period)
    assert region["contacts"] == 18 and region["fcr"] == 50.0
    used = figures.most_used_answers(scope, period, per_entry)
    assert used[0]["title"] == "Paspoort aanvragen" and used[0]["copied"] == 5 and used[0]["contacts"] == 10


def test_no_outcomes_is_no_rate_rather_than_zero(world):
    period = figures.Period(timezone.localdate(), timezone.localdate())
    assert figures.outcome_counts(figures.Scope(world["roosendaal"]), period)["fcr"] is None


# The MI page --------------------------------------------------------------------------


@pytest.fixture
def usage(world):
    roosendaal, bergen = world["roosendaal"], world["bergen"]
    for gemeente, query, results in ((roosendaal, "paspoort", 3), (roosendaal, "hondenpoep", 0), (bergen, "geheime bergen-vraag", 0)):
        SearchQuery.objects.create(gemeente=gemeente, origin="widget", query=query, normalised=query, result_count=results, backend="database")
    record(roosendaal, world["passport"], O.ANSWERED, 4)
    record(bergen, world["passport"], O.CALLBACK, 4)
    Feedback.objects.create(gemeente=roosendaal, kind=Feedback.Kind.WRONG, origin=Feedback.Origin.WIDGET, entry=world["passport"])
    Feedback.objects.create(gemeente=roosendaal, kind=Feedback.Kind.NOT_HELPFUL, origin=Feedback.Origin.SITE, entry=world["grofvuil"])
    return world


def test_a_municipal_curator_sees_their_gemeente_and_only_the_regions_totals(client, usage):
    client.force_login(municipal_curator(usage["roosendaal"]))
    page = client.get(MI)
    assert page.status_code == 200
    html = page.content.decode()
    assert "hondenpoep" in html and "geheime bergen-vraag" not in html
    assert "Ter vergelijking: de hele regio" in html
    assert page.context["regional"]["outcomes"]["fcr"] == 50.0 and page.context["figures"]["outcomes"]["fcr"] == 100.0
    for params in ({"gemeente": "bergen-op-zoom"}, {"gemeente": "regio"}, {"gemeente": "bergen-op-zoom", "csv": "zonder-resultaat"}, {"gemeente": "atlantis"}):
        assert refused(client.get(MI, params)), params
    assert '<option value="bergen-op-zoom"' not in html and '<option value="regio"' not in html


def refused(response):
    """Wagtail answers PermissionDenied in the admin with a redirect to the dashboard and a message."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] == "/admin/")


def test_a_regional_curator_sees_the_region_and_every_gemeente(client, usage):
    client.force_login(regional_curator())
    region = client.get(MI).content.decode()
    assert "hondenpoep" in region and "geheime bergen-vraag" in region
    bergen = client.get(MI, {"gemeente": "bergen-op-zoom"})
    assert "geheime bergen-vraag" in bergen.content.decode() and "hondenpoep" not in bergen.content.decode()


def test_agents_and_users_without_a_curator_role_get_no_mi(client, usage):
    client.force_login(make_user(Role.AGENT, usage["roosendaal"]))
    assert refused(client.get(MI)) and refused(client.get(MI, {"csv": "zonder-resultaat"}))
    client.logout()
    assert client.get(MI)["Location"].startswith("/admin/login/")


def test_the_period_limits_the_figures_and_a_bad_period_says_so(client, usage):
    SearchQuery.objects.filter(query="hondenpoep").update(created_at=timezone.now() - datetime.timedelta(days=100))
    client.force_login(municipal_curator(usage["roosendaal"]))
    assert "hondenpoep" not in client.get(MI).content.decode()
    since = (timezone.localdate() - datetime.timedelta(days=120)).isoformat()
    assert "hondenpoep" in client.get(MI, {"van": since}).content.decode()
    wrong = client.get(MI, {"van": "2026-05-01", "tot": "2026-04-01"})
    assert wrong.status_code == 200 and "De begindatum ligt na de einddatum." in wrong.content.decode()


def test_every_table_exports_as_csv(client, usage):
    client.force_login(municipal_curator(usage["roosendaal"]))
    page = client.get(MI)
    for key, table in page.context["tables"].items():
        response = client.get(MI, {"csv": key})
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert rows[0] == table.headers and len(rows) == len(table.rows) + 1
    zero = list(csv.reader(io.StringIO(client.get(MI, {"csv": "zonder-resultaat"}).content.decode())))
    assert zero == [["Zoekvraag", "Aantal"], ["hondenpoep", "1"]]
    assert client.get(MI, {"csv": "nope"}).status_code == 404


def test_csv_cells_that_look_like_formulas_are_quoted(client, usage):
    SearchQuery.objects.create(gemeente=usage["roosendaal"], origin="site", query="=HYPERLINK(1)", normalised="=hyperlink(1) zoek", result_count=0, backend="database")
    client.force_login(municipal_curator(usage["roosendaal"]))
    text = client.get(MI, {"csv": "zonder-resultaat"}).content.decode()
    assert "'=hyperlink(1) zoek" in text and "\n=hyperlink" not in text


def test_the_charts_are_svg_with_their_values_as_text(client, usage):
    client.force_login(municipal_curator(usage["roosendaal"]))
    html = client.get(MI).content.decode()
    svgs = [html[start : html.index("</svg>", start) + 6] for start in _find_all(html, "<svg class=\"mi-chart\"")]
    assert len(svgs) >= 5
    for svg in svgs:
        root = ET.fromstring(svg)  # well-formed, with a title for screen readers
        assert root.get("role") == "img" and root.find("{http://www.w3.org/2000/svg}title").text
        for attribute in ("x", "y", "width", "cx", "points"):
            for node in root.iter():
                assert "," not in (node.get(attribute) or "") or attribute == "points", "coordinates are not localised"
    outcomes = next(svg for svg in svgs if "mi-outcomes" in svg)
    assert "zelf beantwoord" in outcomes and ">4<" in outcomes  # the value as text, not only a bar length
    assert "url(#mi-outcomes-hatch)" in outcomes  # categories differ in pattern, not only colour
    theme = next(svg for svg in svgs if "mi-fcr-theme" in svg)
    assert "doel 80%" in theme and "100%" in theme


def _find_all(text, needle):
    start = text.find(needle)
    while start != -1:
        yield start
        start = text.find(needle, start + 1)


def test_freshness_and_coverage_per_gemeente(client, usage):
    roosendaal, bergen, passport = usage["roosendaal"], usage["bergen"], usage["passport"]
    today = timezone.localdate()
    type(passport).objects.filter(pk=passport.pk).update(review_date=today - datetime.timedelta(days=1))
    type(usage["grofvuil"]).objects.filter(pk=usage["grofvuil"].pk).update(review_date=today + datetime.timedelta(days=30))
    set_override(passport, roosendaal, "handling_level", "intake", regional_curator())
    fresh = {row["kind"]: row for row in figures.freshness(figures.Scope(roosendaal))}
    assert (fresh["Producten"]["overdue"], fresh["Producten"]["total"]) == (1, 1)  # Bergen's own product is not Roosendaal's
    assert (fresh["Vragen en antwoorden"]["on_time"], fresh["Vragen en antwoorden"]["overdue"]) == (1, 0)
    [products] = figures.coverage(figures.Scope())
    rows = dict(products["rows"])
    levels = products["levels"]
    assert rows["Roosendaal"][levels.index("intake")] == 1 and rows["Roosendaal"][levels.index("volledige afhandeling")] == 0
    assert rows["Bergen op Zoom"][levels.index("volledige afhandeling")] == 1 and rows["Bergen op Zoom"][levels.index("doorverwijzen")] == 1


def test_flags_by_status_and_age(usage):
    flag = Feedback.objects.get(kind=Feedback.Kind.WRONG)
    Feedback.objects.filter(pk=flag.pk).update(created_at=timezone.now() - datetime.timedelta(days=10))
    Feedback.objects.create(gemeente=usage["roosendaal"], kind=Feedback.Kind.MISSING, origin=Feedback.Origin.WIDGET, query="zwerfkat")
    period = figures.Period(timezone.localdate() - datetime.timedelta(days=29), timezone.localdate())
    rows = figures.flags(figures.Scope(usage["roosendaal"]), period)
    assert sum(row["total"] for row in rows) == 2
    assert [sum(ages) for ages in zip(*(row["ages"] for row in rows))] == [1, 1, 0]
