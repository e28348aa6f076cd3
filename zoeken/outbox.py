"""The durable, ordered log between content changes and the search index,
drained by a django-tasks task (docs/decisions/0001-background-work.md).

Every change writes an IndexTask in its own transaction; after the commit
a `drain` task is enqueued (once per transaction) and applies every pending
task in order: with the immediate backend (demo, tests) right after the
commit in the same process, with the database backend in the task worker.
When the engine is down a task stays pending (with its error) and
processing stops there, so later tasks for the same entry never overtake
it; a drain retried later, the next change's drain or `process_search_outbox`
picks up where this one stopped."""

import threading
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import timedelta

from django.apps import apps
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from gemeenten.models import Gemeente

from .engine import Breaker, engine_kind
from .models import IndexTask

breaker = Breaker(cool_down=30)  # per process: an engine that failed is left alone this long
INLINE_MAX_GEMEENTEN = 10  # in a request, a base edit in a larger region is left to a worker
_inline = ContextVar("search_outbox_inline", default=True)
_retry = {"at": None}  # when this process's retry of a failed drain runs


@contextmanager
def deferred():
    """Bulk writes (imports, demo loading): queue the changes but enqueue
    no drain after every save; a later drain, the command or a rebuild
    applies them."""
    token = _inline.set(False)
    try:
        yield
    finally:
        _inline.reset(token)


def indexing_enabled():
    return engine_kind() != "none"


def enqueue(entry=None, *, gemeente_id=None, reason="", model=None, entry_id=None):
    """Write a change's outbox task, in its transaction (None without an
    engine); `drain_on_commit` then wakes the drain."""
    if not indexing_enabled():
        return None
    model = model or (type(entry) if entry is not None else None)
    return IndexTask.objects.create(
        entry_type=model._meta.label_lower if model else "",
        entry_id=entry_id if entry_id is not None else (entry.pk if entry is not None else None),
        gemeente_id=gemeente_id,
        reason=reason[:100],
    )


def drain_on_commit():
    """Wake the background work: after the commit, enqueue one `drain`
    (once per transaction; none inside `deferred()`). Robust: an enqueue
    that fails loses no change, the tasks stay in the outbox for the next
    drain."""
    if not indexing_enabled() or not _inline.get():
        return
    current = transaction.get_connection()
    if current.in_atomic_block and any(callback is _enqueue_drain for _, callback, _ in current.run_on_commit):
        return
    transaction.on_commit(_enqueue_drain, robust=True)


def _enqueue_drain():
    drain.enqueue()


LOCK_KEY = 0x6B625F6F7574626F  # "kb_outbo": any constant both processes agree on
_local_lock = threading.RLock()


@contextmanager
def processing_lock(wait=False):
    """Only one process applies tasks at a time, else two could apply the
    same tasks concurrently and out of order. Yields whether this caller
    holds the lock; `wait` blocks until it does. PostgreSQL: a session
    advisory lock, released at the latest when the connection closes.
    Elsewhere (SQLite, the demo): a lock within this process only."""
    if connection.vendor == "postgresql":
        acquired, release = _advisory_lock(wait), _advisory_unlock
    else:
        acquired, release = _local_lock.acquire(blocking=wait), _local_lock.release
    try:
        yield acquired
    finally:
        if acquired:
            release()


def _advisory_lock(wait):
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
            return True
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        return cursor.fetchone()[0]


def _advisory_unlock():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


def process(limit=None, inline=False):
    """Apply pending tasks in order; returns (applied, remaining). Stops at
    the first task that fails, leaving it and everything after it pending,
    and `inline` (in a request) at the first task too wide for a request.
    While another process holds the lock this returns at once: the holder
    applies the tasks, also the ones queued while it was busy."""
    applied = 0
    while limit is None or applied < limit:
        with processing_lock() as acquired:
            if not acquired:
                break
            count, stopped = _apply_pending(None if limit is None else limit - applied, inline)
            applied += count
        # A task committed while we held the lock may have found it taken:
        # look again after releasing it, so that task is not left behind.
        if stopped or not IndexTask.objects.pending().exists():
            break
    return applied, IndexTask.objects.pending().count()


BATCH_SIZE = 500  # pending tasks applied together


def _apply_pending(limit, inline):
    """(applied, stopped): apply pending tasks in id order until none are
    left or `limit` is reached; stopped when a task failed or was left for
    the worker."""
    applied = 0
    while limit is None or applied < limit:
        pending = list(IndexTask.objects.pending()[: BATCH_SIZE if limit is None else min(BATCH_SIZE, limit - applied)])
        if not pending:
            return applied, False
        batch = _next_batch(pending, inline)
        if not batch or not _apply_batch(batch):
            return applied, True
        applied += len(batch)
    return applied, False


def _next_batch(pending, inline):
    """The tasks to apply together: those before the first one too wide
    for a request (inline), and a full rebuild on its own."""
    batch = []
    for item in pending:
        if inline and _too_wide_for_a_request(item):
            break
        if not item.entry_id and not item.gemeente_id:
            return batch or [item]
        batch.append(item)
    return batch


