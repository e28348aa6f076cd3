import django_filters
from django.urls import path, reverse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.text import Truncator
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.log_actions import LogFormatter
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, IndexView, SnippetViewSet

from gemeenten.models import Gemeente
from redactie.display import EMPTY, yes_no
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
        choices=[("open", "te behandelen"), *Feedback.Status.choices],
        method="filter_status",
        empty_label="Alle",
    )
    inbox = django_filters.ChoiceFilter(
        label="Inbox", choices=[("mine", "aan mij gericht")], method="filter_inbox", empty_label="Alle meldingen"
    )
    gemeente = django_filters.ModelChoiceFilter(label="Gemeente", queryset=Gemeente.objects.none())

    class Meta:
        model = Feedback
        fields = ["inbox", "status", "gemeente", "kind", "origin", "route"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        ids = editable_gemeente_ids(request.user) if request else set()
        gemeenten = Gemeente.objects.all() if ids is None else Gemeente.objects.filter(pk__in=ids)
        self.filters["gemeente"].queryset = gemeenten

    def filter_status(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        return queryset.filter(status=value) if value in Feedback.Status.values else queryset

    def filter_inbox(self, queryset, name, value):
        return queryset.flags().routed_to(self.request.user) if value == "mine" else queryset


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
        inbox = f"{reverse('wagtailsnippets_feedback_feedback:list')}?inbox=mine&status=open"
        return [
            *super().header_buttons,
            HeaderButton("Mijn inbox", url=inbox, icon_name="mail"),
            HeaderButton("Per onderwerp", url=reverse("feedback_by_entry"), icon_name="list-ul"),
        ]


STATUS_ACTION = "kennisbank.feedback.status"


class FeedbackEditView(EditView):
    """A change of status is dated and written into the flag's history
    (Wagtail's log: the History view of the flag)."""

    @cached_property
    def header_more_buttons(self):
        reassign = Button("Doorsturen", url=reverse("feedback_reassign", args=[self.object.pk]), icon_name="arrow-right", priority=5)
        return [reassign, *super().header_more_buttons]

    def save_instance(self):
        changed = "status" in self.form.changed_data
        if changed:
            self.form.instance.status_changed_at = timezone.now()
        instance = super().save_instance()
        if changed:
            data = {"status": instance.status, "label": instance.get_status_display(), "reason": instance.status_reason}
            log(instance=instance, action=STATUS_ACTION, user=self.request.user, data=data)
        return instance


class FeedbackViewSet(GemeenteScopedViewSetMixin, SnippetViewSet):
    model = Feedback
    icon = "comment"
    menu_label = "Terugkoppeling"
    add_to_admin_menu = True
    menu_order = 132
    index_view_class = FeedbackIndexView
    edit_view_class = FeedbackEditView
    list_display = [
        TitleColumn("subject", label="Onderwerp", url_name="wagtailsnippets_feedback_feedback:edit"),
        Column("kind", label="Soort", accessor="get_kind_display"),
        Column("remark", label="Opmerking", accessor=lambda item: Truncator(item.remark).chars(160)),
        EntryLinksColumn("links", label="Bekijken"),
        Column("gemeente", label="Gemeente"),
        Column("assignee", label="Eigenaar", accessor=lambda item: item.owner_display),
        Column("created_at", label="Ontvangen op", sort_key="created_at"),
        Column("status", label="Status", accessor="get_status_display", sort_key="status"),
    ]
    filterset_class = FeedbackFilterSet
    search_fields = ["remark", "query", "note"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "gemeente", "entry", "kind", "field_name", "origin", "remark", "query", "user", "created_at",
        "route", "assignee", "assignee_team", "status", "status_reason", "status_changed_at", "note",
    ]
    panels = [
        MultiFieldPanel(
            [
                ReadOnlyPanel("gemeente"),
                EntryPanel(),
                *(ReadOnlyPanel(name) for name in ("kind", "field_name", "origin", "remark", "query", "user", "created_at")),
            ],
            heading="Wat er gemeld is",
        ),
        MultiFieldPanel([ReadOnlyPanel(name) for name in ("route", "assignee", "assignee_team")], heading="Naar wie het ging"),
        MultiFieldPanel([FieldPanel("status"), FieldPanel("status_reason"), FieldPanel("note")], heading="Afhandeling"),
    ]


register_snippet(FeedbackViewSet)


@hooks.register("register_log_actions")
def register_status_action(actions):
    actions.register_action(STATUS_ACTION, "Status van de melding gewijzigd", "Status gewijzigd")

    @actions.register_action(views.REASSIGN_ACTION)
    class ReassignFormatter(LogFormatter):
        label = "Melding doorgestuurd"

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return f"Doorgestuurd van {data.get('from', '—')} naar {data.get('to', '—')}"


@hooks.register("register_admin_urls")
def register_by_entry_url():
    return [
        path("terugkoppeling/per-onderwerp/", views.by_entry, name="feedback_by_entry"),
        path("terugkoppeling/<int:pk>/doorsturen/", views.reassign, name="feedback_reassign"),
    ]
