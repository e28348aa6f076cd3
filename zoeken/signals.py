"""Which content changes reach the search index: step 4 of a save
(sharing/effects.py) asks `enqueue_change`, which writes an outbox task for
every write that changes what an entry resolves to for some gemeente.

Entries, their overrides and agent notes are found through the registered
kinds (`sharing.kinds`); the gemeente's own texts (contact details,
opening hours, variable values) re-index all its entries, a variable's
fallback text every entry. Other content (taxonomy names, house styles,
sites) is not in the search documents."""

from gemeenten.models import Gemeente, Location, OpeningHours, OpeningHoursException
from sharing.kinds import get_kind, kinds
from sharing.models import Variable, VariableValue

from .outbox import enqueue, indexing_enabled


def enqueue_change(sender, instance, deleted=False, relation=False):
    """The outbox task of this change (in its transaction), or None when
    search does not show what changed."""
    if not indexing_enabled():
        return None
    if relation:
        return _relation_changed(instance)
    if _kind_of_entry(sender):
        return _entry_changed(sender, instance, deleted)
    if override_of := _kind_of_override(sender):
        return enqueue(model=override_of.model, entry_id=instance.entry_id, gemeente_id=instance.gemeente_id, reason="override")
    if note_targets := _note_targets(sender):
        return _note_changed(note_targets, instance)
    if sender is Gemeente and not deleted:
        # Its name, phone number and address stand in the resolved texts.
        return enqueue(gemeente_id=instance.pk, reason="gemeente changed")
    if sender in (VariableValue, Location, OpeningHours, OpeningHoursException):
        return _gemeente_text_changed(sender, instance)
    if sender is Variable:
        # A variable's fallback text stands in every gemeente without its own value.
        return enqueue(reason="variable changed")
    return None


def _entry_changed(sender, instance, deleted):
    if deleted:
        return enqueue(model=sender, entry_id=instance.pk, reason="entry deleted")
    return enqueue(instance, gemeente_id=instance.gemeente_id, reason="entry")


def _relation_changed(instance):
    # An entry's themes or related entries (the forward side of the relation).
    if _kind_of_entry(type(instance)):
        return _entry_changed(type(instance), instance, deleted=False)
    return None


def _note_changed(note_targets, instance):
    for kind, field in note_targets:
        entry_id = getattr(instance, field.attname)
        if entry_id:
            return enqueue(model=kind.model, entry_id=entry_id, gemeente_id=instance.gemeente_id, reason="agent note")
    return None


def _gemeente_text_changed(sender, instance):
    gemeente_id = _gemeente_id_of(instance)
    if gemeente_id is None:
        return None
    return enqueue(gemeente_id=gemeente_id, reason=f"{sender._meta.model_name} changed")


def _gemeente_id_of(instance):
    if isinstance(instance, (VariableValue, Location)):
        return instance.gemeente_id
    location = Location.objects.filter(pk=instance.location_id).only("gemeente_id").first()
    return location.gemeente_id if location else None


# The kinds' models -------------------------------------------------------------


def _kind_of_entry(model):
    try:
        kind = get_kind(model)
    except KeyError:
        return None
    return kind if kind.model is model else None


def _kind_of_override(model):
    return next((kind for kind in kinds() if kind.override_model is model), None)


def _note_targets(model):
    """[(kind, the note's foreign key to that kind's entries)] for a notes model."""
    targets = []
    for kind in kinds():
        if kind.has_notes:
            relation = kind.model._meta.get_field(kind.notes_relation)
            if relation.related_model is model:
                targets.append((kind, relation.field))
    return targets
