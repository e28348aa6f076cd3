from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from sharing.admin import GemeenteScopedViewSetMixin

from .models import VAC, AgentNote


class VACViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    model = VAC
    icon = "help"
    menu_label = "Vragen (VAC)"
    list_display = ["question", "scope", "status", "live", "updated_at"]
    list_filter = ["gemeente", "status", "audience", "departments", "live"]
    search_fields = ["question", "keywords"]
    ordering = ["question"]


class AgentNoteViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    model = AgentNote
    icon = "lock"
    menu_label = "Interne notities"
    list_display = ["title", "kind", "product", "vac", "scope"]
    list_filter = ["kind", "gemeente"]
    search_fields = ["title"]


class KnowledgeGroup(SnippetViewSetGroup):
    menu_label = "Kennisbank"
    menu_icon = "help"
    menu_order = 110
    items = (VACViewSet, AgentNoteViewSet)


register_snippet(KnowledgeGroup)
