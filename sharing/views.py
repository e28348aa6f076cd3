"""Admin views for a gemeente's view of shared entries: the side-by-side
editor (shared text | local text per field), per-field editing, revert and
keep, and the list of overrides whose base text changed."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.views.decorators.http import require_POST
from wagtail.admin import messages
from wagtail.admin.rich_text import DraftailRichTextArea

from gemeenten.models import Gemeente

from .kinds import get_kind, kinds
from .models import Audience, split_variant_key, variant_key
from .overrides import keep_override, overridable, revert_override, set_override
from .permissions import can_edit_gemeente, editable_gemeente_ids
from .resolution import AGENT, resolve
from .scheduling import agents_date_error
from .text import word_diff
from .workflow import (
    approve_change,
    approve_value_change,
    may_review,
    override_change_effect,
    reject_change,
    reject_value_change,
    value_change_effect,
)
from .workflow_models import OverrideChange, ValueChange
from .variables import GemeenteContext

def _entry(kind, pk):
    try:
        model = get_kind(kind).model
    except KeyError:
        raise Http404 from None
    return get_object_or_404(model, pk=pk, gemeente__isnull=True)


def _gemeente_for(request, slug):
    gemeente = get_object_or_404(Gemeente, slug=slug)
    if not can_edit_gemeente(request.user, gemeente):
        raise PermissionDenied
    return gemeente


def _editable_gemeenten(user):
    ids = editable_gemeente_ids(user)
    return Gemeente.objects.all() if ids is None else Gemeente.objects.filter(pk__in=ids)


def _columns(entry):
    """The columns an editor overrides here: each field, a translated one
    in every language (Dutch first, its translation on the next row)."""
    return [column for name in entry.overridable_fields for column in entry.columns_of(name)]


def _language(entry, column):
    """The language code of a translated column ("en"), else None."""
    name, _, language = split_variant_key(column)[0].rpartition("_")
    return language if name in entry.translated_fields else None


def _label(entry, column):
    """The field's Dutch label, with the language when it is not Dutch:
    "Aanvragen", "Aanvragen (Engels)"; a variant's with its audience:
    "Aanvragen — Ondernemer"."""
    column, audience = split_variant_key(column)
    if audience:
        found = Audience.objects.filter(slug=audience).first()
        return f"{_label(entry, column)} — {found.name if found else audience}"
    name, _, language = column.rpartition("_")
    if name not in entry.translated_fields:
        return capfirst(entry._meta.get_field(column).verbose_name)
    label = capfirst(entry._meta.get_field(name).verbose_name)
    if language == settings.LANGUAGE_CODE:
        return label
    with translation.override(settings.LANGUAGE_CODE):
        return f"{label} ({translation.get_language_info(language)['name_translated']})"


def _display(entry, column, value):
    column = split_variant_key(column)[0]
    field = entry._meta.get_field(column)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if column.rsplit("_", 1)[0] in entry.rich_text_fields:
        return mark_safe(value or "")  # sanitised on save
    return value


def overview(request):
    gemeenten = list(_editable_gemeenten(request.user))
    if not gemeenten:
        raise PermissionDenied
    slug = request.GET.get("gemeente") or gemeenten[0].slug
    gemeente = next((g for g in gemeenten if g.slug == slug), None) or gemeenten[0]
    query = request.GET.get("q", "").strip()[:200]
    flagged, found = [], []
    for kind in kinds():
        model = kind.model
        overrides = kind.override_model.objects.filter(gemeente=gemeente)
        flagged += [
            {"kind": kind.name, "override": o, "label": _label(model, o.field_name)}
            for o in overrides.flagged().select_related("entry")
        ]
        if query:
            title = model.columns_of(kind.title_field)[0]
            hits = model.objects.filter(gemeente__isnull=True).filter(
                Q(**{f"{title}__icontains": query}) | Q(keywords__icontains=query)
            )[:25]
            found += [(model._meta.verbose_name, kind.name, hit, overrides.filter(entry=hit).count()) for hit in hits]
    return TemplateResponse(
        request,
        "sharing/overview.html",
        {
            "gemeenten": gemeenten,
            "gemeente": gemeente,
            "flagged": flagged,
            "query": query,
            "found": found,
            "problems": _variable_problems(gemeente),
            "header_title": "Lokaal beheer",
        },
    )


def _variable_problems(gemeente):
    """Shared entries whose variables have no value in this gemeente."""
    context = GemeenteContext.load(gemeente, agents=True)
    problems = []
    for kind in kinds():
        model = kind.model
        has_variable = Q()
        for column in model.overridable_columns():
            if model._meta.get_field(column).get_internal_type() in ("TextField", "CharField"):
                has_variable |= Q(**{f"{column}__contains": "{{"})
        for entry in model.objects.filter(live=True, gemeente__isnull=True).filter(has_variable):
            resolved = resolve(entry, gemeente, channel=AGENT, context=context)
            if resolved and resolved.problems:
                problems.append((kind.name, entry, resolved.problems))
    return problems


def entry_editor(request, kind, pk, gemeente_slug):
    entry = _entry(kind, pk)
    gemeente = _gemeente_for(request, gemeente_slug)
    overrides = {o.field_name: o for o in entry.overrides.filter(gemeente=gemeente)}
    rows = []
    for column in _columns(entry):
        override = overrides.get(column)
        shared = _display(entry, column, getattr(entry, column))
        stale = override is not None and override.base_changed
        old_base = _display(entry, column, override.base_value) if stale else None
        rows.append(
            {
                "column": column,
                "label": _label(entry, column),
                "language": _language(entry, column),
                "shared": shared,
                "local": _display(entry, column, override.value) if override else None,
                "old_base": old_base,
                "base_diff": word_diff(old_base, shared) if stale else None,
                "override": override,
            }
        )
    variant_rows, addable_variants = _variant_rows(entry, gemeente, overrides)
    return TemplateResponse(
        request,
        "sharing/entry_editor.html",
        {
            "entry": entry,
            "kind": kind,
            "gemeente": gemeente,
            "rows": rows,
            "variant_rows": variant_rows,
            "addable_variants": addable_variants,
            "other_gemeenten": [g for g in _editable_gemeenten(request.user) if g.pk != gemeente.pk],
            "header_title": f"{entry} — {gemeente}",
        },
    )


def _variant_rows(entry, gemeente, overrides):
    """The audience variants the gemeente publishes (shared or its own),
    as rows of the editor, and [(audience, [(column, label)])] of the
    variants it can add."""
    rows, addable = [], []
    dutch = [column for column in entry.variant_columns() if _language(entry, column) in (None, settings.LANGUAGE_CODE)]
    shared = entry.shared_variants()
    for audience in Audience.of(gemeente):
        free = []
        for column in dutch:
            key = variant_key(column, audience.slug)
            if key in shared or key in overrides:
                override = overrides.get(key)
                rows.append(
                    {
                        "column": key,
                        "label": _label(entry, column),
                        "audience": audience.name,
                        "language": _language(entry, column),
                        "shared": _display(entry, key, shared.get(key)) if key in shared else None,
                        "local": _display(entry, key, override.value) if override else None,
                        "old_base": None,
                        "base_diff": word_diff(_display(entry, key, override.base_value), _display(entry, key, entry.shared_value(key)))
                        if override and override.base_changed
                        else None,
                        "override": override,
                    }
                )
            else:
                free.append((key, _label(entry, column)))
        addable.append((audience, free))
    return rows, addable


class FieldForm(forms.Form):
    def __init__(self, entry, column, *args, **kwargs):
        super().__init__(*args, **kwargs)
        model_field = entry._meta.get_field(split_variant_key(column)[0])
        if column.rsplit("_", 1)[0] in entry.rich_text_fields:
            field = forms.CharField(
                required=False, widget=DraftailRichTextArea(features=model_field.features)
            )
        elif isinstance(model_field, forms.BooleanField) or model_field.get_internal_type() == "BooleanField":
            field = forms.BooleanField(required=False)
        else:
            field = model_field.formfield()
            field.required = False
        field.label = _label(entry, column)
        self.fields["value"] = field
        self.fields["go_live_at"] = forms.DateTimeField(
            label="Live vanaf",
            required=False,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            help_text="Leeg: zodra het mag (bij vier ogen: na goedkeuring). Een datum: de wijziging gaat dan pas live.",
        )
        self.fields["agents_from"] = forms.DateTimeField(
            label="Voor KCC-medewerkers vanaf",
            required=False,
            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
            help_text="Bij een datum hierboven: KCC-medewerkers zien de nieuwe tekst al vanaf dit moment, het publiek pas op 'live vanaf'.",
        )

    def clean(self):
        cleaned = super().clean()
        error = agents_date_error(cleaned.get("agents_from"), cleaned.get("go_live_at"))
        if error:
            self.add_error("agents_from", error)
        return cleaned


def field_editor(request, kind, pk, gemeente_slug, column):
    entry = _entry(kind, pk)
    gemeente = _gemeente_for(request, gemeente_slug)
    if column not in _columns(entry) and not (split_variant_key(column)[1] and overridable(entry, gemeente, column)):
        raise Http404
    override = entry.overrides.filter(gemeente=gemeente, field_name=column).first()
    initial = override.value if override else entry.shared_value(column)
    form = FieldForm(entry, column, request.POST or None, initial={"value": initial})
    if request.method == "POST" and form.is_valid():
        result = set_override(entry, gemeente, column, form.cleaned_data["value"], request.user, go_live_at=form.cleaned_data["go_live_at"], agents_from=form.cleaned_data["agents_from"])
        _report(request, result, f"{_label(entry, column)} opgeslagen voor {gemeente}.")
        return redirect(_editor_url(kind, entry, gemeente))
    return TemplateResponse(
        request,
        "sharing/field_editor.html",
        {
            "entry": entry,
            "kind": kind,
            "gemeente": gemeente,
            "column": column,
            "label": _label(entry, column),
            "shared": _display(entry, column, entry.shared_value(column)),
            "override": override,
            "form": form,
            "media": form.media,
            "header_title": f"{_label(entry, column)} — {entry}",
        },
    )


@require_POST
def field_action(request, kind, pk, gemeente_slug, column):
    entry = _entry(kind, pk)
    gemeente = _gemeente_for(request, gemeente_slug)
    if request.POST.get("action") != "keep":
        raise Http404
    keep_override(entry, gemeente, column, request.user)
    messages.success(request, f"{_label(entry, column)}: lokale tekst behouden.")
    return redirect(_editor_url(kind, entry, gemeente))


def revert(request, kind, pk, gemeente_slug, column):
    """Back to the shared text, after a confirmation page (GET) that shows
    the local text that goes and the shared text that comes instead."""
    entry = _entry(kind, pk)
    gemeente = _gemeente_for(request, gemeente_slug)
    override = get_object_or_404(entry.overrides, gemeente=gemeente, field_name=column)
    if request.method == "POST":
        result = revert_override(entry, gemeente, column, request.user)
        _report(request, result, f"{_label(entry, column)}: terug naar de gedeelde tekst.")
        return redirect(_editor_url(kind, entry, gemeente))
    return TemplateResponse(
        request,
        "sharing/revert_confirm.html",
        {
            "entry": entry,
            "kind": kind,
            "gemeente": gemeente,
            "column": column,
            "label": _label(entry, column),
            "shared": _display(entry, column, entry.shared_value(column)),
            "local": _display(entry, column, override.value),
            "header_title": f"{_label(entry, column)} — {entry}",
        },
    )


def _report(request, result, done):
    """The editor's message: written, or held (four eyes / a date)."""
    if not isinstance(result, OverrideChange):
        messages.success(request, done)
    elif result.status == OverrideChange.Status.PENDING:
        messages.success(request, "Wijziging ingediend: een tweede kennisregisseur van deze gemeente keurt haar goed voordat ze live gaat.")
    else:
        messages.success(request, f"Wijziging gepland: live op {timezone.localtime(result.go_live_at):%d-%m-%Y %H:%M}.")


