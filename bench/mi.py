"""Benchmark: the management information page (stuurinformatie) with 50
gemeenten × 90 days of synthetic usage, about 1 million search log rows.

Times the whole admin request server-side (Django test client, no network)
for the region (a regional curator) and for one gemeente (a municipal
curator: its figures plus the region's totals). Target: under 1 second.
The complete days are rolled up first (stuurinformatie/rollup.py, timed);
today and yesterday come from the log, as in production.
--without-rollup times the page on the log alone.
Runs on a scratch test database (SQLite by default; set DATABASE_URL for
PostgreSQL, e.g. via scripts/with-services.sh):

    .venv/bin/python bench/mi.py [--gemeenten 50] [--days 90] [--searches 278] [--repeat 5]

--searches is per gemeente per working day; weekends get 30%, so the
default gives about 1 million rows for 50 gemeenten over 90 days."""

import argparse
import datetime
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kennisbank.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402

from gemeenten.models import Gemeente  # noqa: E402
from kennis.models import VAC  # noqa: E402
from pdc.models import Product, Theme  # noqa: E402
from stuurinformatie import demo, rollup  # noqa: E402
from tests.factories import municipal_curator, regional_curator  # noqa: E402
from zoeken.models import SearchQuery  # noqa: E402

THEMES = ("Burgerzaken", "Afval", "Belastingen", "Zorg en WMO", "Bouwen en wonen", "Parkeren")
LEVELS = ("informatie", "intake", "volledige afhandeling", "doorverwijzen")


def build_content(gemeenten, products=300, vacs=200):
    Gemeente.objects.bulk_create(
        [Gemeente(name=f"Benchgemeente {n:02d}", slug=f"bench-{n:02d}", cbs_code=f"{8000 + n:04d}", phone="14 0999") for n in range(1, gemeenten + 1)]
    )
    themes = Theme.objects.bulk_create([Theme(name=name, slug=f"bench-{n}") for n, name in enumerate(THEMES)])
    Product.objects.bulk_create(
        [Product(slug=f"bench-p{n}", title_nl=f"Product {n}", live=True, handling_level=LEVELS[n % 4]) for n in range(products)]
    )
    VAC.objects.bulk_create([VAC(slug=f"bench-v{n}", question_nl=f"Vraag {n}?", answer_nl="<p>Antwoord</p>", live=True) for n in range(vacs)])
    for model in (Product, VAC):
        through = model.themes.through
        source = model._meta.get_field("themes").m2m_field_name() + "_id"
        through.objects.bulk_create([through(**{source: pk, "theme_id": themes[pk % len(themes)].pk}) for pk in model.objects.values_list("pk", flat=True)])


def analyse():
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # as autovacuum would have: statistics and the visibility map


def timed_page(client, params, repeat):
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get("/admin/stuurinformatie/", params)
        timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    return statistics.median(timings), min(timings)


def breakdown(days):
    """Milliseconds of each figure of the region's page over the whole period (one run)."""
    from stuurinformatie import figures

    region = figures.Scope()
    period = figures.Period(timezone.localdate() - datetime.timedelta(days=days - 1), timezone.localdate())
    per_entry = figures.outcomes_per_entry(region, period)
    steps = [
        ("per day", lambda: figures.searches_per_day(region, period)),
        ("top questions", lambda: figures.top_questions(region, period)),
        ("zero-result", lambda: figures.top_zero_queries(region, period)),
        ("outcomes", lambda: (figures.outcome_counts(region, period), figures.outcomes_per_entry(region, period))),
        ("per theme", lambda: figures.fcr_per_theme(per_entry)),
        ("most used", lambda: figures.most_used_answers(region, period, per_entry)),
        ("feedback", lambda: (figures.helpfulness(region, period), figures.flags(region, period))),
        ("freshness+coverage", lambda: (figures.freshness(region), figures.coverage(region))),
    ]
    timings = []
    for name, step in steps:
        start = time.perf_counter()
        step()
        timings.append((name, (time.perf_counter() - start) * 1000))
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gemeenten", type=int, default=50)
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--searches", type=int, default=278, help="per gemeente per working day")
    parser.add_argument("--outcomes", type=int, default=30, help="contact outcomes per gemeente per working day")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--without-rollup", action="store_true", help="time the page on the search log alone")
    args = parser.parse_args()
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        load_before = os.getloadavg()
        build_content(args.gemeenten)
        gemeenten = list(Gemeente.objects.order_by("pk"))
        start = time.perf_counter()
        written = demo.generate(gemeenten, args.days, args.searches, args.outcomes, log=lambda line: print(line, file=sys.stderr, flush=True))
        generated = time.perf_counter() - start
        rolled_days, built = [], 0.0
        if not args.without_rollup:
            start = time.perf_counter()
            rolled_days = rollup.roll_up()
            built = time.perf_counter() - start
        analyse()
        print(f"generated {written['searches']:,} searches, {written['outcomes']:,} contact outcomes, {written['feedback']:,} feedback items in {generated:.0f} s")
        print(f"search log rows in the database: {SearchQuery.objects.count():,}")
        print(f"roll-up: {len(rolled_days)} complete days in {built:.1f} s ({built / max(1, len(rolled_days)) * 1000:.0f} ms a day)")
        client = Client()
        client.force_login(regional_curator())
        period = {"van": (timezone.localdate() - datetime.timedelta(days=args.days - 1)).isoformat()}
        cases = [
            ("region, last 30 days (default)", client, {}),
            (f"region, {args.days} days", client, period),
        ]
        curator = Client()
        curator.force_login(municipal_curator(gemeenten[0]))
        cases += [
            ("one gemeente + region totals, last 30 days", curator, {}),
            (f"one gemeente + region totals, {args.days} days", curator, period),
        ]
        client.get("/admin/stuurinformatie/")  # warm up: templates, URL resolver
        results = [(label, *timed_page(c, params, args.repeat)) for label, c, params in cases]
        parts = breakdown(args.days)
        load_after = os.getloadavg()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"database: {connection.vendor}; {args.gemeenten} gemeenten × {args.days} days; MI page, server-side, {args.repeat} runs each")
    print(f"{'case':<48} {'median ms':>10} {'best ms':>8}")
    for label, median, best in results:
        print(f"{label:<48} {median * 1000:>10.0f} {best * 1000:>8.0f}")
    print("region, full period, per figure (ms): " + ", ".join(f"{name} {ms:.0f}" for name, ms in parts))
    worst = max(median for _, median, _ in results)
    print(f"slowest median: {worst * 1000:.0f} ms (target < 1000 ms): {'OK' if worst < 1 else 'TOO SLOW'}")
    print(f"machine load (1/5/15 min) before {load_before[0]:.1f}/{load_before[1]:.1f}/{load_before[2]:.1f}, after {load_after[0]:.1f}/{load_after[1]:.1f}/{load_after[2]:.1f}; {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
