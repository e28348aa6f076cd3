"""Load and faults: simulated KCC agents against the production set-up.

Issue 11. N agents (default 50) work for a while (default 600 s) the way
the widget works: they type a question from tests/relevance/queries.json
(the agent search for several prefixes, as the widget sends them while
typing), open an answer (the click on the result and the agent detail),
now and then flag it as wrong (feedback), and look at the top questions
about once a minute; between actions they think 1–3 s. Each agent is its
own user with its own widget token (Authorization: Bearer), as the widget
on a contact centre's page signs in.

The app runs as in the README's "Running in production": gunicorn with
kennisbank.settings.production (a random SECRET_KEY unless one is set,
DEBUG off, ALLOWED_HOSTS for loopback, SECURE_SSL_REDIRECT=0 for plain
HTTP on 127.0.0.1) and the task worker that drains the search outbox
(task_worker), on PostgreSQL and OpenSearch:

    scripts/with-services.sh .venv/bin/python bench/load.py
    WITH_ELASTICSEARCH=0 scripts/with-services.sh .venv/bin/python bench/load.py --agents 20 --duration 60 --faults

--faults adds, during the load:
  1. the OpenSearch node is killed (SIGKILL); while it is down a curator
     publishes edits of a shared VAC and a shared product (the revision
     publish the admin uses, so through the outbox); the node is started
     again and the script measures the seconds until both edits are found
     by the engine through the agent search (goal: within a minute);
     searches meanwhile must come from the database, with 0 errors;
  2. PostgreSQL is restarted (pg_ctl restart -m fast); errors are allowed
     only while it restarts, and the app is not restarted.
It needs the servers of scripts/with-services.sh (it reads OPENSEARCH_HOME,
OPENSEARCH_USER and POSTGRES_BIN / _DATA / _LOG / _OS_USER there).

Per endpoint it reports the requests, the errors (any status other than the
expected one, 5xx and requests without an answer separately) and the
p50/p95/p99 client-side latency of the answered requests; per phase the
same counts. A progress line is printed every --progress seconds. Every
wait is bounded; the script stops by itself (at the latest --duration plus
the fault sequence plus 15 minutes). The database is written to (demo
content, benchmark users and tokens, search logs, feedback, edits): use a
scratch database. Indexes are built under --index-prefix only.

Figures go to stdout and to bench/results/load-<agents>[-faults].json."""

import argparse
import http.client
import json
import logging
import os
import platform
import random
import secrets
import shlex
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote, urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
API = "/api/v1"
COLLECTION = {"product": "producten", "vac": "vacs"}
EXPECTED = {"gemeenten": 200, "top": 200, "search": 200, "click": 200, "detail": 200, "flag": 201}
ENDPOINT_LABELS = {
    "search": "agent search (as typed)",
    "detail": "agent detail (answer)",
    "click": "search click",
    "flag": "flag as wrong (feedback)",
    "top": "top questions",
    "gemeenten": "agent gemeenten",
}
GOAL_SEARCHABLE_S = 60.0
TOP_EVERY_S = 60.0  # the widget's TOP_TTL
HARD_CAP_S = 900.0  # beyond --duration and the fault sequence


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0], formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    parser.add_argument("--agents", type=int, default=50, help="concurrent agents, each a user with a widget token (default 50)")
    parser.add_argument("--duration", type=float, default=600.0, help="seconds of load (default 600); with --faults at least until the faults are done")
    parser.add_argument("--think-min", type=float, default=1.0, help="shortest pause between an agent's actions, s (default 1)")
    parser.add_argument("--think-max", type=float, default=3.0, help="longest pause between an agent's actions, s (default 3)")
    parser.add_argument("--flag-rate", type=float, default=0.05, help="share of opened answers flagged as wrong (default 0.05)")
    parser.add_argument("--faults", action="store_true", help="stop and start OpenSearch, then restart PostgreSQL, during the load")
    parser.add_argument("--engine-down", type=float, default=None, help="seconds OpenSearch stays down (default: a tenth of --duration, at least 15)")
    parser.add_argument(
        "--database-down", type=float, default=0.0,
        help="seconds PostgreSQL stays down (pg_ctl stop, then start); default 0: pg_ctl restart -m fast",
    )
    parser.add_argument("--searchable-timeout", type=float, default=180.0, help="seconds to wait for the edits to be searchable after OpenSearch is back (default 180)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4, the README's production command)")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker (default 1: sync workers)")
    parser.add_argument("--progress", type=float, default=10.0, help="seconds between progress lines (default 10)")
    parser.add_argument("--skip-load", action="store_true", help="reuse the demo content and indexes already there")
    parser.add_argument("--index-prefix", default="kennisbank-bench-load", help="index prefix (default kennisbank-bench-load)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the agents' choices (default 1)")
    args = parser.parse_args()
    if args.agents < 1 or args.duration <= 0 or not 0 < args.think_min <= args.think_max or not 0 <= args.flag_rate <= 1:
        parser.error("--agents and --duration must be positive, 0 < --think-min <= --think-max, 0 <= --flag-rate <= 1")
    if args.engine_down is None:
        args.engine_down = max(15.0, args.duration / 10)
    return args


