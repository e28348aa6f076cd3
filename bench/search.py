"""Benchmark: agent search latency and throughput, Wagtail and engine alongside.

The agent search endpoint side by side with Wagtail's own opensearch3
backend and with the raw engine query (the floor), plus the time of a full
index rebuild and of a base-edit re-index.

Loads the demo content (optionally scaled to N gemeenten with synthetic
ones), builds the indexes under a dedicated prefix, serves the app with
gunicorn on loopback and fires a fixed number of requests at 15 and 50
concurrent clients. Needs PostgreSQL and OpenSearch:

    scripts/with-services.sh .venv/bin/python bench/search.py --gemeenten 3
    scripts/with-services.sh .venv/bin/python bench/search.py --gemeenten 50

or, against services that are already running, with DATABASE_URL,
SEARCH_ENGINE=opensearch and SEARCH_ENGINE_URL set. The database is
written to (demo content, synthetic gemeenten, a benchmark agent, one
product edited and restored): use a scratch database. Indexes are created
under the prefix --index-prefix (default kennisbank-bench) only.

Clients are closed-loop (each sends its next request as soon as the last
one is answered, no think time), so once the engine is saturated latency
≈ clients ÷ throughput. Run it on an otherwise idle machine.

Figures go to stdout and to bench/results/search-<N>.json."""

import argparse
import copy
import json
import os
import platform
import random
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GOALS_P95_MS = {3: 50.0, 50: 100.0}  # agent search p95, server side, at 15 clients
GOAL_REBUILD_3_S = 60.0
GOAL_CONCURRENCY = 15
OVERRIDE_RATE = 0.10  # share of a synthetic gemeente's overridable fields it overrides
GOAL_REBUILD_S = 300.0  # issue 15: full rebuild at 342 gemeenten
GOAL_EDIT_VISIBLE_S = 5.0  # issue 15: a shared edit searchable in every gemeente
GOAL_P95_RATIO = 1.5  # issue 15: agent search p95 at N gemeenten ÷ p95 at 3, same run


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--gemeenten", type=int, default=3, help="number of gemeenten (3 demo + N-3 synthetic; default 3)")
    parser.add_argument("--concurrency", default="15,50", help="comma-separated numbers of concurrent clients (default 15,50)")
    parser.add_argument("--requests", type=int, default=600, help="measured requests per target and concurrency (default 600)")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean pause of each client after an answer, in ms (default 0: closed loop, the worst case; "
        "e.g. 1000 for people who send about one request a second)",
    )
    parser.add_argument("--warmup", type=int, default=60, help="unmeasured requests per target before each run (default 60)")
    parser.add_argument("--warmup-seconds", type=float, default=20.0, help="seconds of unmeasured load per target before the first run, to warm the engine's JVM (default 20)")
    parser.add_argument("--time-cap", type=float, default=180.0, help="seconds after which a run stops early (default 180)")
    parser.add_argument("--skip-load", action="store_true", help="reuse the demo content already in the database")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=8, help="gunicorn threads per worker (default 8)")
    parser.add_argument("--index-prefix", default="kennisbank-bench", help="index prefix for this benchmark (default kennisbank-bench)")
    parser.add_argument("--breakdown", type=int, default=132, help="queries for the sequential in-process breakdown (0: skip; default 132)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the request order (default 1)")
    parser.add_argument(
        "--compare-at-3",
        type=int,
        default=2,
        metavar="ROUNDS",
        help="with more than 3 gemeenten: also index the 3 demo gemeenten alone (own prefix, own gunicorn) and measure our agent "
        "endpoint at 3 and at N gemeenten alternately, ROUNDS times each, at 15 clients (0: skip; default 2)",
    )
    parser.add_argument(
        "--index-timeout",
        type=float,
        default=30.0,
        help="engine timeout in seconds for this process (rebuild, re-index, breakdown; default 30). The served app keeps "
        "SEARCH_ENGINE_TIMEOUT (2 s by default), which a rebuild on a busy machine can exceed",
    )
    args = parser.parse_args()
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    if args.gemeenten < 3:
        parser.error("--gemeenten must be at least 3 (the demo gemeenten)")
    if not args.concurrency or min(args.concurrency) < 1 or args.requests < 1:
        parser.error("--concurrency and --requests must be positive")
    return args


ARGS = parse_args()
# Before Django reads its settings: the demo settings with debug off (no
# query log), this benchmark's own index prefix, loopback hosts.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kennisbank.settings.dev")
os.environ["DEBUG"] = "0"
os.environ["SEARCH_INDEX_PREFIX"] = ARGS.index_prefix
os.environ["BENCH_WAGTAIL_INDEX_PREFIX"] = f"{ARGS.index_prefix}-wagtail-"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
os.environ.setdefault("LOG_LEVEL", "WARNING")
sys.path.insert(0, str(BASE_DIR))

