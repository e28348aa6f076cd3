"""Feedback grouped per entry (and missing answers per search), so a
curator sees which texts draw complaints, not only single remarks; and a
flag handed on to another owner."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.log_actions import log

from gemeenten.models import Gemeente
from redactie.links import entry_admin_url, local_view_url
from sharing.models import Team
from sharing.permission_policies import visible_instances
from sharing.permissions import can_edit_gemeente, is_regional_curator

from .models import Feedback, load_entries

Kind = Feedback.Kind
COUNTS = {
    "total": Count("pk"),
    "helpful": Count("pk", filter=Q(kind=Kind.HELPFUL)),
    "not_helpful": Count("pk", filter=Q(kind=Kind.NOT_HELPFUL)),
    "wrong": Count("pk", filter=Q(kind=Kind.WRONG)),
    "missing": Count("pk", filter=Q(kind=Kind.MISSING)),
    "open": Count("pk", filter=Q(status__in=Feedback.OPEN_STATUSES) & ~Q(kind=Kind.HELPFUL)),
    "last": Max("created_at"),
}
MAX_ROWS = 200


class FeedbackByEntryView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "feedback/by_entry.html"
    page_title = "Terugkoppeling per onderwerp"
    header_icon = "comment"
    breadcrumbs_items = [
        {"url": reverse_lazy("wagtailadmin_home"), "label": "Home"},
        {"url": reverse_lazy("wagtailsnippets_feedback_feedback:list"), "label": "Terugkoppelingen"},
        {"url": "", "label": "Per onderwerp"},
    ]

    def dispatch(self, request, *args, **kwargs):
        if not Feedback.snippet_viewset.permission_policy.user_has_any_permission(request.user, ["view", "change"]):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        items = Feedback.snippet_viewset.get_queryset(self.request)
        about_entries = items.about_entries().values("gemeente", "entry_kind", "entry_id").annotate(**COUNTS).order_by("-open", "-last")[:MAX_ROWS]
        searches = (
            items.about_searches()
            .values("gemeente", "query")
            .annotate(**COUNTS)
            .order_by("-open", "-last")[:MAX_ROWS]
        )
        return super().get_context_data(rows=self.entry_rows(list(about_entries)), searches=self.search_rows(list(searches)), **kwargs)

    def entry_rows(self, groups):
        gemeenten = Gemeente.objects.in_bulk({g["gemeente"] for g in groups})
        entries = load_entries((g["entry_kind"], g["entry_id"]) for g in groups)
        user = self.request.user
        rows = []
        for group in groups:
            entry = entries.get((group["entry_kind"], group["entry_id"]))
            if entry is None:
                continue  # its kind is no longer registered
            gemeente = gemeenten[group["gemeente"]]
            # The list's own filter per kind: ?<kind name>=<id>
            filters = {"gemeente": gemeente.pk, group["entry_kind"]: entry.pk}
            rows.append(
                {
                    **group,
                    "gemeente": gemeente,
                    "entry": entry,
                    "entry_url": entry_admin_url(entry, user),
                    "local_url": local_view_url(entry, gemeente, user),
                    "list_url": self.list_url(filters),
                    "open_url": self.list_url({**filters, "status": "open"}),
                }
            )
        return rows

    def search_rows(self, groups):
        gemeenten = Gemeente.objects.in_bulk({g["gemeente"] for g in groups})
        return [
            {**group, "gemeente": gemeenten[group["gemeente"]], "list_url": self.list_url({"gemeente": group["gemeente"], "q": group["query"]})}
            for group in groups
        ]

    @staticmethod
    def list_url(filters):
        return f"{reverse('wagtailsnippets_feedback_feedback:list')}?{urlencode(filters)}"


by_entry = FeedbackByEntryView.as_view()


# Handing a flag on to another owner -----------------------------------------------------------

REASSIGN_ACTION = "kennisbank.feedback.reassigned"


def owner_choices(user, gemeente):
    """(people, teams) a user may hand a flag of `gemeente` to: the people
    and teams of that gemeente (no names of other gemeenten, whose people
    could not see the flag); a regional curator also the region's people
    (a role without a gemeente) and teams. Someone the flag was handed to
    who does not curate that gemeente (a regional team's member) chooses
    no one: they can only hand it back to the curators of the text."""
    User = get_user_model()
    if not can_edit_gemeente(user, gemeente):
        return User.objects.none(), Team.objects.none()
    people = Q(memberships__gemeente=gemeente)
    teams = Q(gemeente=gemeente)
    if is_regional_curator(user):
        people |= Q(memberships__isnull=False, memberships__gemeente__isnull=True)
        teams |= Q(gemeente__isnull=True)
    return User.objects.filter(people).distinct().order_by("username"), Team.objects.filter(teams)


class ReassignForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["assignee", "assignee_team"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        people, teams = owner_choices(user, self.instance.gemeente)
        self.fields["assignee"].queryset = people
        self.fields["assignee_team"].queryset = teams


class ReassignView(WagtailAdminTemplateMixin, FormView):
    """Hand a flag to another owner (a person, a team or both; neither: the
    curators of the text), logged in the flag's history. The choices are
    checked on the server: a forged POST with someone else's id is refused."""

    template_name = "feedback/reassign.html"
    form_class = ReassignForm
    header_icon = "comment"
    page_title = "Melding doorsturen"

    def dispatch(self, request, pk):
        self.flag = get_object_or_404(visible_instances(request.user, Feedback), pk=pk)
        if not Feedback.snippet_viewset.permission_policy.user_has_permission_for_instance(request.user, "change", self.flag):
            raise PermissionDenied
        return super().dispatch(request, pk)

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": reverse("wagtailsnippets_feedback_feedback:list"), "label": "Terugkoppelingen"},
            {"url": self.edit_url(), "label": str(self.flag)},
            {"url": "", "label": "Doorsturen"},
        ]

    def edit_url(self):
        return reverse("wagtailsnippets_feedback_feedback:edit", args=[self.flag.pk])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.flag, "user": self.request.user}

    def form_valid(self, form):
        before = Feedback.objects.get(pk=self.flag.pk).owner_display
        if form.has_changed():
            flag = form.save(commit=False)
            flag.save(update_fields=["assignee", "assignee_team"])
            log(instance=flag, action=REASSIGN_ACTION, user=self.request.user, data={"from": before, "to": flag.owner_display})
            messages.success(self.request, f"Melding doorgestuurd naar {flag.owner_display}.")
        return HttpResponseRedirect(self.edit_url())

    def get_context_data(self, **kwargs):
        return super().get_context_data(flag=self.flag, only_back=not can_edit_gemeente(self.request.user, self.flag.gemeente), **kwargs)


reassign = ReassignView.as_view()
