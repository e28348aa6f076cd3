"""Benchmark: product pages and the widget's API calls, server-side latency at 20 clients.

Issue 5. Measures the p50/p95/p99 server-side time and the throughput of
(1) the product pages of the municipal websites and (2) the JSON calls the
agent widget makes: an answer (agent detail), the top questions, the agent
search it types into, and the agent list. Alongside, as the comparison:

  plain page   the same product served the way a plain Wagtail site would
               serve it as an ordinary page: Site lookup, root page, one
               row by slug, the same layout and rich text, but the shared
               base text as is (no overrides, variables, related lists or
               feedback form); see bench/pages_urls.py
  floor        the widget script through the same stack: every middleware,
               a view that returns bytes from memory, no database

Server-side time is the `Server-Timing: app;dur=` header of
kennisbank.middleware.ServerTimingMiddleware (on with SERVER_TIMING=1,
which this script sets for the gunicorn it starts): the time from the
outermost middleware in to the response out. Client time is measured too.

Loads the demo content (idempotent; --skip-load to reuse it), serves the
app with gunicorn on loopback (bench.pages_urls; 4 sync workers, as in the
README's production command) and fires a fixed number of requests per
target at 20 concurrent clients (closed loop: each client sends its next
request as soon as the last one is answered).

The product page and the plain page are measured in the same runs, their
requests interleaved (the same products, in a random order per pair), so
that both meet the same load: twice, (1) right after a content change (a
product and a VAC saved again, as a publish does; no warm-up, so each page's
first request computes it) and (2) steady (after a warm-up that opens every
page once, as between two changes). Every other target has a run of its own.

    .venv/bin/python bench/pages.py                        # SQLite scratch file, database search
    scripts/with-services.sh .venv/bin/python bench/pages.py   # PostgreSQL and OpenSearch

Without DATABASE_URL it uses its own SQLite file under bench/results/ (never
db.sqlite3). With DATABASE_URL, use a scratch database: the demo content,
a benchmark agent and its session, and search-log rows are written. With
SEARCH_ENGINE set, the indexes are rebuilt under --index-prefix first. Run
it on an otherwise idle machine; a smoke run: --requests 20 --warmup 0.

Figures go to stdout and to bench/results/pages-<database>.json."""

import argparse
import gzip
import json
import os
import platform
import random
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
GOAL_P95_MS = 100.0  # server side, at GOAL_CONCURRENCY clients
GOAL_CONCURRENCY = 20
GOAL_SCRIPT_BYTES = 50_000  # the widget script, uncompressed
TARGETS = ("page", "plain", "detail", "top", "search", "list", "floor")
MEASURED = ("page", "page_after_change", "detail", "top", "search", "list")  # held to the p95 goal
LABELS = {
    "page_after_change": "product page, after a change",
    "plain_after_change": "plain page, same run",
    "page": "product page (website)",
    "plain": "plain Wagtail-style page",
    "detail": "agent detail (answer)",
    "top": "agent top questions",
    "search": "agent search (as typed)",
    "list": "agent list (page of 20)",
    "floor": "floor: widget script",
}


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--concurrency", default=str(GOAL_CONCURRENCY), help=f"comma-separated numbers of concurrent clients (default {GOAL_CONCURRENCY})")
    parser.add_argument("--requests", type=int, default=600, help="measured requests per target and concurrency (default 600)")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=0.0,
        help="mean pause of each client after an answer, in ms (default 0: closed loop, the worst case; "
        "e.g. 1000 for people who send about one request a second)",
    )
    parser.add_argument("--warmup", type=int, default=60, help="unmeasured requests per target before each run (default 60)")
    parser.add_argument("--time-cap", type=float, default=180.0, help="seconds after which a run stops early (default 180)")
    parser.add_argument("--targets", default=",".join(TARGETS), help=f"comma-separated subset of {','.join(TARGETS)} (default all)")
    parser.add_argument("--skip-load", action="store_true", help="reuse the demo content already in the database")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4, as in the README's production command)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (default 1: sync workers, as in production; bench/search.py uses 2 × 8)")
    parser.add_argument("--index-prefix", default="kennisbank-bench-pages", help="index prefix when SEARCH_ENGINE is set (default kennisbank-bench-pages)")
    parser.add_argument("--seed", type=int, default=1, help="seed for the request order (default 1)")
    args = parser.parse_args()
    args.concurrency = [int(c) for c in args.concurrency.split(",") if c.strip()]
    args.targets = [t.strip() for t in args.targets.split(",") if t.strip()]
    unknown = set(args.targets) - set(TARGETS)
    if unknown:
        parser.error(f"unknown targets {', '.join(sorted(unknown))}; choose from {', '.join(TARGETS)}")
    if not args.concurrency or min(args.concurrency) < 1 or args.requests < 1 or args.warmup < 0:
        parser.error("--concurrency and --requests must be positive")
    return args


