"""The outbox and index lifecycle under load: indexing gets its own (longer)
timeout, one process at a time applies tasks, and a change made while a
rebuild runs is not lost when the new index replaces the old one."""

import json
import threading
import uuid
from unittest import mock

import pytest
from django.db import connection, connections, transaction
from django.utils import timezone

from pdc.models import Product
from sharing.resolution import AGENT, PUBLIC
from tests.conftest import live_service_missing
from tests.factories import make_gemeente, make_product, municipal_curator
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
def test_a_drain_in_the_request_leaves_a_region_wide_change_to_the_worker(settings, monkeypatch):
    settings.SEARCH_ENGINE = "opensearch"
    monkeypatch.setattr(outbox, "INLINE_MAX_GEMEENTEN", 2, raising=False)
    first, second, third = make_gemeente(), make_gemeente(), make_gemeente()
    IndexTask.objects.all().delete()  # creating a gemeente queues its own re-index
    IndexTask.objects.create(entry_type="pdc.product", entry_id=1, gemeente=first)
    IndexTask.objects.create(entry_type="pdc.product", entry_id=2, reason="base edit: every gemeente")
    IndexTask.objects.create(entry_type="pdc.product", entry_id=3, gemeente=third)
    applied = []
    monkeypatch.setattr(indexing, "apply_entry", lambda model, entry_id, gemeente=None: applied.append(entry_id))

    outbox.drain.enqueue()  # the immediate backend (demo, tests): runs here, as in the editor's request
    assert applied == [1], "in the request: up to the region-wide task, which keeps its place in line"
    assert IndexTask.objects.pending().count() == 2 and not outbox.breaker.open

    assert outbox.process() == (2, 0), "the worker applies it and what came after"
    assert applied == [1, 2, 3]


# The drain on django-tasks (docs/decisions/0001-background-work.md) ---------------------


def dummy_backend(settings):
    """A deferring backend that only records what is enqueued (as the
    database backend would, for a worker to run)."""
    from django_tasks import default_task_backend

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    return default_task_backend


def drains(backend):
    return [result for result in backend.results if result.task.func is outbox.drain.func]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_writes_its_outbox_task_in_its_transaction_and_wakes_one_drain_after_the_commit(settings, monkeypatch):
    from sharing.overrides import set_override

    settings.SEARCH_ENGINE = "opensearch"
    backend = dummy_backend(settings)
    outbox.breaker.success()
    applied = []
    monkeypatch.setattr(indexing, "apply_entry", lambda model, entry_id, gemeente=None: applied.append((entry_id, gemeente)))
    gemeente = make_gemeente()
    curator = municipal_curator(gemeente)
    IndexTask.objects.all().delete()
    backend.clear()
    with transaction.atomic():
        product = make_product(summary_nl="Een paspoort")
        other = make_product(summary_nl="Een rijbewijs")
        set_override(product, gemeente, "summary_nl", "Een paspoort in Testgemeente", curator)
        assert IndexTask.objects.pending().count() == 3, "the outbox rows are written in the transaction"
        assert drains(backend) == [], "nothing is enqueued before the commit"
    assert len(drains(backend)) == 1, "one drain per transaction, after the commit"
    assert IndexTask.objects.pending().count() == 3, "a deferring backend: the request applied nothing"
    assert applied == []

    assert outbox.drain.call() == 3  # what the worker does with it
    assert applied == [(product.pk, None), (other.pk, None)], "in the order of the changes; the override's with the product's, for every gemeente at once"
    assert not IndexTask.objects.pending().exists()


@pytest.mark.django_db
def test_bulk_writes_in_deferred_wake_no_drain_and_nothing_without_an_engine(settings, django_capture_on_commit_callbacks):
    backend = dummy_backend(settings)
    settings.SEARCH_ENGINE = "opensearch"
    with django_capture_on_commit_callbacks(execute=True), outbox.deferred():
        make_product()
    assert IndexTask.objects.pending().exists() and drains(backend) == []

    settings.SEARCH_ENGINE = "none"
    IndexTask.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        make_product()
    assert not IndexTask.objects.exists() and drains(backend) == []


