"""Feedback grouped per entry (and missing answers per search), so a
curator sees which texts draw complaints, not only single remarks."""

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.generic import TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from gemeenten.models import Gemeente
from redactie.links import entry_admin_url, local_view_url

from .models import Feedback, load_entries

Kind = Feedback.Kind
COUNTS = {
    "total": Count("pk"),
    "helpful": Count("pk", filter=Q(kind=Kind.HELPFUL)),
    "not_helpful": Count("pk", filter=Q(kind=Kind.NOT_HELPFUL)),
    "wrong": Count("pk", filter=Q(kind=Kind.WRONG)),
    "missing": Count("pk", filter=Q(kind=Kind.MISSING)),
    "open": Count("pk", filter=Q(status__in=Feedback.OPEN_STATUSES) & ~Q(kind=Kind.HELPFUL)),
    "last": Max("created_at"),
}
MAX_ROWS = 200


class FeedbackByEntryView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "feedback/by_entry.html"
    page_title = "Terugkoppeling per onderwerp"
    header_icon = "comment"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": "Home"},
        {"url": reverse_lazy("wagtailsnippets_feedback_feedback:list"), "label": "Terugkoppelingen"},
        {"url": "", "label": "Per onderwerp"},
    ]

    def dispatch(self, request, *args, **kwargs):
        if not Feedback.snippet_viewset.permission_policy.user_has_any_permission(request.user, ["view", "change"]):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        items = Feedback.snippet_viewset.get_queryset(self.request)
        about_entries = items.about_entries().values("gemeente", "entry_kind", "entry_id").annotate(**COUNTS).order_by("-open", "-last")[:MAX_ROWS]
        searches = (
            items.about_searches()
            .values("gemeente", "query")
            .annotate(**COUNTS)
            .order_by("-open", "-last")[:MAX_ROWS]
        )
        return super().get_context_data(rows=self.entry_rows(list(about_entries)), searches=self.search_rows(list(searches)), **kwargs)

    def entry_rows(self, groups):
        gemeenten = Gemeente.objects.in_bulk({g["gemeente"] for g in groups})
        entries = load_entries((g["entry_kind"], g["entry_id"]) for g in groups)
        user = self.request.user
        rows = []
        for group in groups:
            entry = entries.get((group["entry_kind"], group["entry_id"]))
            if entry is None:
                continue  # its kind is no longer registered
            gemeente = gemeenten[group["gemeente"]]
            # The list's own filter per kind: ?<kind name>=<id>
            filters = {"gemeente": gemeente.pk, group["entry_kind"]: entry.pk}
            rows.append(
                {
                    **group,
                    "gemeente": gemeente,
                    "entry": entry,
                    "entry_url": entry_admin_url(entry, user),
                    "local_url": local_view_url(entry, gemeente, user),
                    "list_url": self.list_url(filters),
                    "open_url": self.list_url({**filters, "status": "open"}),
                }
            )
        return rows

    def search_rows(self, groups):
        gemeenten = Gemeente.objects.in_bulk({g["gemeente"] for g in groups})
        return [
            {**group, "gemeente": gemeenten[group["gemeente"]], "list_url": self.list_url({"gemeente": group["gemeente"], "q": group["query"]})}
            for group in groups
        ]

    @staticmethod
    def list_url(filters):
        return f"{reverse('wagtailsnippets_feedback_feedback:list')}?{urlencode(filters)}"


by_entry = FeedbackByEntryView.as_view()