ARGS = parse_args()
# Before Django reads its settings: production, on plain HTTP on loopback,
# no proxy in front; the same environment goes to gunicorn and the worker.
os.environ["DJANGO_SETTINGS_MODULE"] = "kennisbank.settings.production"
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
os.environ["DEBUG"] = "0"
os.environ["SECURE_SSL_REDIRECT"] = "0"
os.environ["ALLOWED_HOSTS"] = "127.0.0.1,localhost"
os.environ["TRUSTED_PROXY_COUNT"] = "0"
os.environ["SEARCH_INDEX_PREFIX"] = ARGS.index_prefix
os.environ.setdefault("LOG_LEVEL", "WARNING")
sys.path.insert(0, str(BASE_DIR))

from bench.harness import (  # noqa: E402  (shared with bench/search.py and bench/pages.py)
    DEMO_SLUGS,
    QUERIES_FILE,
    Server,
    _round,
    check_database_is_ours,
    code_version,
    stop_process,
    fail,
    fmt,
    load_demo,
    percentile,
    print_goals,
    timed_rebuild,
    write_results,
)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402

# This process's own engine requests fail while the node is down (the edit's
# inline indexing): the figures say so, not the client's tracebacks.
logging.getLogger("opensearch").setLevel(logging.CRITICAL)
logging.getLogger("psycopg.pool").setLevel(logging.CRITICAL)  # likewise this process's pool while PostgreSQL is down


def now():
    return time.monotonic()


# ---------------------------------------------------------------- services


def check_services():
    from zoeken.engine import get_client

    if settings.SEARCH_ENGINE != "opensearch":
        fail("SEARCH_ENGINE is not opensearch; run it as: scripts/with-services.sh .venv/bin/python bench/load.py")
    if connection.vendor != "postgresql":
        fail(f"the database is {connection.vendor}; set DATABASE_URL to a scratch PostgreSQL database (scripts/with-services.sh does)")
    quiet = logging.getLogger("opensearch")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        info = get_client().info()
    except Exception as exc:
        fail(f"the search engine at {settings.SEARCH_ENGINE_URL} is not reachable: {exc.__class__.__name__}: {exc}")
    finally:
        quiet.setLevel(level)
    if ARGS.faults:
        missing = [name for name in ("OPENSEARCH_HOME", "POSTGRES_BIN", "POSTGRES_DATA", "POSTGRES_LOG") if not os.environ.get(name)]
        if missing:
            fail(f"--faults stops and starts the servers of scripts/with-services.sh; {', '.join(missing)} not set: run it under that script")
    return f"{info['version'].get('distribution', 'elasticsearch')} {info['version']['number']}"


def as_service_user(user, command):
    if user and user != "root" and os.geteuid() == 0:
        return ["runuser", "-u", user, "--", *command]
    return command


class OpenSearchNode:
    """The node of scripts/with-services.sh: killed by the pid in its pid
    file, started again the way that script starts it."""

    def __init__(self):
        self.home = os.environ.get("OPENSEARCH_HOME", "")
        self.pidfile = os.path.join(self.home, "opensearch.pid")
        self.user = os.environ.get("OPENSEARCH_USER", "")

    def kill(self):
        pid = int(Path(self.pidfile).read_text().strip())
        os.kill(pid, signal.SIGKILL)
        deadline = now() + 30
        while now() < deadline:
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return pid
            time.sleep(0.2)
        raise RuntimeError(f"OpenSearch (pid {pid}) still runs 30 s after SIGKILL")

    def start(self):
        # The daemon keeps inherited pipes open: give it none to wait on.
        subprocess.run(
            as_service_user(self.user, [f"{self.home}/bin/opensearch", "-d", "-p", self.pidfile]),
            cwd=self.home, check=True, timeout=300, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )

    @staticmethod
    def healthy():
        try:
            url = f"{settings.SEARCH_ENGINE_URL}/_cluster/health?wait_for_status=yellow&timeout=2s"
            with urllib.request.urlopen(url, timeout=5) as response:
                return json.load(response)["status"] in ("yellow", "green")
        except (OSError, ValueError, KeyError):
            return False

    def wait_healthy(self, timeout=240):
        deadline = now() + timeout
        while now() < deadline:
            if self.healthy():
                return True
            time.sleep(1)
        return False

    def running(self):
        try:
            os.kill(int(Path(self.pidfile).read_text().strip()), 0)
            return True
        except (OSError, ValueError):
            return False


