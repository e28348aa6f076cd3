"""The shapes of the API's bodies (pydantic models): ninja validates every
answer against them and generates the OpenAPI document from them.

The Entry and the objecttype pages are built from the registered kinds
(sharing/kinds.py): an entry carries its kind's `api_schema` keys, and
every kind with an `objecttype` gets a page of its records."""

from datetime import datetime
from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from feedback.models import Feedback
from sharing.kinds import kind_names, kinds
from sharing.related import RELATED_LIMIT
from stuurinformatie.models import ContactOutcome

from .representations import agent_field_names

BACKENDS = Literal["opensearch", "elasticsearch", "database", "none"]


class Error(BaseModel):
    """Every error of the API, whatever the status: 400 invalid input, 401/403 access, 404 unknown address,
    405 wrong method, 414 address too long, 415 not JSON, 429 too many requests (with Retry-After), 500 server error."""

    error: str = Field(description="What was wrong, for the developer")


def errors(*statuses):
    return dict.fromkeys(statuses, Error)


# Gemeenten and themes ------------------------------------------------------------


class GemeenteItem(BaseModel):
    slug: str
    name: str
    url: str = Field(description="The gemeente's website")


class Gemeenten(BaseModel):
    results: list[GemeenteItem]


class AgentGemeente(BaseModel):
    slug: str
    name: str
    own: bool = Field(description="Named in one of the user's own roles (not only through a role for all gemeenten): the widget answers for it by default")


class AgentGemeenten(BaseModel):
    results: list[AgentGemeente] = Field(description="By name")


class Theme(BaseModel):
    slug: str
    name: str


class Themes(BaseModel):
    results: list[Theme]


# Entries -------------------------------------------------------------------------


class Summary(BaseModel):
    kind: str
    id: int
    slug: str
    title: str
    summary: str
    url: str = Field(description="The page on the gemeente's own website")
    local: bool = Field(description="A local entry of this gemeente (not shared)")
    offered: bool = Field(
        description="Whether this gemeente offers it. Always true on public endpoints (they publish offered entries only); "
        "agent endpoints also list entries the gemeente does not offer, with false, so the agent can say so."
    )


class Note(BaseModel):
    kind: str
    kind_label: str
    title: str
    body: str
    local: bool


class KeyFact(BaseModel):
    name: str
    label: str
    html: str = Field(description="Sanitised HTML")


class EntryBase(Summary):
    """The resolved entry for one gemeente. `answer` is the same HTML the website shows. Agent endpoints add
    the agent-only fields, notes, problems and key_facts. `related` lists a handful of related entries of the
    same gemeente, resolved for the same channel. Kinds add keys of their own."""

    model_config = ConfigDict(extra="allow")

    themes: list[str]
    audiences: list[str]
    audience: str | None = Field(None, description="The audience this text is for (the `audience` parameter); null: the general text")
    variant_audiences: list[str] = Field(
        [], description="Audiences with their own text of this entry here (ask it with ?audience=…); empty: the same text for everyone"
    )
    language: str = Field(description="The language asked for (the `language` parameter; nl unless asked)")
    fallback: list[str] = Field(
        [], description="Fields that have no text in `language` here and come in Dutch (empty in Dutch)"
    )
    keywords: list[str]
    answer: str
    notes: list[Note] = Field(None, description="Agent endpoints: agent-only notes (shared, and this gemeente's own with `local`)")
    problems: list[str] = Field(None, description="Agent endpoints: variables without a value for this gemeente")
    public_from: datetime | None = Field(
        None,
        description="Agent endpoints: scheduled content, or a scheduled change of live content, that agents see early; "
        "the public sees it from this moment and the current text until then (null: public already)",
    )
    key_facts: list[KeyFact] = Field(
        None, description="Agent endpoints: what the agent needs first on the phone, only the facts that have a value (the kind decides which)"
    )
    related: list[Summary] = Field(
        None,
        max_length=RELATED_LIMIT,
        description="Related entries, best first: the editors' explicit relations, then entries sharing a taxonomy. "
        "Only entries this gemeente publishes and offers, resolved for the same gemeente and channel.",
    )


def entry_schema():
    """EntryBase with every kind's own keys and every agent-only field (absent where they do not apply)."""
    fields = {}
    for kind in kinds():
        for name, info in (kind.api_schema.model_fields if kind.api_schema else {}).items():
            fields.setdefault(name, (info.annotation, Field(None, description=f"{kind.label_plural}")))
    for name in agent_field_names():
        fields.setdefault(name, (str, Field(None, description="Agent endpoints: agent-only text")))
    return create_model("Entry", __base__=EntryBase, **fields)


