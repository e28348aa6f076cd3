from django.urls import include, path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from redactie.forms import VariableValueForm

from . import urls
from .admin import GemeenteScopedViewSetMixin, ScopedDeleteBulkAction
from .models import Audience, Variable, VariableValue
from .overrides import KEEP, REVERT, SET
from .permissions import editable_gemeente_ids
from .value_admin import ValueCreateView, ValueDeleteBulkAction, ValueDeleteView, ValueEditView, value_status, with_held_changes
from .variables import display_value


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("lokaal/", include(urls, namespace="sharing"))]


class LocalMenuItem(MenuItem):
    def is_shown(self, request):
        ids = editable_gemeente_ids(request.user)
        return ids is None or bool(ids)


@hooks.register("register_admin_menu_item")
def register_local_menu_item():
    return LocalMenuItem("Lokaal beheer", reverse("sharing:overview"), icon_name="site", order=105)


@hooks.register("register_log_actions")
def register_override_actions(actions):
    from .workflow import APPLIED, APPROVED, REJECTED, SUBMITTED, VALUE_APPROVED, VALUE_REJECTED, VALUE_SUBMITTED

    actions.register_action(SUBMITTED, "Lokale wijziging ingediend", "Lokale wijziging ingediend")
    actions.register_action(APPROVED, "Lokale wijziging goedgekeurd", "Lokale wijziging goedgekeurd")
    actions.register_action(REJECTED, "Lokale wijziging afgewezen", "Lokale wijziging afgewezen")
    actions.register_action(APPLIED, "Lokale wijziging live", "Lokale wijziging live")
    actions.register_action(SET, "Lokale tekst opgeslagen", "Lokale tekst opgeslagen")
    actions.register_action(REVERT, "Terug naar gedeelde tekst", "Terug naar gedeelde tekst")
    actions.register_action(KEEP, "Lokale tekst behouden na wijziging basis", "Lokale tekst behouden")
    actions.register_action(VALUE_SUBMITTED, "Nieuwe waarde ingediend", "Nieuwe waarde ingediend")
    actions.register_action(VALUE_APPROVED, "Nieuwe waarde goedgekeurd", "Nieuwe waarde goedgekeurd")
    actions.register_action(VALUE_REJECTED, "Nieuwe waarde afgewezen", "Nieuwe waarde afgewezen")


class VariableViewSet(SnippetViewSet):
    model = Variable
    icon = "code"
    menu_label = "Variabelen"
    add_to_admin_menu = True
    menu_order = 120
    list_display = ["key", "label", "kind"]
    search_fields = ["key", "label"]


class VariableValueViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    model = VariableValue
    icon = "code"
    menu_label = "Waarden per gemeente"
    add_to_admin_menu = True
    menu_order = 121
    # Prefilled from the dashboard's "Waarde invullen" links; under four eyes
    # a change waits for a second curator (sharing/value_admin.py).
    add_view_class = ValueCreateView
    edit_view_class = ValueEditView
    delete_view_class = ValueDeleteView
    edit_handler = ObjectList(
        [FieldPanel("variable"), FieldPanel("gemeente"), FieldPanel("value"), FieldPanel("valid_from"), FieldPanel("agents_from")],
        base_form_class=VariableValueForm,  # money typed as "€ 1.329,76" is stored as 1329.76
    )
    list_display = [
        "variable",
        "gemeente",
        Column("value", label="Waarde", accessor=lambda row: display_value(row.variable.kind, row.value)),
        "valid_from",
        Column("status", label="Status", accessor=value_status),
    ]
    list_filter = ["gemeente", "variable"]

    def get_queryset(self, request):
        return with_held_changes(super().get_queryset(request))


class AudienceViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    """The audiences an entry's text can have a variant for: the region's,
    and a gemeente's own (its curators add them, e.g. "instelling")."""

    model = Audience
    icon = "group"
    menu_label = "Doelgroepen"
    add_to_admin_menu = True
    menu_order = 122
    list_display = ["name", "slug", "gemeente", "position"]
    list_filter = ["gemeente"]


register_snippet(VariableViewSet)
register_snippet(VariableValueViewSet)
register_snippet(AudienceViewSet)

# After Wagtail's own bulk delete (order 0), which it replaces for gemeente-scoped snippets.
hooks.register("register_bulk_action", ScopedDeleteBulkAction, order=1)
hooks.register("register_bulk_action", ValueDeleteBulkAction, order=2)  # after it, for the values


@hooks.register("register_snippet_listing_buttons")
def local_version_buttons(snippet, user, next_url=None):
    """From the product and VAC listings straight to each editable gemeente's
    side-by-side view of a shared entry."""
    from gemeenten.models import Gemeente
    from wagtail.admin.widgets import ListingButton

    from .models import SharedEntry
    from .resolution import entry_kind

    if not isinstance(snippet, SharedEntry) or not snippet.is_shared:
        return []
    ids = editable_gemeente_ids(user)
    gemeenten = Gemeente.objects.all() if ids is None else Gemeente.objects.filter(pk__in=ids)
    return [
        ListingButton(
            f"Lokaal: {gemeente.name}",
            reverse("sharing:entry_editor", args=[entry_kind(snippet), snippet.pk, gemeente.slug]),
            priority=50 + order,
        )
        for order, gemeente in enumerate(gemeenten)
    ]


@hooks.register("before_publish")
def four_eyes_before_publish(request, instance):
    """Publishing an entry that needs four eyes submits it instead."""
    from .workflow import submit_instead_of_publishing

    return submit_instead_of_publishing(request, instance)


@hooks.register("construct_snippet_action_menu")
def no_publish_button_under_four_eyes(menu_items, request, context):
    """The form offers "Publiceren" only where it publishes (a local entry
    of a gemeente that publishes directly); the server holds the rest anyway."""
    from .models import SharedEntry
    from .workflow import needs_four_eyes

    instance = context.get("instance")
    if not issubclass(context["model"], SharedEntry) or instance is None or instance.pk is None:
        return  # a new entry: the server decides when it is saved
    if needs_four_eyes(instance):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]
