"""The review report (per gemeente and for the region: overdue, due within
30 days, flagged, never reviewed; by owner, department and theme), "nog
juist" in one click, and the owner of a gemeente's local texts of an entry."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.generic import FormView, TemplateView, View
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from gemeenten.models import Gemeente
from pdc.models import Department, Theme
from sharing.kinds import get_kind, kind_names
from sharing.models import LocalOwnership, Team
from sharing.permissions import can_edit_gemeente, editable_gemeente_ids, is_regional_curator

from . import reviews
from .links import entry_admin_url, local_view_url

REGION = "regio"
STATE_CHOICES = [(state, label) for state, label in reviews.STATE_LABELS.items()]


def scopes(user):
    """[(value, label)] of what the user may report on: the region (regional
    curators) and the gemeenten they curate."""
    ids = editable_gemeente_ids(user)
    gemeenten = Gemeente.objects.order_by("name")
    gemeenten = gemeenten if ids is None else gemeenten.filter(pk__in=ids)
    region = [(REGION, "Regio (gedeelde teksten)")] if is_regional_curator(user) else []
    return region + [(g.slug, g.name) for g in gemeenten]


def report_url(scope, **filters):
    return f"{reverse('redactie_reviews')}?{urlencode({'scope': scope, **filters})}"


class ReportFilters(forms.Form):
    scope = forms.ChoiceField(label="Gemeente", required=False)
    state = forms.ChoiceField(label="Staat", required=False, choices=[("", "Alle"), *STATE_CHOICES])
    owner = forms.ChoiceField(label="Eigenaar", required=False, choices=[("", "Iedereen"), ("mine", "Ik (of mijn team)")])
    department = forms.ModelChoiceField(label="Afdeling", required=False, queryset=Department.objects.all(), empty_label="Alle")
    theme = forms.ModelChoiceField(label="Thema", required=False, queryset=Theme.objects.all(), empty_label="Alle")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = scopes(user)


class ReviewReportView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "redactie/reviews.html"
    page_title = "Herzien"
    header_icon = "date"
    breadcrumbs_items = [{"url": reverse_lazy("wagtailadmin_home"), "label": "Home"}, {"url": "", "label": "Herzien"}]

    def dispatch(self, request, *args, **kwargs):
        if not scopes(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        data = self.request.GET.copy()
        data.setdefault("scope", scopes(user)[0][0])
        form = ReportFilters(data, user=user)
        if not form.is_valid():
            raise PermissionDenied if "scope" in form.errors else Http404
        filters = form.cleaned_data
        gemeente = None if filters["scope"] == REGION else Gemeente.objects.get(slug=filters["scope"])
        items = reviews.review_items(gemeente, theme=filters["theme"], department=filters["department"])
        totals = reviews.summary(items)
        # Beside a municipal curator's own figures: the region's shared texts, as totals only (read-only, no
        # gemeente's overrides). Not for a regional curator, who has the region's own report (scope "regio").
        regional = None
        if gemeente is not None and not is_regional_curator(user):
            regional = reviews.summary(reviews.review_items(None, theme=filters["theme"], department=filters["department"]))
        if filters["owner"] == "mine":
            items = reviews.owned_by(items, user)
        if filters["state"]:
            items = [item for item in items if filters["state"] in item.states]
        for item in items:
            item.admin_url = entry_admin_url(item.entry, user)
            item.local_url = local_view_url(item.entry, gemeente, user)
            item.owner_url = ownership_url(item.entry, gemeente) if gemeente and item.entry.gemeente_id is None else item.admin_url
        return super().get_context_data(
            form=form, items=items, totals=totals, regional=regional, gemeente=gemeente, scope=filters["scope"], back=self.request.get_full_path(), **kwargs
        )


def ownership_url(entry, gemeente):
    return reverse("redactie_local_owner", args=[get_kind(entry).name, entry.pk, gemeente.slug])


def entry_of(kind_name, pk):
    if kind_name not in kind_names():
        raise Http404
    return get_object_or_404(get_kind(kind_name).model, pk=pk)


class ConfirmView(View):
    """POST "nog juist": the owner or a curator of that text confirms it; the next date follows the cycle."""

    http_method_names = ["post"]

    def post(self, request):
        entry = entry_of(request.POST.get("kind", ""), request.POST.get("id") if str(request.POST.get("id", "")).isdigit() else 0)
        slug = request.POST.get("gemeente", "")
        gemeente = get_object_or_404(Gemeente, slug=slug) if slug else None
        if gemeente is not None and entry.gemeente_id not in (None, gemeente.pk):
            raise Http404
        if not reviews.may_review(request.user, entry, gemeente):
            raise PermissionDenied
        next_date = reviews.confirm(entry, gemeente, request.user)
        messages.success(request, f"“{entry}” is nog juist; volgende controle vóór {next_date:%d-%m-%Y}.")
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
            back = reverse("redactie_reviews")
        return HttpResponseRedirect(back)


class LocalOwnershipForm(forms.ModelForm):
    class Meta:
        model = LocalOwnership
        fields = ["owner", "owner_team", "review_date"]
        widgets = {"review_date": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        gemeente = self.instance.gemeente
        # People and teams of this gemeente only: no names of other gemeenten.
        self.fields["owner"].queryset = get_user_model().objects.filter(memberships__gemeente=gemeente).distinct().order_by("username")
        self.fields["owner_team"].queryset = Team.objects.filter(gemeente=gemeente)


class LocalOwnerView(WagtailAdminTemplateMixin, FormView):
    """The owner and review date of one gemeente's local texts of a shared entry."""

    template_name = "redactie/local_owner.html"
    form_class = LocalOwnershipForm
    header_icon = "user"

    def dispatch(self, request, kind, pk, gemeente):
        self.entry = entry_of(kind, pk)
        self.gemeente = get_object_or_404(Gemeente, slug=gemeente)
        if self.entry.gemeente_id is not None:
            raise Http404
        if not can_edit_gemeente(request.user, self.gemeente):
            raise PermissionDenied
        return super().dispatch(request, kind, pk, gemeente)

    def get_page_title(self):
        return f"Eigenaar van de lokale teksten: {self.entry}"

    def get_breadcrumbs_items(self):
        return [
            {"url": reverse("wagtailadmin_home"), "label": "Home"},
            {"url": report_url(self.gemeente.slug), "label": "Herzien"},
            {"url": "", "label": str(self.entry)},
        ]

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": reviews.holder(self.entry, self.gemeente)}

    def form_valid(self, form):
        form.save()
        messages.success(self.request, f"Eigenaar van de lokale teksten van “{self.entry}” in {self.gemeente} opgeslagen.")
        return HttpResponseRedirect(report_url(self.gemeente.slug))

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, gemeente=self.gemeente, **kwargs)