def _apply_batch(tasks):
    """Apply tasks that were pending together, all or none. Applying a task
    writes what the database holds now, so the tasks of one entry are
    applied once for all the gemeenten they name (a shared edit and the
    overrides it flagged as stale: one pass, not one per gemeente)."""
    if len(tasks) == 1:
        return _apply(tasks[0])
    from .indexing import apply_entry, apply_gemeente

    entries, gemeenten = {}, {}
    for item in tasks:
        if item.entry_id:
            targets = entries.setdefault((item.entry_type, item.entry_id), set())
            targets.add(item.gemeente_id)  # None: every gemeente
        else:
            gemeenten[item.gemeente_id] = True
    try:
        for gemeente in Gemeente.objects.filter(pk__in=gemeenten).order_by("pk"):
            apply_gemeente(gemeente)
        for (entry_type, entry_id), targets in entries.items():
            model = apps.get_model(entry_type)
            if None in targets:
                apply_entry(model, entry_id)
            elif len(targets) == 1:
                apply_entry(model, entry_id, Gemeente.objects.get(pk=targets.pop()))
            else:
                apply_entry(model, entry_id, gemeenten=list(Gemeente.objects.filter(pk__in=targets).order_by("pk")))
    except Exception as exc:  # engine down or refusing: keep the tasks, try later
        first = tasks[0]
        IndexTask.objects.filter(pk=first.pk).update(attempts=first.attempts + 1, last_error=repr(exc)[:2000])
        return False
    IndexTask.objects.filter(pk__in=[item.pk for item in tasks]).update(done_at=timezone.now(), attempts=F("attempts") + 1, last_error="")
    return True


def _too_wide_for_a_request(task):
    """A task for every gemeente (a base entry edited or deleted, or a full
    rebuild) in a large region takes too long to apply while the editor
    waits: the worker does it."""
    if task.gemeente_id:
        return False
    return not task.entry_id or Gemeente.objects.count() > INLINE_MAX_GEMEENTEN


def _apply(task):
    from .indexing import apply_entry, apply_gemeente, rebuild

    try:
        if task.entry_id:
            apply_entry(apps.get_model(task.entry_type), task.entry_id, task.gemeente)
        elif task.gemeente_id:
            apply_gemeente(task.gemeente)
        else:
            rebuild()
    except Exception as exc:  # engine down or refusing: keep the task, try later
        IndexTask.objects.filter(pk=task.pk).update(attempts=task.attempts + 1, last_error=repr(exc)[:2000])
        return False
    IndexTask.objects.filter(pk=task.pk).update(done_at=timezone.now(), attempts=task.attempts + 1, last_error="")
    return True


@task()
def drain(retry=False):
    """Apply the outbox. Run by the immediate backend right after the
    commit, in the request (at most 100 tasks, none too wide for a
    request: those wait for a worker or the command); by the worker of a
    deferring backend (the database backend in production) entirely.

    A down engine is left alone for `breaker.cool_down` seconds: drains in
    between return at once, and a worker schedules one retry for when it
    ends, so the outbox catches up without a new change."""
    if breaker.open and not retry:
        return 0
    in_request = isinstance(drain.get_backend(), ImmediateBackend)
    applied, _ = process(limit=100 if in_request else None, inline=in_request)
    if IndexTask.objects.pending().exclude(last_error="").exists():
        breaker.failure()
        _schedule_retry()
    else:
        breaker.success()
    return applied


def _schedule_retry():
    """One future retry per process at a time."""
    now = timezone.now()
    if not drain.get_backend().supports_defer or (_retry["at"] and _retry["at"] > now):
        return
    _retry["at"] = now + timedelta(seconds=breaker.cool_down)
    drain.using(run_after=_retry["at"]).enqueue(retry=True)


def snapshot():
    """When a rebuild starts, and which tasks are pending (committed) then."""
    return timezone.now(), list(IndexTask.objects.pending().values_list("pk", flat=True))


def settle_after_rebuild(before):
    """After the swap: the rebuild read the database after the tasks pending
    at its start were committed, so those are applied; tasks queued during
    the rebuild stay pending. Tasks another process applied to the old index
    meanwhile (possible only where the lock is process-local: SQLite) are
    made pending again."""
    started_at, covered = before
    IndexTask.objects.filter(done_at__gte=started_at).update(done_at=None)
    now = timezone.now()
    for start in range(0, len(covered), 1000):
        IndexTask.objects.filter(pk__in=covered[start : start + 1000]).update(done_at=now)


def lag():
    pending = IndexTask.objects.pending()
    oldest = pending.first()
    return {
        "pending": pending.count(),
        "oldest_pending_at": oldest.created_at if oldest else None,
        "lag_seconds": (timezone.now() - oldest.created_at).total_seconds() if oldest else 0.0,
        "last_error": oldest.last_error if oldest else "",
        "failed_attempts": oldest.attempts if oldest else 0,
    }
