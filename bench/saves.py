"""Benchmark: concurrent saves, with the content version on one row (as
before issue 16) and spread over slots (sharing/cache.py).

N threads each publish their own shared product again and again, as the
snippet editor's publish does (a revision, published, in one transaction;
every product has a local override, so the save also checks staleness).
Every content change replaces a content-version token in its transaction:
with one row each writer waits for the one before it to commit. Prints
saves/s and latency p50/p95 per mode and the ratio. Runs on a scratch test
database; meant for PostgreSQL (SQLite serialises every writer anyway):

    DATABASE_URL=postgres://… .venv/bin/python bench/saves.py [--threads 8] [--saves 30]
    WITH_ELASTICSEARCH=0 PYTHON=.venv/bin/python scripts/with-services.sh .venv/bin/python bench/saves.py

Background tasks go to the database backend, as in production (Wagtail's
admin-search and reference-index updates become rows for the worker; run
in the editor's transaction by the immediate backend, Wagtail's own index
updates deadlock each other once writers no longer wait for one another).
Search indexing is off (SEARCH_ENGINE=none): the outbox is an insert per
change and its drain runs after the commit, neither holds the version lock.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kennisbank.settings.test")
os.environ["SEARCH_ENGINE"] = "none"
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"

import django  # noqa: E402

django.setup()

from django.db import connection, connections, transaction  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from gemeenten.models import Gemeente  # noqa: E402
from pdc.models import Product, ProductOverride  # noqa: E402
from sharing import cache as content_cache  # noqa: E402


def build(threads):
    gemeente = Gemeente.objects.create(name="Bench", slug="bench-saves", cbs_code="9999", phone="14 0999")
    products = []
    for n in range(threads):
        product = Product(slug=f"bench-save-{n}", title_nl=f"Product {n}", summary_nl="Samenvatting", procedure_nl="<p>Maak een afspraak.</p>", live=True)
        product.save()
        ProductOverride.objects.create(entry=product, gemeente=gemeente, field_name="procedure_nl", value="<p>Lokaal.</p>", base_value=product.procedure_nl)
        products.append(product.pk)
    return products


def publish(product_id, n):
    """What the snippet editor's publish does, in one transaction."""
    with transaction.atomic():
        product = Product.objects.get(pk=product_id)
        product.summary_nl = f"Samenvatting {n}"
        product.procedure_nl = f"<p>Maak een afspraak ({n}).</p>"
        product.save_revision().publish()


def run(products, saves, slots):
    content_cache.SLOTS = slots
    latencies, errors = [], []
    start = threading.Barrier(len(products) + 1)

    def writer(product_id):
        try:
            start.wait()
            for n in range(saves):
                began = time.perf_counter()
                publish(product_id, n)
                latencies.append(time.perf_counter() - began)
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=writer, args=(pk,)) for pk in products]
    for worker in workers:
        worker.start()
    start.wait()
    began = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - began
    if errors:
        sys.exit(f"bench/saves.py: {len(errors)} failed saves, e.g. {errors[0]}")
    latencies.sort()
    return {
        "saves_per_s": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p95_ms": latencies[int(0.95 * (len(latencies) - 1))] * 1000,
        "saves": len(latencies),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--saves", type=int, default=30, help="saves per thread and mode")
    parser.add_argument("--rounds", type=int, default=2, help="alternating rounds per mode")
    args = parser.parse_args()

    if connection.vendor == "sqlite":
        sys.exit("bench/saves.py: SQLite lets one writer at a time in; set DATABASE_URL to a PostgreSQL database")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        products = build(args.threads)
        run(products, 3, content_cache.SLOTS)  # warm up: connections, caches
        modes = {"one row (before)": 1, f"{content_cache.SLOTS} slots (after)": content_cache.SLOTS}
        results = {name: [] for name in modes}
        for _ in range(args.rounds):
            for name, slots in modes.items():
                results[name].append(run(products, args.saves, slots))
    finally:
        connections.close_all()
        connection.creation.destroy_test_db(old_name, verbosity=0)

    print(f"{connection.vendor}, {args.threads} threads × {args.saves} publishes × {args.rounds} rounds per mode")
    summary = {}
    for name, rounds in results.items():
        summary[name] = {key: statistics.median(r[key] for r in rounds) for key in ("saves_per_s", "p50_ms", "p95_ms")}
        s = summary[name]
        print(f"  {name:<18} {s['saves_per_s']:7.1f} saves/s   p50 {s['p50_ms']:7.1f} ms   p95 {s['p95_ms']:7.1f} ms")
    before, after = summary.values()
    print(f"  ratio after/before: {after['saves_per_s'] / before['saves_per_s']:.2f}× saves/s, p95 {after['p95_ms'] / before['p95_ms']:.2f}×")


if __name__ == "__main__":
    main()
