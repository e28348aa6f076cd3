"""The curators' queue in the Wagtail admin: suggestions per gemeente (a
municipal curator sees only their own gemeenten', a regional curator all),
each with a side-by-side diff per field; accept all, per field or after
editing, or reject with a reason. And the invitations of experts.
Every view and every POST asks services.py, which checks on the server."""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic import WagtailAdminTemplateMixin

from gemeenten.models import Gemeente
from redactie.links import entry_admin_url
from sharing.kinds import kinds

from . import services
from .diff import side_by_side
from .expert import start_url
from .models import Invitation, InvitationEntry, ProposalStatus, Status, Suggestion, Target, entry_references

HOME = {"url": reverse_lazy("wagtailadmin_home"), "label": "Home"}
QUEUE = {"url": reverse_lazy("voorstellen_queue"), "label": "Voorstellen"}


def curator_scope(user):
    """None (all gemeenten) for a regional curator, their gemeenten' ids for
    a municipal one; anyone else may not use the queue."""
    ids = services.handled_gemeente_ids(user)
    if ids is not None and not ids:
        raise PermissionDenied
    return ids


def visible_suggestions(user):
    return Suggestion.objects.for_curator(curator_scope(user)).select_related("gemeente", "invitation")


class CuratorView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "edit"

    def dispatch(self, request, *args, **kwargs):
        curator_scope(request.user)
        return super().dispatch(request, *args, **kwargs)


class QueueView(CuratorView):
    template_name = "voorstellen/admin/queue.html"
    page_title = "Voorstellen"
    breadcrumbs_items = [HOME, {"url": "", "label": "Voorstellen"}]

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", Status.NEW)
        items = visible_suggestions(self.request.user)
        if status in Status.values:
            items = items.filter(status=status)
        items = list(items[:200])
        entries = entry_references(items)
        for item in items:
            item.__dict__["_entry"] = entries.get((item.entry_kind, item.entry_id))
        statuses = [("", "alle"), *Status.choices]
        return super().get_context_data(items=items, status=status, statuses=statuses, **kwargs)


