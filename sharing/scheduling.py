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
  With its own `agents_from` a later value is in force on the agent
  channel from then on (`VariableValueQuerySet.in_force_many(agents_at=)`,
  `GemeenteContext.load(agents=True)`); an entry whose text uses it is
  marked with the value's date (`public_from`).
- Agents first for changes of live content: an approved, scheduled change
  of a live entry (Wagtail's scheduled revision, whose "voor
  KCC-medewerkers vanaf" has passed) and a scheduled override change with
  its own `agents_from` are what the agent channel resolves, marked with
  the date they go public (`public_from`); the public channel keeps the
  live text until then (`as_agents_see`, `pending_override_changes`,
  applied by sharing/resolution.py for the agent channel only).

Everything that becomes due without a save (an entry reaching agents, a
variable value taking effect) is re-indexed and bumps the content version
in `run`, which `manage.py publish_scheduled` calls after Wagtail's own
publishing (whose saves go through sharing/effects.py like any save)."""

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone


def agents_date_error(agents_from, goes_public, public_label="live vanaf"):
    """The Dutch error for a "voor KCC-medewerkers vanaf" that does not come
    before the change goes public (`goes_public`, named `public_label` in
    the form), or None when it is fine. One rule for every held change."""
    if not agents_from:
        return None
    if not goes_public:
        return f"Alleen bij een geplande wijziging: vul ook '{public_label}' in."
    if agents_from > goes_public:
        return f"KCC-medewerkers zien de wijziging vóór of op '{public_label}', niet erna."
    return None


def value_goes_public(valid_from):
    """The moment a value "geldig vanaf" that date is in force for the
    public: the start of the day, local time (None without a date)."""
    if valid_from is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(valid_from, datetime.time.min))


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


def _datetime(value):
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value) if isinstance(value, str) else value


def scheduled_revisions(model, pks, now=None):
    """{entry pk: revision} of the approved changes of these entries (None: all)
    that are scheduled to go live and that agents see already: Wagtail
    keeps one approved revision per entry (`approved_go_live_at`), whose
    content holds its own `agents_from`."""
    from django.contrib.contenttypes.models import ContentType
    from wagtail.models import Revision

    now = now or timezone.now()
    revisions = Revision.objects.filter(content_type=ContentType.objects.get_for_model(model), approved_go_live_at__isnull=False)
    if pks is not None:
        if not pks:
            return {}
        revisions = revisions.filter(object_id__in=[str(pk) for pk in pks])
    found = {}
    for revision in revisions:
        agents_from = _datetime(revision.content.get("agents_from"))
        if agents_from and agents_from <= now:
            found[int(revision.object_id)] = revision
    return found


def as_agents_see(entries, now=None):
    """The entries as the agent channel shows them: a live entry with an
    approved change that agents see already is that change (the revision's
    content on the entry, `_public_from` the date it goes public). One
    query for the batch, only when a live entry has unpublished changes."""
    entries = list(entries)
    candidates = [e for e in entries if e.live and e.has_unpublished_changes and not hasattr(e, "_public_from")]
    revisions = scheduled_revisions(type(candidates[0]), [e.pk for e in candidates], now) if candidates else {}
    result = []
    for entry in entries:
        revision = revisions.get(entry.pk)
        if revision is not None:
            changed = entry.with_content_json(revision.content)
            for attribute in ("_local_overrides", "_local_notes", "_summary_overrides"):
                if hasattr(entry, attribute):
                    setattr(changed, attribute, getattr(entry, attribute))
            changed._public_from = revision.approved_go_live_at
            entry = changed
        elif entry.live:
            entry._public_from = None  # checked: the live text is what agents see
        result.append(entry)
    return result


def pending_override_changes(kind, entry_ids, gemeente_ids, now=None):
    """{(entry id, gemeente id): [OverrideChange, …]} of approved override
    changes scheduled for later that agents see already (`agents_from`
    passed), in the order they go live."""
    from .workflow_models import OverrideChange

    if not entry_ids or not gemeente_ids:
        return {}
    changes = (
        OverrideChange.objects.scheduled()
        .filter(entry_kind=kind.name, entry_id__in=list(entry_ids), gemeente_id__in=list(gemeente_ids), agents_from__lte=now or timezone.now())
        .order_by("go_live_at", "pk")
    )
    found = {}
    for change in changes:
        found.setdefault((change.entry_id, change.gemeente_id), []).append(change)
    return found


def changed_for_agents(model, gemeente, now=None):
    """{pk} of the live entries whose text agents see changed before the
    public: an approved, scheduled revision that agents see already, or an
    override change of this gemeente that they do. What the database search
    adds to its candidates on the agent channel, which it matches on the
    live text (zoeken/database.py)."""
    from .kinds import get_kind
    from .workflow_models import OverrideChange

    now = now or timezone.now()
    overrides = OverrideChange.objects.scheduled().filter(entry_kind=get_kind(model).name, gemeente=gemeente, agents_from__lte=now)
    return set(scheduled_revisions(model, None, now)) | set(overrides.values_list("entry_id", flat=True))


def with_pending(kind, overrides, changes):
    """(overrides, go-live date): a gemeente's overrides of an entry as they
    will be after `changes` (its pending override changes), and the date
    the first of them goes public (None without changes)."""
    if not changes:
        return overrides, None
    merged = dict(overrides)
    for change in changes:
        if change.action == change.SET:
            merged[change.field_name] = kind.override_model(
                entry_id=change.entry_id, gemeente_id=change.gemeente_id, field_name=change.field_name, value=change.value
            )
        else:
            merged.pop(change.field_name, None)
    return merged, min(change.go_live_at for change in changes)


def revision_scheduled(sender, instance, update_fields=None, **kwargs):
    """Wagtail schedules (and unschedules) an approved change of a live
    entry by writing the revision's `approved_go_live_at` only, without
    saving the entry's row: the agent channel may show it from now on (or
    no longer), so it counts as a change of the entry (re-index, new
    content version)."""
    from .effects import changed
    from .kinds import kinds

    if not (instance.approved_go_live_at or (update_fields and "approved_go_live_at" in update_fields)):
        return
    for kind in kinds():
        if instance.content_type_id == _content_type_id(kind.model):
            entry = kind.model.objects.filter(pk=instance.object_id, live=True).first()
            if entry is not None:
                changed(kind.model, entry)


def _content_type_id(model):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(model).pk


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
        for entry in [*entries, *_live_with_changes_reaching_agents(kind.model, since, now)]:
            changed(kind.model, entry)  # re-index and a new content version, as a save would
            reached += 1
        for change in _override_changes_reaching_agents(kind, since, now):
            changed(kind.override_model, kind.override_model(entry_id=change.entry_id, gemeente_id=change.gemeente_id))
            reached += 1

    today = timezone.localdate(now)
    values = VariableValue.objects.filter(valid_from__lte=today)
    values = values.filter(valid_from__gt=timezone.localdate(since)) if since else values.filter(valid_from=today)
    # A later value that agents see since the last run (agents first).
    early = VariableValue.objects.filter(valid_from__gt=today, agents_from__lte=now)
    early = early.filter(agents_from__gt=since) if since else early
    values = [*values, *early]
    for value in values:
        changed(VariableValue, value)

    schedule.ran_at = now
    schedule.save()
    return {"override_changes": len(applied), "entries_for_agents": reached, "variable_values": len(values)}



def _live_with_changes_reaching_agents(model, since, now):
    """Live entries whose scheduled change agents see since the last run."""
    revisions = scheduled_revisions(model, None, now)
    pks = [pk for pk, revision in revisions.items() if since is None or _datetime(revision.content.get("agents_from")) > since]
    return list(model.objects.filter(pk__in=pks, live=True)) if pks else []


def _override_changes_reaching_agents(kind, since, now):
    from .workflow_models import OverrideChange

    changes = OverrideChange.objects.scheduled().filter(entry_kind=kind.name, agents_from__lte=now)
    return changes.filter(agents_from__gt=since) if since else changes
