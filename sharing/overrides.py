"""Changing a gemeente's view of a shared entry, one field at a time.

The only write path for overrides: it checks the editor's rights on the
server, sanitises rich text, and writes who changed what into the entry's
history (Wagtail's log, shown in the entry's History tab).

A gemeente with four eyes, or a change with a "live vanaf" in the future,
is held as an `OverrideChange` (sharing/workflow.py) instead of written:
a second curator approves it, the scheduled publication applies it on its
date (`manage.py publish_scheduled`)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from kennisbank.sanitise import sanitise_html

from .permissions import can_edit_gemeente, require
from .text import differs

SET, REVERT, KEEP = "kennisbank.override.set", "kennisbank.override.revert", "kennisbank.override.keep"


def _check(entry, gemeente, column, user):
    require(
        can_edit_gemeente(user, gemeente),
        f"U mag de inhoud van gemeente {gemeente} niet wijzigen.",
    )
    if not entry.is_shared:
        raise ValidationError("Een lokaal item heeft geen afwijkingen: bewerk het item zelf.")
    if not overridable(entry, gemeente, column):
        raise ValidationError(f"Het veld {column!r} kan niet lokaal worden aangepast.")


def overridable(entry, gemeente, column):
    """Whether a gemeente may override a column, or a variant key (a text
    column for one of the region's audiences or its own)."""
    from .models import Audience, split_variant_key

    column, audience = split_variant_key(column)
    if audience is None:
        return column in entry.overridable_columns()
    return column in entry.variant_columns() and Audience.of(gemeente).filter(slug=audience).exists()


def _clean(entry, column, value):
    if isinstance(value, str) and entry.field_of(column) in entry.rich_text_fields:
        return sanitise_html(value)
    return value


def _log(entry, action, user, gemeente, column, old, new):
    log(
        instance=entry,
        action=action,
        user=user,
        data={"gemeente": gemeente.slug, "field": column, "old": old, "new": new},
    )


def _held(entry, gemeente, column, action, value, old, user, go_live_at, draft=False, agents_from=None):
    """The held change, or None when this change is written at once."""
    from .workflow import hold

    scheduled = go_live_at is not None and go_live_at > timezone.now()
    if not gemeente.four_eyes and not scheduled and not draft:
        return None
    pending = gemeente.four_eyes or draft
    return hold(entry, gemeente, column, action, value, old, user, go_live_at=go_live_at if scheduled else None, four_eyes=pending, agents_from=agents_from if scheduled else None)


@transaction.atomic
def set_override(entry, gemeente, column, value, user, go_live_at=None, draft=False, agents_from=None):
    """Give `column` a local value for `gemeente`; the same value as the
    base (after normalising, see sharing.text) means: inherit again (the
    override is removed). Returns the override, None, or the held
    `OverrideChange` (four eyes, or a future `go_live_at`). `draft`: held
    for approval whatever the gemeente's setting (an accepted suggestion
    never goes straight to the live text). `agents_from`: with a future
    `go_live_at`, agents see the change from then on (sharing/scheduling.py)."""
    _check(entry, gemeente, column, user)
    value = _clean(entry, column, value)
    existing = entry.overrides.filter(gemeente=gemeente, field_name=column).first()
    old = existing.value if existing else None
    inherit = not differs(value, entry.shared_value(column))
    if inherit and not existing:
        return None
    held = _held(entry, gemeente, column, "revert" if inherit else "set", None if inherit else value, old, user, go_live_at, draft, agents_from)
    if held:
        return held
    return write_override(entry, gemeente, column, None if inherit else value, user)


def write_override(entry, gemeente, column, value, user):
    """Write (value None: remove) the override now, with its log entry;
    rights and holding are checked by the callers."""
    existing = entry.overrides.filter(gemeente=gemeente, field_name=column).first()
    old = existing.value if existing else None
    if value is None:
        if existing:
            existing.delete()
            _log(entry, REVERT, user, gemeente, column, old, None)
        return None
    base = entry.shared_value(column)
    override = existing or entry.overrides.model(entry=entry, gemeente=gemeente, field_name=column)
    override.value, override.base_value, override.base_changed, override.updated_by = value, base, False, user
    override.save()
    _log(entry, SET, user, gemeente, column, old, value)
    return override


@transaction.atomic
def revert_override(entry, gemeente, column, user, go_live_at=None, agents_from=None):
    """Back to the shared text for this field (held like `set_override`)."""
    _check(entry, gemeente, column, user)
    existing = entry.overrides.filter(gemeente=gemeente, field_name=column).first()
    if not existing:
        return None
    held = _held(entry, gemeente, column, "revert", None, existing.value, user, go_live_at, agents_from=agents_from)
    if held:
        return held
    return write_override(entry, gemeente, column, None, user)


@transaction.atomic
def keep_override(entry, gemeente, column, user):
    """The base changed; the editor reviewed it and keeps the local text."""
    _check(entry, gemeente, column, user)
    override = entry.overrides.get(gemeente=gemeente, field_name=column)
    override.base_value, override.base_changed, override.updated_by = entry.shared_value(column), False, user
    override.save()
    _log(entry, KEEP, user, gemeente, column, override.value, override.value)
    return override