class PostgresServer:
    """The server of scripts/with-services.sh, restarted with pg_ctl as its
    own user (the port and options of the first start stay)."""

    def __init__(self):
        self.pg_ctl = os.path.join(os.environ.get("POSTGRES_BIN", ""), "pg_ctl")
        self.data, self.log = os.environ.get("POSTGRES_DATA", ""), os.environ.get("POSTGRES_LOG", "")
        self.user = os.environ.get("POSTGRES_OS_USER", "")

    def ctl(self, action, *options):
        command = as_service_user(self.user, [self.pg_ctl, "-D", self.data, "-l", self.log, "-w", "-t", "60", *options, action])
        return subprocess.run(command, timeout=120, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)

    def run(self, action, *options):
        result = self.ctl(action, *options)
        if result.returncode:
            raise RuntimeError(f"pg_ctl {action} failed: {result.stderr.strip()} (log: {self.log})")

    def server_options(self):
        """The options of the running server (port, socket directory, …) as
        `pg_ctl start -o` takes them: `pg_ctl restart` reuses them by
        itself, `start` after a `stop` does not."""
        words = shlex.split(Path(self.data, "postmaster.opts").read_text())[1:]
        if words[:1] == ["-D"]:
            words = words[2:]
        return shlex.join(words)

    def ensure_running(self, options):
        if self.ctl("status").returncode == 3:  # not running
            self.run("start", "-o", options)


class Worker:
    """The task worker (the search outbox's drains), as in production."""

    def __init__(self):
        self.log = tempfile.NamedTemporaryFile("w+", prefix="bench-outbox-worker-", suffix=".log", delete=False)
        command = [sys.executable, "manage.py", "task_worker"]
        self.process = subprocess.Popen(command, cwd=BASE_DIR, stdout=self.log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)

    def stop(self):
        stop_process(self.process)

    def tail(self, lines=20):
        self.log.flush()
        self.log.seek(0)
        return self.log.read().splitlines()[-lines:]


# ---------------------------------------------------------------- content and users


def agent_tokens(count):
    """`count` agents (the agent role for every gemeente), each with a fresh
    widget token, as the sign-in popup issues it."""
    from django.contrib.auth import get_user_model

    from gemeenten.models import Membership, Role
    from widget.models import WidgetToken

    tokens = []
    for n in range(1, count + 1):
        user, _ = get_user_model().objects.get_or_create(username=f"bench-agent-{n:03d}")
        Membership.objects.get_or_create(user=user, role=Role.AGENT, gemeente=None)
        WidgetToken.objects.filter(user=user).delete()
        raw, _ = WidgetToken.objects.issue(user, origin="http://127.0.0.1")
        tokens.append(raw)
    return tokens


def editor():
    from django.contrib.auth import get_user_model

    from gemeenten.models import Membership, Role

    user, _ = get_user_model().objects.get_or_create(username="bench-redactie", defaults={"is_staff": True})
    Membership.objects.get_or_create(user=user, role=Role.REGIONAL_CURATOR, gemeente=None)
    return user


EDITS = (("kennis.VAC", "paspoort-kwijt", "answer_nl"), ("pdc.Product", "rijbewijs", "summary_nl"))


def publish_edits(user, marker):
    """A curator publishes a new revision of shared entries, the way the
    snippet editor's publish does (the outbox queues the re-index). Returns
    [(kind, id, slug, original text)]."""
    from django.apps import apps

    done = []
    for label, slug, field in EDITS:
        entry = apps.get_model(label).objects.filter(slug=slug, gemeente__isnull=True).first()
        if entry is None:
            continue
        original = getattr(entry, field)
        word = f"{marker}{len(done)}"
        setattr(entry, field, f"{original} {word}" if field.startswith("summary") else f"{original}<p>{word}</p>")
        entry.save_revision(user=user).publish(user=user)
        done.append({"kind": entry._meta.model_name, "id": entry.pk, "slug": slug, "field": field, "word": word, "original": original, "label": label})
    return done


def restore_edits(user, edits):
    from django.apps import apps

    for edit in edits:
        entry = apps.get_model(edit["label"]).objects.get(pk=edit["id"])
        setattr(entry, edit["field"], edit["original"])
        entry.save_revision(user=user).publish(user=user)


# ---------------------------------------------------------------- measuring


