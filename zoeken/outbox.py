"""The durable queue between content changes and the search index.

Every change writes an IndexTask in its own transaction; `process` applies
pending tasks in order. When the engine is down a task stays pending (with
its error) and processing stops there, so later tasks for the same entry
never overtake it; the next run picks up where this one stopped."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from .engine import Breaker, engine_kind
from .models import IndexTask

inline_breaker = Breaker(cool_down=30)
_inline = ContextVar("search_outbox_inline", default=True)


@contextmanager
def deferred():
    """Bulk writes (imports, demo loading): queue the changes but leave
    applying them to the worker or a rebuild, instead of after every save."""
    token = _inline.set(False)
    try:
        yield
    finally:
        _inline.reset(token)


def indexing_enabled():
    return engine_kind() != "none"


def enqueue(entry=None, *, gemeente_id=None, reason="", model=None, entry_id=None):
    if not indexing_enabled():
        return None
    model = model or (type(entry) if entry is not None else None)
    task = IndexTask.objects.create(
        entry_type=model._meta.label_lower if model else "",
        entry_id=entry_id if entry_id is not None else (entry.pk if entry is not None else None),
        gemeente_id=gemeente_id,
        reason=reason[:100],
    )
    if _inline.get():
        transaction.on_commit(process_soon)
    return task


def process(limit=None):
    """Apply pending tasks in order; returns (applied, remaining). Stops at
    the first task that fails, leaving it and everything after it pending."""
    from .indexing import apply_entry, apply_gemeente

    applied = 0
    for task in IndexTask.objects.pending()[:limit]:
        try:
            if task.entry_id:
                apply_entry(apps.get_model(task.entry_type), task.entry_id, task.gemeente)
            elif task.gemeente_id:
                apply_gemeente(task.gemeente)
            else:
                from .indexing import rebuild

                rebuild()
        except Exception as exc:  # engine down or refusing: keep the task, try later
            IndexTask.objects.filter(pk=task.pk).update(attempts=task.attempts + 1, last_error=repr(exc)[:2000])
            break
        IndexTask.objects.filter(pk=task.pk).update(done_at=timezone.now(), attempts=task.attempts + 1, last_error="")
        applied += 1
    return applied, IndexTask.objects.pending().count()


def process_soon():
    """Inline processing after a commit, so an edit shows up in search at
    once when the engine is up. A down engine is left alone for a while;
    the worker (`process_search_outbox --follow`) catches up."""
    if inline_breaker.open:
        return
    process(limit=100)
    if IndexTask.objects.pending().exclude(last_error="").exists():
        inline_breaker.failure()
    else:
        inline_breaker.success()


def mark_done_up_to(task_id):
    """A rebuild read the database after these tasks: they are applied."""
    IndexTask.objects.filter(pk__lte=task_id, done_at__isnull=True).update(done_at=timezone.now())


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