@pytest.mark.django_db
def test_a_failing_drain_keeps_the_tasks_and_a_worker_schedules_one_retry(settings, monkeypatch):
    settings.SEARCH_ENGINE = "opensearch"
    backend = dummy_backend(settings)
    monkeypatch.setattr(outbox, "_retry", {"at": None})
    outbox.breaker.success()
    IndexTask.objects.create(entry_type="pdc.product", entry_id=1)
    IndexTask.objects.create(entry_type="pdc.product", entry_id=2)

    def engine_down(model, entry_id, gemeente=None):
        raise ConnectionError("engine down")

    monkeypatch.setattr(indexing, "apply_entry", engine_down)
    try:
        assert outbox.drain.call() == 0
        assert outbox.breaker.open
        assert IndexTask.objects.pending().count() == 2, "nothing is lost, nothing overtakes the failed task"
        assert "engine down" in IndexTask.objects.pending().first().last_error
        retries = drains(backend)
        assert len(retries) == 1 and retries[0].kwargs == {"retry": True} and retries[0].task.run_after > timezone.now()

        assert outbox.drain.call() == 0, "while the engine cools down a new change's drain returns at once"
        assert len(drains(backend)) == 1, "one retry scheduled per process, not one per change"

        applied = []
        monkeypatch.setattr(indexing, "apply_entry", lambda model, entry_id, gemeente=None: applied.append(entry_id))
        assert outbox.drain.call(retry=True) == 2, "the retry runs although the breaker is open"
        assert applied == [1, 2] and not IndexTask.objects.pending().exists() and not outbox.breaker.open
    finally:
        outbox.breaker.success()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_task_worker_runs_the_drain_a_save_enqueued_on_the_database_backend(settings, monkeypatch):
    from django.core.management import call_command
    from django_tasks_db.models import DBTaskResult

    settings.SEARCH_ENGINE = "opensearch"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    outbox.breaker.success()
    applied = []
    monkeypatch.setattr(indexing, "apply_entry", lambda model, entry_id, gemeente=None: applied.append(entry_id))
    product = make_product()
    assert applied == [] and IndexTask.objects.pending().exists(), "the editor's request applied nothing"
    assert DBTaskResult.objects.filter(task_path="zoeken.outbox.drain").count() == 1

    call_command("task_worker", "--batch", "--no-startup-delay", verbosity=0)
    assert applied == [product.pk] and not IndexTask.objects.pending().exists()
    assert DBTaskResult.objects.get(task_path="zoeken.outbox.drain").status == "SUCCESSFUL"


@pytest.mark.django_db
def test_each_kind_of_content_write_queues_what_it_re_indexes(settings):
    """zoeken/signals.py finds entries, overrides and agent notes through the
    registered kinds; the gemeente's own texts re-index its entries."""
    import datetime

    from gemeenten.models import Location, OpeningHours
    from kennis.models import AgentNote
    from pdc.models import Theme
    from sharing.models import Variable, VariableValue
    from sharing.overrides import set_override
    from tests.factories import make_vac

    settings.SEARCH_ENGINE = "opensearch"
    dummy_backend(settings)  # queue the drains, run none
    gemeente = make_gemeente()
    curator = municipal_curator(gemeente)
    product, vac = make_product(), make_vac()
    theme = Theme.objects.create(name="Reizen", slug="reizen")

    def queued(write):
        IndexTask.objects.all().delete()
        write()
        return [(t.entry_type, t.entry_id, t.gemeente_id) for t in IndexTask.objects.order_by("pk")]

    assert queued(lambda: product.save()) == [("pdc.product", product.pk, None)]
    assert queued(lambda: set_override(vac, gemeente, "answer_nl", "<p>Lokaal.</p>", curator)) == [("kennis.vac", vac.pk, gemeente.pk)]
    assert queued(lambda: AgentNote.objects.create(kind="intake", title="Let op", vac=vac, gemeente=gemeente)) == [("kennis.vac", vac.pk, gemeente.pk)]
    assert queued(lambda: AgentNote.objects.create(kind="intake", title="Let op", product=product, gemeente=gemeente)) == [("pdc.product", product.pk, gemeente.pk)]
    assert set(queued(lambda: (product.themes.add(theme), product.save()))) == {("pdc.product", product.pk, None)}
    location = Location.objects.create(gemeente=gemeente, name="Stadskantoor")
    assert queued(lambda: OpeningHours.objects.create(location=location, weekday=0, opens=datetime.time(9), closes=datetime.time(17))) == [("", None, gemeente.pk)]
    variable = Variable.objects.create(key="leges.test", label="leges")
    assert queued(lambda: VariableValue.objects.create(variable=variable, gemeente=gemeente, value="10")) == [("", None, gemeente.pk)]
    assert queued(lambda: variable.save()) == [("", None, None)]
    assert queued(lambda: theme.save()) == [], "a theme's name is not in the documents"
    pk = vac.pk
    assert set(queued(vac.delete)) == {("kennis.vac", pk, gemeente.pk), ("kennis.vac", pk, None)}, "its override and note go with it"