class Phases:
    """What is going on (baseline, engine down, …); every request counts
    in the phase in which it was sent."""

    def __init__(self, started, first="baseline"):
        self.started = started
        self.log = [(first, 0.0)]

    @property
    def current(self):
        return self.log[-1][0]

    def enter(self, name, note=""):
        """Start phase `name`; a name ending in " down" is an outage."""
        self.log.append((name, now() - self.started))
        print(f"[{now() - self.started:6.1f} s] phase: {name}{f' ({note})' if note else ''}", flush=True)

    def spans(self, end):
        bounds = [at for _, at in self.log[1:]] + [end]
        return [(name, at, bound) for (name, at), bound in zip(self.log, bounds)]


class Recorder:
    def __init__(self, phases):
        self.phases = phases
        self.records = []  # (sent at s, endpoint, status, ms, search backend); list.append is atomic

    def add(self, sent_at, endpoint, status, ms, backend=None):
        self.records.append((sent_at - self.phases.started, endpoint, status, ms, backend))


def is_error(endpoint, status):
    return status != EXPECTED[endpoint]


class ApiClient:
    """One agent's keep-alive connection to gunicorn, signed in with its token."""

    def __init__(self, port, token, recorder):
        self.port, self.recorder = port, recorder
        self.headers = {"Host": "127.0.0.1", "Accept": "application/json", "Authorization": f"Bearer {token}"}
        self.conn = None
        self.reconnects = 0

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def call(self, endpoint, path, body=None, record=True):
        """(status, JSON body or None); status 0: no answer."""
        method, headers = "GET", self.headers
        if body is not None:
            method, body = "POST", json.dumps(body)
            headers = {**headers, "Content-Type": "application/json"}
        sent = now()
        status, data = 0, None
        # A GET goes out again once on a fresh connection if the kept-alive
        # one was closed under it (counted); a POST is never repeated.
        for attempt in (1, 2) if method == "GET" else (1,):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                raw = response.read()
                status = response.status
                break
            except (http.client.HTTPException, OSError):
                self.close()
                if attempt == 1 and method == "GET":
                    self.reconnects += 1
        ms = (now() - sent) * 1000
        if status:
            try:
                data = json.loads(raw)
            except ValueError:
                data = None
        if record:
            backend = data.get("backend") if endpoint == "search" and isinstance(data, dict) else None
            self.recorder.add(sent, endpoint, status, ms, backend)
        return status, data


def typed_prefixes(query, rng, limit=6):
    """What the widget sends while the agent types `query` (it searches
    after 120 ms without a key): a part of a longer word where the agent
    hesitates, each finished word, the whole question; at most `limit`."""
    prefixes, typed = [], ""
    for word in query.split():
        typed = f"{typed} {word}".strip()
        if len(word) >= 6 and rng.random() < 0.5:
            prefixes.append(typed[: len(typed) - len(word) + rng.randint(3, len(word) - 1)])
        prefixes.append(typed)
    prefixes = [p for p in prefixes if len(p) >= 2]
    if len(prefixes) > limit:  # a long question: some words typed without a pause
        step = len(prefixes) / limit
        prefixes = [prefixes[min(len(prefixes) - 1, round((n + 1) * step) - 1)] for n in range(limit)]
    return prefixes or [query]


class Agent(threading.Thread):
    def __init__(self, number, token, port, recorder, stop, start_delay):
        super().__init__(daemon=True, name=f"agent-{number}")
        self.client = ApiClient(port, token, recorder)
        self.rng = random.Random(ARGS.seed * 1000 + number)
        self.stop, self.start_delay = stop, start_delay
        self.top_at = {}
        self.queries = json.loads(QUERIES_FILE.read_text(encoding="utf-8"))

    def pause(self, low, high):
        self.stop.wait(self.rng.uniform(low, high))

    def think(self):
        self.pause(ARGS.think_min, ARGS.think_max)

    def run(self):
        self.pause(self.start_delay, self.start_delay)
        self.client.call("gemeenten", f"{API}/agent/gemeenten")
        for _ in range(100_000):  # bounded; the stop event ends it long before
            if self.stop.is_set():
                break
            self.question(self.rng.choice(self.queries))
        self.client.close()

    def question(self, item):
        gemeente, query = item["gemeente"], item["query"]
        base = f"{API}/agent/gemeenten/{gemeente}"
        if now() - self.top_at.get(gemeente, -TOP_EVERY_S) >= TOP_EVERY_S:
            self.client.call("top", f"{base}/top")
            self.top_at[gemeente] = now()
        result = None
        for prefix in typed_prefixes(query, self.rng):
            if self.stop.is_set():
                return
            status, data = self.client.call("search", f"{base}/zoeken?{urlencode({'q': prefix, 'page_size': 8}, quote_via=quote)}")
            if status == 200 and isinstance(data, dict):
                result = data
            self.pause(0.15, 0.6)  # typing on
        self.think()
        hits = (result or {}).get("hits") or []
        if not hits or self.stop.is_set():
            return
        hit = hits[min(int(self.rng.expovariate(1.2)), len(hits) - 1)]  # mostly the first
        if result.get("click_token"):
            self.client.call("click", f"{API}/zoekkliks", {"token": result["click_token"], "kind": hit["kind"], "id": hit["id"]})
        status, _ = self.client.call("detail", f"{base}/{COLLECTION[hit['kind']]}/{quote(hit['slug'])}")
        self.think()  # reading
        if status == 200 and self.rng.random() < ARGS.flag_rate and not self.stop.is_set():
            self.client.call(
                "flag", f"{API}/terugkoppeling",
                {"gemeente": gemeente, "kind": "wrong", "entry": {"kind": hit["kind"], "id": hit["id"]}, "remark": "Belastingtest: klopt niet.", "query": query},
            )
            self.think()


