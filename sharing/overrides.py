"""Changing a gemeente's view of a shared entry, one field at a time.

The only write path for overrides: it checks the editor's rights on the
server, sanitises rich text, and writes who changed what into the entry's
history (Wagtail's log, shown in the entry's History tab)."""

from django.core.exceptions import ValidationError
from django.db import transaction
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
    if column not in entry.overridable_columns():
        raise ValidationError(f"Het veld {column!r} kan niet lokaal worden aangepast.")


def _clean(entry, column, value):
    logical = column.rsplit("_", 1)[0] if column not in entry.overridable_fields else column
    if isinstance(value, str) and logical in entry.rich_text_fields:
        return sanitise_html(value)
    return value


def _log(entry, action, user, gemeente, column, old, new):
    log(
        instance=entry,
        action=action,
        user=user,
        data={"gemeente": gemeente.slug, "field": column, "old": old, "new": new},
    )


@transaction.atomic
def set_override(entry, gemeente, column, value, user):
    """Give `column` a local value for `gemeente`; the same value as the
    base (after normalising, see sharing.text) means: inherit again (the
    override is removed)."""
    _check(entry, gemeente, column, user)
    value = _clean(entry, column, value)
    base = getattr(entry, column)
    existing = entry.overrides.filter(gemeente=gemeente, field_name=column).first()
    old = existing.value if existing else None
    if not differs(value, base):
        if existing:
            existing.delete()
            _log(entry, REVERT, user, gemeente, column, old, None)
        return None
    override = existing or entry.overrides.model(entry=entry, gemeente=gemeente, field_name=column)
    override.value, override.base_value, override.base_changed, override.updated_by = value, base, False, user
    override.save()
    _log(entry, SET, user, gemeente, column, old, value)
    return override


@transaction.atomic
def revert_override(entry, gemeente, column, user):
    """Back to the shared text for this field."""
    _check(entry, gemeente, column, user)
    existing = entry.overrides.filter(gemeente=gemeente, field_name=column).first()
    if existing:
        existing.delete()
        _log(entry, REVERT, user, gemeente, column, existing.value, None)


@transaction.atomic
def keep_override(entry, gemeente, column, user):
    """The base changed; the editor reviewed it and keeps the local text."""
    _check(entry, gemeente, column, user)
    override = entry.overrides.get(gemeente=gemeente, field_name=column)
    override.base_value, override.base_changed, override.updated_by = getattr(entry, column), False, user
    override.save()
    _log(entry, KEEP, user, gemeente, column, override.value, override.value)
    return override
