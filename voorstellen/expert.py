"""The back-office expert's pages, opened by a personal link: no account,
no session, no admin. The signed token names the invitation; every request
checks that it is still usable and that it covers the entry and the
gemeente asked for. A bad link gets a clear page and writes nothing."""

import datetime

from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from wagtail.models import Site

from gemeenten.models import Gemeente
from kennisbank import throttle
from redactie.forms import parse_money
from sharing.kinds import get_kind, kind_names
from sharing.models import Variable, VariableValue
from sharing.variables import display_value, variables_in

from . import services
from .models import Invitation, Suggestion

REGIONAL = "regio"
TEXT_MAX_LENGTH = 20_000


def bad_link(request, status=403):
    return render(request, "voorstellen/bad_link.html", {"gemeente": None}, status=status)


def invitation_or_none(token):
    return Invitation.from_token(token) if len(token) < 200 else None


def scope_url(invitation, gemeente, kind_name=None, entry_id=None):
    """The page on the gemeente's own site (its house style); the shared
    text on the path alone."""
    path = f"/voorstellen/{invitation.token}/{gemeente.slug if gemeente else REGIONAL}/"
    if kind_name:
        path += f"{kind_name}/{entry_id}/"
    site = gemeente.site if gemeente is not None and gemeente.site_id else None
    return site.root_url.rstrip("/") + path if site else path


def start_url(invitation):
    gemeente = invitation.gemeenten.select_related("site").order_by("name").first()
    root = gemeente.site.root_url.rstrip("/") if gemeente and gemeente.site_id else ""
    return f"{root}/voorstellen/{invitation.token}/"


@require_http_methods(["GET", "HEAD"])
def overview(request, token):
    """What the link covers, and the status of the expert's suggestions."""
    invitation = invitation_or_none(token)
    if invitation is None:
        return bad_link(request)
    gemeenten = list(invitation.gemeenten.select_related("site").order_by("name"))
    scopes = ([None] if invitation.regional else []) + gemeenten
    entries = [
        {"entry": entry, "kind": get_kind(kind_name), "links": [(g, scope_url(invitation, g, kind_name, pk)) for g in scopes]}
        for (kind_name, pk), entry in invitation.scoped_entries()
    ]
    suggestions = invitation.suggestions.select_related("gemeente").prefetch_related("proposals", "fees")
    return render(
        request,
        "voorstellen/overview.html",
        {"invitation": invitation, "entries": entries, "suggestions": suggestions, "sent": "verzonden" in request.GET, **house(request)},
    )


def house(request):
    """The gemeente of the site the page is served on, for the house style."""
    return {"gemeente": Gemeente.objects.for_request(request)}


def scope_gemeente(scope):
    """(found, gemeente): the gemeente of a URL's scope, None for the shared text."""
    if scope == REGIONAL:
        return True, None
    gemeente = Gemeente.objects.select_related("site").filter(slug=scope).first()
    return gemeente is not None, gemeente


def on_wrong_site(request, gemeente):
    """A gemeente's page is served on that gemeente's site, in its house style."""
    if gemeente is None or not gemeente.site_id:
        return False
    return Site.find_for_request(request) != gemeente.site


