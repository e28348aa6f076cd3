"""The snippet views of products and VACs as each role needs them.

A shared entry (gemeente empty) is written by the regional curator only. A
municipal curator asking for its edit form is sent to the read-only view,
with a link to the municipality's local view where they do change it; the
regional curator's form says which gemeenten use the entry and which
changed it locally."""

from django.shortcuts import redirect
from wagtail.snippets.views.snippets import EditView, InspectView

from gemeenten.models import Gemeente

from .links import local_view_url

def local_usage(entry, user):
    """Which gemeenten use a shared entry (all but those that switched it
    off) and which of them changed it locally, with links to their local
    views where the user may open them."""
    overrides = list(entry.overrides.values_list("gemeente_id", "field_name", "value", "base_changed"))
    switched_off = {g for g, field, value, _ in overrides if field == "offered" and value is False}
    adjusted = {g for g, field, _, _ in overrides if field != "offered"}
    flagged = {g for g, _, _, stale in overrides if stale}
    rows = [
        {
            "gemeente": gemeente,
            "adjusted": gemeente.pk in adjusted,
            "flagged": gemeente.pk in flagged,
            "url": local_view_url(entry, gemeente, user),
        }
        for gemeente in Gemeente.objects.order_by("name")
        if gemeente.pk not in switched_off
    ]
    switched_off_names = list(Gemeente.objects.filter(pk__in=switched_off).order_by("name").values_list("name", flat=True))
    return {
        "used": len(rows),
        "adjusted": sum(row["adjusted"] for row in rows),
        "rows": rows,
        "not_offered": switched_off_names,
    }


def usage_summary(usage):
    used, adjusted = usage["used"], usage["adjusted"]
    return f"Gebruikt door {used} {'gemeente' if used == 1 else 'gemeenten'}, {adjusted} met lokale aanpassingen"


class SharedEntryEditView(EditView):
    template_name = "redactie/shared_entry_edit.html"

    def run_before_hook(self):
        may_change = self.permission_policy.user_has_permission_for_instance(self.request.user, "change", self.object)
        # A POST without the change permission never gets here: the
        # gemeente-scoped permission policy (sharing/admin.py) refuses it.
        if self.object.is_shared and not may_change:
            return redirect(self.get_inspect_url())
        return super().run_before_hook()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.is_shared:
            usage = local_usage(self.object, self.request.user)
            context.update(usage=usage, usage_summary=usage_summary(usage))
        return context


class SharedEntryInspectView(InspectView):
    template_name = "redactie/shared_entry_inspect.html"

    def may(self, action):
        return self.permission_policy.user_has_permission_for_instance(self.request.user, action, self.object)

    def get_edit_url(self):
        return super().get_edit_url() if self.may("change") else None

    def get_delete_url(self):
        return super().get_delete_url() if self.may("delete") else None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if self.object.is_shared:
            usage = local_usage(self.object, self.request.user)
            context.update(
                usage=usage,
                usage_summary=usage_summary(usage),
                read_only=self.get_edit_url() is None,
                own_local_views=[row for row in usage["rows"] if row["url"]],
            )
        return context


class SharedEntryViewSetMixin:
    """For the snippet viewsets of products and VACs."""

    edit_view_class = SharedEntryEditView
    inspect_view_class = SharedEntryInspectView
    inspect_view_enabled = True
    edit_template_name = SharedEntryEditView.template_name
    inspect_template_name = SharedEntryInspectView.template_name
