from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from sharing.admin import GemeenteScopedViewSetMixin

from .models import Feedback


class FeedbackViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    model = Feedback
    icon = "comment"
    menu_label = "Terugkoppeling"
    add_to_admin_menu = True
    menu_order = 132
    list_display = ["__str__", "kind", "channel", "gemeente", "created_at", "handled"]
    list_filter = ["gemeente", "kind", "channel", "handled"]
    search_fields = ["remark", "query"]
    inspect_view_enabled = True


register_snippet(FeedbackViewSet)
