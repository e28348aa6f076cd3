"""Records in the objecttype JSON shapes that KISS-like agent desktops read
(shared/data/objecttypes: VAC and SDG kennisartikel), built from the agent
resolution of one gemeente (its overrides, variables and local entries;
agent-only text included).

Each result looks like an object of the Objects API, which such desktops
read today: `{"url", "uuid", "record": {"data", "startAt", "registrationAt"}}`,
where `data` is the objecttype's record. Only that shape is borrowed; the
Objects API's filters and objecttype URLs are not implemented.

Links (`url`, a kennisartikel's `url`, related VACs and products) are the
absolute addresses of the entries' agent details in this API. The `uuid`
(also a kennisartikel's own) is derived, stable as long as the gemeente's
slug and the entry are: uuid5(KENNISARTIKEL_NAMESPACE, "<gemeente slug>/<kind>/<id>")."""

import uuid
from urllib.parse import urljoin

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from pdc.catalogi import tooi_uri
from pdc.models import HandlingLevel
from sharing.cache import gemeente_context
from sharing.related import related_entries
from sharing.resolution import AGENT, resolve_many

# Fixed for good: changing it changes every kennisartikel's uuid.
KENNISARTIKEL_NAMESPACE = uuid.UUID("5df38684-411d-4c99-b9b8-d8fcc370b05c")
# What the SDG Invoervoorziening gives a product without a UPL name.
UPN_UNKNOWN = "http://standaarden.overheid.nl/owms/terms/UPL-naam_nog_niet_beschikbaar"
# The schema requires an end date; a gemeente in existence has none.
NO_END_DATE = "9999-12-31T23:59:59Z"
COLLECTIONS = {"product": "producten", "vac": "vacs"}
VAC_DOELGROEP = {("burger",): "eu-burger", ("ondernemer",): "eu-bedrijf", ("burger", "ondernemer"): "eu-burger-bedrijf"}
# Kennisartikel text field -> product section.
VERTALING_SECTIONS = {
    "tekst": "description",
    "procedureBeschrijving": "procedure",
    "bewijs": "required_documents",
    "vereisten": "conditions",
    "bezwaarEnBeroep": "objection",
    "kostenEnBetaalmethoden": "costs",
    "uitersteTermijn": "lead_time",
    "wtdBijGeenReactie": "no_response",
}
HANDLING_LEVELS = dict(HandlingLevel.choices)


def api_url(base, gemeente, resolved):
    """The absolute address of the entry's agent detail."""
    return urljoin(base, reverse("api:agent-detail", args=[gemeente.slug, COLLECTIONS[resolved.kind], resolved.slug]))


def trefwoorden(resolved):
    return [{"trefwoord": keyword} for keyword in resolved.fields["keywords"]]


def notes_html(resolved):
    """The agent notes as HTML (their bodies are sanitised rich text)."""
    return str(format_html_join("", "<h3>{}: {}</h3>{}", ((n.kind_label, n.title, mark_safe(n.body)) for n in resolved.notes)))


def object_uuid(gemeente, resolved):
    return str(uuid.uuid5(KENNISARTIKEL_NAMESPACE, f"{gemeente.slug}/{resolved.kind}/{resolved.id}"))


def publication_dates(entries):
    """{id: the date the entry was first published (or created)}."""
    rows = entries.values_list("pk", "first_published_at", "created_at")
    return {pk: timezone.localdate(first or created).isoformat() for pk, first, created in rows}


def as_object(resolved, data, gemeente, base, published):
    return {
        "url": api_url(base, gemeente, resolved),
        "uuid": object_uuid(gemeente, resolved),
        "record": {"data": data, "startAt": published, "registrationAt": timezone.localdate(resolved.modified).isoformat()},
    }


def vac_records(entries, gemeente, base):
    published = publication_dates(entries)
    resolved = resolve_many(entries, gemeente, channel=AGENT, context=gemeente_context(gemeente))
    return [as_object(r, vac_record(r, gemeente, base), gemeente, base, published[r.id]) for r in resolved]


