"""The admin's "Waarden per gemeente" under four eyes: in a gemeente with
four eyes a curator's create, change or delete of a value is held as a
`ValueChange` (sharing/workflow.py `held_value_edit`) that a second curator
approves under Lokale wijzigingen ter goedkeuring; in a gemeente that
publishes directly it is written at once, by Wagtail's own views."""

from django.shortcuts import redirect
from django.urls import reverse
from wagtail.admin import messages
from wagtail.snippets.views.snippets import DeleteView, EditView

from redactie.views import PrefilledCreateView

from .admin import ScopedDeleteBulkAction
from .models import VariableValue
from .workflow import held_value_edit


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