Entry = entry_schema()


def page_of(item, name):
    return create_model(
        name,
        count=(int, ...),
        page=(int, ...),
        page_size=(int, ...),
        next=(Optional[int], Field(..., description="The next page number")),
        previous=(Optional[int], Field(..., description="The previous page number")),
        results=(list[item], ...),
    )


Page = page_of(Summary, "Page")


class TopResults(BaseModel):
    results: list[Summary]


def objecttype_page(kind):
    """A page of a kind's objecttype records, each shaped like an object of the Objects API."""
    data = kind.objecttype_schema
    record = create_model(
        f"{data.__name__}Record",
        data=(data, ...),
        startAt=(str, Field(..., description="First published (or created)", json_schema_extra={"format": "date"})),
        registrationAt=(str, Field(..., description="Last changed", json_schema_extra={"format": "date"})),
    )
    item = create_model(
        f"{data.__name__}Item",
        __doc__="Shaped like an object of the Objects API (only the shape: no filters, no objecttype URLs); "
        "`uuid` is stable per gemeente and entry, `url` is the entry's agent detail.",
        url=(str, Field(..., json_schema_extra={"format": "uri"})),
        uuid=(str, Field(..., json_schema_extra={"format": "uuid"})),
        record=(record, ...),
    )
    return page_of(item, f"{data.__name__}Page")


# Search --------------------------------------------------------------------------


class Hit(BaseModel):
    kind: str
    id: int
    slug: str
    title: str
    url: str
    snippet: str = Field(description="HTML-escaped text with <mark> around matches")
    summary: str
    offered: bool
    local: bool
    promoted: bool


class SearchResult(BaseModel):
    model_config = ConfigDict(extra="allow")

    query: str
    backend: BACKENDS = Field(description="Which backend answered")
    total: int
    page: int
    page_size: int
    hits: list[Hit]
    took_ms: float
    notice: str
    log_id: Optional[int] = Field(
        description="The search's entry in the query log; null when it was not logged (pages after the first, or past the client's rate limit)"
    )
    click_token: Optional[str] = Field(
        description="Send with a click on one of these hits to /zoekkliks. The server logs the search under the endpoint's channel "
        "(public: api, agent: widget); the client cannot choose it."
    )
    suggestion: str = Field(
        description="\"Bedoelde u …?\": the query with its unknown words replaced by the closest words of this gemeente's titles "
        "and keywords (the engine's phrase suggester; the database when the engine is down), from what this endpoint may show, "
        "when the search found few results; \"\" when there is none (and on pages after the first)"
    )


class Suggestion(BaseModel):
    kind: str
    id: int
    title: str
    url: str


class Suggestions(BaseModel):
    backend: BACKENDS = Field(description="none: an empty q")
    suggestions: list[Suggestion] = Field(
        description="Entries of this gemeente whose title completes what was typed so far, at most 8: public entries only on the public "
        "endpoint, also agent-only ones on the agent endpoint"
    )


# Writes --------------------------------------------------------------------------


class EntryReference(BaseModel):
    kind: Literal[kind_names()]
    id: int = Field(ge=1)


class FeedbackIn(BaseModel):
    gemeente: str
    kind: Literal[tuple(Feedback.Kind.values)]
    entry: Optional[EntryReference] = Field(None, description="Required unless kind is missing")
    remark: str = Field("", max_length=Feedback._meta.get_field("remark").max_length)
    query: str = Field("", max_length=Feedback._meta.get_field("query").max_length)
    field: str = Field("", description="The field of the entry the flag is about (e.g. costs); routes it to that text's owner")


class FeedbackCreated(BaseModel):
    id: int


class ClickIn(BaseModel):
    token: str = Field(description="click_token of the search that showed the hit")
    kind: Literal[kind_names()]
    id: int = Field(ge=1)


class ClickRecorded(BaseModel):
    recorded: bool = Field(description="false when the search already had its click (one per search)")


class ContactOutcomeIn(BaseModel):
    """The outcome of a contact about an opened answer (or that the answer was copied); no personal data."""

    model_config = ConfigDict(extra="forbid")
    gemeente: str = Field(pattern=r"^[-a-zA-Z0-9_]{1,100}$", description="The gemeente the agent answers for")
    entry: EntryReference
    outcome: Literal[tuple(ContactOutcome.Outcome.values)]


class ContactOutcomeRecorded(BaseModel):
    id: int


class SignedOut(BaseModel):
    afgemeld: Literal[True]


class OpenAPIDocument(BaseModel):
    model_config = ConfigDict(extra="allow")

    openapi: str
    paths: dict
