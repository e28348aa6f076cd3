"""Agents are authors too: from the widget an agent drafts a new entry
("Voeg toe") or proposes a correction to the answer they have open. Both
land as a suggestion in the curators' queue; nothing is published."""

from typing import Optional

from ninja import Router, Status
from ninja.errors import HttpError
from pydantic import BaseModel, ConfigDict, Field

from api.access import gemeente_for
from api.api import json_only, request_body
from api.auth import AGENT as AGENT_AUTH
from api.schemas import EntryReference, errors
from kennisbank import throttle
from kennisbank.http import BadJson, json_object
from sharing.kinds import get_kind, kind_names, kinds
from sharing.resolution import AGENT, visible_queryset

from . import services

router = Router(tags=["voorstellen"])
TEXT_MAX_LENGTH = 20_000
TITLE_MAX_LENGTH = 500
COMMENT_MAX_LENGTH = 4000


class SuggestionIn(BaseModel):
    """A correction of an open entry (`entry`, `text`) or a new entry (`title`, `text`; `all`: for every gemeente)."""

    model_config = ConfigDict(extra="forbid")
    gemeente: str = Field(pattern=r"^[-a-zA-Z0-9_]{1,100}$", description="The gemeente the agent answers for")
    entry: Optional[EntryReference] = Field(None, description="The open entry a correction is about; absent for a new entry")
    title: str = Field("", max_length=TITLE_MAX_LENGTH, description="The question of a new entry")
    text: str = Field(max_length=TEXT_MAX_LENGTH, description="The (new) answer, Markdown")
    comment: str = Field("", max_length=COMMENT_MAX_LENGTH)
    all: bool = Field(False, description="A new entry for every gemeente (the shared base) instead of this gemeente only")


class SuggestionCreated(BaseModel):
    id: int
    status: str


def draft_kind():
    """The kind agents draft new entries of (the first that takes drafts)."""
    return next((kind for kind in kinds() if kind.draft_columns), None)


def text_field(data, name, limit, required=False):
    value = data.get(name, "")
    if not isinstance(value, str) or len(value) > limit:
        raise BadJson(f"{name} moet tekst van hoogstens {limit} tekens zijn")
    if required and not value.strip():
        raise BadJson(f"{name} is verplicht")
    return value


def correction_column(entry):
    """The column of the entry's main text (its first section)."""
    kind = get_kind(entry)
    name = kind.sections[0].name if kind.sections else kind.title_field
    return f"{name}_nl" if name in entry.translated_fields else name


@router.post(
    "/agent/voorstellen",
    url_name="agent-suggestion",
    response={201: SuggestionCreated, **errors(400, 401, 403, 404, 415, 429)},
    summary="Een nieuw antwoord of een correctie voorstellen (medewerkers); komt bij de redactie, wordt niet gepubliceerd",
    auth=AGENT_AUTH,
    openapi_extra=request_body(SuggestionIn),
)
@json_only
@throttle.throttled("suggestion")
def agent_suggestion(request):
    try:
        data = json_object(request)
        slug = data.get("gemeente")
        if not isinstance(slug, str):
            raise BadJson("gemeente moet de slug van een gemeente zijn")
        gemeente = gemeente_for(request, slug[:100], AGENT)
        text = text_field(data, "text", TEXT_MAX_LENGTH, required=True)
        comment = text_field(data, "comment", COMMENT_MAX_LENGTH)
        reference = data.get("entry")
        author = {"author": request.user, "author_name": request.user.get_full_name() or request.user.get_username()}
        if reference is not None:
            entry = open_entry(reference, gemeente)
            suggestion = services.suggest(
                entry_kind=get_kind(entry), entry=entry, gemeente=gemeente, texts={correction_column(entry): text}, comment=comment, **author
            )
        else:
            kind = draft_kind()
            if kind is None:
                raise HttpError(400, "nieuwe onderwerpen kunnen hier niet worden voorgesteld")
            title = text_field(data, "title", TITLE_MAX_LENGTH, required=True)
            everywhere = data.get("all", False) is True
            title_column, text_column = kind.draft_columns[:2]
            suggestion = services.suggest(
                entry_kind=kind, gemeente=None if everywhere else gemeente, texts={title_column: title, text_column: text}, comment=comment, **author
            )
    except BadJson as exc:
        raise HttpError(400, f"Voorstel niet opgeslagen: {exc}.") from exc
    if not suggestion.proposals.exists() and not suggestion.comment:
        suggestion.delete()
        raise HttpError(400, "Voorstel niet opgeslagen: de tekst is niet anders dan de huidige.")
    return Status(201, {"id": suggestion.pk, "status": suggestion.status})


def open_entry(reference, gemeente):
    kind_name = reference.get("kind") if isinstance(reference, dict) else None
    if not isinstance(kind_name, str) or kind_name not in kind_names():
        raise BadJson(f"entry moet een object {{kind: {' of '.join(kind_names())}, id}} zijn")
    entry_id = reference.get("id")
    if type(entry_id) is not int or not 1 <= entry_id < 2**63:
        raise BadJson("entry.id moet een positief geheel getal zijn")
    entry = visible_queryset(get_kind(kind_name).model, gemeente).filter(pk=entry_id).first()
    if entry is None:
        raise HttpError(404, "dat onderwerp bestaat niet voor deze gemeente")
    return entry
