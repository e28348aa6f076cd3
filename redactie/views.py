from django.core.exceptions import PermissionDenied
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.snippets.views.snippets import CreateView

from sharing.permissions import readable_gemeente_ids


class PrefilledCreateView(CreateView):
    """An add form filled in from the query string, for one-click links
    (the search report, the dashboard's missing variable values)."""

    def get_initial(self):
        initial = super().get_initial()
        form_fields = self.form_class.base_fields if self.form_class else {}
        initial.update({name: value for name, value in self.request.GET.items() if name in form_fields})
        return initial


class RegionSiteHistoryView(LogEntriesView):
    """Wagtail's site history lists the titles of every logged object, of
    every gemeente: only for users who may read all gemeenten' content. A
    municipal curator reads an entry's own history through its snippet views."""

    def dispatch(self, request, *args, **kwargs):
        if readable_gemeente_ids(request.user) is not None and not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)
