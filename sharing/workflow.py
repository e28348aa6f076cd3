"""Four eyes: who may publish what directly, and what a second curator
approves.

A shared entry reaches 342 gemeenten' channels at once: it always goes
through Wagtail's workflow "Vier ogen" (one `FourEyesTask`); approving
it publishes the revision (or schedules it, when it has a "live vanaf").
A gemeente's local entries and its overrides follow the gemeente's
`publication` setting: direct, or four eyes. The one who submitted a
change, or wrote the revision under review, never approves it.

Overrides are no Wagtail objects: a held override change is an
`OverrideChange` row (sharing/overrides.py writes it, `approve_change`
applies it); a held new, changed or deleted variable value (a fee from a
date) a `ValueChange` (`hold_value`, `approve_value_change`; a curator's
edit in the admin: `held_value_edit`). Accepted suggestions are always
held, also where the gemeente publishes directly (then its curators
approve their own: a draft, not four eyes); what it and a shared entry's revision change on each
gemeente's channels is `changes_per_gemeente` / `override_change_effect`."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import Workflow, WorkflowState, WorkflowTask

from .permissions import can_edit_gemeente

WORKFLOW_NAME = "Vier ogen"
SUBMITTED, APPROVED, REJECTED, APPLIED = (
    "kennisbank.override.submitted",
    "kennisbank.override.approved",
    "kennisbank.override.rejected",
    "kennisbank.override.applied",
)
VALUE_SUBMITTED, VALUE_APPROVED, VALUE_REJECTED = (
    "kennisbank.value.submitted",
    "kennisbank.value.approved",
    "kennisbank.value.rejected",
)


def four_eyes_workflow():
    """The workflow of shared entries (made on first use, kept active)."""
    from .workflow_models import FourEyesTask

    workflow = Workflow.objects.filter(name=WORKFLOW_NAME).first()
    if workflow is None:
        with transaction.atomic():
            workflow = Workflow.objects.create(name=WORKFLOW_NAME, active=True)
            task = FourEyesTask.objects.create(name="Goedkeuring door een tweede kennisregisseur")
            WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    return workflow if workflow.active else None


def needs_four_eyes(entry):
    """A shared entry always; a local entry when its gemeente says so."""
    return entry.gemeente_id is None or entry.gemeente.four_eyes


# What a revision holds besides the entry's own content: bookkeeping.
BOOKKEEPING = frozenset(
    {"pk", "id", "latest_revision", "live_revision", "live", "has_unpublished_changes", "first_published_at", "last_published_at",
     "expired", "locked", "locked_at", "locked_by", "created_at", "updated_at"}
)  # fmt: skip


def _content(revision):
    return {key: value for key, value in revision.content.items() if key not in BOOKKEEPING}


def is_author_of_change(entry, user):
    """Whether `user` submitted the change under review or wrote any of it:
    the submitted revision, and every later one that changes the content
    of the one before it.
    (Approving from the edit page saves the form as a revision of the
    approver first; with the content unchanged that is no change of theirs.)"""
    state = WorkflowState.objects.active().for_instance(entry).select_related("current_task_state__revision").first()
    if state is None:
        return False
    authors = {state.requested_by_id}
    submitted = state.current_task_state.revision if state.current_task_state else None
    if submitted is None:
        latest = entry.get_latest_revision()
        return user.pk in authors or (latest is not None and latest.user_id == user.pk)
    authors.add(submitted.user_id)
    previous = _content(submitted)
    for revision in entry.revisions.filter(pk__gt=submitted.pk).order_by("pk"):
        content = _content(revision)
        if content != previous:
            authors.add(revision.user_id)
        previous = content
    return user.pk in authors


def submit_instead_of_publishing(request, entry):
    """Wagtail's before_publish hook: an entry that needs four eyes is
    submitted to the workflow instead of published (whoever clicks
    publish, on the server, whatever the form sent)."""
    from django.shortcuts import redirect
    from wagtail.admin import messages
    from wagtail.admin.admin_url_finder import AdminURLFinder

    from .models import SharedEntry

    if not isinstance(entry, SharedEntry) or not needs_four_eyes(entry):
        return None
    workflow = entry.get_workflow()
    if workflow is None:
        raise PermissionDenied("Publiceren vraagt goedkeuring, maar de workflow Vier ogen is uitgeschakeld.")
    state = entry.current_workflow_state
    if state and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        state.resume(request.user)
    elif not entry.workflow_in_progress:
        workflow.start(entry, request.user)
    messages.success(request, f"'{entry}' is ter goedkeuring aangeboden: een tweede kennisregisseur publiceert het.")
    return redirect(AdminURLFinder(request.user).get_edit_url(entry) or request.get_full_path())


# What a change does on the gemeenten' channels ----------------------------------


def changes_per_gemeente(entry, revision):
    """[(gemeente, [(label, before, after)])] for a revision of an entry:
    the resolved text per gemeente now and after the revision goes live,
    only the fields that differ. A shared entry: every gemeente that sees
    it (those that override a field keep their own text there); a local
    one: its gemeente."""
    from gemeenten.models import Gemeente

    from .resolution import AGENT, resolve
    from .variables import GemeenteContext

    new = revision.as_object()
    new.live = True
    current = entry if entry.live else None
    gemeenten = list(Gemeente.objects.all() if entry.gemeente_id is None else Gemeente.objects.filter(pk=entry.gemeente_id))
    contexts = GemeenteContext.load_many(gemeenten, agents=True)
    overrides = {}
    for override in entry.overrides.filter(gemeente__in=gemeenten):
        overrides.setdefault(override.gemeente_id, {})[override.field_name] = override
    result = []
    for gemeente in gemeenten:
        # Notes are no part of the revision: left out on both sides.
        same = {"channel": AGENT, "overrides": overrides.get(gemeente.pk, {}), "context": contexts[gemeente.pk], "notes": ()}
        before = resolve(current, gemeente, **same) if current else None
        rows = _differences(entry, before, resolve(new, gemeente, **same))
        if rows:
            result.append((gemeente, rows))
    return result


def override_change_effect(change):
    """[(label, before, after)]: the gemeente's resolved text now and after
    this override change."""
    from .resolution import AGENT, resolve

    from .models import split_variant_key

    entry = change.entry
    audience = split_variant_key(change.field_name)[1]  # a variant's change shows that audience's text

    def resolved(overrides):
        return resolve(entry, change.gemeente, channel=AGENT, overrides=overrides, audience=audience) or resolve(
            entry, change.gemeente, channel=AGENT, overrides=overrides
        )

    overrides = {o.field_name: o for o in entry.overrides.filter(gemeente=change.gemeente)}
    before = resolved(overrides)
    after_overrides = dict(overrides)
    after_overrides.pop(change.field_name, None)
    if change.action == change.SET:
        after_overrides[change.field_name] = entry.overrides.model(
            entry=entry, gemeente=change.gemeente, field_name=change.field_name, value=change.value
        )
    after = resolved(after_overrides)
    return _differences(entry, before, after)


def _label(entry, name):
    from django.core.exceptions import FieldDoesNotExist
    from django.utils.text import capfirst

    try:
        return capfirst(entry._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _changed(old, new):
    from django.utils.html import strip_tags

    from .text import differs

    if not (isinstance(old, str) or isinstance(new, str)):
        return old != new
    if not strip_tags(old or "").strip() and not strip_tags(new or "").strip():
        return False  # empty either way (the editor writes an empty paragraph)
    return differs(old or "", new or "")


def _differences(entry, before, after):
    names = (after or before).fields if (after or before) else {}
    rows = []
    for name in names:
        old = before.fields.get(name) if before else None
        new = after.fields.get(name) if after else None
        if _changed(old, new):
            rows.append((_label(entry, name), old, new))
    return rows


# Held override changes ------------------------------------------------------------


def may_review(change, user):
    """A curator of the change's gemeente; under four eyes not the one who
    submitted it (a gemeente that publishes directly holds only accepted
    suggestions, as drafts its curators publish themselves)."""
    if not can_edit_gemeente(user, change.gemeente):
        return False
    return user.pk != change.submitted_by_id or not change.gemeente.four_eyes


def _log(change, action, user, **data):
    log(
        instance=change.entry,
        action=action,
        user=user,
        data={"gemeente": change.gemeente.slug, "field": change.field_name, "change": change.pk, **data},
    )


def hold(entry, gemeente, column, action, value, old, user, go_live_at=None, four_eyes=True, agents_from=None):
    """An override change that waits for a second curator (four eyes) or,
    approved already (direct), for its date."""
    from .kinds import get_kind
    from .workflow_models import OverrideChange

    change = OverrideChange.objects.create(
        entry_kind=get_kind(entry).name,
        entry_id=entry.pk,
        gemeente=gemeente,
        field_name=column,
        action=action,
        value=value,
        old_value=old,
        go_live_at=go_live_at,
        agents_from=agents_from,
        submitted_by=user,
        status=OverrideChange.Status.PENDING if four_eyes else OverrideChange.Status.SCHEDULED,
    )
    _log(change, SUBMITTED, user, go_live_at=go_live_at.isoformat() if go_live_at else None)
    reach_agents(change)
    return change


@transaction.atomic
def approve_change(change, user):
    if not may_review(change, user):
        raise PermissionDenied("Een tweede kennisregisseur van deze gemeente keurt goed, niet wie de wijziging maakte.")
    change.status, change.reviewed_by, change.reviewed_at = change.Status.SCHEDULED, user, timezone.now()
    change.save()
    _log(change, APPROVED, user)
    if not change.go_live_at or change.go_live_at <= timezone.now():
        apply_change(change)
    else:
        reach_agents(change)
    return change


def reach_agents(change):
    """A scheduled change whose `agents_from` has passed is on the agent
    channel from now on: re-index the entry there and drop cached answers
    (later ones are found by `publish_scheduled`, sharing/scheduling.py)."""
    from .effects import changed
    from .kinds import get_kind

    if change.status == change.Status.SCHEDULED and change.agents_from and change.agents_from <= timezone.now():
        override_model = get_kind(change.entry_kind).override_model
        changed(override_model, override_model(entry_id=change.entry_id, gemeente_id=change.gemeente_id))


@transaction.atomic
def reject_change(change, user, reason=""):
    if not may_review(change, user):
        raise PermissionDenied("Een tweede kennisregisseur van deze gemeente beoordeelt, niet wie de wijziging maakte.")
    change.status, change.reviewed_by, change.reviewed_at, change.reason = change.Status.REJECTED, user, timezone.now(), reason
    change.save()
    _log(change, REJECTED, user, reason=reason)


def apply_change(change):
    """Write an approved (or direct, scheduled) change into the override."""
    from .overrides import write_override

    entry = change.entry
    write_override(entry, change.gemeente, change.field_name, change.value if change.action == change.SET else None, change.submitted_by)
    change.status, change.applied_at = change.Status.APPLIED, timezone.now()
    change.save()
    _log(change, APPLIED, change.reviewed_by)


# Held variable values (fees from a date) --------------------------------------------


def _log_value(change, action, user, **data):
    log(
        instance=change.variable,
        action=action,
        user=user,
        data={
            "gemeente": change.gemeente.slug,
            "action": change.action,
            "value": change.value,
            "valid_from": change.valid_from.isoformat() if change.valid_from else None,
            "change": change.pk,
            **data,
        },
    )


def hold_value(variable, gemeente, value, valid_from, user, row=None, action="set", agents_from=None):
    """A new value of the gemeente's variable from `valid_from` (or, with
    `row`, a change or deletion of that value), waiting for approval;
    nothing is shown anywhere before it is approved. `agents_from`: agents
    see the approved value from then on, before its date (agents first)."""
    from .permissions import require
    from .workflow_models import ValueChange

    require(can_edit_gemeente(user, gemeente), f"U mag de waarden van gemeente {gemeente} niet wijzigen.")
    change = ValueChange.objects.create(
        variable=variable,
        gemeente=gemeente,
        value=value,
        valid_from=valid_from,
        agents_from=agents_from if action == ValueChange.SET else None,
        submitted_by=user,
        value_row=row,
        of_existing_value=row is not None,
        action=action,
    )
    _log_value(change, VALUE_SUBMITTED, user)
    return change


def held_value_edit(user, instance, delete=False):
    """A curator's create, change or delete of a value in the admin, held
    as a `ValueChange` when its gemeente has four eyes; None when it
    publishes directly (the caller then writes it at once, as before)."""
    from .models import VariableValue
    from .workflow_models import ValueChange

    before = VariableValue.objects.filter(pk=instance.pk).select_related("gemeente").first() if instance.pk else None
    if not (before or instance).gemeente.four_eyes:
        return None
    if delete:
        return hold_value(before.variable, before.gemeente, before.value, before.valid_from, user, row=before, action=ValueChange.DELETE)
    return hold_value(instance.variable, instance.gemeente, instance.value, instance.valid_from, user, row=before, agents_from=instance.agents_from)


def value_change_effect(change):
    """(label, before, after): the value in force on the change's date now, and after approval."""
    from .models import VariableValue
    from .variables import display_value

    kind = change.variable.kind
    before = VariableValue.objects.in_force(change.gemeente, on=change.valid_from).get(change.variable.key)
    if change.action == change.DELETE:
        rest = VariableValue.objects.exclude(pk=change.value_row_id).in_force(change.gemeente, on=change.valid_from)
        after = rest.get(change.variable.key)
        after = display_value(kind, after.value) if after else None
    else:
        after = display_value(kind, change.value)
    label = f"{change.variable.label} vanaf {change.valid_from:%d-%m-%Y}" if change.valid_from else change.variable.label
    return label, display_value(kind, before.value) if before else None, after


