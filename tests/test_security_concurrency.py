"""Many clients at once: PostgreSQL connections come from a bounded pool per
process (Django's psycopg pool), so a burst of concurrent requests waits
for a connection instead of opening one per thread until the server
refuses (the 500s of issue 11.8)."""

import importlib
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.error import HTTPError
from urllib.request import urlopen

import pytest
from django.db import connection
from django.db.backends.postgresql.base import DatabaseWrapper

from tests.conftest import live_service_missing
from tests.factories import make_gemeente, make_product, make_vac

CLIENTS = 40


@contextmanager
def settings_with(monkeypatch, **env):
    """kennisbank.settings.base as it comes out under these environment variables."""
    import kennisbank.settings.base as base

    for name, value in env.items():
        monkeypatch.setenv(name, value)
    try:
        yield importlib.reload(base)
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_postgresql_gets_a_bounded_pool_and_no_persistent_connections(monkeypatch):
    with settings_with(monkeypatch, DATABASE_URL="postgres://kb@db.example:5432/kb", DATABASE_POOL_MAX_SIZE="7") as base:
        database = base.DATABASES["default"]
    assert database["CONN_MAX_AGE"] == 0
    assert database["OPTIONS"]["pool"] == {"min_size": 2, "max_size": 7, "timeout": 10.0}
    # Django accepts it: the pool is built (not opened) from these settings.
    pool = DatabaseWrapper({**database, "TIME_ZONE": None, "AUTOCOMMIT": True, "ATOMIC_REQUESTS": False, "TEST": {}}, alias="pool-probe").pool
    try:
        assert (pool.min_size, pool.max_size, pool.timeout) == (2, 7, 10.0)
    finally:
        DatabaseWrapper._connection_pools.pop("pool-probe", None)

    with settings_with(monkeypatch, DATABASE_URL="postgres://kb@db.example:5432/kb", DATABASE_POOL="0", DATABASE_CONN_MAX_AGE="30") as base:
        database = base.DATABASES["default"]
    assert "pool" not in database.get("OPTIONS", {}) and database["CONN_MAX_AGE"] == 30

    with settings_with(monkeypatch, DATABASE_URL="") as base:
        assert "pool" not in base.DATABASES["default"].get("OPTIONS", {}), "SQLite has no pool"


def server_connections():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_forty_concurrent_clients_get_no_server_error_and_connections_stay_bounded(request, settings):
    if connection.vendor != "postgresql":
        live_service_missing(f"the suite runs on {connection.vendor}, not PostgreSQL")
    live_server = request.getfixturevalue("live_server")
    pool = connection.settings_dict["OPTIONS"].get("pool")
    assert pool, "PostgreSQL is used through the connection pool"
    settings.SEARCH_ENGINE = "none"
    make_gemeente("Roosendaal", slug="roosendaal")
    make_product(slug="paspoort", title_nl="Paspoort aanvragen")
    make_vac(slug="paspoort-kwijt", question_nl="Paspoort kwijt, wat nu?")
    api = f"{live_server.url}/api/v1"
    addresses = [
        f"{api}/gemeenten/roosendaal/zoeken?q=paspoort",
        f"{api}/gemeenten/roosendaal/zoeken?q=paspoort+kwijt",
        f"{api}/gemeenten/roosendaal/producten",
        f"{api}/gemeenten/roosendaal/producten/paspoort",
        f"{api}/gemeenten",
    ]
    start = threading.Barrier(CLIENTS)

    def fetch(address):
        start.wait()  # all at once
        try:
            with urlopen(address, timeout=120) as response:
                return response.status
        except HTTPError as error:
            return error.code

    peak = server_connections()
    with ThreadPoolExecutor(CLIENTS) as clients:
        requests = [clients.submit(fetch, addresses[n % len(addresses)]) for n in range(CLIENTS)]
        while not all(request.done() for request in requests):
            peak = max(peak, server_connections())
            time.sleep(0.02)
        statuses = [request.result() for request in requests]
    peak = max(peak, server_connections())

    assert [status for status in statuses if status >= 500] == []
    assert statuses.count(200) == CLIENTS, statuses
    assert peak <= pool["max_size"], f"{peak} connections to PostgreSQL; the pool allows {pool['max_size']}"
