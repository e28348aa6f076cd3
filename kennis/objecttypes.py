"""VACs as records of the VAC objecttype (KISS), for the agent API's
objecttype export (api/objecttypes.py has the generic part)."""

from typing import Literal

from pydantic import BaseModel

from api.objecttypes import api_url, as_object, notes_html, publication_dates, trefwoorden
from sharing.cache import gemeente_context
from sharing.related import related_entries
from sharing.resolution import AGENT, resolve_many

from .models import VACStatus

DOELGROEP = {("burger",): "eu-burger", ("ondernemer",): "eu-bedrijf", ("burger", "ondernemer"): "eu-burger-bedrijf"}


class VACObject(BaseModel):
    """The `data` of a record of the VAC objecttype (KISS), resolved for agents of this gemeente:
    its overrides and local VACs, never another gemeente's. `toelichting` is the agent-only explanation
    followed by the agent notes; an active VAC this gemeente switched off has status `non-actief`;
    related VACs and products are the `related` entries of the agent detail, as addresses of their agent details."""

    vraag: str
    antwoord: str
    status: Literal[tuple(VACStatus.values)]
    doelgroep: Literal[tuple(DOELGROEP.values())]
    afdelingen: list[dict]
    toelichting: str
    trefwoorden: list[dict]
    gerelateerdeVACs: list[dict]
    gerelateerdeProducten: list[dict]


def vac_records(entries, gemeente, base):
    published = publication_dates(entries)
    resolved = resolve_many(entries, gemeente, channel=AGENT, context=gemeente_context(gemeente, AGENT))
    return [as_object(r, vac_record(r, gemeente, base), gemeente, base, published[r.id]) for r in resolved]


def vac_record(resolved, gemeente, base):
    fields = resolved.fields
    related = related_entries(resolved, gemeente, channel=AGENT)
    return {
        "vraag": resolved.title,
        "antwoord": fields["answer"],
        "status": vac_status(resolved),
        "doelgroep": DOELGROEP[tuple(fields["audiences"])],
        "afdelingen": [{"afdelingNaam": name} for name in fields["departments"]],
        "toelichting": fields["internal_explanation"] + notes_html(resolved),
        "trefwoorden": trefwoorden(resolved),
        "gerelateerdeVACs": [{"VAC": api_url(base, gemeente, r)} for r in related if r.kind == "vac"],
        "gerelateerdeProducten": [{"product": api_url(base, gemeente, r)} for r in related if r.kind == "product"],
    }


def vac_status(resolved):
    """The VAC's status; an active VAC this gemeente switched off is not active here."""
    status = resolved.fields["status"]
    return "non-actief" if status == VACStatus.ACTIEF and not resolved.offered else status