ARGS = parse_args()
# Before Django reads its settings: the demo settings with debug off (no
# query log), Server-Timing on, the municipal sites' hosts, our own index
# prefix, and a scratch SQLite file unless a database is given.
SCRATCH_SQLITE = BASE_DIR / "bench" / "results" / "pages-demo.sqlite3"
if not os.environ.get("DATABASE_URL"):
    SCRATCH_SQLITE.parent.mkdir(parents=True, exist_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{SCRATCH_SQLITE}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kennisbank.settings.dev")
os.environ["DEBUG"] = "0"
os.environ["SERVER_TIMING"] = "1"
os.environ["SEARCH_INDEX_PREFIX"] = ARGS.index_prefix
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost,.localhost"
os.environ.setdefault("LOG_LEVEL", "WARNING")
sys.path.insert(0, str(BASE_DIR))

from bench.harness import (  # noqa: E402  (shared with bench/search.py)
    HttpTarget,
    InterleavedTargets,
    Server,
    bench_session,
    check_database_is_ours,
    code_version,
    compare,
    fail,
    fmt,
    interleave,
    load_demo,
    print_goals,
    print_notes,
    request_plan,
    run_load,
    timed_rebuild,
    write_results,
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402


# ---------------------------------------------------------------- set-up


def search_backend():
    """'database', or the engine's version once the bench indexes are built."""
    if settings.SEARCH_ENGINE == "none":
        return "database"
    from zoeken.engine import get_client

    try:
        info = get_client().info()
    except Exception as exc:
        fail(f"SEARCH_ENGINE is {settings.SEARCH_ENGINE!r} but {settings.SEARCH_ENGINE_URL} is not reachable: {exc.__class__.__name__}: {exc}")
    return f"{info['version'].get('distribution', 'elasticsearch')} {info['version']['number']}"


def plans(gemeenten, total, seed):
    """The request items of every target, `total` each, shuffled. Product
    pages: every product with written text (a description) that each
    gemeente publishes; answers: those products and every active VAC, as
    the agent of that gemeente sees them."""
    from django.db.models import Q

    from kennis.models import VAC
    from pdc.models import Product
    from sharing.resolution import AGENT, PUBLIC, resolve_many, visible_queryset

    written = Q(description_nl__isnull=False) & ~Q(description_nl="")
    pages, answers, listing = [], [], []
    for gemeente in gemeenten:
        host = gemeente.site.hostname
        products = resolve_many(visible_queryset(Product, gemeente).filter(written), gemeente, channel=PUBLIC)
        pages += [(host, r.slug) for r in products]
        answers += [(gemeente.slug, "producten", r.slug) for r in resolve_many(visible_queryset(Product, gemeente).filter(written), gemeente, channel=AGENT)]
        answers += [(gemeente.slug, "vacs", r.slug) for r in resolve_many(visible_queryset(VAC, gemeente).filter(status="actief"), gemeente, channel=AGENT)]
        for collection, model in (("producten", Product), ("vacs", VAC)):
            count = visible_queryset(model, gemeente).count()
            listing += [(gemeente.slug, collection, page) for page in range(1, -(-count // 20) + 1)]
    searches, _ = request_plan(gemeenten, total, seed)

    def cycle(items, salt):
        chosen = [items[n % len(items)] for n in range(total)]
        random.Random(seed + salt).shuffle(chosen)
        return chosen

    return {
        "page": cycle(pages, 1),
        "plain": cycle(pages, 1),  # the same products in the same order
        "detail": cycle(answers, 2),
        "top": cycle([(g.slug,) for g in gemeenten], 3),
        "search": searches,
        "list": cycle(listing, 4),
        "floor": cycle([("script",)], 5),
    }, {"product pages": len(pages), "answers": len(answers), "list pages": len(listing)}


def targets(port, cookie, version):
    from urllib.parse import quote, urlencode

    api = "/api/v1/agent/gemeenten"

    def search_check(body):
        backend = json.loads(body).get("backend")
        expected = "database" if settings.SEARCH_ENGINE == "none" else settings.SEARCH_ENGINE
        return "" if backend == expected else f"answered by {backend}"

    html = {"accept": "text/html", "timing": "app"}
    as_json = {"timing": "app"}
    return {
        "page": HttpTarget("page", port, lambda host, slug: (host, f"/producten/{slug}/"), "", **html),
        "plain": HttpTarget("plain", port, lambda host, slug: (host, f"/bench/plain-page/producten/{slug}/"), "", **html),
        "detail": HttpTarget("detail", port, lambda g, collection, slug: f"{api}/{g}/{collection}/{slug}", cookie, **as_json),
        "top": HttpTarget("top", port, lambda g: f"{api}/{g}/top", cookie, **as_json),
        "search": HttpTarget(
            "search", port, lambda q, g: f"{api}/{g}/zoeken?{urlencode({'q': q, 'channel': 'widget', 'page_size': 8}, quote_via=quote)}",
            cookie, check=search_check, **as_json,
        ),
        "list": HttpTarget("list", port, lambda g, collection, page: f"{api}/{g}/{collection}?page={page}&page_size=20", cookie, **as_json),
        "floor": HttpTarget("floor", port, lambda _: f"/widget/kennis-widget.js?v={version}", "", accept="*/*", timing="app"),
    }


def queries_per_request(plan, cookie):
    """Database queries of one request of each target, in this process
    (Django's test client, the same URLconf): where the time may go."""
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    import bench.pages_urls  # noqa: F401  (the plain page's URL)

    client = Client()
    client.cookies.load(cookie)
    counts = {}
    with override_settings(ROOT_URLCONF="bench.pages_urls"):
        for key, target in targets(0, cookie, "").items():
            item = plan[key][0]
            path = target.path_for(*item)
            host, path = path if isinstance(path, tuple) else ("127.0.0.1", path)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, HTTP_HOST=host)
            counts[key] = {"queries": len(captured.captured_queries), "status": response.status_code, "path": path}
        if "page" in counts:
            counts["page"].update(page_queries_after_a_change(client, plan["page"][0]))
    return counts


def page_queries_after_a_change(client, item):
    """The product page's queries warm, and on its first request after an
    edit of its entry (the entry saved again, as a publish does: every
    value read from products is recomputed) and after an edit of another
    kind's entry (issue 16: at most 12)."""
    from django.test.utils import CaptureQueriesContext

    host, path = targets(0, "", "")["page"].path_for(*item)

    def count():
        with CaptureQueriesContext(connection) as captured:
            client.get(path, HTTP_HOST=host)
        return len(captured.captured_queries)

    found = {"warm": count()}
    edit_content(item, vac=False)
    found["after_its_edit"] = count()
    edit_content(item, product=False)
    found["after_another_edit"] = count()
    return found


def edit_content(item, product=True, vac=True):
    """Save the product of a page item and a shared VAC again, as a publish
    does: every cached value read from products, or from VACs, is stale."""
    from kennis.models import VAC
    from pdc.models import Product

    if product:
        Product.objects.get(slug=item[1]).save()
    if vac:
        VAC.objects.filter(gemeente=None).first().save()


def script_size():
    from widget.views import script_file

    body, _ = script_file()
    return {"bytes": len(body), "gzip_bytes": len(gzip.compress(body, compresslevel=9)), "goal_bytes": GOAL_SCRIPT_BYTES}


# ---------------------------------------------------------------- output


def print_configuration(config, keys):
    print()
    loop = f"think time {config['think_ms']:.0f} ms" if config["think_ms"] else "closed loop"
    print(f"== {config['concurrency']} concurrent clients, {loop}, {config['requests']} requests per target (load average after: {config['load_average_1min_after']:.2f}) ==")
    print(f"{'target':<28} {'ok':>5} {'err':>4} | {'server p50':>10} {'p95':>7} {'p99':>7} | {'client p50':>10} {'p95':>7} {'p99':>7} | {'req/s':>7}")
    for key in keys:
        r = config["targets"][key]
        s, c = r["server_ms"], r["client_ms"]
        print(
            f"{LABELS[key]:<28} {r['ok']:>5} {r['errors']:>4} | {fmt(s['p50'], 10)} {fmt(s['p95'])} {fmt(s['p99'])} | "
            f"{fmt(c['p50'], 10)} {fmt(c['p95'])} {fmt(c['p99'])} | {fmt(r['throughput_rps'])}"
        )
    for name, ratios in config["ratios"].items():
        print(
            f"{name:<28} {'':>5} {'':>4} | {fmt(ratios['server_p50'], 9, 2)}x {fmt(ratios['server_p95'], 6, 2)}x {fmt(ratios['server_p99'], 6, 2)}x | "
            f"{fmt(ratios['client_p50'], 9, 2)}x {fmt(ratios['client_p95'], 6, 2)}x {fmt(ratios['client_p99'], 6, 2)}x | {fmt(ratios['throughput'], 6, 2)}x"
        )
    print_notes(config, LABELS)


def config_ratios(measured):
    pairs = [("page ÷ plain, after a change", "page_after_change", "plain_after_change")]
    pairs += [(f"{key} ÷ {other}", key, other) for key, other in [("page", "plain")] + [(key, "floor") for key in ("page", "detail", "top", "search", "list")]]
    return {name: compare(measured[ours], measured[other]) for name, ours, other in pairs if ours in measured and other in measured}


def goals(configs, size):
    checks = []
    for config in configs:
        if config["concurrency"] != GOAL_CONCURRENCY:
            continue
        for key in MEASURED:
            if key in config["targets"]:
                p95 = config["targets"][key]["server_ms"]["p95"]
                checks.append({"goal": f"{LABELS[key]}: p95 server-side < {GOAL_P95_MS:.0f} ms at {GOAL_CONCURRENCY} clients", "value": p95, "met": p95 is not None and p95 < GOAL_P95_MS})
    checks.append({"goal": f"widget script < {GOAL_SCRIPT_BYTES // 1000} kB uncompressed", "value": size["bytes"], "met": size["bytes"] < GOAL_SCRIPT_BYTES})
    return checks


# ---------------------------------------------------------------- runs

INTERLEAVED = ("page", "plain")  # compared with each other: one run, requests interleaved


def runs(chosen):
    """The groups of targets measured together: the product page and the
    plain page in interleaved runs (the same server load for both, so
    their ratio does not depend on what the machine did between two runs),
    every other target on its own."""
    together = tuple(key for key in INTERLEAVED if key in chosen)
    groups = [together] if len(together) > 1 else []
    return groups + [(key,) for key in chosen if key not in together or len(together) == 1]


def measure(keys, chosen, plan, warm, concurrency):
    """{target: summary}. The product page against the plain page twice:
    right after a content change (an entry and a VAC saved: each page is
    computed once more, no warm-up), then steady (a warm-up that opens every
    page once, as between two changes)."""
    if keys != INTERLEAVED:
        return measure_run(keys, chosen, plan, warm, concurrency)
    edit_content(plan["page"][0])
    after = measure_run(keys, chosen, plan, None, concurrency, suffix="_after_change")
    every_page = {key: list(dict.fromkeys(plan[key])) for key in keys}
    return after | measure_run(keys, chosen, plan, every_page, concurrency)


def measure_run(keys, chosen, plan, warm, concurrency, suffix=""):
    label = "+".join(keys) + suffix
    warm_items = interleave({key: warm[key] for key in keys}, ARGS.seed + 200) if warm else []
    if warm_items:
        run_load(InterleavedTargets({key: chosen[key] for key in keys}), warm_items, concurrency, ARGS.time_cap, label=f"warm-up {label} ×{concurrency}")
    target = InterleavedTargets({key: chosen[key] for key in keys})
    items = interleave({key: plan[key] for key in keys}, ARGS.seed + 300)
    _, _, _, wall = run_load(target, items, concurrency, ARGS.time_cap, label=f"{label} ×{concurrency}", think_ms=ARGS.think_ms)
    measured = {key + suffix: summary for key, summary in target.summaries(wall, {key: len(plan[key]) for key in keys}).items()}
    for key, summary in measured.items():
        print(f"  {LABELS[key]:<28} ×{concurrency}: server p95 {fmt(summary['server_ms']['p95'], 1)} ms, {fmt(summary['throughput_rps'], 1)} req/s", file=sys.stderr, flush=True)
    return measured


# ---------------------------------------------------------------- main


def main():
    started_at = datetime.now(timezone.utc)
    backend = search_backend()
    database = f"{connection.vendor} {connection.settings_dict.get('NAME')}"
    print(f"pages benchmark, {started_at:%Y-%m-%d %H:%M} UTC: concurrency {ARGS.concurrency}, {ARGS.requests} requests per target, targets {', '.join(ARGS.targets)}")
    print(f"database: {database}; agent search: {backend}" + (f" (index prefix {settings.SEARCH_INDEX_PREFIX})" if backend != "database" else " (SEARCH_ENGINE=none)"))
    code = code_version("api")
    print(f"code: {code['checkout']} at commit {code['commit']}" + (f", with uncommitted changes to {', '.join(code['modified'])}" if code["modified"] else ""))
    print(
        f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, Python {platform.python_version()}; "
        f"gunicorn {ARGS.workers} workers × {ARGS.threads} thread(s) on loopback"
        + (" (the README's production command)" if (ARGS.workers, ARGS.threads) == (4, 1) else "")
    )
    if connection.vendor == "sqlite":
        print("note: SQLite serialises writes (search-log rows); PostgreSQL (DATABASE_URL, scripts/with-services.sh) is what production runs on")

    if ARGS.skip_load:
        check_database_is_ours()
        print("content: reusing the database (--skip-load)")
    else:
        started = time.perf_counter()
        print("content: migrate + load_demo …", flush=True)
        call_command("migrate", interactive=False, verbosity=0)
        check_database_is_ours()
        print(f"content: {load_demo()} ({time.perf_counter() - started:.1f} s)")

    from gemeenten.models import Gemeente

    gemeenten = list(Gemeente.objects.select_related("site").exclude(site__isnull=True).order_by("pk"))
    if not gemeenten:
        fail("no gemeente with a website in the database; run without --skip-load")
    index = timed_rebuild(gemeenten, "search indexes") if backend != "database" else None
    if index:
        print(f"search indexes rebuilt in {index['seconds']:.1f} s: {index['documents']}")
    cookie = bench_session()
    plan, sizes = plans(gemeenten, ARGS.requests, ARGS.seed)
    warm, _ = plans(gemeenten, ARGS.warmup, ARGS.seed + 100) if ARGS.warmup else ({key: [] for key in TARGETS}, None)
    print(f"gemeenten: {', '.join(g.slug for g in gemeenten)}; {sizes['product pages']} product pages with text, {sizes['answers']} answers, {sizes['list pages']} list pages")
    size = script_size()
    print(f"widget script: {size['bytes'] / 1000:.1f} kB uncompressed, {size['gzip_bytes'] / 1000:.1f} kB gzipped (level 9) — goal < {GOAL_SCRIPT_BYTES // 1000} kB uncompressed")
    queries = queries_per_request(plan, cookie)
    print("queries per request (one request each, in-process): " + ", ".join(f"{key} {q['queries']}" + ("" if q["status"] == 200 else f" (HTTP {q['status']})") for key, q in queries.items() if key in ARGS.targets))
    if "warm" in queries.get("page", {}):
        page = queries["page"]
        print(f"page queries: {page['queries']} in a fresh process, {page['warm']} warm, {page['after_its_edit']} after an edit of its entry, {page['after_another_edit']} after an edit of a VAC")

    from widget.views import script_file

    server = Server(ARGS.workers, ARGS.threads, app="bench.pages_urls:application", env={"SERVER_TIMING": "1"})
    results = []
    try:
        server.wait_ready()
        all_targets = targets(server.port, cookie, script_file()[1])
        chosen = {key: all_targets[key] for key in ARGS.targets}
        probe = chosen[ARGS.targets[0]].send(plan[ARGS.targets[0]][0])
        if not probe[0]:
            fail(f"the first request of {ARGS.targets[0]} failed: {probe[2]} (see {server.log.name})")
        if probe[1] is None:
            fail("no Server-Timing app;dur header in the response: is kennisbank.middleware.ServerTimingMiddleware on (SERVER_TIMING=1)?")
        for concurrency in ARGS.concurrency:
            measured = {}
            for keys in runs(chosen):
                measured |= measure(keys, chosen, plan, warm, concurrency)
            config = {
                "concurrency": concurrency,
                "think_ms": ARGS.think_ms,
                "requests": ARGS.requests,
                "load_average_1min_after": round(os.getloadavg()[0], 2),
                "targets": measured,
                "ratios": config_ratios(measured),
            }
            results.append(config)
            print_configuration(config, list(measured))
    finally:
        server.stop()
        server_log = server.log_summary()
    print()
    print(f"gunicorn log ({server_log['log']}): {server_log['lines']} lines, tracebacks: {server_log['tracebacks']}")
    print()
    print("server = Server-Timing app;dur: Django's time for the request, from the outermost middleware in to the")
    print("response out (not gunicorn's HTTP parsing and socket writes); client = wall time at the load generator,")
    print("whose Python threads share the cores with gunicorn and the database. plain = the same product as a plain")
    print("Wagtail site would serve it (Site lookup, root page, one row, same layout; base text, no per-gemeente")
    print("resolution, related lists or feedback form), its requests interleaved with the page's in the same run;")
    print("'after a change': right after an entry and a VAC were saved, so each page's first request computes it.")
    print("floor = the widget script from memory through every middleware.")
    print(f"With {ARGS.workers} worker process(es) × {ARGS.threads} thread(s) on {os.cpu_count()} cores, requests in service at the same")
    print("time share the CPU (and a worker's threads its GIL): the server time includes that wait, the time in gunicorn's")
    print("queue is only in the client time. --concurrency 1,20 adds the uncontended time of one request.")
    print("The widget calls detail, top and search (and zoekkliks/terugkoppeling, not measured); list is the API's own.")

    checks = goals(results, size)
    print()
    print_goals(checks)
    write_results(
        f"pages-{connection.vendor}",
        ARGS.think_ms,
        {
            "started_at": started_at.isoformat(),
            "arguments": vars(ARGS),
            "database": database,
            "search": backend,
            "search_index": index,
            "code": code,
            "cpu_count": os.cpu_count(),
            "gunicorn": {"workers": ARGS.workers, "threads": ARGS.threads},
            "plan_sizes": sizes,
            "widget_script": size,
            "queries_per_request": queries,
            "configurations": results,
            "server_log": server_log,
            "goals": checks,
        },
    )


if __name__ == "__main__":
    main()
