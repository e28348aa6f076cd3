"""The daily roll-up of the management information (stuurinformatie/rollup.py):
the MI page reads complete days from it and today and yesterday from the
log, and shows exactly what it shows from the log alone — for random data,
for the region and each gemeente, as the real roles see it."""

import datetime
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from pdc.models import Theme
from stuurinformatie import demo, figures, rollup, views
from stuurinformatie.models import ContactOutcome, QueryDay, RolledUpDay, SearchDay
from tests.factories import make_gemeente, make_product, make_vac, municipal_curator, regional_curator
from zoeken.models import SearchQuery
from zoeken.reports import top_queries

pytestmark = pytest.mark.django_db
MI = "/admin/stuurinformatie/"
DAYS = 10
# Lower-case letters and digits only: the database's collation orders them as Python does.
QUERIES = ("paspoort", "paspoort2", "rijbewijs", "afvalkalender", "parkeren", "hond", "ab", "asdfjkl", "zzzz", "xkcdq")
O = ContactOutcome.Outcome


@pytest.fixture
def world():
    gemeenten = [make_gemeente("Roosendaal", slug="roosendaal"), make_gemeente("Bergen op Zoom", slug="bergen-op-zoom"), make_gemeente("Etten-Leur", slug="etten-leur")]
    theme = Theme.objects.create(name="Burgerzaken", slug="burgerzaken")
    passport = make_product(slug="paspoort", title_nl="Paspoort aanvragen")
    passport.themes.set([theme])
    passport.save()
    entries = [("product", passport.pk), ("product", make_product(slug="rijbewijs", title_nl="Rijbewijs").pk), ("vac", make_vac(slug="afval").pk)]
    return {"gemeenten": gemeenten, "entries": entries}


def moment(days_ago, second):
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    return datetime.datetime.combine(day, datetime.time(), timezone.get_current_timezone()) + datetime.timedelta(seconds=second)


def write(world, searches, outcomes):
    """Log rows at the given moments (bulk_create keeps created_at)."""
    gemeenten, entries = world["gemeenten"], world["entries"]
    clicks = ["", *(f"{name}:{pk}" for name, pk in entries), "product:999999"]
    with demo.own_timestamps(SearchQuery, ContactOutcome):
        SearchQuery.objects.bulk_create(
            SearchQuery(gemeente=gemeenten[g], origin="widget", query=q, normalised=q, result_count=n, backend="database",
                        clicked=clicks[c], created_at=moment(ago, second))
            for g, ago, second, q, n, c in searches
        )
        ContactOutcome.objects.bulk_create(
            ContactOutcome(gemeente=gemeenten[g], entry_kind=entries[e][0], entry_id=entries[e][1], outcome=outcome, created_at=moment(ago, second))
            for g, ago, second, e, outcome in outcomes
        )


def clear():
    SearchQuery.objects.all().delete()
    ContactOutcome.objects.all().delete()
    rollup.forget()


def periods():
    today = timezone.localdate()
    back = lambda n: today - datetime.timedelta(days=n)  # noqa: E731
    return [
        figures.Period(back(DAYS - 1), today),  # rolled-up days and live ones
        figures.Period(back(6), back(3)),  # rolled-up days only
        figures.Period(back(1), today),  # live days only
        figures.Period(back(40), back(4)),  # before the data, then rolled up
    ]


def page(scope, period):
    """Everything the MI page shows: tables (= the CSV), charts, key figures, and the region's totals."""
    return views.build(scope, period), views.region_totals(period)


second = st.one_of(st.sampled_from([0, 1, 86399]), st.integers(0, 86399))  # midnight on either side
searches = st.lists(
    st.tuples(st.integers(0, 2), st.integers(0, DAYS - 1), second, st.sampled_from(QUERIES), st.sampled_from([0, 0, 1, 7]), st.integers(0, 4)),
    max_size=60,
)
outcomes = st.lists(st.tuples(st.integers(0, 2), st.integers(0, DAYS - 1), second, st.integers(0, 2), st.sampled_from(list(O))), max_size=40)


@hsettings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(searches=searches, outcomes=outcomes, top=st.sampled_from([2, 3, 10]), entry_rows=st.sampled_from([1, 2, 25]))
def test_the_rolled_up_figures_are_the_logs_figures(world, searches, outcomes, top, entry_rows):
    clear()
    write(world, searches, outcomes)
    scopes = [figures.Scope(), *(figures.Scope(g) for g in world["gemeenten"])]
    # Small rankings, so the roll-up's candidates for a top list are put to the test.
    with mock.patch.object(figures, "TOP", top), mock.patch.object(figures, "ENTRY_ROWS", entry_rows):
        from_log = {(scope, period): page(scope, period) for scope in scopes for period in periods()}
        for (scope, period), shown in from_log.items():
            # The log alone gives the search report's own lists.
            raw = figures.searches(scope, period)
            assert figures.top_questions(scope, period) == top_queries(raw, limit=top)
            assert figures.top_zero_queries(scope, period) == top_queries(raw.filter(result_count=0), limit=top)
        rolled = rollup.roll_up()
        assert not rolled or max(rolled) == timezone.localdate() - datetime.timedelta(days=2)  # yesterday's searches can still be clicked
        for (scope, period), shown in from_log.items():
            assert page(scope, period) == shown, (scope, period)


