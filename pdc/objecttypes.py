"""Products as records of the SDG kennisartikel objecttype (KISS), for the
agent API's objecttype export (api/objecttypes.py has the generic part)."""

from typing import Literal, Optional

from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from pydantic import BaseModel, Field

from api.objecttypes import api_url, as_object, notes_html, object_uuid, publication_dates, trefwoorden
from sharing.cache import gemeente_context
from sharing.resolution import AGENT, resolve_many

from .catalogi import tooi_uri
from .models import HandlingLevel

# What the SDG Invoervoorziening gives a product without a UPL name.
UPN_UNKNOWN = "http://standaarden.overheid.nl/owms/terms/UPL-naam_nog_niet_beschikbaar"
# The schema requires an end date; a gemeente in existence has none.
NO_END_DATE = "9999-12-31T23:59:59Z"
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


class Kennisartikel(BaseModel):
    """The `data` of a record of the SDG kennisartikel objecttype (KISS): one product, resolved for agents
    of this gemeente. `productAanwezig` is false when the gemeente does not offer it; `vertalingen` has `nl`
    and, when the product has English text, `en` (no Dutch in its place); `deskMemo` (agent-only) holds the
    front-office handling level and the agent notes. `uuid` is stable per gemeente and product; `url` is the
    product's agent detail."""

    url: str = Field(json_schema_extra={"format": "uri"})
    uuid: str = Field(json_schema_extra={"format": "uuid"})
    upnUri: str = Field(json_schema_extra={"format": "uri"})
    publicatieDatum: Optional[str] = Field(json_schema_extra={"format": "date"})
    productAanwezig: Optional[bool]
    productValtOnder: None
    verantwoordelijkeOrganisatie: dict
    locaties: None
    doelgroep: Literal["eu-burger", "eu-bedrijf"]
    afdelingen: list[dict]
    vertalingen: list[dict]
    beschikbareTalen: list[Literal["nl", "en"]]


def kennisartikel_records(entries, gemeente, base):
    context = gemeente_context(gemeente, AGENT)
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