@pytest.mark.django_db
def test_a_shared_edit_reaches_every_gemeente_in_the_same_number_of_queries_for_3_or_12_gemeenten(settings, monkeypatch):
    """Issue 15 (342 gemeenten): applying a shared entry's change resolves
    it for all gemeenten in one pass (one query for the entry, one for its
    overrides, one for notes, one for the variable values …) and sends the
    documents in bulk: the queries do not grow with the gemeenten."""
    import datetime

    from django.test.utils import CaptureQueriesContext

    from gemeenten.models import Location, OpeningHours
    from kennis.models import AgentNote
    from pdc.models import ProductOverride
    from sharing.models import Variable, VariableValue

    settings.SEARCH_ENGINE = "opensearch"
    requests = []

    def fake_client_for(kind, url, timeout):
        client = mock.MagicMock()
        client.bulk.side_effect = lambda body: requests.append(body) or {"errors": False}
        return client

    monkeypatch.setattr(engine, "_client_for", fake_client_for)
    fee = Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")
    product = make_product(summary_nl="Kost {{ leges.paspoort }}", costs_nl="<p>Open {{ gemeente.openingstijden }}</p>")
    AgentNote.objects.create(kind="intake", title="Gedeeld", product=product)

    def add_gemeente(number):
        gemeente = make_gemeente()
        VariableValue.objects.create(variable=fee, gemeente=gemeente, value=f"{number}.50")
        location = Location.objects.create(gemeente=gemeente, name="Stadskantoor")
        OpeningHours.objects.create(location=location, weekday=0, opens=datetime.time(9), closes=datetime.time(17))
        ProductOverride.objects.create(entry=product, gemeente=gemeente, field_name="title_nl", value=f"Paspoort in {gemeente.name}")
        AgentNote.objects.create(kind="intake", title=f"Alleen {gemeente.name}", product=product, gemeente=gemeente)

    def fan_out():
        requests.clear()
        with CaptureQueriesContext(connection) as queries:
            indexing.apply_entry(Product, product.pk)
        operations = [line for body in requests for line in body if "index" in line]
        return len(queries), len(operations), len(requests)

    for number in range(3):
        add_gemeente(number)
    small = fan_out()
    for number in range(3, 12):
        add_gemeente(number)
    large = fan_out()

    assert small[1:] == (2 * 3, 2) and large[1:] == (2 * 12, 2), "one bulk request per channel with every gemeente's document"
    assert large[0] == small[0], f"{small[0]} queries for 3 gemeenten, {large[0]} for 12"
    assert small[0] <= 16


@pytest.mark.django_db
def test_the_tasks_of_one_entry_pending_together_are_applied_once_for_all_the_gemeenten_they_name(settings, monkeypatch):
    """A shared edit queues one task for every gemeente and one per gemeente
    whose override it flags as stale: applied in one pass, not one per gemeente."""
    settings.SEARCH_ENGINE = "opensearch"
    first, second = make_gemeente(), make_gemeente()
    IndexTask.objects.all().delete()
    for entry_id, gemeente in ((1, first), (1, second), (2, first), (2, None), (2, second)):
        IndexTask.objects.create(entry_type="pdc.product", entry_id=entry_id, gemeente=gemeente)
    calls = []

    def apply_entry(model, entry_id, gemeente=None, gemeenten=None):
        calls.append((entry_id, gemeente, [g.pk for g in gemeenten] if gemeenten else None))

    monkeypatch.setattr(indexing, "apply_entry", apply_entry)
    assert outbox.process() == (5, 0)
    assert calls == [(1, None, [first.pk, second.pk]), (2, None, None)]
    assert not IndexTask.objects.pending().exists()
