"""Benchmark: resolve 1,000 entries for one gemeente with 3 and with 342
gemeenten in the database (every gemeente overriding some fields).

The claim under test: resolution cost does not grow with the number of
tenants. Runs on a scratch test database (SQLite by default; set
DATABASE_URL for PostgreSQL):

    .venv/bin/python bench/resolution.py [--entries 1000] [--repeat 5]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kennisbank.settings.test")

import django  # noqa: E402

django.setup()

from django.db import connection, reset_queries  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from tqdm import tqdm  # noqa: E402

from gemeenten.models import Gemeente  # noqa: E402
from pdc.models import Product, ProductOverride  # noqa: E402
from sharing.models import Variable, VariableValue  # noqa: E402
from sharing.resolution import AGENT, resolve_many, visible_queryset  # noqa: E402

PROCEDURE = "<p>Maak een afspraak via {{ url.afspraak }} en neem uw oude paspoort mee. Kosten: {{ leges.paspoort }}.</p>"


def build(entries, gemeenten):
    Variable.objects.bulk_create(
        [Variable(key="leges.paspoort", kind="money", label="leges"), Variable(key="url.afspraak", kind="url", label="afspraak")]
    )
    leges, url = Variable.objects.order_by("key")
    Gemeente.objects.bulk_create(
        [Gemeente(name=f"Gemeente {n}", slug=f"g{n}", cbs_code=f"{n:04d}", phone="14 0999") for n in range(1, gemeenten + 1)]
    )
    all_gemeenten = list(Gemeente.objects.all())
    VariableValue.objects.bulk_create(
        [VariableValue(variable=leges, gemeente=g, value=f"{70 + g.pk % 15}.05") for g in all_gemeenten]
        + [VariableValue(variable=url, gemeente=g, value=f"https://{g.slug}.example/afspraak") for g in all_gemeenten]
    )
    Product.objects.bulk_create(
        [
            Product(slug=f"p{n}", title_nl=f"Product {n}", summary_nl="Samenvatting", procedure_nl=PROCEDURE, costs_nl="<p>{{ leges.paspoort }}</p>", live=True)
            for n in range(entries)
        ]
    )
    products = list(Product.objects.all())
    overrides = []
    for g in tqdm(all_gemeenten, desc=f"overrides for {gemeenten} gemeenten", file=sys.stderr):
        # Every gemeente overrides the procedure of one entry in ten.
        overrides += [
            ProductOverride(entry=p, gemeente=g, field_name="procedure_nl", value=f"<p>Lokaal {g.slug}</p>", base_value=PROCEDURE)
            for p in products[g.pk % 10 :: 10]
        ]
        if len(overrides) > 20_000:
            ProductOverride.objects.bulk_create(overrides)
            overrides = []
    ProductOverride.objects.bulk_create(overrides)
    return all_gemeenten[0]


def measure(gemeente, repeat):
    timings = []
    for _ in range(repeat):
        reset_queries()
        start = time.perf_counter()
        resolved = resolve_many(visible_queryset(Product, gemeente), gemeente, channel=AGENT)
        timings.append(time.perf_counter() - start)
    return timings, len(resolved), len(connection.queries)


def run(entries, gemeenten, repeat):
    from django.db import transaction

    with transaction.atomic():
        gemeente = build(entries, gemeenten)
        timings, count, queries = measure(gemeente, repeat)
        overrides = ProductOverride.objects.count()
        transaction.set_rollback(True)
    return {"gemeenten": gemeenten, "overrides": overrides, "resolved": count, "queries": queries,
            "median_s": statistics.median(timings), "best_s": min(timings)}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_test_environment()
    from django.conf import settings

    settings.DEBUG = True  # count queries
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        results = [run(args.entries, n, args.repeat) for n in (3, 342)]
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"database: {connection.vendor}; {args.entries} entries resolved for one gemeente (agent channel), {args.repeat} runs")
    print(f"{'gemeenten':>10} {'overrides':>10} {'resolved':>9} {'queries':>8} {'median ms':>10} {'best ms':>8} {'µs/entry':>9}")
    for r in results:
        print(f"{r['gemeenten']:>10} {r['overrides']:>10} {r['resolved']:>9} {r['queries']:>8} {r['median_s'] * 1000:>10.1f} {r['best_s'] * 1000:>8.1f} {r['median_s'] * 1e6 / r['resolved']:>9.0f}")
    print(f"ratio 342/3 (median): {results[1]['median_s'] / results[0]['median_s']:.2f}")


if __name__ == "__main__":
    main()
