"""Shared pieces of the HTTP benchmarks (bench/search.py, bench/pages.py):
the demo content and a benchmark agent, a gunicorn server on loopback,
closed-loop load with keep-alive clients, percentiles and printing.

Nothing here imports Django at module level: each script sets its
environment (settings module, DEBUG off, hosts) before django.setup()."""

import http.client
import io
import itertools
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tqdm import tqdm

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "bench" / "results"
QUERIES_FILE = BASE_DIR / "tests" / "relevance" / "queries.json"
DEMO_SLUGS = ("roosendaal", "bergen-op-zoom", "etten-leur")
SYNTHETIC_PREFIX = "bench-"
BENCH_USERNAME = "bench-agent"


def fail(message):
    print(f"bench/{Path(sys.argv[0]).name}: {message}", file=sys.stderr)
    sys.exit(2)


# ---------------------------------------------------------------- content


def load_demo():
    """Load the demo (idempotent) without queueing search-index tasks;
    returns load_demo's last line."""
    from django.core.management import call_command
    from django.test.utils import override_settings

    out = io.StringIO()
    with override_settings(SEARCH_ENGINE="none"):  # no outbox tasks while loading
        call_command("load_demo", port=80, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def check_database_is_ours():
    from gemeenten.models import Gemeente

    foreign = list(
        Gemeente.objects.exclude(slug__in=DEMO_SLUGS).exclude(slug__startswith=SYNTHETIC_PREFIX).values_list("slug", flat=True)[:5]
    )
    if foreign:
        fail(f"the database holds gemeenten that are neither demo nor benchmark ones ({', '.join(foreign)}): use a scratch database")


def bench_session():
    """A KCC agent (agent role for every gemeente) and a session cookie."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model

    from gemeenten.models import Membership, Role

    user, _ = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    user.set_unusable_password()
    user.save()
    Membership.objects.get_or_create(user=user, role=Role.AGENT, gemeente=None)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


# ---------------------------------------------------------------- requests


def request_plan(gemeenten, total, seed):
    """(query, gemeente slug) pairs: the relevance queries with their own
    gemeente for the demo, spread over every gemeente when scaled."""
    queries = json.loads(QUERIES_FILE.read_text(encoding="utf-8"))
    slugs = [g.slug for g in gemeenten]
    pairs = []
    for n in range(total):
        item = queries[n % len(queries)]
        pairs.append((item["query"], item["gemeente"] if len(slugs) == 3 else slugs[n % len(slugs)]))
    random.Random(seed).shuffle(pairs)
    return pairs, len(queries)


def timing_pattern(metric):
    """The duration of one Server-Timing metric (e.g. search, app)."""
    return re.compile(rf"(?:^|[,\s]){re.escape(metric)};dur=([0-9.]+)")


class HttpTarget:
    """GET requests over one keep-alive connection per client thread.

    `path_for(*item)` gives the path, or (host, path) to send another Host
    header; the server-side time is the Server-Timing metric `timing`."""

    def __init__(self, name, port, path_for, cookie, check=None, timing="search", host="127.0.0.1", accept="application/json"):
        self.name, self.port, self.path_for, self.cookie, self.check = name, port, path_for, cookie, check
        self.host, self.timing, self.accept = host, timing_pattern(timing), accept
        self.local = threading.local()

    def _connection(self):
        conn = getattr(self.local, "conn", None)
        if conn is None:
            conn = self.local.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        return conn

    def close(self):
        conn = getattr(self.local, "conn", None)
        if conn is not None:
            conn.close()
            self.local.conn = None

    def send(self, item):
        """(ok, server ms or None, note)"""
        target = self.path_for(*item) if isinstance(item, tuple) else self.path_for(item)
        host, path = target if isinstance(target, tuple) else (self.host, target)
        headers = {"Host": host, "Accept": self.accept}
        if self.cookie:
            headers["Cookie"] = self.cookie
        for attempt in (1, 2):
            conn = self._connection()
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                body = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.close()  # the server closed a kept-alive connection: reconnect once
                if attempt == 2:
                    return False, None, "connection error"
        if response.status != 200:
            return False, None, f"HTTP {response.status}"
        timing = self.timing.search(response.getheader("Server-Timing") or "")
        note = self.check(body) if self.check else ""
        return True, float(timing.group(1)) if timing else None, note


class InterleavedTargets:
    """Several targets measured in one run, their requests interleaved, so
    that each meets the same load on the server (items are (key, item)).
    Client and server times are kept per key; `summaries(wall, sent)`
    gives one summary per key (throughput: its share of the run)."""

    def __init__(self, targets):
        self.targets = targets
        self.lock = threading.Lock()
        self.times = {key: ([], [], {}) for key in targets}

    def send(self, keyed_item):
        key, item = keyed_item
        started = time.perf_counter()
        ok, server, note = self.targets[key].send(item)
        elapsed = (time.perf_counter() - started) * 1000
        client_ms, server_ms, notes = self.times[key]
        with self.lock:
            if ok:
                client_ms.append(elapsed)
                if server is not None:
                    server_ms.append(server)
            if note:
                notes[note] = notes.get(note, 0) + 1
        return ok, server, note

    def close(self):
        for target in self.targets.values():
            target.close()

    def summaries(self, wall, sent):
        return {key: summarise(client_ms, server_ms, notes, wall, sent[key]) for key, (client_ms, server_ms, notes) in self.times.items()}


def interleave(plans, seed):
    """One list of (key, item) with the n-th item of every plan next to each
    other, in a random order per n (no key always goes first)."""
    order = random.Random(seed)
    keys = list(plans)
    mixed = []
    for n in range(max(len(plan) for plan in plans.values())):
        step = [(key, plans[key][n]) for key in keys if n < len(plans[key])]
        order.shuffle(step)
        mixed += step
    return mixed


def run_load(target, pairs, concurrency, time_cap, label=None, think_ms=0):
    """`concurrency` threads send the requests of `pairs`: back to back
    (closed loop, think_ms=0), or each pausing a random think time (mean
    think_ms, exponential) after every answer, like people at work.
    Returns latencies (client, server) in ms and the wall time."""
    counter = itertools.count()
    client_ms, server_ms, notes = [], [], {}
    lock = threading.Lock()
    deadline = time.perf_counter() + time_cap
    bar = tqdm(total=len(pairs), desc=label, unit="req", file=sys.stderr, leave=False, disable=label is None, mininterval=0.5)
    start_gate = threading.Barrier(concurrency + 1)

    def client():
        mine_client, mine_server, mine_notes = [], [], {}
        pause = random.Random(threading.get_ident())
        start_gate.wait()
        while time.perf_counter() < deadline:
            n = next(counter)
            if n >= len(pairs):
                break
            started = time.perf_counter()
            ok, server, note = target.send(pairs[n])
            elapsed = (time.perf_counter() - started) * 1000
            if ok:
                mine_client.append(elapsed)
                if server is not None:
                    mine_server.append(server)
            if note:
                mine_notes[note] = mine_notes.get(note, 0) + 1
            bar.update(1)
            if think_ms:
                time.sleep(pause.expovariate(1000.0 / think_ms))
        target.close()
        with lock:
            client_ms.extend(mine_client)
            server_ms.extend(mine_server)
            for note, count in mine_notes.items():
                notes[note] = notes.get(note, 0) + count

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start_gate.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    bar.close()
    return client_ms, server_ms, notes, wall


def percentile(values, p):
    """Nearest-rank percentile of a list (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
    return ordered[rank - 1]


def summarise(client_ms, server_ms, notes, wall, sent):
    errors = {note: count for note, count in notes.items() if not note.startswith("answered by")}
    return {
        "requests": sent,
        "ok": len(client_ms),
        "errors": sum(errors.values()),
        "fallbacks": sum(count for note, count in notes.items() if note.startswith("answered by")),
        "notes": notes,
        "wall_s": round(wall, 2),
        "throughput_rps": round(len(client_ms) / wall, 1) if wall else None,
        "client_ms": {f"p{p}": _round(percentile(client_ms, p)) for p in (50, 95, 99)} | {"mean": _round(statistics.fmean(client_ms) if client_ms else None)},
        "server_ms": {f"p{p}": _round(percentile(server_ms, p)) for p in (50, 95, 99)} | {"mean": _round(statistics.fmean(server_ms) if server_ms else None)},
    }


def _round(value):
    return None if value is None else round(value, 2)


# ---------------------------------------------------------------- gunicorn


def stop_process(process):
    """Terminate a child process, killing it when it does not end within 30 s."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn serving `app` (a bench URLconf: the site plus the
    comparison endpoints) on a free loopback port; stopped by its pid."""

    def __init__(self, workers, threads, app="bench.search_urls:application", env=None):
        self.port = free_port()
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-gunicorn-", suffix=".log", delete=False)
        env = dict(os.environ, PYTHONPATH=str(BASE_DIR), **(env or {}))
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.command = [
            str(gunicorn) if gunicorn.exists() else "gunicorn",
            app,
            "--chdir", str(BASE_DIR),
            "--workers", str(workers),
            "--threads", str(threads),
            "--bind", f"127.0.0.1:{self.port}",
            "--keep-alive", "30",
            "--log-level", "warning",
        ]
        self.process = subprocess.Popen(self.command, env=env, stdout=self.log, stderr=subprocess.STDOUT)

    def wait_ready(self, timeout=90):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                break
            try:
                conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                conn.request("GET", "/health/", headers={"Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                conn.close()
                if response.status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        self.log.seek(0)
        fail(f"gunicorn did not come up on port {self.port}:\n{self.log.read()[-3000:]}")

    def stop(self):
        stop_process(self.process)

    def log_summary(self):
        """What the workers logged: counts of the known warnings."""
        self.log.flush()
        self.log.seek(0)
        lines = self.log.read().splitlines()
        return {
            "log": self.log.name,
            "lines": len(lines),
            "engine_failed_fell_back_to_database": sum("search engine failed" in line for line in lines),
            "opensearch_client_pool_full_discarding_connection": sum("Connection pool is full" in line for line in lines),
            "tracebacks": sum(line.startswith("Traceback") for line in lines),
            "internal_server_errors": sum("Internal Server Error:" in line for line in lines),
        }

    def tracebacks(self, limit=3, tail=14, announced_by=""):
        """The first `limit` tracebacks of the log (a chained one counts
        once) whose preceding line starts with `announced_by` (e.g.
        Django's "Internal Server Error: <path>"), each as that line and
        the traceback's last `tail` lines."""
        self.log.flush()
        self.log.seek(0)
        lines = self.log.read().splitlines()
        chained = ("The above exception", "During handling of the above")
        excerpts, n = [], 0
        while n < len(lines) and len(excerpts) < limit:
            if not lines[n].startswith("Traceback"):
                n += 1
                continue
            start, end = n, n + 1
            while end < len(lines):
                line = lines[end]
                if line.startswith((" ", "Traceback", *chained)) or not line:
                    end += 1
                    continue
                following = next((later for later in lines[end + 1 : end + 4] if later), "")
                if not following.startswith(chained):
                    break  # the exception itself: the end of this traceback
                end += 1
            announced = lines[start - 1 : start] if start and not lines[start - 1].startswith(" ") else []
            if not announced_by or (announced and announced[0].startswith(announced_by)):
                excerpts.append(announced + lines[max(start, end + 1 - tail) : end + 1])
            n = end + 1
        return excerpts


# ---------------------------------------------------------------- output


def fmt(value, width=7, digits=1):
    return f"{'-':>{width}}" if value is None else f"{value:>{width}.{digits}f}"


def ratio(a, b):
    return None if a is None or not b else round(a / b, 2)


def compare(a, b):
    """Ratios of two measured targets (a ÷ b): percentiles and throughput."""
    return {
        **{f"client_{p}": ratio(a["client_ms"][p], b["client_ms"][p]) for p in ("p50", "p95", "p99")},
        **{f"server_{p}": ratio(a["server_ms"][p], b["server_ms"][p]) for p in ("p50", "p95", "p99")},
        "throughput": ratio(a["throughput_rps"], b["throughput_rps"]),
    }


def print_notes(config, labels):
    """What went wrong per target: notes and requests that did not complete."""
    for key, r in config["targets"].items():
        if r["notes"]:
            print(f"  {labels[key]}: {', '.join(f'{count}× {note}' for note, count in r['notes'].items())}")
        if r["ok"] < config["requests"]:
            print(f"  {labels[key]}: only {r['ok']} of {config['requests']} requests completed (time cap or errors)")


def print_goals(checks):
    print("goals:")
    for check in checks:
        print(f"  {'MET ' if check['met'] else 'MISSED'}  {check['goal']}: {check['value']}")


def write_results(name, think_ms, figures):
    """bench/results/<name>[-think<ms>].json; prints where it went."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    output = RESULTS_DIR / f"{name}{f'-think{think_ms:.0f}' if think_ms else ''}.json"
    output.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"\nfigures written to {output.relative_to(BASE_DIR)}")


def timed_rebuild(gemeenten, description):
    """zoeken's full rebuild with a progress bar: {seconds, documents}."""
    from sharing.resolution import CHANNELS
    from zoeken.indexing import entry_models, rebuild

    steps = len(gemeenten) * len(CHANNELS) * len(entry_models())
    with tqdm(total=steps, desc=description, unit="step", file=sys.stderr) as bar:
        started = time.perf_counter()
        counts = rebuild(gemeenten, progress=bar.update)
        seconds = time.perf_counter() - started
    return {"seconds": round(seconds, 2), "documents": counts}


def code_version(package="zoeken"):
    """The commit measured and the files that differ from it."""
    def git(*args):
        try:
            # rstrip only: status lines start with a space when only the worktree differs
            return subprocess.run(["git", *args], cwd=BASE_DIR, capture_output=True, text=True, timeout=10).stdout.rstrip()
        except (OSError, subprocess.SubprocessError):
            return ""

    module = __import__(package)
    changed = [line[3:] for line in git("status", "--porcelain", "--untracked-files=no").splitlines()]
    return {"commit": git("rev-parse", "--short", "HEAD") or "unknown", "modified": changed, "checkout": str(Path(module.__file__).resolve().parent.parent)}
