"""Admin of owners: teams (of the region or of one gemeente) and the review cycles."""

from django.contrib.auth import get_user_model
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet

from sharing.admin import GemeenteScopedViewSetMixin
from sharing.forms import GemeenteScopedForm
from sharing.models import Team
from sharing.permissions import readable_gemeente_ids

from .models import ReviewCycle


class TeamForm(GemeenteScopedForm):
    """A municipal curator picks members among the people of their own gemeenten."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        ids = readable_gemeente_ids(self.for_user) if self.for_user is not None else None
        if ids is not None:
            self.fields["members"].queryset = get_user_model().objects.filter(memberships__gemeente__in=ids).distinct()


class TeamViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    model = Team
    icon = "group"
    menu_label = "Teams (eigenaren)"
    add_to_admin_menu = True
    menu_order = 133
    list_display = ["name", "gemeente", "email"]
    search_fields = ["name"]
    edit_handler = ObjectList([FieldPanel("name"), FieldPanel("gemeente"), FieldPanel("email"), FieldPanel("members")], base_form_class=TeamForm)


class ReviewCycleViewSet(SnippetViewSet):
    model = ReviewCycle
    icon = "date"
    menu_label = "Herzieningscycli"
    add_to_admin_menu = True
    menu_order = 134
    list_display = ["entry_kind", "theme", "months"]
    panels = [FieldPanel("entry_kind"), FieldPanel("theme"), FieldPanel("months")]