def test_the_page_reads_whole_days_from_the_rollup_and_today_from_the_log(client, world):
    roosendaal, bergen, _ = world["gemeenten"]
    write(world, [(0, 5, 3600, "paspoort", 3, 1), (0, 5, 7200, "hond", 0, 0), (1, 5, 3600, "bergengeheim", 0, 0)],
          [(0, 5, 3600, 0, O.ANSWERED), (1, 5, 3600, 0, O.CALLBACK)])
    curator = municipal_curator(roosendaal)
    client.force_login(curator)
    before = client.get(MI).context
    call_command("roll_up_mi")
    assert SearchDay.objects.filter(gemeente=roosendaal).exists() and QueryDay.objects.filter(gemeente=None).exists()
    # The log of a rolled-up day is no longer read: the figures stay (from the roll-up).
    SearchQuery.objects.all().delete()
    ContactOutcome.objects.all().delete()
    after = client.get(MI).context
    assert after["tables"] == before["tables"] and after["regional"] == before["regional"]
    assert after["regional"]["outcomes"]["fcr"] == 50.0 and after["figures"]["outcomes"]["fcr"] == 100.0
    html = client.get(MI).content.decode()
    assert "hond" in html and "bergengeheim" not in html  # another gemeente's questions stay out of a curator's page
    for params in ({"gemeente": "bergen-op-zoom"}, {"gemeente": "regio"}, {"gemeente": "regio", "csv": "zonder-resultaat"}):
        response = client.get(MI, params)
        assert response.status_code == 403 or response["Location"] == "/admin/", params
    # Today comes from the log: a search now is on the page at once.
    SearchQuery.objects.create(gemeente=roosendaal, origin="widget", query="zwerfkat", normalised="zwerfkat", result_count=0, backend="database")
    assert "zwerfkat" in client.get(MI).content.decode()
    client.force_login(regional_curator())
    region = client.get(MI, {"gemeente": "regio"}).content.decode()
    assert "bergengeheim" in region and "zwerfkat" in region


def test_the_command_adds_only_missing_days_and_rebuilds_on_request(world, capsys):
    write(world, [(0, 4, 100, "paspoort", 1, 0), (1, 3, 100, "hond", 0, 0)], [])
    call_command("roll_up_mi")
    # From the first day with usage to the last complete one.
    assert sorted(RolledUpDay.objects.values_list("day", flat=True)) == figures.Period(
        timezone.localdate() - datetime.timedelta(days=4), timezone.localdate() - datetime.timedelta(days=2)
    ).days
    call_command("roll_up_mi")
    assert capsys.readouterr().out.splitlines()[-1] == "0 dag(en) opgeteld."
    SearchDay.objects.all().delete()  # as if the roll-up lost its rows
    call_command("roll_up_mi", "--rebuild")
    assert SearchDay.objects.filter(gemeente=None).count() == 2  # the two days with searches, for the region


def test_the_task_rolls_up_and_data_written_into_the_past_is_rolled_up_again(world):
    from stuurinformatie.rollup import roll_up_usage

    write(world, [(0, 3, 100, "paspoort", 1, 0)], [])
    roll_up_usage.enqueue()  # the immediate backend in tests; production's worker runs it
    assert RolledUpDay.objects.filter(day=timezone.localdate() - datetime.timedelta(days=3)).exists()
    demo.generate(world["gemeenten"][:1], 5, 3, 2, feedback=False)
    assert not RolledUpDay.objects.exists()  # those days changed: out of the roll-up until the next run
    period = figures.Period(timezone.localdate() - datetime.timedelta(days=4), timezone.localdate())
    expected = page(figures.Scope(), period)
    rollup.roll_up()
    assert page(figures.Scope(), period) == expected


def test_deleting_a_gemeente_takes_its_numbers_out_of_the_regions_rollup(world):
    write(world, [(2, 3, 100, "paspoort", 1, 0), (0, 3, 100, "hond", 1, 0)], [])
    rollup.roll_up()
    world["gemeenten"][2].delete()
    assert not RolledUpDay.objects.exists()
    rollup.roll_up()
    assert SearchDay.objects.get(gemeente=None, day=timezone.localdate() - datetime.timedelta(days=3)).searches == 1


def test_the_demos_synthetic_usage_is_never_in_the_future(world):
    from feedback.models import Feedback

    demo.generate(world["gemeenten"][:2], 2, 40, 20)
    now = timezone.now()
    for model in (SearchQuery, ContactOutcome, Feedback):
        assert model.objects.exists() and not model.objects.filter(created_at__gt=now).exists(), model.__name__
