from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Gemeente


class GemeenteViewSet(SnippetViewSet):
    model = Gemeente
    icon = "site"
    menu_label = "Gemeenten"
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "cbs_code", "inhabitants", "site"]
    search_fields = ["name", "cbs_code"]


register_snippet(GemeenteViewSet)
