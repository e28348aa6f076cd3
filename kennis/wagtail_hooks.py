from wagtail.admin.ui.tables import LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from redactie.display import scope_column
from redactie.shared_entries import SharedEntryViewSetMixin
from sharing.admin import GemeenteScopedViewSetMixin

from .models import VAC, AgentNote


class VACViewSet(SharedEntryViewSetMixin, GemeenteScopedViewSetMixin, SnippetViewSet):
    model = VAC
    icon = "help"
    menu_label = "Vragen (VAC)"
    list_display = ["question", scope_column(), "status", LiveStatusTagColumn(label="Gepubliceerd"), "updated_at"]
    list_filter = ["gemeente", "status", "audience", "departments", "live"]
    search_fields = ["question_nl", "keywords"]  # database search, as for products
    search_backend_name = None
    ordering = ["question"]
    inspect_view_fields = [
        "question_nl",
        "answer_nl",
        "internal_explanation",
        "status",
        "audience",
        "keywords",
        "departments",
        "themes",
        "related_products",
        "owner",
        "review_date",
        "updated_at",
    ]


class AgentNoteViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    model = AgentNote
    icon = "lock"
    menu_label = "Interne notities"
    list_display = ["title", "kind", "product", "vac", scope_column()]
    list_filter = ["kind", "gemeente"]
    search_fields = ["title"]


class KnowledgeGroup(SnippetViewSetGroup):
    menu_label = "Kennisbank"
    menu_icon = "help"
    menu_order = 110
    items = (VACViewSet, AgentNoteViewSet)


register_snippet(KnowledgeGroup)