def vac_record(resolved, gemeente, base):
    fields = resolved.fields
    related = related_entries(resolved, gemeente, channel=AGENT)
    return {
        "vraag": resolved.title,
        "antwoord": fields["answer"],
        "status": vac_status(resolved),
        "doelgroep": VAC_DOELGROEP[tuple(fields["audiences"])],
        "afdelingen": [{"afdelingNaam": name} for name in fields["departments"]],
        "toelichting": fields["internal_explanation"] + notes_html(resolved),
        "trefwoorden": trefwoorden(resolved),
        "gerelateerdeVACs": [{"VAC": api_url(base, gemeente, r)} for r in related if r.kind == "vac"],
        "gerelateerdeProducten": [{"product": api_url(base, gemeente, r)} for r in related if r.kind == "product"],
    }


def vac_status(resolved):
    """The VAC's status; an active VAC this gemeente switched off is not active here."""
    status = resolved.fields["status"]
    return "non-actief" if status == "actief" and not resolved.offered else status


def kennisartikel_records(entries, gemeente, base):
    context = gemeente_context(gemeente)
    dutch = resolve_many(entries, gemeente, channel=AGENT, context=context)
    english = {r.id: r for r in resolve_many(entries, gemeente, channel=AGENT, language="en", fallback=False, context=context)}
    published = publication_dates(entries)
    return [as_object(r, kennisartikel(r, english[r.id], gemeente, base, published[r.id]), gemeente, base, published[r.id]) for r in dutch]


def kennisartikel(dutch, english, gemeente, base, published):
    vertalingen = [vertaling(dutch, "nl", gemeente)] + ([vertaling(english, "en", gemeente)] if has_text(english) else [])
    return {
        "url": api_url(base, gemeente, dutch),
        "uuid": object_uuid(gemeente, dutch),
        "upnUri": dutch.fields["upl_uri"] or UPN_UNKNOWN,
        "publicatieDatum": published,
        "productAanwezig": dutch.offered,
        "productValtOnder": None,
        "verantwoordelijkeOrganisatie": organisation(gemeente),
        "locaties": None,
        # The schema has no value for both audiences: those count as eu-burger.
        "doelgroep": "eu-bedrijf" if dutch.fields["audiences"] == ["ondernemer"] else "eu-burger",
        "afdelingen": [{"afdelingnaam": dutch.fields["department"]}] if dutch.fields["department"] else [],
        "vertalingen": vertalingen,
        "beschikbareTalen": [v["taal"] for v in vertalingen],
    }


def has_text(resolved):
    return any(resolved.fields[name] for name in ("title", *VERTALING_SECTIONS.values()))


def vertaling(resolved, taal, gemeente):
    return {
        "taal": taal,
        "titel": resolved.title,
        **{key: resolved.fields[name] for key, name in VERTALING_SECTIONS.items()},
        "notice": "",
        "contact": contact_html(gemeente),
        "deskMemo": desk_memo(resolved),
        "trefwoorden": trefwoorden(resolved),
        "datumWijziging": resolved.modified.isoformat(),
    }


def desk_memo(resolved):
    """Agent-only: how far the front office handles it, and the agent notes."""
    level = resolved.fields["handling_level"]
    heading = format_html("<p>Afhandeling door de frontoffice: {}</p>", HANDLING_LEVELS.get(level, level)) if level else ""
    return heading + notes_html(resolved)


def contact_html(gemeente):
    lines = [line for line in (gemeente.name, gemeente.phone, gemeente.email, gemeente.visiting_address) if line]
    return format_html("<p>{}</p>", format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines)))


def organisation(gemeente):
    return {
        "url": gemeente.site.root_url if gemeente.site_id else tooi_uri(gemeente),
        "owmsIdentifier": tooi_uri(gemeente),
        "owmsPrefLabel": f"Gemeente {gemeente.name}",
        "owmsEndDate": NO_END_DATE,
    }
