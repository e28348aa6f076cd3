"""Which changes reach the search index: every write that changes what an
entry resolves to for some gemeente enqueues an outbox task."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from gemeenten.models import Gemeente, Location, OpeningHours, OpeningHoursException
from kennis.models import VAC, AgentNote, VACOverride
from pdc.models import Product, ProductOverride
from sharing.models import Variable, VariableValue

from .outbox import enqueue


def entry_changed(sender, instance, **kwargs):
    enqueue(instance, gemeente_id=instance.gemeente_id, reason="entry")


def entry_deleted(sender, instance, **kwargs):
    enqueue(model=sender, entry_id=instance.pk, reason="entry deleted")


def override_changed(sender, instance, **kwargs):
    entry_model = sender._meta.get_field("entry").related_model
    enqueue(model=entry_model, entry_id=instance.entry_id, gemeente_id=instance.gemeente_id, reason="override")


def note_changed(sender, instance, **kwargs):
    model, entry_id = (Product, instance.product_id) if instance.product_id else (VAC, instance.vac_id)
    enqueue(model=model, entry_id=entry_id, gemeente_id=instance.gemeente_id, reason="agent note")


def gemeente_text_changed(sender, instance, **kwargs):
    gemeente_id = _gemeente_id_of(instance)
    if gemeente_id is not None:
        enqueue(gemeente_id=gemeente_id, reason=f"{sender._meta.model_name} changed")


def gemeente_changed(sender, instance, **kwargs):
    # Its name, phone number and address stand in the resolved texts.
    enqueue(gemeente_id=instance.pk, reason="gemeente changed")


def variable_changed(sender, instance, **kwargs):
    # A variable's fallback text stands in every gemeente without its own value.
    enqueue(reason="variable changed")


def _gemeente_id_of(instance):
    if isinstance(instance, (VariableValue, Location)):
        return instance.gemeente_id
    location = Location.objects.filter(pk=instance.location_id).only("gemeente_id").first()
    return location.gemeente_id if location else None


def related_changed(sender, instance, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and isinstance(instance, (Product, VAC)):
        entry_changed(type(instance), instance)


def connect():
    for model in (Product, VAC):
        post_save.connect(entry_changed, sender=model, dispatch_uid=f"zoeken-{model.__name__}-save")
        post_delete.connect(entry_deleted, sender=model, dispatch_uid=f"zoeken-{model.__name__}-delete")
    for model in (ProductOverride, VACOverride):
        post_save.connect(override_changed, sender=model, dispatch_uid=f"zoeken-{model.__name__}-save")
        post_delete.connect(override_changed, sender=model, dispatch_uid=f"zoeken-{model.__name__}-delete")
    post_save.connect(note_changed, sender=AgentNote, dispatch_uid="zoeken-note-save")
    post_delete.connect(note_changed, sender=AgentNote, dispatch_uid="zoeken-note-delete")
    for model in (VariableValue, Location, OpeningHours, OpeningHoursException):
        post_save.connect(gemeente_text_changed, sender=model, dispatch_uid=f"zoeken-{model.__name__}-save")
        post_delete.connect(gemeente_text_changed, sender=model, dispatch_uid=f"zoeken-{model.__name__}-delete")
    post_save.connect(gemeente_changed, sender=Gemeente, dispatch_uid="zoeken-gemeente-save")
    post_save.connect(variable_changed, sender=Variable, dispatch_uid="zoeken-variable-save")
    post_delete.connect(variable_changed, sender=Variable, dispatch_uid="zoeken-variable-delete")
    for through in {Product.themes.through, VAC.themes.through}:
        m2m_changed.connect(related_changed, sender=through, dispatch_uid=f"zoeken-{through.__name__}")