def changes(request):
    """Held local changes of the gemeenten the user curates: the resolved
    text now and after, and approve / reject for a second curator."""
    ids = editable_gemeente_ids(request.user)
    if ids is not None and not ids:
        raise PermissionDenied
    held = OverrideChange.objects.filter(status__in=[OverrideChange.Status.PENDING, OverrideChange.Status.SCHEDULED])
    if ids is not None:
        held = held.filter(gemeente_id__in=ids)
    rows = [
        {"change": change, "effect": override_change_effect(change), "may_review": may_review(change, request.user)}
        for change in held.select_related("gemeente", "submitted_by", "reviewed_by")
    ]
    values = ValueChange.objects.filter(status=ValueChange.Status.PENDING).select_related("variable", "gemeente", "submitted_by")
    if ids is not None:
        values = values.filter(gemeente_id__in=ids)
    value_rows = [{"change": change, "effect": value_change_effect(change), "may_review": may_review(change, request.user)} for change in values]
    return TemplateResponse(
        request, "sharing/changes.html", {"rows": rows, "value_rows": value_rows, "header_title": "Lokale wijzigingen ter goedkeuring"}
    )


@require_POST
def review_change(request, pk):
    change = get_object_or_404(OverrideChange, pk=pk, status=OverrideChange.Status.PENDING)
    if request.POST.get("action") == "approve":
        approve_change(change, request.user)
        messages.success(request, "Goedgekeurd." if change.status == OverrideChange.Status.APPLIED else "Goedgekeurd; de wijziging gaat op haar datum live.")
    elif request.POST.get("action") == "reject":
        reject_change(change, request.user, request.POST.get("reason", "")[:2000])
        messages.success(request, "Afgewezen.")
    else:
        raise Http404
    return redirect("sharing:changes")


@require_POST
def review_value_change(request, pk):
    change = get_object_or_404(ValueChange, pk=pk, status=ValueChange.Status.PENDING)
    if request.POST.get("action") in ("approve", "recreate"):
        try:
            approve_value_change(change, request.user, recreate=request.POST["action"] == "recreate")
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect("sharing:changes")
        dated = change.valid_from and change.action == change.SET
        messages.success(request, f"Goedgekeurd; de nieuwe waarde geldt vanaf {change.valid_from:%d-%m-%Y}." if dated else "Goedgekeurd.")
    elif request.POST.get("action") == "reject":
        reject_value_change(change, request.user, request.POST.get("reason", "")[:2000])
        messages.success(request, "Afgewezen.")
    else:
        raise Http404
    return redirect("sharing:changes")


def _editor_url(kind, entry, gemeente):
    return reverse("sharing:entry_editor", args=[kind, entry.pk, gemeente.slug])
