import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.db import transaction

REQUIRE_LIVE = os.environ.get("KENNISBANK_REQUIRE_LIVE") == "1"


def live_service_missing(message):
    """A live server a test needs is not there: in CI (make test) that is a
    failure, never a silent skip; on a developer's quick run it is a skip
    whose reason is printed (pytest -ra)."""
    if REQUIRE_LIVE:
        pytest.fail(f"{message} (KENNISBANK_REQUIRE_LIVE=1: live services are required)", pytrace=False)
    pytest.skip(f"{message}; run `make test` for the live suite")


@pytest.fixture
def opensearch(settings):
    """A client for the live OpenSearch node of this test run."""
    from zoeken.engine import get_client

    if settings.SEARCH_ENGINE != "opensearch":
        live_service_missing(f"SEARCH_ENGINE is {settings.SEARCH_ENGINE!r}, not 'opensearch'")
    client = get_client()
    try:
        client.info()
    except Exception as exc:
        live_service_missing(f"OpenSearch at {settings.SEARCH_ENGINE_URL} is not reachable: {exc!r}")
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache, as it starts with the
    database as it was: a test that writes without signals (update())
    must not meet values cached by an earlier test (the database rolls
    back to the same content version, so neither may this process's own)."""
    from sharing import cache as content_cache

    content_cache.clear()


@pytest.fixture
def demo(db):
    from django.core.management import call_command

    call_command("load_demo", port=80, sites_only=True, stdout=open(os.devnull, "w"))


@contextmanager
def without_wagtail_admin_indexes():
    """Saves update neither Wagtail's admin search index nor its reference
    index (a third of loading the demo); no test of the demo reads them."""
    from django.db.models.signals import post_save
    from modelsearch import index
    from modelsearch.signal_handlers import post_save_signal_handler
    from wagtail.signal_handlers import disable_reference_index_auto_update

    indexed = [model for model in index.get_indexed_models() if post_save.disconnect(post_save_signal_handler, sender=model)]
    try:
        with disable_reference_index_auto_update():
            yield
    finally:
        for model in indexed:
            post_save.connect(post_save_signal_handler, sender=model)


@pytest.fixture(scope="module")
def full_demo(django_db_setup, django_db_blocker):
    """The whole demo content (our fixtures plus the municipal UPL), loaded
    once per test module inside a transaction that is rolled back after the
    module, like Django's TestCase.setUpTestData. Tests still need `db`."""
    from django.core.management import call_command

    from gemeenten.models import Gemeente

    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            # Without the demo's flags, suggestions and MI data: tests count their own.
            with without_wagtail_admin_indexes():
                call_command("load_demo", port=80, no_activity=True, stdout=open(os.devnull, "w"))
            yield {gemeente.slug: gemeente for gemeente in Gemeente.objects.all()}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


REPORT = []


def report(line):
    """A figure for the end of the test run (hit rates and the like)."""
    REPORT.append(line)


def pytest_terminal_summary(terminalreporter):
    if REPORT:
        terminalreporter.section("kennisbank figures")
        for line in REPORT:
            terminalreporter.write_line(line)


@pytest.fixture(scope="module")
def live_index(full_demo, django_db_blocker):
    """Fresh public and agent indexes of the full demo on the live engine,
    deleted after the module."""
    from django.conf import settings

    from zoeken import indexing, service
    from zoeken.engine import get_client

    if settings.SEARCH_ENGINE != "opensearch":
        live_service_missing(f"SEARCH_ENGINE is {settings.SEARCH_ENGINE!r}, not 'opensearch'")
    client = get_client()
    try:
        client.info()
    except Exception as exc:
        live_service_missing(f"OpenSearch at {settings.SEARCH_ENGINE_URL} is not reachable: {exc!r}")
    with django_db_blocker.unblock():
        indexing.rebuild()
    service.breaker.success()
    yield client
    for channel in ("public", "agent"):
        for name in indexing.current_indexes(client, channel):
            client.indices.delete(index=name, ignore_unavailable=True)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def browser(monkeypatch):
    """Debian's headless Chromium, driven by Playwright (scripts/ensure-browser-tools.sh)."""
    # Playwright's sync API keeps an event loop in this thread; the ORM calls
    # of the test run between its calls, never concurrently.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not os.path.exists(CHROMIUM):
        live_service_missing(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        live_service_missing(f"Playwright is not installed: {exc}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def axe_source():
    """axe-core's script, to evaluate in a page (an injected <script> would
    meet the Content-Security-Policy)."""
    if not AXE.exists():
        live_service_missing(f"axe-core is not installed at {AXE} (scripts/ensure-browser-tools.sh)")
    return AXE.read_text(encoding="utf-8") + "\n;undefined"