@require_http_methods(["GET", "HEAD", "POST"])
def entry_page(request, token, scope, kind_name, entry_id):
    invitation = invitation_or_none(token)
    found, gemeente = scope_gemeente(scope)
    if invitation is None or not found or kind_name not in kind_names():
        return bad_link(request)
    kind = get_kind(kind_name)
    entry = kind.model._default_manager.filter(pk=entry_id).first()
    if entry is None or not invitation.covers_entry(kind_name, entry.pk) or not invitation.covers_gemeente(gemeente):
        return bad_link(request)
    if entry.gemeente_id is not None and (gemeente is None or entry.gemeente_id != gemeente.pk):
        return bad_link(request)  # another gemeente's local entry
    if on_wrong_site(request, gemeente):
        return HttpResponseRedirect(scope_url(invitation, gemeente, kind_name, entry.pk))
    fields = entry_fields(entry, gemeente)
    fees = entry_fees(entry, gemeente, fields)
    errors = []
    if request.method == "POST":
        if over_limit(request, invitation):
            return render(request, "voorstellen/too_many.html", {"gemeente": gemeente}, status=429)
        texts, fee_values, comment, errors = read_submission(request, fields, fees)
        if not errors and (texts or fee_values or comment):
            services.suggest(
                entry_kind=kind, entry=entry, gemeente=gemeente, author_name=invitation.name,
                invitation=invitation, texts=texts, fees=fee_values, comment=comment,
            )  # fmt: skip
            return HttpResponseRedirect(f"/voorstellen/{invitation.token}/?verzonden=1")
        if not errors:
            errors = ["U heeft niets ingevuld: schrijf een nieuwe tekst, een nieuw bedrag of een opmerking."]
    suggestions = Suggestion.objects.filter(invitation=invitation, entry_kind=kind.name, entry_id=entry.pk).prefetch_related("proposals")
    context = {
        "invitation": invitation, "entry": entry, "kind": kind, "gemeente": gemeente, "scope_label": gemeente.name if gemeente else "alle gemeenten (gedeelde tekst)",
        "fields": fields, "fees": fees, "errors": errors, "suggestions": suggestions,
        "overview_url": f"/voorstellen/{invitation.token}/", "min_date": (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
    }  # fmt: skip
    return render(request, "voorstellen/entry.html", context, status=400 if errors else 200)


def over_limit(request, invitation):
    """Counted per link (RATE_LIMITS["suggestion"]), not per address: the
    experts of one town hall share an address, and a leaked link is capped
    wherever it is used from."""
    return is_ratelimited(request, group="suggestion", key=lambda group, request: f"invitation:{invitation.pk}", rate=throttle.rate, increment=True)


def entry_fields(entry, gemeente):
    """[{column, label, text, local, rich}] as the expert sees them now."""
    fields = []
    for column in services.text_columns(entry):
        text, local = services.current_text(entry, gemeente, column)
        rich = services.is_rich(type(entry), column)
        fields.append({"column": column, "label": services.field_label(type(entry), column), "text": text, "local": local, "rich": rich})
    return fields


def entry_fees(entry, gemeente, fields):
    """The amounts (money variables) the entry's text uses, with the gemeente's value now."""
    if gemeente is None:
        return []
    keys = {key for field in fields for key in variables_in(field["text"])}
    variables = Variable.objects.filter(key__in=keys, kind=Variable.Kind.MONEY).order_by("key")
    in_force = VariableValue.objects.in_force(gemeente)
    fees = []
    for variable in variables:
        current = in_force.get(variable.key)
        shown = display_value(variable.kind, current.value) if current else "—"
        fees.append({"variable": variable, "current": shown})
    return fees


def read_submission(request, fields, fees):
    """(texts {column: text}, fee values [(variable, value, date)], comment, errors)."""
    errors, texts, fee_values = [], {}, []
    for field in fields:
        text = request.POST.get(f"tekst-{field['column']}", "")
        if len(text) > TEXT_MAX_LENGTH:
            errors.append(f"De tekst voor {field['label']} is te lang (maximaal {TEXT_MAX_LENGTH} tekens).")
        elif text.strip():
            texts[field["column"]] = text
    comment = request.POST.get("opmerking", "").strip()
    if len(comment) > Suggestion._meta.get_field("comment").max_length:
        errors.append("De opmerking is te lang.")
    valid_from = None
    for fee in fees:
        value = request.POST.get(f"bedrag-{fee['variable'].key}", "").strip()
        if not value:
            continue
        try:
            amount = parse_money(value)
        except ValueError:
            errors.append(f"“{value[:40]}” is geen bedrag: schrijf bijvoorbeeld 84,95.")
            continue
        valid_from = valid_from or effective_date(request.POST.get("ingangsdatum", ""), errors)
        if valid_from:
            fee_values.append((fee["variable"], amount, valid_from))
    return texts, fee_values, comment, errors


def effective_date(value, errors):
    try:
        date = datetime.date.fromisoformat(value)
    except ValueError:
        errors.append("Geef de datum waarop de nieuwe bedragen ingaan.")
        return None
    if date <= timezone.localdate():
        errors.append("Nieuwe bedragen gaan in na vandaag.")
        return None
    return date
