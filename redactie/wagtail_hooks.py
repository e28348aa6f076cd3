from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet

from sharing.permissions import editable_gemeente_ids

from . import review_report, sdg_report
from .dashboard import ReviewPanel, WorkQueuePanel
from .ownership_admin import ReviewCycleViewSet, TeamViewSet
from .reviews import CONFIRM_ACTION
from .search import EntrySearchArea, EntrySearchView


@hooks.register("construct_homepage_panels")
def add_work_queue(request, panels):
    panels.append(WorkQueuePanel(request))
    panels.append(ReviewPanel(request))


@hooks.register("register_admin_urls")
def register_search_url():
    return [
        path("redactie/zoeken/", EntrySearchView.as_view(), name="redactie_search"),
        path("redactie/herzien/", review_report.ReviewReportView.as_view(), name="redactie_reviews"),
        path("redactie/herzien/nog-juist/", review_report.ConfirmView.as_view(), name="redactie_review_confirm"),
        path("redactie/sdg/", sdg_report.SDGReportView.as_view(), name="redactie_sdg"),
        path(
            "redactie/eigenaar/<str:kind>/<int:pk>/<slug:gemeente>/", review_report.LocalOwnerView.as_view(), name="redactie_local_owner"
        ),
    ]


class ReviewMenuItem(MenuItem):
    def is_shown(self, request):
        return bool(review_report.scopes(request.user))


@hooks.register("register_admin_menu_item")
def register_review_menu_item():
    return ReviewMenuItem("Herzien", reverse("redactie_reviews"), icon_name="date", order=106)


class SDGMenuItem(MenuItem):
    def is_shown(self, request):
        ids = editable_gemeente_ids(request.user)
        return ids is None or bool(ids)


@hooks.register("register_reports_menu_item")
def register_sdg_menu_item():
    return SDGMenuItem("SDG-volledigheid", reverse("redactie_sdg"), icon_name="site", order=802)


@hooks.register("register_log_actions")
def register_review_actions(actions):
    actions.register_action(CONFIRM_ACTION, "Gecontroleerd: nog juist", "Nog juist")


register_snippet(TeamViewSet)
register_snippet(ReviewCycleViewSet)


@hooks.register("register_admin_search_area")
def register_entry_search_area():
    return EntrySearchArea()
