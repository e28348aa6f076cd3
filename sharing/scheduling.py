"""Scheduled changes: live on a date, agents first.

- A shared or local entry is scheduled with Wagtail's "live vanaf" /
  "verloopt op" (go_live_at / expire_at); its approved revision waits for
  Wagtail's `publish_scheduled`. `agents_from` lets the contact centre see
  a not yet public entry earlier ("KCC vanaf 27 december, publiek vanaf
  1 januari"): the agent channel shows it from then, the public channel
  only once it is live.
- An override change with a "live vanaf" waits as an `OverrideChange`
  (sharing/workflow.py) and is applied by the same command.
- A fee (a variable value) has its "geldig vanaf" date; resolution picks
  the value in force, the cache key holds the date (sharing/cache.py).

Everything that becomes due without a save (an entry reaching agents, a
variable value taking effect) is re-indexed and bumps the content version
in `run`, which `manage.py publish_scheduled` calls after Wagtail's own
publishing (whose saves go through sharing/effects.py like any save)."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone


def agents_early_filter(now=None):
    """Not yet live entries that agents already see: an approved, scheduled
    revision is the latest one (a later draft hides it again) and its
    `agents_from` has passed."""
    return Q(
        live=False,
        expired=False,
        agents_from__lte=now or timezone.now(),
        latest_revision__approved_go_live_at__isnull=False,
    )


def shown_to_agents_early(entry, now=None):
    if entry.live or entry.expired or not entry.agents_from or entry.agents_from > (now or timezone.now()):
        return False
    revision = entry.latest_revision
    return revision is not None and revision.approved_go_live_at is not None


def _last_run(now):
    from .workflow_models import ScheduleRun

    run = ScheduleRun.objects.select_for_update().first()
    if run is None:
        return ScheduleRun.objects.create(ran_at=now), None
    return run, run.ran_at


@transaction.atomic
def run(now=None):
    """Apply what became due since the last run; returns a short report."""
    from .effects import changed
    from .kinds import kinds
    from .models import VariableValue
    from .workflow import apply_change
    from .workflow_models import OverrideChange

    now = now or timezone.now()
    schedule, since = _last_run(now)
    due = OverrideChange.objects.scheduled().filter(go_live_at__lte=now).select_related("gemeente")
    applied = [apply_change(change) for change in due]

    reached = 0
    for kind in kinds():
        entries = kind.model.objects.filter(agents_early_filter(now))
        if since:
            entries = entries.filter(agents_from__gt=since)
        for entry in entries:
            changed(kind.model, entry)  # re-index and a new content version, as a save would
            reached += 1

    today = timezone.localdate(now)
    values = VariableValue.objects.filter(valid_from__lte=today)
    values = values.filter(valid_from__gt=timezone.localdate(since)) if since else values.filter(valid_from=today)
    for value in values:
        changed(VariableValue, value)

    schedule.ran_at = now
    schedule.save()
    return {"override_changes": len(applied), "entries_for_agents": reached, "variable_values": values.count()}

