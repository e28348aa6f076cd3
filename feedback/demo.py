"""A few agents' flags for the demo, in each status, routed the way the
widget's flags are (Feedback.save → feedback/routing.py): to the owner of
the text the agent saw. Idempotent: a flag is found again by its remark.
Called by `load_demo` after the owners are set (redactie/demo.py)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from gemeenten.models import Gemeente
from sharing.kinds import get_kind, kinds

from .models import Feedback

Kind, Status = Feedback.Kind, Feedback.Status


def logical_name(entry, column):
    """The overridable field a column belongs to."""
    model = type(entry)
    return next((name for name in model.overridable_fields if column in model.columns_of(name)), "")


def overridden(gemeente):
    """(entry, field) of the gemeente's first local text of a shared entry."""
    for kind in kinds():
        override = kind.override_model.objects.filter(gemeente=gemeente).order_by("pk").first()
        if override is not None and logical_name(override.entry, override.field_name):
            return override.entry, logical_name(override.entry, override.field_name)
    return None, ""


def shared(gemeente, number):
    """(entry, field) of a shared entry's text the gemeente does not override."""
    kind = kinds()[0]
    entries = kind.model.objects.filter(gemeente__isnull=True, live=True).exclude(
        pk__in=kind.override_model.objects.filter(gemeente=gemeente).values("entry_id")
    )
    entry = entries.order_by("slug")[number]
    field = next((section.name for section in get_kind(entry).sections if section.name in entry.overridable_fields), "")
    return entry, field


def flags():
    """(gemeente slug, kind, where, remark, status, reason or note)."""
    return [
        ("roosendaal", Kind.WRONG, "local", "Het adres van de balie klopt niet meer sinds de verbouwing.", Status.NEW, ""),
        ("bergen-op-zoom", Kind.UNCLEAR, ("shared", 0), "Burgers begrijpen niet welke documenten ze mee moeten nemen.", Status.IN_PROGRESS, "Tekst wordt herschreven."),
        ("etten-leur", Kind.MISSING, None, "Geen antwoord gevonden op deze vraag.", Status.NEW, ""),
        ("roosendaal", Kind.WRONG, ("shared", 1), "De termijn in de tekst is verouderd.", Status.FIXED, "Termijn aangepast."),
        ("bergen-op-zoom", Kind.UNCLEAR, ("shared", 2), "Is dit niet dubbel met een ander antwoord?", Status.REJECTED, "Het andere antwoord gaat over een andere situatie."),
    ]


def load(log=print):
    agent = get_user_model().objects.filter(username="kcc").first()
    made = 0
    for slug, kind, where, remark, status, text in flags():
        gemeente = Gemeente.objects.get(slug=slug)
        if Feedback.objects.filter(gemeente=gemeente, remark=remark).exists():
            continue
        entry, field = overridden(gemeente) if where == "local" else shared(gemeente, where[1]) if where else (None, "")
        flag = Feedback.objects.create(
            gemeente=gemeente, kind=kind, origin=Feedback.Origin.WIDGET, remark=remark, user=agent, entry=entry, field_name=field,
            query="hondenbelasting kwijtschelding" if entry is None else "",
        )
        if status != Status.NEW:
            reason = text if status == Status.REJECTED else ""
            note = "" if status == Status.REJECTED else text
            Feedback.objects.filter(pk=flag.pk).update(status=status, status_reason=reason, note=note, status_changed_at=timezone.now())
        made += 1
    log(f"  agents' flags: {made} new, {Feedback.objects.flags().count()} in all")
