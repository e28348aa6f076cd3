import django_filters
from django.urls import path, reverse
from django.utils.text import Truncator
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.widgets import HeaderButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet

from gemeenten.models import Gemeente
from redactie.display import EMPTY, YesNoColumn, yes_no
from redactie.links import entry_admin_url, local_view_url
from sharing.admin import GemeenteScopedViewSetMixin
from sharing.kinds import kind_names
from sharing.permissions import editable_gemeente_ids

from . import views
from .models import Feedback


class ReadOnlyPanel(FieldPanel):
    """What the reader wrote: shown, never part of the form, so a forged
    POST cannot change it."""

    def __init__(self, field_name, **kwargs):
        kwargs["read_only"] = True
        super().__init__(field_name, **kwargs)

    def format_value_for_display(self, value):
        if isinstance(value, bool):
            return yes_no(value)
        return EMPTY if value in (None, "") else super().format_value_for_display(value)


class FeedbackFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[("open", "te behandelen"), ("handled", "afgehandeld")],
        method="filter_status",
        empty_label="Alle",
    )
    gemeente = django_filters.ModelChoiceFilter(label="Gemeente", queryset=Gemeente.objects.none())

    class Meta:
        model = Feedback
        fields = ["status", "gemeente", "kind", "origin"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        ids = editable_gemeente_ids(request.user) if request else set()
        gemeenten = Gemeente.objects.all() if ids is None else Gemeente.objects.filter(pk__in=ids)
        self.filters["gemeente"].queryset = gemeenten

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        return queryset.filter(handled=True) if value == "handled" else queryset


class EntryPanel(ReadOnlyPanel):
    """The entry the feedback is about (a property, not a form field)."""

    def __init__(self, field_name="entry", **kwargs):
        kwargs.setdefault("heading", "Onderwerp")
        kwargs.setdefault("help_text", "Het product, de vraag of ander onderwerp waar het over gaat; leeg bij een ontbrekend antwoord.")
        super().__init__(field_name, **kwargs)

    def format_value_for_display(self, value):
        return EMPTY if value is None else str(value)


class EntryLinksColumn(Column):
    """The entry the feedback is about, and the gemeente's local view of it."""

    cell_template_name = "feedback/entry_links_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        user = parent_context["request"].user
        entry = instance.entry
        context["entry_url"] = entry_admin_url(entry, user) if entry else None
        context["local_url"] = local_view_url(entry, instance.gemeente, user)
        return context


class FeedbackIndexView(IndexView):
    def get_base_queryset(self):
        """Narrowed to one entry by the links of "Per onderwerp": ?<kind name>=<entry id>."""
        queryset = super().get_base_queryset()
        for name in kind_names():
            value = self.request.GET.get(name, "")
            if value.isdigit():
                queryset = queryset.filter(entry_kind=name, entry_id=value)
        return queryset

    @property
    def header_buttons(self):
        return [*super().header_buttons, HeaderButton("Per onderwerp", url=reverse("feedback_by_entry"), icon_name="list-ul")]


class FeedbackViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    model = Feedback
    icon = "comment"
    menu_label = "Terugkoppeling"
    add_to_admin_menu = True
    menu_order = 132
    index_view_class = FeedbackIndexView
    list_display = [
        TitleColumn("subject", label="Onderwerp", url_name="wagtailsnippets_feedback_feedback:edit"),
        Column("kind", label="Soort", accessor="get_kind_display"),
        Column("remark", label="Opmerking", accessor=lambda item: Truncator(item.remark).chars(160)),
        EntryLinksColumn("links", label="Bekijken"),
        Column("gemeente", label="Gemeente"),
        Column("created_at", label="Ontvangen op", sort_key="created_at"),
        YesNoColumn("handled", label="Afgehandeld", sort_key="handled"),
    ]
    filterset_class = FeedbackFilterSet
    search_fields = ["remark", "query", "note"]
    inspect_view_enabled = True
    inspect_view_fields = ["gemeente", "entry", "kind", "origin", "remark", "query", "user", "created_at", "handled", "note"]
    panels = [
        MultiFieldPanel(
            [ReadOnlyPanel("gemeente"), EntryPanel(), *(ReadOnlyPanel(name) for name in ("kind", "origin", "remark", "query", "user", "created_at"))],
            heading="Wat er gemeld is",
        ),
        MultiFieldPanel([FieldPanel("handled"), FieldPanel("note")], heading="Afhandeling door de redactie"),
    ]


register_snippet(FeedbackViewSet)


@hooks.register("register_admin_urls")
def register_by_entry_url():
    return [path("terugkoppeling/per-onderwerp/", views.by_entry, name="feedback_by_entry")]
