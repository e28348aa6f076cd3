"""The admin's "Waarden per gemeente" under four eyes: in a gemeente with
four eyes a curator's create, change or delete of a value is held as a
`ValueChange` (sharing/workflow.py `held_value_edit`) that a second curator
approves under Lokale wijzigingen ter goedkeuring; in a gemeente that
publishes directly it is written at once, by Wagtail's own views. The
listing says which values have a change waiting and which are scheduled
(`value_status`)."""

from django.db.models import OuterRef, Subquery
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from wagtail.admin import messages
from wagtail.snippets.views.snippets import DeleteView, EditView

from redactie.views import PrefilledCreateView

from .admin import ScopedDeleteBulkAction
from .models import VariableValue
from .workflow import held_value_edit
from .workflow_models import ValueChange


def with_held_changes(queryset):
    """The values with what waits for approval about them: a change or
    deletion of the value itself (`held_action`, `held_from`), else a new
    value of the same variable in the same gemeente (`new_from`)."""
    pending = ValueChange.objects.filter(status=ValueChange.Status.PENDING).order_by("submitted_at", "pk")
    own = pending.filter(value_row=OuterRef("pk"))
    new = pending.filter(value_row__isnull=True, variable=OuterRef("variable"), gemeente=OuterRef("gemeente"))
    return queryset.annotate(
        held_action=Subquery(own.values("action")[:1]),
        held_from=Subquery(own.values("valid_from")[:1]),
        new_held=Subquery(new.values("pk")[:1]),
        new_from=Subquery(new.values("valid_from")[:1]),
    )


def _date(value):
    return f"{value:%d-%m-%Y}"


def value_status(row):
    """What the listing says of a value: a change waiting for approval, or
    scheduled (its date, and from when agents see it); empty when it is
    simply in force."""
    held = getattr(row, "held_action", None)
    if held == ValueChange.DELETE:
        return "Verwijderen wacht op goedkeuring"
    if held:
        return "Wijziging wacht op goedkeuring" + (f" (geldig vanaf {_date(row.held_from)})" if row.held_from else "")
    parts = []
    if row.valid_from and row.valid_from > timezone.localdate():
        scheduled = f"Gepland: geldt vanaf {_date(row.valid_from)}"
        if row.agents_from:
            scheduled += f", voor KCC-medewerkers vanaf {timezone.localtime(row.agents_from):%d-%m-%Y %H:%M}"
        parts.append(scheduled)
    if getattr(row, "new_held", None):
        parts.append("nieuwe waarde wacht op goedkeuring" + (f" (geldig vanaf {_date(row.new_from)})" if row.new_from else ""))
    text = "; ".join(parts)
    return text[:1].upper() + text[1:]


def held_message(change):
    what = "Het verwijderen van" if change.action == change.DELETE else "De wijziging van"
    return (
        f"{what} '{change.variable.label}' voor {change.gemeente.name} wacht op goedkeuring door een tweede "
        "kennisregisseur; tot dan blijft de huidige waarde gelden."
    )


def _to_review():
    return [messages.button(reverse("sharing:changes"), "Ter goedkeuring")]


class HeldValueFormMixin:
    held = None

    def save_instance(self):
        if self.form.has_changed():
            self.held = held_value_edit(self.request.user, self.form.instance)
        return self.form.instance if self.held else super().save_instance()

    def save_action(self):
        if self.held is None:
            return super().save_action()
        messages.success(self.request, held_message(self.held), buttons=_to_review())
        return redirect(self.index_url_name)


class ValueCreateView(HeldValueFormMixin, PrefilledCreateView):
    pass


class ValueEditView(HeldValueFormMixin, EditView):
    pass


class ValueDeleteView(DeleteView):
    held = None

    def delete_action(self):
        self.held = held_value_edit(self.request.user, self.object, delete=True)
        if self.held is None:
            super().delete_action()

    def get_success_message(self):
        return held_message(self.held) if self.held else super().get_success_message()


class ValueDeleteBulkAction(ScopedDeleteBulkAction):
    """The listing's bulk delete: the values of a gemeente with four eyes
    are held too, the others deleted."""

    models = [VariableValue]

    @classmethod
    def execute_action(cls, objects, user=None, **kwargs):
        view = kwargs["self"]
        view.held = [change for change in (held_value_edit(view.request.user, obj, delete=True) for obj in objects) if change]
        held_ids = {change.value_row_id for change in view.held}
        deleted = [obj for obj in objects if obj.pk not in held_ids]
        if deleted:
            super().execute_action(deleted, user=user, **kwargs)
        return len(deleted), 0

    def get_success_message(self, num_parent_objects, num_child_objects):
        if not self.held:
            return super().get_success_message(num_parent_objects, num_child_objects)
        deleted = f"{num_parent_objects} verwijderd; " if num_parent_objects else ""
        return f"{deleted}het verwijderen van {len(self.held)} waarde(n) wacht op goedkeuring door een tweede kennisregisseur."
