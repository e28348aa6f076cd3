from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from redactie.display import scope_column
from redactie.views import PrefilledCreateView
from sharing.admin import GemeenteScopedViewSetMixin
from sharing.kinds import kinds
from sharing.permissions import editable_gemeente_ids

from . import reports
from .forms import promotion_form_class
from .models import Promotion, Synonym


class SynonymViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    model = Synonym
    icon = "link"
    menu_label = "Synoniemen"
    add_view_class = PrefilledCreateView
    list_display = ["term", "synonyms", scope_column()]
    list_filter = ["gemeente"]
    search_fields = ["term", "synonyms"]


class PromotionViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    model = Promotion
    icon = "pick"
    menu_label = "Uitgelichte antwoorden"
    add_view_class = PrefilledCreateView
    list_display = ["query", Column("entry", label="Antwoord"), scope_column()]
    list_filter = ["gemeente"]
    search_fields = ["query"]

    def get_edit_handler(self):
        """A chooser per registered kind, of which the curator fills one."""
        answer = MultiFieldPanel([FieldPanel(kind.name) for kind in kinds()], heading="Antwoord", help_text="Kies er één.")
        panels = [FieldPanel("gemeente"), FieldPanel("query"), answer, FieldPanel("sort_order")]
        return ObjectList(panels, base_form_class=promotion_form_class()).bind_to_model(self.model)


class SearchGroup(SnippetViewSetGroup):
    menu_label = "Zoeken"
    menu_icon = "search"
    menu_order = 130
    items = (SynonymViewSet, PromotionViewSet)


register_snippet(SearchGroup)


@hooks.register("register_admin_urls")
def register_report_url():
    return [
        path("zoeken/rapport/", reports.search_report, name="zoeken_report"),
        path("zoeken/rapport/verbergen/", reports.hide_query, name="zoeken_report_hide"),
    ]


class ReportMenuItem(MenuItem):
    def is_shown(self, request):
        ids = editable_gemeente_ids(request.user)
        return ids is None or bool(ids)


@hooks.register("register_admin_menu_item")
def register_report_menu_item():
    return ReportMenuItem("Zoekvragen", reverse("zoeken_report"), icon_name="search", order=131)