VALUE_GONE = (
    "De waarde die deze wijziging aanpast bestaat niet meer: ze is intussen verwijderd. Wijs de wijziging af, "
    "of kies 'Waarde opnieuw aanmaken' om de nieuwe waarde toch vast te leggen."
)


def _write_value(change, recreate=False):
    """The approved change in the `VariableValue` rows: a value on a date
    replaces the one there was on that date. A change of a value deleted
    since it was held recreates it only when asked (`recreate`); a
    deletion of it has nothing left to do."""
    from .models import VariableValue

    row = change.value_row  # none: a new value (or one deleted since it was held)
    if change.action == change.DELETE:
        if row:
            row.delete()
            change.value_row = None  # as the database's SET NULL did
        return
    if change.value_gone and not recreate:
        raise ValidationError(VALUE_GONE)
    same_date = VariableValue.objects.filter(variable=change.variable, gemeente=change.gemeente, valid_from=change.valid_from)
    values = {"value": change.value, "agents_from": change.agents_from}
    if row is None:
        change.value_row, _ = same_date.update_or_create(
            variable=change.variable, gemeente=change.gemeente, valid_from=change.valid_from, defaults=values
        )
        return
    same_date.exclude(pk=row.pk).delete()
    row.variable, row.gemeente, row.valid_from = change.variable, change.gemeente, change.valid_from
    row.value, row.agents_from = values["value"], values["agents_from"]
    row.save()


@transaction.atomic
def approve_value_change(change, user, recreate=False):
    """Write the dated value: every channel shows it from its date on (the
    agent channel from its `agents_from`). ValidationError when the value
    it changes was deleted since, unless `recreate`."""
    if not may_review(change, user):
        raise PermissionDenied("Een tweede kennisregisseur van deze gemeente keurt goed, niet wie de wijziging maakte.")
    _write_value(change, recreate)
    change.status, change.reviewed_by, change.reviewed_at = change.Status.APPLIED, user, timezone.now()
    change.save()
    _log_value(change, VALUE_APPROVED, user)
    return change


@transaction.atomic
def reject_value_change(change, user, reason=""):
    if not may_review(change, user):
        raise PermissionDenied("Een tweede kennisregisseur van deze gemeente beoordeelt, niet wie de wijziging maakte.")
    change.status, change.reviewed_by, change.reviewed_at, change.reason = change.Status.REJECTED, user, timezone.now(), reason
    change.save()
    _log_value(change, VALUE_REJECTED, user, reason=reason)
    return change
