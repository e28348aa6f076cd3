"""The agent's one-click contact outcome in the JSON API (a ninja Router,
mounted by api/views.py)."""

from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import ValidationError

from api.access import gemeente_for
from api.api import json_only, request_body
from api.auth import AGENT as AGENT_AUTH
from api.schemas import ContactOutcomeIn, ContactOutcomeRecorded, errors
from kennisbank import throttle
from kennisbank.http import BadJson, json_object
from sharing.kinds import get_kind
from sharing.resolution import AGENT, visible_queryset

from .models import ContactOutcome

CONTACT_OUTCOME = "contact-outcome"  # the rate-limit group (settings.RATE_LIMITS)
router = Router()


@router.post(
    "/agent/contactuitkomsten", url_name="agent-contact-outcome",
    response={201: ContactOutcomeRecorded, **errors(400, 401, 403, 404, 415, 429)},
    summary="De uitkomst van een contact over een geopend antwoord vastleggen (of dat het antwoord is gekopieerd)",
    auth=AGENT_AUTH, openapi_extra=request_body(ContactOutcomeIn),
)
@json_only
@throttle.throttled(CONTACT_OUTCOME)
def record_contact_outcome(request):
    """One click in the widget: answered myself, transferred (succeeded or
    failed), call-back request, referred elsewhere; or "copied". Only for
    an entry this gemeente can see, by an agent answering for it."""
    try:
        body = ContactOutcomeIn.model_validate(json_object(request))
    except BadJson as exc:
        raise HttpError(400, f"Uitkomst niet vastgelegd: {exc}.") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(part) for part in e['loc'])}: {e['msg']}" for e in exc.errors())
        raise HttpError(400, f"Uitkomst niet vastgelegd: {problems}.") from exc
    gemeente = gemeente_for(request, body.gemeente, AGENT)
    kind = get_kind(body.entry.kind)
    if not visible_queryset(kind.model, gemeente).filter(pk=body.entry.id).exists():
        raise HttpError(404, f"no {kind.name} {body.entry.id} in {gemeente.name}")
    item = ContactOutcome.objects.create(gemeente=gemeente, entry_kind=kind.name, entry_id=body.entry.id, outcome=body.outcome)
    return Status(201, {"id": item.pk})
