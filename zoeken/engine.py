"""Connection to the search engine configured in settings.

The engine kind decides the client: opensearch-py for OpenSearch,
elasticsearch-py for Elasticsearch (the official client refuses to talk to
OpenSearch). Request bodies are built with elasticsearch.dsl and are the
same for both.
"""

import time
from functools import lru_cache

from django.conf import settings

ENGINE_KINDS = ("opensearch", "elasticsearch", "none")
POOL_SIZE = 16


class EngineNotConfigured(RuntimeError):
    pass


def engine_kind():
    kind = settings.SEARCH_ENGINE
    if kind not in ENGINE_KINDS:
        raise EngineNotConfigured(
            f"SEARCH_ENGINE={kind!r} is not supported; use one of {', '.join(ENGINE_KINDS)}."
        )
    return kind


def engine_hosts(url):
    """The nodes of SEARCH_ENGINE_URL: one address, or several separated by commas."""
    return [host.strip() for host in url.split(",") if host.strip()]


@lru_cache(maxsize=4)
def _client_for(kind, url, timeout):
    hosts = engine_hosts(url)
    # A node that refuses the connection is marked dead and the request goes
    # to the next node; one node: no retry, the breaker and the database
    # fallback take over. A timeout is never retried (it would double the wait).
    retries = len(hosts) - 1
    if kind == "opensearch":
        from opensearchpy import OpenSearch

        # One connection per server thread, not a single shared one.
        return OpenSearch(hosts=hosts, timeout=timeout, max_retries=retries, retry_on_timeout=False, pool_maxsize=POOL_SIZE)
    if kind == "elasticsearch":
        from elasticsearch import Elasticsearch

        return Elasticsearch(hosts, request_timeout=timeout, max_retries=retries, retry_on_timeout=False, connections_per_node=POOL_SIZE)
    raise EngineNotConfigured("No search engine configured (SEARCH_ENGINE=none).")


def get_client(timeout=None):
    """The client for the configured engine; raises EngineNotConfigured for 'none'.
    Requests give up after `timeout` seconds (default: the search timeout)."""
    if timeout is None:
        timeout = settings.SEARCH_ENGINE_TIMEOUT
    return _client_for(engine_kind(), settings.SEARCH_ENGINE_URL, timeout)


def indexing_client():
    """The client for indexing: bulk requests and index creation may take
    longer than a search is allowed to."""
    return get_client(timeout=settings.SEARCH_INDEX_TIMEOUT)


def engine_status():
    """A small report for health checks: which engine, and does it answer."""
    kind = engine_kind()
    if kind == "none":
        return {"kind": "none", "reachable": None, "detail": "database search"}
    try:
        info = get_client().info()
    except Exception as exc:  # any transport error means: not reachable now
        return {"kind": kind, "reachable": False, "detail": exc.__class__.__name__}
    version = info.get("version", {})
    return {
        "kind": kind,
        "reachable": True,
        "detail": f"{version.get('distribution', 'elasticsearch')} {version.get('number', '?')}",
    }


class Breaker:
    """Remembers that the engine failed, so requests in the next few seconds
    go straight to the database instead of each waiting for a timeout."""

    def __init__(self, cool_down):
        self.cool_down = cool_down
        self.failed_at = None

    @property
    def open(self):
        return self.failed_at is not None and time.monotonic() - self.failed_at < self.cool_down

    def failure(self):
        self.failed_at = time.monotonic()

    def success(self):
        self.failed_at = None