# ---------------------------------------------------------------- faults


class Faults(threading.Thread):
    """The fault sequence of --faults, in its own thread; its findings in
    self.figures. Every wait is bounded."""

    def __init__(self, phases, port, token, stop):
        super().__init__(daemon=True, name="faults")
        self.phases, self.stop = phases, stop
        self.probe = ApiClient(port, token, None)
        self.node, self.postgres = OpenSearchNode(), PostgresServer()
        self.figures = {}
        self.edits = []
        self.done_at = None
        self.killed = False
        self.database_options = None

    def at(self, offset):
        """Wait until `offset` seconds after the start (or the stop)."""
        self.stop.wait(max(0.0, self.phases.started + offset - now()))

    def run(self):
        try:
            self.engine_fault()
            self.database_fault()
        except Exception as exc:  # reported, and the load goes on to its end
            self.figures["error"] = f"{exc.__class__.__name__}: {exc}"
            print(f"fault sequence stopped: {self.figures['error']}", flush=True)
        finally:
            self.done_at = now()

    def engine_fault(self):
        self.at(max(15.0, ARGS.duration * 0.2))
        if self.stop.is_set():
            return
        pid = self.node.kill()
        self.killed = True
        killed_at = now()
        self.phases.enter("engine down", f"OpenSearch pid {pid} killed")
        self.stop.wait(min(3.0, ARGS.engine_down / 3))
        user = editor()
        marker = "lastmerk" + "".join(random.choice("bcdfghjklmnpqrstvwxz") for _ in range(6))
        started = now()
        self.edits = publish_edits(user, marker)
        connections.close_all()  # this thread's connection: no use for it until the end
        self.figures["edits"] = [{k: e[k] for k in ("kind", "slug", "field", "word")} for e in self.edits]
        self.figures["edit_publish_s"] = round(now() - started, 2)
        print(f"  published {len(self.edits)} edits while the engine is down ({', '.join(e['word'] for e in self.edits)}) in {self.figures['edit_publish_s']} s", flush=True)
        self.figures["while_down"] = self.searched(self.edits)
        self.stop.wait(max(0.0, killed_at + ARGS.engine_down - now()))
        self.phases.enter("engine starting")
        restart = now()
        self.node.start()
        if not self.node.wait_healthy():
            raise RuntimeError("OpenSearch did not come back within 240 s")
        back = now()
        self.killed = False
        self.figures["engine_down_s"] = round(restart - killed_at, 1)
        self.figures["engine_start_s"] = round(back - restart, 1)
        self.phases.enter("engine back, catching up", f"healthy {back - restart:.1f} s after the start")
        searchable = self.wait_searchable(back)
        self.figures["searchable_after_engine_back_s"] = searchable
        self.figures["searchable_after_restart_command_s"] = None if searchable is None else round(searchable + back - restart, 1)
        print(
            f"  edits searchable through the engine {searchable} s after OpenSearch was healthy again"
            if searchable is not None else f"  edits NOT searchable within {ARGS.searchable_timeout:.0f} s after OpenSearch was back",
            flush=True,
        )
        self.phases.enter("steady")

    def searched(self, edits):
        """Per edit: (backend, found) of an agent search for its word."""
        found = {}
        for edit in edits:
            status, data = self.probe.call("search", f"{API}/agent/gemeenten/roosendaal/zoeken?{urlencode({'q': edit['word']})}", record=False)
            hits = (data or {}).get("hits") or []
            found[edit["word"]] = {
                "status": status,
                "backend": (data or {}).get("backend"),
                "found": any(h["kind"] == edit["kind"] and h["id"] == edit["id"] for h in hits),
            }
        return found

    def wait_searchable(self, since):
        deadline = since + ARGS.searchable_timeout
        while now() < deadline and not self.stop.is_set():
            seen = self.searched(self.edits)
            if seen and all(s["found"] and s["backend"] == "opensearch" for s in seen.values()):
                return round(now() - since, 1)
            self.stop.wait(1.0)
        return None

    def database_fault(self):
        self.at(max(now() - self.phases.started + 15, ARGS.duration * 0.7))
        if self.stop.is_set():
            return
        self.database_options = self.postgres.server_options()
        started = now()
        if ARGS.database_down:
            self.phases.enter("database down", f"pg_ctl stop -m fast, start after {ARGS.database_down:g} s")
            self.postgres.run("stop", "-m", "fast")
            self.stop.wait(ARGS.database_down)  # a stop here still starts it again below
            self.postgres.run("start", "-o", self.database_options)
        else:
            self.phases.enter("database down", "pg_ctl restart -m fast")
            self.postgres.run("restart", "-m", "fast")
        self.figures["database_down_s"] = round(now() - started, 1)
        self.phases.enter("database back", f"accepting connections {self.figures['database_down_s']} s after the stop")
        self.stop.wait(30)

    def heal(self):
        """After the run: servers up again whatever happened, edits undone."""
        if self.killed or not self.node.running():
            print("starting OpenSearch again (the fault sequence left it down)", flush=True)
            self.node.start()
            self.node.wait_healthy()
        if self.database_options is not None:
            self.postgres.ensure_running(self.database_options)
        if self.edits:
            # This process's pooled connections did not live through the restart.
            connection.close_pool()
            restore_edits(editor(), self.edits)