class SuggestionView(CuratorView):
    template_name = "voorstellen/admin/suggestion.html"
    breadcrumbs_items = [HOME, QUEUE, {"url": "", "label": "Voorstel"}]

    def dispatch(self, request, *args, **kwargs):
        self.suggestion = visible_suggestions(request.user).filter(pk=kwargs["pk"]).first()
        if self.suggestion is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    @property
    def page_title(self):
        return f"Voorstel: {self.suggestion.subject}"

    def get_context_data(self, **kwargs):
        suggestion, user = self.suggestion, self.request.user
        model = suggestion.kind.model
        rows = []
        for proposal in suggestion.proposals.all():
            current = None
            if suggestion.entry is not None:
                current, _ = services.current_text(suggestion.entry, suggestion.gemeente if proposal.target == Target.LOCAL else None, proposal.field_name)
            old, new = side_by_side(proposal.seen_text, proposal.proposed_text)
            rows.append({
                "proposal": proposal, "label": services.field_label(model, proposal.field_name), "old": old, "new": new,
                "changed_since": current is not None and current != proposal.seen_text,
                "rich": services.is_rich(model, proposal.field_name),
                "may_accept": suggestion.is_new_entry or services.can_accept_proposal(user, suggestion, proposal),
            })  # fmt: skip
        entry = suggestion.entry
        fees = list(suggestion.fees.select_related("variable"))
        return super().get_context_data(
            suggestion=suggestion, rows=rows, fees=fees, changes_url=reverse("sharing:changes"),
            accepted_fees=any(fee.status == ProposalStatus.ACCEPTED for fee in fees),
            is_open=suggestion.status == Status.NEW, may_handle=services.can_handle(user, suggestion),
            entry_url=entry_admin_url(entry, user) if entry is not None else None,
            created_url=self.created_url(), **kwargs,
        )  # fmt: skip

    def created_url(self):
        suggestion = self.suggestion
        if not suggestion.created_entry_id:
            return None
        entry = suggestion.kind.model._default_manager.filter(pk=suggestion.created_entry_id).first()
        return entry_admin_url(entry, self.request.user) if entry else None

    def post(self, request, *args, **kwargs):
        action, suggestion = request.POST.get("action"), self.suggestion
        try:
            agents_from = forms.DateTimeField(required=False).clean(request.POST.get("kcc_vanaf", ""))
            if action == "accept-all":
                services.accept(suggestion, request.user, fees_agents_from=agents_from)
            elif action == "accept-selected":
                chosen = {int(pk) for pk in request.POST.getlist("proposal") if pk.isdigit()}
                fees = {int(pk) for pk in request.POST.getlist("fee") if pk.isdigit()}
                texts = {p.pk: request.POST[f"text-{p.pk}"] for p in suggestion.proposals.all() if p.pk in chosen and f"text-{p.pk}" in request.POST}
                services.accept(suggestion, request.user, proposal_ids=chosen, texts=texts, fee_ids=fees, fees_agents_from=agents_from)
            elif action == "reject":
                services.reject(suggestion, request.user, request.POST.get("reason", ""))
            else:
                raise ValidationError("Onbekende actie.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("voorstellen_suggestion", pk=suggestion.pk)
        messages.success(
            request,
            "Het voorstel is verwerkt; niets is gepubliceerd. Gedeelde tekst staat in een concept; "
            "lokale tekst en bedragen wachten onder Lokaal beheer → Lokale wijzigingen ter goedkeuring.",
        )
        return redirect("voorstellen_suggestion", pk=suggestion.pk)


# Invitations ---------------------------------------------------------------------------


class InvitationForm(forms.Form):
    name = forms.CharField(label="Naam", max_length=200)
    email = forms.EmailField(label="E-mailadres")
    department = forms.CharField(label="Afdeling", max_length=200, required=False)
    gemeenten = forms.ModelMultipleChoiceField(label="Gemeenten", queryset=Gemeente.objects.none(), required=False, widget=forms.CheckboxSelectMultiple)
    regional = forms.BooleanField(label="Ook de gedeelde tekst", required=False)
    entries = forms.CharField(
        label="Onderwerpen", widget=forms.Textarea(attrs={"rows": 4}),
        help_text="De slugs van de producten, vragen of andere onderwerpen, één per regel (de laatste deel van hun adres).",
    )  # fmt: skip
    days = forms.IntegerField(label="Geldig (dagen)", min_value=1, max_value=90, initial=14)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        ids = services.handled_gemeente_ids(user)
        self.fields["gemeenten"].queryset = Gemeente.objects.order_by("name") if ids is None else Gemeente.objects.filter(pk__in=ids)
        if ids is not None:
            del self.fields["regional"]  # the shared text is the regional curators'

    def clean_entries(self):
        slugs = {line.strip().strip("/").rsplit("/", 1)[-1] for line in self.cleaned_data["entries"].splitlines() if line.strip()}
        found = []
        for kind in kinds():
            for entry in kind.model._default_manager.filter(slug__in=slugs):
                if entry.gemeente_id is None or services.can_edit_gemeente(self.user, entry.gemeente):
                    found.append((kind.name, entry))
        missing = slugs - {entry.slug for _, entry in found}
        if missing:
            raise ValidationError(f"Niet gevonden: {', '.join(sorted(missing))}")
        return found

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("gemeenten") and not cleaned.get("regional"):
            raise ValidationError("Kies minstens één gemeente (of de gedeelde tekst).")
        return cleaned


class InvitationsView(WagtailAdminTemplateMixin, FormView):
    template_name = "voorstellen/admin/invitations.html"
    page_title = "Uitnodigingen voor experts"
    header_icon = "mail"
    breadcrumbs_items = [HOME, QUEUE, {"url": "", "label": "Uitnodigingen"}]
    form_class = InvitationForm
    success_url = reverse_lazy("voorstellen_invitations")

    def dispatch(self, request, *args, **kwargs):
        self.scope = curator_scope(request.user)
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def invitations(self):
        items = Invitation.objects.prefetch_related("gemeenten").order_by("-created_at")
        if self.scope is not None:
            items = items.filter(gemeenten__in=self.scope, regional=False).distinct()
        return items[:100]

    def get_context_data(self, **kwargs):
        return super().get_context_data(invitations=self.invitations(), now=timezone.now(), **kwargs)

    def post(self, request, *args, **kwargs):
        if "revoke" in request.POST:
            return self.revoke(request.POST["revoke"])
        return super().post(request, *args, **kwargs)

    def revoke(self, pk):
        invitation = next((item for item in self.invitations() if str(item.pk) == pk), None)
        if invitation is None:
            raise Http404
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        messages.success(self.request, f"De link van {invitation.name} is ingetrokken.")
        return redirect("voorstellen_invitations")

    def form_valid(self, form):
        data = form.cleaned_data
        invitation = Invitation.objects.create(
            name=data["name"], email=data["email"], department=data["department"], regional=data.get("regional", False),
            created_by=self.request.user, expires_at=timezone.now() + datetime.timedelta(days=data["days"]),
        )  # fmt: skip
        invitation.gemeenten.set(data["gemeenten"])
        InvitationEntry.objects.bulk_create(InvitationEntry(invitation=invitation, entry_kind=name, entry_id=entry.pk) for name, entry in data["entries"])
        link = self.request.build_absolute_uri(start_url(invitation))  # the gemeente's site's address stays as it is
        services.send_invitation(invitation, link)
        messages.success(self.request, f"Uitnodiging verstuurd naar {invitation.email}. De link: {link}")
        return super().form_valid(form)

