"""The outbox and index lifecycle under load: indexing gets its own (longer)
timeout, one process at a time applies tasks, and a change made while a
rebuild runs is not lost when the new index replaces the old one."""

import json
import threading
import uuid
from unittest import mock

import pytest
from django.db import connection, connections

from pdc.models import Product
from sharing.resolution import AGENT, PUBLIC
from tests.conftest import live_service_missing
from tests.factories import make_gemeente, make_product
from zoeken import engine, indexing, outbox
from zoeken.documents import document_id
from zoeken.models import IndexTask


def require_postgresql():
    if connection.vendor != "postgresql":
        live_service_missing(f"the test database is {connection.vendor}, not PostgreSQL")


def in_thread(function, name="other"):
    """Run `function` in another thread, so on its own database connection
    (like another server thread or the worker); returns its result."""
    result = {}

    def run():
        try:
            result["value"] = function()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name=name)
    thread.start()
    return thread, result


@pytest.mark.django_db
def test_indexing_uses_the_index_timeout_and_search_the_engine_timeout(settings, monkeypatch):
    settings.SEARCH_ENGINE = "opensearch"
    settings.SEARCH_ENGINE_TIMEOUT = 2
    settings.SEARCH_INDEX_TIMEOUT = 30
    timeouts = []

    def fake_client_for(kind, url, timeout):
        timeouts.append(timeout)
        client = mock.MagicMock()
        client.indices.exists_alias.return_value = False
        client.bulk.return_value = {"errors": False}
        client.search.return_value = {"hits": {"hits": []}}
        return client

    monkeypatch.setattr(engine, "_client_for", fake_client_for)
    gemeente = make_gemeente()
    IndexTask.objects.create(entry_type="pdc.product", entry_id=1)
    IndexTask.objects.create(gemeente=gemeente)

    indexing.ensure_indexes()
    indexing.rebuild()
    IndexTask.objects.create(entry_type="pdc.product", entry_id=1)
    IndexTask.objects.create(gemeente=gemeente)
    assert outbox.process() == (2, 0)
    indexing.refresh()
    assert timeouts and set(timeouts) == {30}

    timeouts.clear()
    engine.get_client()
    assert timeouts == [2], "user search keeps the short timeout"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_second_process_call_applies_nothing_while_one_is_running(settings, monkeypatch):
    require_postgresql()
    settings.SEARCH_ENGINE = "opensearch"
    for entry_id in (1, 2, 3):
        IndexTask.objects.create(entry_type="pdc.product", entry_id=entry_id)
    busy, release = threading.Event(), threading.Event()
    applied = []

    def slow_apply(model, entry_id, gemeente=None):
        applied.append((threading.current_thread().name, entry_id))
        if not busy.is_set():
            busy.set()
            release.wait(10)

    monkeypatch.setattr(indexing, "apply_entry", slow_apply)
    thread, worker = in_thread(outbox.process, name="worker")
    try:
        assert busy.wait(10), "the worker started applying"
        assert outbox.process() == (0, 3), "the second caller leaves the tasks to the worker"
    finally:
        release.set()
        thread.join(10)
    assert worker["value"] == (3, 0)
    assert applied == [("worker", 1), ("worker", 2), ("worker", 3)]
    assert not IndexTask.objects.pending().exists()


@pytest.fixture
def fresh_indexes(opensearch):
    yield opensearch
    for channel in (PUBLIC, AGENT):
        for name in indexing.current_indexes(opensearch, channel):
            opensearch.indices.delete(index=name, ignore_unavailable=True)


def indexed_text(client, channel, gemeente, entry):
    doc_id = document_id(gemeente.slug, "product", entry.pk)
    return json.dumps(client.get(index=indexing.alias(channel), id=doc_id)["_source"])


@pytest.mark.opensearch
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_change_applied_during_a_rebuild_is_in_the_new_index(fresh_indexes):
    require_postgresql()
    with outbox.deferred():
        gemeente = make_gemeente()
        product = make_product(summary_nl="Een paspoort aanvragen")
    indexing.rebuild()
    word = f"stempel{uuid.uuid4().hex[:6]}"
    others = []

    def edit_while_rebuilding(step):
        if others:
            return
        # The public index has just read the product; an editor saves it and
        # a server thread processes the outbox inline.
        with outbox.deferred():
            Product.objects.filter(pk=product.pk).update(summary_nl=f"Een paspoort {word}")
            outbox.enqueue(product, reason="entry")
        thread, result = in_thread(outbox.process)
        thread.join(30)
        others.append(result["value"])

    indexing.rebuild(progress=edit_while_rebuilding)
    indexing.refresh()
    assert others, "the edit happened during the rebuild"
    assert word in indexed_text(fresh_indexes, PUBLIC, gemeente, product)
    assert word in indexed_text(fresh_indexes, AGENT, gemeente, product)
    assert not IndexTask.objects.pending().exists()


@pytest.mark.django_db
def test_inline_processing_leaves_a_region_wide_change_to_the_worker(settings, monkeypatch):
    settings.SEARCH_ENGINE = "opensearch"
    monkeypatch.setattr(outbox, "INLINE_MAX_GEMEENTEN", 2, raising=False)
    first, second, third = make_gemeente(), make_gemeente(), make_gemeente()
    IndexTask.objects.all().delete()  # creating a gemeente queues its own re-index
    IndexTask.objects.create(entry_type="pdc.product", entry_id=1, gemeente=first)
    IndexTask.objects.create(entry_type="pdc.product", entry_id=2, reason="base edit: every gemeente")
    IndexTask.objects.create(entry_type="pdc.product", entry_id=3, gemeente=third)
    applied = []
    monkeypatch.setattr(indexing, "apply_entry", lambda model, entry_id, gemeente=None: applied.append(entry_id))

    outbox.process_soon()
    assert applied == [1], "inline: up to the region-wide task, which keeps its place in line"
    assert IndexTask.objects.pending().count() == 2 and not outbox.inline_breaker.open

    assert outbox.process() == (2, 0), "the worker applies it and what came after"
    assert applied == [1, 2, 3]