# ---------------------------------------------------------------- figures


def summary(records):
    by_endpoint = {}
    for endpoint in EXPECTED:
        rows = [r for r in records if r[1] == endpoint]
        if not rows:
            continue
        ok_ms = [r[3] for r in rows if not is_error(endpoint, r[2])]
        statuses = {}
        for r in rows:
            if is_error(endpoint, r[2]):
                key = str(r[2]) if r[2] else "no answer"
                statuses[key] = statuses.get(key, 0) + 1
        by_endpoint[endpoint] = {
            "requests": len(rows),
            "errors": sum(statuses.values()),
            "server_errors_5xx": sum(1 for r in rows if r[2] >= 500),
            "no_answer": statuses.get("no answer", 0),
            "error_statuses": statuses,
            "database_answers": sum(1 for r in rows if r[4] == "database"),
            "ms": {f"p{p}": _round(percentile(ok_ms, p)) for p in (50, 95, 99)},
        }
    return by_endpoint


def phase_of(record, spans):
    """The phase in which a request was sent, or the outage (a phase named
    "… down") it was still waiting in: a request in flight when PostgreSQL
    stops fails because of the stop, not before it."""
    sent, answered = record[0], record[0] + record[3] / 1000
    overlapping = [n for n, (name, start, stop) in enumerate(spans) if start <= answered and sent < stop]
    outages = [n for n in overlapping if spans[n][0].endswith(" down")]
    return (outages or overlapping or [0])[0]


def phase_figures(records, phases, end):
    spans = phases.spans(end)
    by_phase = [[] for _ in spans]
    for record in records:
        by_phase[phase_of(record, spans)].append(record)
    figures = []
    for (name, start, stop), rows in zip(spans, by_phase):
        figures.append(
            {
                "phase": name,
                "from_s": round(start, 1),
                "to_s": round(stop, 1),
                "requests": len(rows),
                "errors": sum(1 for r in rows if is_error(r[1], r[2])),
                "server_errors_5xx": sum(1 for r in rows if r[2] >= 500),
                "no_answer": sum(1 for r in rows if r[2] == 0),
                "database_answers": sum(1 for r in rows if r[4] == "database"),
                "search_p95_ms": _round(percentile([r[3] for r in rows if r[1] == "search" and r[2] == 200], 95)),
                "by_endpoint": {e: f for e, f in summary(rows).items() if f["errors"]},
            }
        )
    return figures


def progress_line(phases, window, seconds):
    rows = window
    errors = sum(1 for r in rows if is_error(r[1], r[2]))
    p95 = {e: percentile([r[3] for r in rows if r[1] == e and not is_error(e, r[2])], 95) for e in ("search", "detail")}
    return (
        f"[{now() - phases.started:6.1f} s] {phases.current:<26} {len(rows) / seconds:6.1f} req/s  errors {errors:>3} "
        f"(5xx {sum(1 for r in rows if r[2] >= 500)}, no answer {sum(1 for r in rows if r[2] == 0)})  "
        f"p95 search {fmt(p95['search'], 6, 0)} ms  detail {fmt(p95['detail'], 6, 0)} ms  "
        f"database answers {sum(1 for r in rows if r[4] == 'database'):>3}  load {os.getloadavg()[0]:.1f}"
    )