from bench.harness import (  # noqa: E402  (shared with bench/pages.py)
    DEMO_SLUGS,
    SYNTHETIC_PREFIX,
    HttpTarget,
    Server,
    _round,
    bench_session,
    check_database_is_ours,
    code_version,
    compare,
    fail,
    ratio,
    fmt,
    load_demo,
    percentile,
    print_goals,
    print_notes,
    request_plan,
    run_load,
    summarise,
    timed_rebuild,
    write_results,
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import override_settings  # noqa: E402
from tqdm import tqdm  # noqa: E402

SERVED_ENGINE_TIMEOUT = settings.SEARCH_ENGINE_TIMEOUT  # what gunicorn's workers use
settings.SEARCH_ENGINE_TIMEOUT = ARGS.index_timeout  # this process: indexing and the breakdown


def engine_threads():
    """The engine's search thread pool: how many queries it runs at once."""
    from zoeken.engine import get_client

    try:
        nodes = get_client().nodes.info(metric="os,thread_pool")["nodes"]
        node = next(iter(nodes.values()))
        pool = node["thread_pool"]["search"]
        return {"allocated_processors": node["os"].get("allocated_processors"), "search_threads": pool.get("size") or pool.get("max"), "search_queue": pool.get("queue_size")}
    except Exception as exc:  # informative only
        return {"error": repr(exc)}


def check_services():
    if settings.SEARCH_ENGINE != "opensearch":
        fail(
            f"SEARCH_ENGINE is {settings.SEARCH_ENGINE!r}; this benchmark needs an OpenSearch node "
            "(SEARCH_ENGINE=opensearch SEARCH_ENGINE_URL=http://…). Run it as: "
            "scripts/with-services.sh .venv/bin/python bench/search.py"
        )
    from zoeken.engine import get_client

    import logging

    quiet = logging.getLogger("opensearch")
    level, quiet.level = quiet.level, logging.CRITICAL  # our message instead of the client's traceback
    try:
        info = get_client().info()
    except Exception as exc:
        fail(f"the search engine at {settings.SEARCH_ENGINE_URL} is not reachable: {exc.__class__.__name__}: {exc}")
    finally:
        quiet.setLevel(level)
    if connection.vendor != "postgresql":
        fail(
            f"the database is {connection.vendor}; set DATABASE_URL to a scratch PostgreSQL database "
            "(scripts/with-services.sh does). SQLite cannot take concurrent writes from gunicorn."
        )
    try:
        connection.ensure_connection()
    except Exception as exc:
        fail(f"the database is not reachable: {exc!r}")
    return f"{info['version'].get('distribution', 'elasticsearch')} {info['version']['number']}"


# ---------------------------------------------------------------- content


def scale_gemeenten(count):
    """Exactly `count` gemeenten: the 3 demo ones plus synthetic copies of
    Roosendaal's variables and opening hours (no site: search needs none)."""
    from gemeenten.models import Gemeente, Location, OpeningHours
    from sharing.models import VariableValue

    missing = [slug for slug in DEMO_SLUGS if not Gemeente.objects.filter(slug=slug).exists()]
    if missing:
        fail(f"demo gemeenten missing ({', '.join(missing)}); run without --skip-load")
    wanted = [f"{SYNTHETIC_PREFIX}{n:03d}" for n in range(4, count + 1)]
    with override_settings(SEARCH_ENGINE="none"), transaction.atomic():
        Gemeente.objects.filter(slug__startswith=SYNTHETIC_PREFIX).exclude(slug__in=wanted).delete()
        existing = set(Gemeente.objects.filter(slug__in=wanted).values_list("slug", flat=True))
        template = Gemeente.objects.get(slug="roosendaal")
        new = [
            Gemeente(
                name=f"Benchgemeente {slug[len(SYNTHETIC_PREFIX):]}",
                slug=slug,
                cbs_code=f"{9000 + int(slug[len(SYNTHETIC_PREFIX):]):04d}",
                inhabitants=30000,
                phone="14 0999",
                email=f"info@{slug}.example",
                visiting_address=f"Raadhuisplein 1, {slug}",
            )
            for slug in wanted
            if slug not in existing
        ]
        Gemeente.objects.bulk_create(new)
        created = list(Gemeente.objects.filter(slug__in=[g.slug for g in new]))
        values = list(VariableValue.objects.filter(gemeente=template))
        VariableValue.objects.bulk_create(
            [VariableValue(variable_id=v.variable_id, gemeente=g, value=v.value, valid_from=v.valid_from) for g in created for v in values]
        )
        for location in template.locations.all():
            copies = Location.objects.bulk_create(
                [Location(gemeente=g, name=location.name, address=location.address, sort_order=location.sort_order) for g in created]
            )
            hours = list(location.opening_hours.all())
            OpeningHours.objects.bulk_create(
                [OpeningHours(location=c, weekday=h.weekday, opens=h.opens, closes=h.closes, sort_order=h.sort_order) for c in copies for h in hours]
            )
    add_overrides(created)
    gemeenten = list(Gemeente.objects.order_by("pk"))
    if len(gemeenten) != count:
        fail(f"expected {count} gemeenten in the database, found {len(gemeenten)}")
    return gemeenten


def add_overrides(gemeenten, rate=OVERRIDE_RATE):
    """Each new synthetic gemeente overrides about `rate` of the overridable
    fields of the shared entries (Dutch column): text gets a local sentence,
    a yes/no field the opposite, other fields (links, choices) their own
    base value. Written against the current base (base_value), as the field
    editor does, so an edit flags only the overrides of the edited field as
    stale. Deterministic per gemeente."""
    from sharing.kinds import kinds

    total = 0
    with override_settings(SEARCH_ENGINE="none"), tqdm(total=len(gemeenten), desc="synthetic overrides", unit="gemeente", file=sys.stderr, leave=False) as bar:
        entries = {kind: list(kind.model.objects.filter(live=True, gemeente__isnull=True).order_by("pk")) for kind in kinds()}
        for gemeente in gemeenten:
            pick = random.Random(gemeente.slug)
            rows = [
                kind.override_model(entry=entry, gemeente=gemeente, field_name=column, value=value, base_value=getattr(entry, column))
                for kind, items in entries.items()
                for entry in items
                for name in kind.model.overridable_fields
                if pick.random() < rate
                for column, value in [local_value(entry, name, gemeente)]
            ]
            for kind in entries:
                kind.override_model.objects.bulk_create([row for row in rows if isinstance(row, kind.override_model)], batch_size=2000)
            total += len(rows)
            bar.update(1)
    return total


def local_value(entry, name, gemeente):
    column = entry.columns_of(name)[0]  # the Dutch column of a translated field
    base = getattr(entry, column)
    if isinstance(base, bool):
        return column, not base
    if name in entry.rich_text_fields:
        return column, f"{base or ''}<p>In {gemeente.name} gaat dit anders: kom langs op het gemeentehuis.</p>"
    if name in entry.translated_fields:
        return column, f"{base or ''} ({gemeente.name})".strip()
    return column, base


# ---------------------------------------------------------------- indexing


def wagtail_rebuild():
    """Wagtail's own index of Product and VAC (one document per base entry),
    the way its update_index command builds it."""
    from wagtail.search.backends import get_search_backend

    from bench.search_urls import WAGTAIL_BACKEND, install_wagtail_backend
    from kennis.models import VAC
    from pdc.models import Product

    install_wagtail_backend()
    backend = get_search_backend(WAGTAIL_BACKEND)
    started, count = time.perf_counter(), 0
    for model in (Product, VAC):
        rebuilder = backend.rebuilder_class(backend.get_index_for_model(model))
        index = rebuilder.start()
        index.add_model(model)
        objects = list(model.get_indexed_objects().order_by("pk"))
        for start in range(0, len(objects), 1000):
            index.add_items(model, objects[start : start + 1000])
        count += len(objects)
        rebuilder.finish()
    return {"seconds": round(time.perf_counter() - started, 2), "documents": count}


def count_marked(client, channel, entry_id, marker):
    from zoeken.indexing import alias

    body = {"query": {"bool": {"filter": [{"term": {"entry_id": entry_id}}, {"term": {"kind": "product"}}, {"match": {"summary.exact": marker}}]}}}
    return client.count(index=alias(channel), body=body)["count"]


def base_edit_reindex(gemeenten, slug="paspoort"):
    """Edit one shared product's summary, apply the outbox, and wait until
    every gemeente's document (both channels) is searchable with the new
    text; then restore the summary the same way."""
    from pdc.models import Product
    from sharing.resolution import CHANNELS
    from zoeken import outbox
    from zoeken.engine import get_client
    from zoeken.indexing import documents_across
    from zoeken.models import IndexTask

    client = get_client()
    product = Product.objects.filter(slug=slug, gemeente__isnull=True).first()
    if product is None:
        return {"error": f"no shared product {slug!r}"}
    original = product.summary_nl
    marker = "benchmerk" + "".join(random.choice("bcdfghjklmnpqrstvwxz") for _ in range(8))
    samples = []
    for label, summary, token in (("edit", f"{original} {marker}", marker), ("restore", original, None)):
        outbox.process()  # nothing of ours pending before we start
        first_task = (IndexTask.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
        started = time.perf_counter()
        with outbox.deferred():  # apply explicitly below, timed
            product.summary_nl = summary
            product.save()
        saved = time.perf_counter()
        tasks = IndexTask.objects.filter(pk__gt=first_task).count()
        applied, remaining = outbox.process()
        processed = time.perf_counter()
        pk = product.pk
        expected = {}
        for channel in CHANNELS:
            expected[channel] = sum(
                1 for _, document in documents_across(Product, [product], gemeenten, channel) if document and (token or marker) in document["summary"]
            )
        # Wait (without forcing a refresh) until the engine shows the change;
        # the time spent computing `expected` above is not counted.
        target = expected if token else {channel: 0 for channel in CHANNELS}
        poll_started = time.perf_counter()
        while True:
            seen = {channel: count_marked(client, channel, pk, marker) for channel in CHANNELS}
            if seen == target or time.perf_counter() - poll_started > 30:
                break
            time.sleep(0.05)
        visible = (processed - started) + (time.perf_counter() - poll_started)
        samples.append(
            {
                "step": label,
                "save_s": round(saved - started, 3),
                "outbox_tasks": tasks,
                "applied": applied,
                "remaining": remaining,
                "process_s": round(processed - saved, 3),
                "visible_s": round(visible, 3),
                "documents_expected": target,
                "documents_seen": seen,
                "complete": seen == target,
            }
        )
    return {"product": slug, "gemeenten": len(gemeenten), "samples": samples}


# ---------------------------------------------------------------- requests


def raw_bodies(pairs, gemeenten):
    """The exact body the service sends, per distinct (query, gemeente)."""
    from sharing.resolution import AGENT
    from zoeken.query import search_body
    from zoeken.service import synonyms_for
    from zoeken.text import content_words

    by_slug = {g.slug: g for g in gemeenten}
    bodies = {}
    for text, slug in set(pairs):
        words = " ".join(content_words(text))  # none: the service sends no search
        bodies[(text, slug)] = search_body(words, synonyms_for(words, by_slug[slug]), slug, channel=AGENT) if words else None
    return bodies


class RawTarget:
    """The service's engine request, straight to OpenSearch."""

    name = "raw"

    def __init__(self, bodies, pool):
        from opensearchpy import OpenSearch

        from sharing.resolution import AGENT
        from zoeken.indexing import alias

        self.bodies, self.index = bodies, alias(AGENT)
        self.client = OpenSearch(hosts=[settings.SEARCH_ENGINE_URL], timeout=30, max_retries=0, pool_maxsize=max(10, pool))

    def send(self, pair):
        body = self.bodies[pair]
        if body is None:
            return True, 0.0, ""
        try:
            response = self.client.search(index=self.index, body=body)
        except Exception as exc:
            return False, None, exc.__class__.__name__
        return True, float(response["took"]), ""

    def close(self):
        pass


def agent_check(body):
    backend = json.loads(body).get("backend")
    return "" if backend == "opensearch" else f"answered by {backend}"


# ---------------------------------------------------------------- breakdown


SEARCH_TOOK = "engine took: the search (both requests when a typo is likely)"
ENGINE_VARIANTS = (
    "engine took: body as sent (first request)",
    "engine took: without highlight",
    "engine took: without fuzziness",
    "engine took: without either",
)


def engine_variants(body):
    """The service's body, and the same without highlighting and/or without
    fuzzy matching: which part of the query costs the engine's time."""
    def without_highlight(b):
        b.pop("highlight", None)
        return b

    def without_fuzziness(b):
        for clause in b["query"]["bool"]["must"][0]["boosting"]["positive"]["bool"]["must"][0]["bool"]["should"]:
            clause.get("multi_match", {}).pop("fuzziness", None)
            clause.get("multi_match", {}).pop("prefix_length", None)
        return b

    return {
        ENGINE_VARIANTS[0]: body,
        ENGINE_VARIANTS[1]: without_highlight(copy.deepcopy(body)),
        ENGINE_VARIANTS[2]: without_fuzziness(copy.deepcopy(body)),
        ENGINE_VARIANTS[3]: without_fuzziness(without_highlight(copy.deepcopy(body))),
    }


def breakdown(pairs, gemeenten, count):
    """Where the time of one agent search goes, in-process and sequential
    (no HTTP, no concurrency): the stages of zoeken.service.search."""
    from sharing.resolution import AGENT
    from zoeken import service
    from zoeken.text import content_words, normalise

    by_slug = {g.slug: g for g in gemeenten}
    stages = {name: [] for name in ("service.search total", "synonyms_for", "promoted_hits", "engine_search (body + request + hits)")}
    stages.update({name: [] for name in ENGINE_VARIANTS})
    stages[SEARCH_TOOK] = []
    distinct = list(dict.fromkeys(pairs))[:count]
    for text, slug in distinct:  # warm up
        service.search(text, by_slug[slug], channel=AGENT)
    from zoeken.engine import get_client
    from zoeken.indexing import alias
    from zoeken.query import likely_typos, search_body

    for text, slug in tqdm(distinct, desc="in-process breakdown", file=sys.stderr, leave=False):
        gemeente = by_slug[slug]
        started = time.perf_counter()
        service.search(text, gemeente, channel=AGENT)
        stages["service.search total"].append((time.perf_counter() - started) * 1000)
        words = " ".join(content_words(text))  # none: the service sends no search
        if not words:
            continue
        request = service.Request(gemeente, AGENT)
        started = time.perf_counter()
        alternatives = service.synonyms_for(words, gemeente)
        stages["synonyms_for"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        service.promoted_hits(normalise(text), request)
        stages["promoted_hits"].append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        service.engine_search(words, alternatives, request)
        stages["engine_search (body + request + hits)"].append((time.perf_counter() - started) * 1000)
        body = search_body(words, alternatives, slug, channel=AGENT)
        for name, variant in engine_variants(body).items():
            stages[name].append(float(get_client().search(index=alias(AGENT), body=variant)["took"]))
        # What a search costs the engine: the first request, plus the fuzzy one when it finds a likely typo.
        first = get_client().search(index=alias(AGENT), body=body)
        took = float(first["took"])
        typos = likely_typos(first, words)
        if typos:
            took += float(get_client().search(index=alias(AGENT), body=search_body(words, alternatives, slug, channel=AGENT, typos=typos))["took"])
        stages[SEARCH_TOOK].append(took)
    return {name: {"n": len(v), "p50": _round(percentile(v, 50)), "p95": _round(percentile(v, 95)), "mean": _round(statistics.fmean(v) if v else None)} for name, v in stages.items()}


# ---------------------------------------------------------------- output


TARGET_LABELS = {
    "ours": "ours: agent endpoint",
    "wagtail": "wagtail opensearch3 (HTTP)",
    "raw": "raw engine query (floor)",
}


def print_configuration(config):
    print()
    print(
        f"== {config['gemeenten']} gemeenten, {config['concurrency']} concurrent clients, {think(config)}, {config['requests']} requests per target "
        f"(load average after: {config['load_average_1min_after']:.2f}) =="
    )
    print(f"{'target':<28} {'ok':>5} {'err':>4} {'db':>4} | {'client p50':>10} {'p95':>7} {'p99':>7} | {'server p50':>10} {'p95':>7} {'p99':>7} | {'req/s':>7}")
    for key in ("ours", "wagtail", "raw"):
        r = config["targets"][key]
        c, s = r["client_ms"], r["server_ms"]
        print(
            f"{TARGET_LABELS[key]:<28} {r['ok']:>5} {r['errors']:>4} {r['fallbacks']:>4} | {fmt(c['p50'], 10)} {fmt(c['p95'])} {fmt(c['p99'])} | "
            f"{fmt(s['p50'], 10)} {fmt(s['p95'])} {fmt(s['p99'])} | {fmt(r['throughput_rps'])}"
        )
    for name, ratios in config["ratios"].items():
        print(
            f"{name:<28} {'':>5} {'':>4} {'':>4} | {fmt(ratios['client_p50'], 9, 2)}x {fmt(ratios['client_p95'], 6, 2)}x {fmt(ratios['client_p99'], 6, 2)}x | "
            f"{fmt(ratios['server_p50'], 9, 2)}x {fmt(ratios['server_p95'], 6, 2)}x {fmt(ratios['server_p99'], 6, 2)}x | {fmt(ratios['throughput'], 6, 2)}x"
        )
    print_notes(config, TARGET_LABELS)


def think(config):
    return f"think time {config['think_ms']:.0f} ms" if config["think_ms"] else "closed loop"


def config_ratios(targets):
    return {f"ours ÷ {other}": compare(targets["ours"], targets[other]) for other in ("wagtail", "raw")}


def goals(gemeenten, configs, rebuild):
    checks = []
    goal = GOALS_P95_MS.get(gemeenten)
    if goal is None:
        goal = GOALS_P95_MS[3] if gemeenten <= 3 else GOALS_P95_MS[50]
    for config in configs:
        if config["concurrency"] == GOAL_CONCURRENCY:
            p95 = config["targets"]["ours"]["server_ms"]["p95"]
            fallbacks = config["targets"]["ours"]["fallbacks"]
            checks.append(
                {
                    "goal": f"agent search p95 server-side ≤ {goal:.0f} ms at {GOAL_CONCURRENCY} clients, {gemeenten} gemeenten"
                    + (f" ({fallbacks} answers came from the database fallback)" if fallbacks else ""),
                    "value": p95,
                    "met": p95 is not None and p95 <= goal,
                }
            )
    if gemeenten == 3:
        checks.append({"goal": f"full rebuild of 3 gemeenten < {GOAL_REBUILD_3_S:.0f} s", "value": rebuild["seconds"], "met": rebuild["seconds"] < GOAL_REBUILD_3_S})
    return checks


def override_rate():
    """Overrides of the synthetic gemeenten against their overridable fields."""
    from gemeenten.models import Gemeente
    from sharing.kinds import kinds

    synthetic = Gemeente.objects.filter(slug__startswith=SYNTHETIC_PREFIX).count()
    counts = {"overrides": 0, "fields": 0}
    for kind in kinds():
        counts["overrides"] += kind.override_model.objects.filter(gemeente__slug__startswith=SYNTHETIC_PREFIX).count()
        counts["fields"] += synthetic * len(kind.model.overridable_fields) * kind.model.objects.filter(live=True, gemeente__isnull=True).count()
    return counts


def country_goals(gemeenten, rebuild, reindex, at_3):
    """Issue 15's targets for many gemeenten (342 in the issue)."""
    checks = [{"goal": f"full rebuild of {gemeenten} gemeenten ≤ {GOAL_REBUILD_S:.0f} s", "value": rebuild["seconds"], "met": rebuild["seconds"] <= GOAL_REBUILD_S}]
    for sample in reindex.get("samples", []):
        checks.append(
            {
                "goal": f"a shared edit ({sample['step']}) searchable in all {gemeenten} gemeenten ≤ {GOAL_EDIT_VISIBLE_S:.0f} s",
                "value": sample["visible_s"],
                "met": sample["complete"] and sample["visible_s"] <= GOAL_EDIT_VISIBLE_S,
            }
        )
    if at_3:
        ratio_p95 = at_3["ratio_server_p95"]
        checks.append(
            {
                "goal": f"agent search server p95 at {gemeenten} gemeenten ≤ {GOAL_P95_RATIO}× the p95 at 3 (same run, {GOAL_CONCURRENCY} clients)",
                "value": ratio_p95,
                "met": ratio_p95 is not None and ratio_p95 <= GOAL_P95_RATIO,
            }
        )
    return checks


def build_index_of_3(gemeenten, prefix):
    """The 3 demo gemeenten alone, under their own index prefix (the outbox
    is not involved: it serves the main prefix)."""
    from zoeken.indexing import _build_and_swap, entry_models

    steps = 3 * 2 * len(entry_models())
    with override_settings(SEARCH_INDEX_PREFIX=prefix), tqdm(total=steps, desc="index of the 3 demo gemeenten", unit="step", file=sys.stderr, leave=False) as bar:
        started = time.perf_counter()
        counts = _build_and_swap(gemeenten[:3], bar.update)
    return {"prefix": prefix, "seconds": round(time.perf_counter() - started, 2), "documents": counts}


def compare_at_3(gemeenten, server_n, cookie, rounds):
    """Our agent endpoint on the index of 3 gemeenten and on the index of
    all N, alternately (3, N, 3, N …) at 15 clients, each served by its own
    gunicorn (both running, so both share the machine alike)."""
    from urllib.parse import urlencode

    prefix = f"{ARGS.index_prefix}-g3"
    index = build_index_of_3(gemeenten, prefix)
    print(f"index of the 3 demo gemeenten alone (prefix {prefix}): {index['seconds']:.1f} s, documents {index['documents']}")
    server_3 = Server(ARGS.workers, ARGS.threads, env={"SEARCH_INDEX_PREFIX": prefix})
    try:
        server_3.wait_ready()
        path = lambda q, g: f"/api/v1/agent/gemeenten/{g}/zoeken?{urlencode({'q': q, 'channel': 'widget'})}"  # noqa: E731
        targets = {3: HttpTarget("ours@3", server_3.port, path, cookie, agent_check), len(gemeenten): HttpTarget("ours@N", server_n.port, path, cookie, agent_check)}
        plans = {3: request_plan(gemeenten[:3], ARGS.requests, ARGS.seed)[0], len(gemeenten): request_plan(gemeenten, ARGS.requests, ARGS.seed)[0]}
        run_load(targets[3], plans[3] * 50, ARGS.workers * ARGS.threads, ARGS.warmup_seconds, label="warm-up ours@3")
        measured = {n: ([], [], {}, 0.0) for n in targets}
        for round_ in range(rounds):
            for n, target in targets.items():
                client_ms, server_ms, notes, wall = run_load(target, plans[n], GOAL_CONCURRENCY, ARGS.time_cap, label=f"ours@{n} ×{GOAL_CONCURRENCY} round {round_ + 1}")
                acc = measured[n]
                acc[0].extend(client_ms), acc[1].extend(server_ms)
                for note, count in notes.items():
                    acc[2][note] = acc[2].get(note, 0) + count
                measured[n] = (acc[0], acc[1], acc[2], acc[3] + wall)
    finally:
        server_3.stop()
    summaries = {n: summarise(*values, len(plans[n]) * rounds) for n, values in measured.items()}
    small, large = summaries[3], summaries[len(gemeenten)]
    return {
        "index_of_3": index,
        "rounds": rounds,
        "at_3": small,
        "at_n": large,
        "ratio_server_p95": ratio(large["server_ms"]["p95"], small["server_ms"]["p95"]),
        "ratio_server_p50": ratio(large["server_ms"]["p50"], small["server_ms"]["p50"]),
        "ratio_throughput": ratio(large["throughput_rps"], small["throughput_rps"]),
    }


def print_compare_at_3(gemeenten, at_3):
    print()
    print(f"== our agent endpoint at 3 and at {gemeenten} gemeenten, same run, alternately ({at_3['rounds']} rounds each), {GOAL_CONCURRENCY} clients, closed loop ==")
    print(f"{'index':<28} {'ok':>5} {'err':>4} {'db':>4} | {'client p50':>10} {'p95':>7} | {'server p50':>10} {'p95':>7} {'p99':>7} | {'req/s':>7}")
    for label, r in (("3 gemeenten", at_3["at_3"]), (f"{gemeenten} gemeenten", at_3["at_n"])):
        c, s = r["client_ms"], r["server_ms"]
        print(f"{label:<28} {r['ok']:>5} {r['errors']:>4} {r['fallbacks']:>4} | {fmt(c['p50'], 10)} {fmt(c['p95'])} | {fmt(s['p50'], 10)} {fmt(s['p95'])} {fmt(s['p99'])} | {fmt(r['throughput_rps'])}")
    print(f"{gemeenten} ÷ 3: server p50 {at_3['ratio_server_p50']}×, server p95 {at_3['ratio_server_p95']}×, throughput {at_3['ratio_throughput']}×")


# ---------------------------------------------------------------- main


def main():
    engine = check_services()
    started_at = datetime.now(timezone.utc)
    print(f"search benchmark, {started_at:%Y-%m-%d %H:%M} UTC: {ARGS.gemeenten} gemeenten, concurrency {ARGS.concurrency}, {ARGS.requests} requests per target")
    print(f"engine: {engine} at {settings.SEARCH_ENGINE_URL}; index prefix {settings.SEARCH_INDEX_PREFIX}; database: {connection.vendor} {connection.settings_dict.get('NAME')}")
    threads = engine_threads()
    if "error" not in threads:
        print(f"engine: {threads['allocated_processors']} processors, search thread pool {threads['search_threads']} threads, queue {threads['search_queue']}")
    code = code_version()
    print(f"code: {code['checkout']} at commit {code['commit']}" + (f", with uncommitted changes to {', '.join(code['modified'])}" if code["modified"] else ""))
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, Python {platform.python_version()}; "
        f"gunicorn {ARGS.workers} workers × {ARGS.threads} threads on loopback (engine timeout {SERVED_ENGINE_TIMEOUT:g} s; "
        f"{ARGS.index_timeout:g} s for indexing here)"
    )

    if ARGS.skip_load:
        check_database_is_ours()
        print("content: reusing the database (--skip-load)")
    else:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        check_database_is_ours()
        print(f"content: {load_demo()} (migrate + load_demo {time.perf_counter() - started:.1f} s)")
    started = time.perf_counter()
    gemeenten = scale_gemeenten(ARGS.gemeenten)
    from kennis.models import VAC
    from pdc.models import Product

    print(
        f"gemeenten: {len(gemeenten)} ({len(gemeenten) - 3} synthetic, {time.perf_counter() - started:.1f} s); "
        f"entries: {Product.objects.count()} products, {VAC.objects.count()} VACs"
    )
    overrides = override_rate()
    if overrides["fields"]:
        print(
            f"synthetic gemeenten's overrides: {overrides['overrides']} of {overrides['fields']} overridable fields of the shared entries "
            f"({100 * overrides['overrides'] / overrides['fields']:.1f}%)"
        )

    rebuild = timed_rebuild(gemeenten, f"full rebuild, {len(gemeenten)} gemeenten")
    print(f"full rebuild (zoeken.indexing.rebuild, both channels): {rebuild['seconds']:.1f} s, documents {rebuild['documents']}")
    wagtail_index = wagtail_rebuild()
    print(f"wagtail opensearch3 index of Product + VAC (base entries only): {wagtail_index['seconds']:.1f} s, {wagtail_index['documents']} documents")
    reindex = base_edit_reindex(gemeenten)
    for sample in reindex.get("samples", []):
        print(
            f"base edit re-index ({sample['step']} summary of shared product {reindex['product']!r}): save {sample['save_s']:.2f} s, "
            f"outbox.process {sample['process_s']:.2f} s for {sample['outbox_tasks']} task(s), searchable in all "
            f"{len(gemeenten)} gemeenten after {sample['visible_s']:.2f} s"
            + ("" if sample["complete"] else f"  (INCOMPLETE: expected {sample['documents_expected']}, seen {sample['documents_seen']})")
        )
    if "error" in reindex:
        print(f"base edit re-index: {reindex['error']}")

    cookie = bench_session()
    max_concurrency = max(ARGS.concurrency)
    pairs, query_count = request_plan(gemeenten, ARGS.requests, ARGS.seed)
    warm_pairs, _ = request_plan(gemeenten, ARGS.warmup, ARGS.seed + 1)
    bodies = raw_bodies(pairs + warm_pairs, gemeenten)
    print(f"requests: {query_count} queries of tests/relevance/queries.json, {len(set(pairs))} distinct (query, gemeente) pairs, shuffled (seed {ARGS.seed})")

    from urllib.parse import urlencode

    server = Server(ARGS.workers, ARGS.threads)
    results = []
    breakdown_figures = at_3 = None
    try:
        server.wait_ready()
        targets = {
            "ours": HttpTarget(
                "ours", server.port, lambda q, g: f"/api/v1/agent/gemeenten/{g}/zoeken?{urlencode({'q': q, 'channel': 'widget'})}", cookie, agent_check
            ),
            "wagtail": HttpTarget("wagtail", server.port, lambda q, g: f"/bench/wagtail-search/{g}?{urlencode({'q': q})}", cookie),
            "raw": RawTarget(bodies, max(max_concurrency, ARGS.workers * ARGS.threads)),  # the warm-up runs workers × threads clients
        }
        # A freshly started engine answers several times slower until its JIT
        # has compiled the query path: load every target for a while first.
        for key, target in targets.items():
            run_load(target, pairs * 50, ARGS.workers * ARGS.threads, ARGS.warmup_seconds, label=f"warm-up {key}")
        for concurrency in ARGS.concurrency:
            measured = {}
            for key, target in targets.items():
                run_load(target, warm_pairs, concurrency, ARGS.time_cap)
                client_ms, server_ms, notes, wall = run_load(
                    target, pairs, concurrency, ARGS.time_cap, label=f"{key} ×{concurrency}", think_ms=ARGS.think_ms
                )
                measured[key] = summarise(client_ms, server_ms, notes, wall, len(pairs))
            config = {
                "gemeenten": len(gemeenten),
                "concurrency": concurrency,
                "think_ms": ARGS.think_ms,
                "requests": len(pairs),
                "load_average_1min_after": round(os.getloadavg()[0], 2),
                "targets": measured,
            }
            config["ratios"] = config_ratios(measured)
            results.append(config)
            print_configuration(config)
        if ARGS.breakdown:
            breakdown_figures = breakdown(pairs, gemeenten, ARGS.breakdown)
        if len(gemeenten) > 3 and ARGS.compare_at_3:
            at_3 = compare_at_3(gemeenten, server, cookie, ARGS.compare_at_3)
            print_compare_at_3(len(gemeenten), at_3)
    finally:
        server.stop()
        server_log = server.log_summary()
    print()
    print(
        f"gunicorn log ({server_log['log']}): {server_log['lines']} lines; engine failures answered from the database: "
        f"{server_log['engine_failed_fell_back_to_database']}; 'Connection pool is full, discarding connection' "
        f"(opensearch-py clients): {server_log['opensearch_client_pool_full_discarding_connection']}; tracebacks: {server_log['tracebacks']}"
    )

    print()
    print("client = wall time per request at the load generator (its own Python threads share the 2 cores with")
    print("gunicorn, PostgreSQL and OpenSearch); server = the endpoint's Server-Timing search;dur (the time inside")
    print("zoeken.service.search, or inside the Wagtail view's two backend searches), and the engine's own 'took'")
    print("for the raw query. Wagtail's backend indexes base entries only (title, summary, keywords / question,")
    print("keywords; one document per entry), with no per-gemeente resolution, overrides, variables, synonyms,")
    print("promotions, agent notes, fuzzy matching or highlighting; it runs one query per model (Product, VAC), loads")
    print("the hits from the database, and uses one backend per worker process (Wagtail's own views build one per")
    print("request). The raw query is the exact body zoeken sends (words, synonyms, gemeente filter), sent by the")
    print("load generator with opensearch-py. db = answers from the database fallback (engine failed or breaker open).")

    if breakdown_figures:
        print()
        print(f"in-process breakdown of zoeken.service.search (agent channel, sequential, {breakdown_figures['service.search total']['n']} distinct queries):")
        print(f"  {'stage':<40} {'p50 ms':>7} {'p95 ms':>7} {'mean':>7}")
        for name, figures in breakdown_figures.items():
            print(f"  {name:<40} {fmt(figures['p50'])} {fmt(figures['p95'])} {fmt(figures['mean'])}")

    checks = goals(len(gemeenten), results, rebuild)
    if len(gemeenten) > 3:
        checks += country_goals(len(gemeenten), rebuild, reindex, at_3)
    print()
    print_goals(checks)
    write_results(
        f"search-{len(gemeenten)}",
        ARGS.think_ms,
        {
            "started_at": started_at.isoformat(),
            "arguments": vars(ARGS),
            "engine": engine,
            "engine_threads": threads,
            "code": code,
            "cpu_count": os.cpu_count(),
            "gunicorn": {"workers": ARGS.workers, "threads": ARGS.threads},
            "entries": {"products": Product.objects.count(), "vacs": VAC.objects.count()},
            "rebuild": rebuild,
            "wagtail_index": wagtail_index,
            "base_edit_reindex": reindex,
            "synthetic_overrides": overrides,
            "compare_at_3": at_3,
            "configurations": results,
            "breakdown": breakdown_figures,
            "server_log": server_log,
            "goals": checks,
        },
    )


if __name__ == "__main__":
    main()