def print_tables(endpoints, phase_rows):
    print()
    print(f"{'endpoint':<26} {'requests':>8} {'errors':>6} {'5xx':>5} {'no ans':>6} {'db ans':>6} | {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for endpoint, f in endpoints.items():
        print(
            f"{ENDPOINT_LABELS[endpoint]:<26} {f['requests']:>8} {f['errors']:>6} {f['server_errors_5xx']:>5} {f['no_answer']:>6} {f['database_answers']:>6} | "
            f"{fmt(f['ms']['p50'])} {fmt(f['ms']['p95'])} {fmt(f['ms']['p99'])}"
        )
    print()
    print(f"{'phase':<26} {'seconds':>13} {'requests':>8} {'errors':>6} {'5xx':>5} {'no ans':>6} {'db ans':>6} | {'search p95':>10}")
    for f in phase_rows:
        print(
            f"{f['phase']:<26} {f['from_s']:>6.0f}–{f['to_s']:<6.0f} {f['requests']:>8} {f['errors']:>6} {f['server_errors_5xx']:>5} {f['no_answer']:>6} "
            f"{f['database_answers']:>6} | {fmt(f['search_p95_ms'], 10)}"
        )
        for endpoint, e in f["by_endpoint"].items():
            print(f"    {ENDPOINT_LABELS[endpoint]}: {', '.join(f'{n}× {s}' for s, n in e['error_statuses'].items())}")
    print("errors: any status other than the expected one (201 for a flag, 200 otherwise); no ans: no HTTP answer at all;")
    print("db ans: searches answered from the database fallback (not errors); latency: client side, answered requests")
    print("with the expected status.")


def goals(phase_rows, faults):
    by_phase = {}
    for f in phase_rows:
        by_phase.setdefault(f["phase"], 0)
        by_phase[f["phase"]] += f["errors"]
    steady = sum(n for phase, n in by_phase.items() if phase in ("baseline", "steady"))
    checks = [{"goal": "0 errors without faults (baseline, steady)", "value": steady, "met": steady == 0}]
    if faults is None:
        return checks
    engine_phases = ("engine down", "engine starting", "engine back, catching up")
    engine = sum(by_phase.get(p, 0) for p in engine_phases)
    checks.append({"goal": "0 errors while OpenSearch is down and coming back (answers from the database)", "value": engine, "met": engine == 0 and "engine down" in by_phase})
    searchable = faults.figures.get("searchable_after_engine_back_s")
    checks.append({"goal": f"edits made while OpenSearch was down searchable ≤ {GOAL_SEARCHABLE_S:.0f} s after it is back", "value": searchable, "met": searchable is not None and searchable <= GOAL_SEARCHABLE_S})
    after = by_phase.get("database back")
    checks.append({"goal": "after the PostgreSQL restart: 0 errors, app not restarted (errors only while it is down)", "value": after, "met": after == 0})
    return checks


# ---------------------------------------------------------------- main


def run_load(port, tokens, started):
    phases = Phases(started)
    recorder = Recorder(phases)
    stop = threading.Event()
    ramp = min(10.0, ARGS.duration / 10)
    agents = [Agent(n, token, port, recorder, stop, ramp * n / len(tokens)) for n, token in enumerate(tokens[:-1])]
    faults = Faults(phases, port, tokens[-1], stop) if ARGS.faults else None  # its own user: its searches count in no agent's limit
    for thread in agents + ([faults] if faults else []):
        thread.start()
    end, cap, shown = started + ARGS.duration, started + ARGS.duration + HARD_CAP_S, 0
    try:
        while now() < cap:
            if faults is not None and faults.done_at is not None:
                end = max(end, faults.done_at + 15)  # a quiet tail after the last fault
            if now() >= end and (faults is None or faults.done_at is not None):
                break
            time.sleep(max(0.0, min(ARGS.progress, cap - now())))
            upto = len(recorder.records)
            print(progress_line(phases, recorder.records[shown:upto], ARGS.progress), flush=True)
            shown = upto
    finally:
        stop.set()
        for thread in agents + ([faults] if faults else []):
            thread.join(timeout=60)
    finished = now() - started
    return recorder, phases, faults, finished, sum(a.client.reconnects for a in agents)


def main():
    engine = check_services()
    started_at = datetime.now(timezone.utc)
    code = code_version("kennisbank")
    print(f"load benchmark, {started_at:%Y-%m-%d %H:%M} UTC: {ARGS.agents} agents, {ARGS.duration:.0f} s, think {ARGS.think_min:g}–{ARGS.think_max:g} s{', with faults' if ARGS.faults else ''}")
    print(f"engine: {engine} at {settings.SEARCH_ENGINE_URL}, index prefix {settings.SEARCH_INDEX_PREFIX}; database: PostgreSQL {connection.settings_dict.get('NAME')}, pool {connection.settings_dict.get('OPTIONS', {}).get('pool')}")
    print(f"code: commit {code['commit']}" + (f", with uncommitted changes to {', '.join(code['modified'])}" if code["modified"] else ""))
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}, Python {platform.python_version()}; gunicorn {ARGS.workers} workers × {ARGS.threads} threads, settings {os.environ['DJANGO_SETTINGS_MODULE']}")

    from gemeenten.models import Gemeente

    if ARGS.skip_load:
        check_database_is_ours()
        rebuild = None
        print("content: reusing the database and indexes (--skip-load)")
    else:
        started = time.perf_counter()
        call_command("migrate", interactive=False, verbosity=0)
        check_database_is_ours()
        print(f"content: {load_demo()} (migrate + load_demo {time.perf_counter() - started:.1f} s)")
        rebuild = timed_rebuild(list(Gemeente.objects.filter(slug__in=DEMO_SLUGS)), "index rebuild")
        print(f"index rebuild: {rebuild['seconds']:.1f} s, documents {rebuild['documents']}")
    tokens = agent_tokens(ARGS.agents + 1)  # the last one probes for the edits
    connections.close_all()

    worker = Worker()
    server = Server(ARGS.workers, ARGS.threads, app="kennisbank.wsgi:application")
    faults = None
    try:
        server.wait_ready()
        print(f"gunicorn on 127.0.0.1:{server.port} (log {server.log.name}); outbox worker pid {worker.process.pid} (log {worker.log.name})")
        print()
        recorder, phases, faults, finished, reconnects = run_load(server.port, tokens, now())
        worker_exit = worker.process.poll()
    finally:
        worker.stop()
        server.stop()
        server_log = server.log_summary()
    records = list(recorder.records)
    endpoints = summary(records)
    phase_rows = phase_figures(records, phases, finished)
    print_tables(endpoints, phase_rows)
    print()
    print(f"wall time {finished:.0f} s; {len(records)} requests ({len(records) / finished:.1f}/s); GETs sent again after a closed keep-alive connection: {reconnects}")
    if faults is not None:
        print(f"faults: {json.dumps({k: v for k, v in faults.figures.items() if k not in ('edits',)}, ensure_ascii=False)}")
    print(
        f"gunicorn log ({server_log['log']}): {server_log['lines']} lines; {server_log['internal_server_errors']} 'Internal Server Error' "
        f"(5xx with a traceback, the first ones below); {server_log['engine_failed_fell_back_to_database']} 'search engine failed, answering "
        f"from the database'; {server_log['tracebacks']} tracebacks in all (the engine client logs each failed request with one)"
    )
    for excerpt in server.tracebacks(limit=3, announced_by="Internal Server Error"):
        print("  " + "\n  ".join(excerpt))
    print(f"outbox worker: {'still running at the end' if worker_exit is None else f'EXITED with status {worker_exit} during the run'}; last lines:")
    for line in worker.tail(8):
        print(f"  {line}")
    checks = goals(phase_rows, faults)
    if ARGS.faults and worker_exit is not None:
        checks.append({"goal": "the outbox worker survives the faults", "value": worker_exit, "met": False})
    print()
    print_goals(checks)
    if faults is not None:
        try:
            faults.heal()
        except Exception as exc:  # the figures are out; say what is left behind
            print(f"\nafter the run: could not restore the servers or undo the edits: {exc.__class__.__name__}: {exc}")
    write_results(
        f"load-{ARGS.agents}{'-faults' if ARGS.faults else ''}",
        0,
        {
            "started_at": started_at.isoformat(),
            "arguments": vars(ARGS),
            "engine": engine,
            "code": code,
            "cpu_count": os.cpu_count(),
            "gunicorn": {"workers": ARGS.workers, "threads": ARGS.threads},
            "rebuild": rebuild,
            "wall_s": round(finished, 1),
            "endpoints": endpoints,
            "phases": phase_rows,
            "faults": faults.figures if faults else None,
            "server_log": server_log,
            "worker_exit": worker_exit,
            "goals": checks,
        },
    )


if __name__ == "__main__":
    main()
