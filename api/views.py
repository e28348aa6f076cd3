"""The content operations of the JSON API. Public operations publish the
public resolution; agent operations (signed in, answering for that
gemeente: api/auth.py, api/access.py) add agent-only content. ETag comes
from ConditionalGetMiddleware; Last-Modified and Cache-Control are set
here. Bodies of details, list pages and top questions are cached per
gemeente, channel and content version (sharing/cache.py); access is
checked before, on every request.

The collections in the addresses (/gemeenten/<gemeente>/<collection>) and
the objecttype exports come from the registered kinds (sharing/kinds.py)."""

import re
from typing import Literal

from django.conf import settings
from django.db.models import Count, Max
from django.http import HttpResponse, JsonResponse
from django.urls import register_converter
from django.utils.cache import patch_cache_control
from django.utils.http import http_date
from ninja import Query, Schema, Status
from ninja.errors import HttpError
from pydantic import Field

from feedback.models import Feedback
from gemeenten.models import Gemeente
from kennisbank import throttle
from kennisbank.http import BadJson, json_object
from pdc.models import Theme
from sharing.cache import cached, gemeente_context, shared_entry
from sharing.kinds import get_kind, kind_names, kinds
from sharing.models import Audience
from sharing.permissions import can_read_agent_content
from sharing.related import related_entries
from sharing.resolution import AGENT, DUTCH, PUBLIC, has_title_in, published_queryset, resolve, resolve_summaries, visible_queryset
from stuurinformatie.api import router as outcome_router
from voorstellen.api import router as suggestions_router
from widget import sign_in as widget_sign_in
from zoeken.models import SearchQuery
from zoeken.text import strip_control
from zoeken.views import router as search_router
from feedback.api import router as flags_router

from . import schemas
from .access import gemeente_for
from .api import api, json_only, request_body
from .auth import AGENT as AGENT_AUTH, ANYONE, ANYONE_OPENAPI
from .representations import entry_json, summary_json
from .schemas import errors

MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
REMARK_MAX_LENGTH = Feedback._meta.get_field("remark").max_length
QUERY_MAX_LENGTH = Feedback._meta.get_field("query").max_length
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
COLLECTIONS = {kind.api_collection: kind for kind in kinds() if kind.api_collection}
Collection = Literal[tuple(COLLECTIONS)]


class CollectionConverter:
    regex = "|".join(re.escape(name) for name in COLLECTIONS)

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CollectionConverter, "collection")


LANGUAGES = tuple(code for code, _ in settings.LANGUAGES)


class Variant(Schema):
    audience: str = Field(
        "",
        description="The text for one audience (a slug such as ondernemer): its variant where the entry has one, else the general text",
        pattern=r"^([a-z0-9-]{1,30})?$",
    )
    language: str = Field(
        DUTCH,
        description="The language of the text, as on the website's pages in it (/en/…): 404 where the entry has no title in it here; "
        "fields that have no text in it come in Dutch and are named in `fallback`",
        pattern=f"^({'|'.join(LANGUAGES)})$",
    )


class Paging(Schema):
    page: int = Field(1, ge=1, le=MAX_PAGE)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


def public_get(path, name, response, summary):
    return api.get(path, url_name=name, response=response, summary=summary, auth=ANYONE, openapi_extra=dict(ANYONE_OPENAPI), exclude_unset=True)


def agent_get(path, name, response, summary):
    return api.get(path, url_name=name, response={**response, **errors(401, 403)}, summary=summary, auth=AGENT_AUTH, exclude_unset=True)


def with_headers(response, channel, modified=None):
    """Cache-Control for the channel; Last-Modified when known."""
    if channel == AGENT:
        patch_cache_control(response, private=True, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=60)
    if modified:
        response["Last-Modified"] = http_date(modified)


# Gemeenten and themes ------------------------------------------------------------


@public_get("/gemeenten", "gemeenten", schemas.Gemeenten, "De gemeenten en hun websites")
def gemeenten(request):
    rows = Gemeente.objects.select_related("site").order_by("name")
    return {"results": [{"slug": g.slug, "name": g.name, "url": g.site.root_url if g.site_id else ""} for g in rows]}


@public_get("/gemeenten/{slug:gemeente}/themas", "themes", {200: schemas.Themes, **errors(404)}, "Thema's")
def themes(request, response: HttpResponse, gemeente: str):
    gemeente_for(request, gemeente, PUBLIC)
    with_headers(response, PUBLIC)
    return {"results": [{"slug": t.slug, "name": t.name} for t in Theme.objects.order_by("name")]}


@agent_get("/agent/gemeenten", "agent-gemeenten", {200: schemas.AgentGemeenten}, "Gemeenten waarvoor de medewerker antwoordt")
def agent_gemeenten(request):
    allowed = [g for g in Gemeente.objects.order_by("name") if can_read_agent_content(request.user, g)]
    # `own`: named in one of the user's roles (not only through "all gemeenten"); the widget's default.
    own = set(request.user.memberships.exclude(gemeente=None).values_list("gemeente_id", flat=True))
    return {"results": [{"slug": g.slug, "name": g.name, "own": g.pk in own} for g in allowed]}


# Lists and details -----------------------------------------------------------------

LISTING = f"{' of '.join(COLLECTIONS)} van een gemeente"


@public_get("/gemeenten/{slug:gemeente}/{collection:collection}", "list", {200: schemas.Page, **errors(400, 404)}, f"{LISTING} (openbaar)")
def public_list(request, response: HttpResponse, gemeente: str, collection: Collection, paging: Query[Paging]):
    return entry_list(request, response, gemeente, collection, paging, PUBLIC)


@agent_get("/agent/gemeenten/{slug:gemeente}/{collection:collection}", "agent-list", {200: schemas.Page, **errors(400, 404)}, f"{LISTING}, met interne kennis")
def agent_list(request, response: HttpResponse, gemeente: str, collection: Collection, paging: Query[Paging]):
    return entry_list(request, response, gemeente, collection, paging, AGENT)


@public_get("/gemeenten/{slug:gemeente}/{collection:collection}/{slug:slug}", "detail", {200: schemas.Entry, **errors(400, 404)}, "Eén antwoord (openbaar)")
def public_detail(request, response: HttpResponse, gemeente: str, collection: Collection, slug: str, variant: Query[Variant]):
    return entry_detail(request, response, gemeente, collection, slug, PUBLIC, variant)


@agent_get("/agent/gemeenten/{slug:gemeente}/{collection:collection}/{slug:slug}", "agent-detail", {200: schemas.Entry, **errors(400, 404)}, "Eén antwoord met interne kennis")
def agent_detail(request, response: HttpResponse, gemeente: str, collection: Collection, slug: str, variant: Query[Variant]):
    return entry_detail(request, response, gemeente, collection, slug, AGENT, variant)


def entry_list(request, response, slug, collection, paging, channel):
    gemeente = gemeente_for(request, slug, channel)
    page, size = paging.page, paging.page_size
    body, last = cached(gemeente, channel, "api-list", (collection, page, size), lambda: list_body(gemeente, collection, channel, page, size))
    with_headers(response, channel, last)
    return body


def list_body(gemeente, collection, channel, page, size):
    """(body, Last-Modified timestamp or None) of one page of a listing."""
    model = COLLECTIONS[collection].model
    count, page_entries = paged(model, gemeente, channel, page, size)
    items = resolve_summaries(page_entries, gemeente, channel=channel, context=gemeente_context(gemeente, channel)) if count else []
    return page_body(count, page, size, [summary_json(r, gemeente) for r in items]), last_modified(model, gemeente)


def paged(model, gemeente, channel, page, size):
    """(how many entries this channel publishes here, the entries of this
    page by slug as a queryset): counted and paged in the database, so only
    the page is resolved."""
    published = published_queryset(model, gemeente, channel).order_by("slug")
    start = (page - 1) * size
    ids = list(published.values_list("pk", flat=True)[start : start + size])
    return published.count(), visible_queryset(model, gemeente).filter(pk__in=ids).order_by("slug")


def page_body(count, page, size, results):
    return {
        "count": count,
        "page": page,
        "page_size": size,
        "next": page + 1 if page * size < count else None,
        "previous": page - 1 if page > 1 else None,
        "results": results,
    }


def last_modified(model, gemeente):
    last = visible_queryset(model, gemeente).aggregate(last=Max("updated_at"))["last"]
    return last.timestamp() if last else None


def entry_detail(request, response, slug, collection, entry_slug, channel, variant):
    gemeente = gemeente_for(request, slug, channel)
    audience, language = variant.audience, variant.language
    body, modified = cached(
        gemeente,
        channel,
        "api-detail",
        (collection, entry_slug, audience, language),
        lambda: detail_body(gemeente, collection, entry_slug, channel, audience, language),
    )
    with_headers(response, channel, modified)
    return body


def detail_body(gemeente, collection, slug, channel, audience="", language=DUTCH):
    """(body, Last-Modified timestamp) of one entry with the summaries of
    its related entries (same channel, offered here); HttpError 404 when
    this channel does not publish it here, or not in `language`."""
    model = COLLECTIONS[collection].model
    entry = shared_entry(model, slug) or visible_queryset(model, gemeente, channel).filter(slug=slug).first()
    resolved = resolve(entry, gemeente, channel=channel, language=language, context=gemeente_context(gemeente, channel)) if entry else None
    if resolved is None:
        raise HttpError(404, f"no {slug!r} in {collection} of {gemeente.name}")
    if language != DUTCH and not has_title_in(resolved, language):
        raise HttpError(404, f"no text of {slug!r} in language {language!r} in {gemeente.name}; without `language` it comes in Dutch")
    if audience and not Audience.of(gemeente).filter(slug=audience).exists():
        raise HttpError(400, f"unknown audience {audience!r}")
    resolved = resolved.for_audience(audience)
    related = related_entries(resolved, gemeente, channel=channel)
    return entry_json(resolved, gemeente, related=related), resolved.modified.timestamp()


# Agents' top questions and objecttype exports ------------------------------------


@agent_get("/agent/gemeenten/{slug:gemeente}/top", "agent-top", {200: schemas.TopResults, **errors(404)}, "Meest geopende antwoorden")
def agent_top(request, response: HttpResponse, gemeente: str):
    """The entries opened most from searches in this gemeente, most opened first."""
    found = gemeente_for(request, gemeente, AGENT)
    clicks = (
        SearchQuery.objects.filter(gemeente=found).exclude(clicked="")
        .values("clicked").annotate(n=Count("pk")).order_by("-n", "clicked")[:10]
    )
    clicked = tuple(click for click in (parse_click(row["clicked"]) for row in clicks) if click)
    with_headers(response, AGENT)
    return {"results": cached(found, AGENT, "api-top", clicked, lambda: top_results(found, clicked))}


def parse_click(value):
    """(kind name, id) of a logged click "<kind>:<id>", or None."""
    name, _, pk = value.partition(":")
    try:
        return get_kind(name).name, int(pk)
    except (KeyError, ValueError):
        return None


def top_results(gemeente, clicked):
    summaries = {}
    for kind in kinds():
        ids = [pk for name, pk in clicked if name == kind.name]
        if ids:  # nothing clicked: no resolution
            entries = visible_queryset(kind.model, gemeente).filter(pk__in=ids)
            summaries.update(((s.kind, s.id), s) for s in resolve_summaries(entries, gemeente, channel=AGENT))
    return [summary_json(summaries[click], gemeente) for click in clicked if click in summaries]


def objecttype_operation(kind):
    """GET …/objecttypes/<kind.objecttype>: a page of the kind's records (api/objecttypes.py)."""

    def objecttype_list(request, response: HttpResponse, gemeente: str, paging: Query[Paging]):
        found = gemeente_for(request, gemeente, AGENT)
        base = request.build_absolute_uri("/")  # the records link to this API on this host
        page, size = paging.page, paging.page_size
        body, last = cached(found, AGENT, "api-objecttype", (kind.objecttype, page, size, base), lambda: objecttype_body(kind, found, page, size, base))
        with_headers(response, AGENT, last)
        return body

    objecttype_list.__name__ = f"objecttype_{kind.objecttype}"
    path = f"/agent/gemeenten/{{slug:gemeente}}/objecttypes/{kind.objecttype}"
    page_schema = schemas.objecttype_page(kind)
    agent_get(path, f"agent-objecttype-{kind.objecttype}", {200: page_schema, **errors(400, 404)}, kind.objecttype_summary)(objecttype_list)


def objecttype_body(kind, gemeente, page, size, base):
    count, page_entries = paged(kind.model, gemeente, AGENT, page, size)
    results = kind.objecttype_records(page_entries, gemeente, base) if count else []
    return page_body(count, page, size, results), last_modified(kind.model, gemeente)


for _kind in kinds():
    if _kind.objecttype:
        objecttype_operation(_kind)


# Writes ------------------------------------------------------------------------------


@api.post(
    "/terugkoppeling",
    url_name="feedback",
    response={201: schemas.FeedbackCreated, **errors(400, 401, 403, 415, 429)},
    summary="Was dit nuttig? (iedereen) / antwoord klopt niet of ontbreekt (medewerkers)",
    auth=ANYONE,
    openapi_extra={**request_body(schemas.FeedbackIn), **ANYONE_OPENAPI},
)
@json_only
@throttle.throttled(throttle.FEEDBACK)
def feedback(request):
    """Agents flag an answer as wrong or missing (signed in); anyone may say
    whether an answer helped."""
    try:
        data = json_object(request)
        gemeente, kind, target = feedback_subject(data)
        remark, query = feedback_text(data, "remark", REMARK_MAX_LENGTH), feedback_text(data, "query", QUERY_MAX_LENGTH)
        field_name = feedback_field(data, target)
    except BadJson as exc:
        raise HttpError(400, f"Terugkoppeling niet opgeslagen: {exc}.") from exc
    agent_kinds = Feedback.FLAG_KINDS
    if kind in agent_kinds and not (request.user.is_authenticated and can_read_agent_content(request.user, gemeente)):
        raise HttpError(401 if not request.user.is_authenticated else 403, "flagging answers is for agents of this gemeente")
    if kind != Feedback.Kind.MISSING and target is None:
        raise HttpError(400, "entry {kind, id} of an entry of this gemeente is required")
    item = Feedback.objects.create(
        gemeente=gemeente,
        kind=kind,
        origin=Feedback.Origin.WIDGET if kind in agent_kinds else Feedback.Origin.SITE,
        remark=remark,
        query=query,
        user=request.user if request.user.is_authenticated else None,
        entry=target,
        field_name=field_name,
    )
    return Status(201, {"id": item.pk})


def feedback_subject(data):
    """(gemeente, kind, the entry or None) of a feedback body, or BadJson."""
    slug, kind, entry = data.get("gemeente"), data.get("kind"), data.get("entry")
    gemeente = Gemeente.objects.filter(slug=slug).first() if isinstance(slug, str) and SLUG.fullmatch(slug) else None
    if gemeente is None:
        raise BadJson("gemeente moet de slug van een gemeente zijn")
    if kind not in Feedback.Kind.values:
        raise BadJson(f"kind moet een van {', '.join(Feedback.Kind.values)} zijn")
    if entry is None:
        return gemeente, kind, None
    entry_kind = entry.get("kind") if isinstance(entry, dict) else None
    if not isinstance(entry_kind, str) or entry_kind not in kind_names():
        raise BadJson(f"entry moet een object {{kind: {' of '.join(kind_names())}, id}} zijn")
    entry_id = entry.get("id")
    if type(entry_id) is not int or not 1 <= entry_id < 2**63:
        raise BadJson("entry.id moet een positief geheel getal zijn")
    return gemeente, kind, visible_queryset(get_kind(entry_kind).model, gemeente).filter(pk=entry_id).first()


def feedback_field(data, target):
    """The field a flag is about (an overridable field of the entry), or ""."""
    value = data.get("field", "")
    if value in ("", None):
        return ""
    if target is None or not isinstance(value, str) or value not in type(target).overridable_fields:
        raise BadJson("field moet een veld van het antwoord zijn")
    return value


def feedback_text(data, name, limit):
    value = data.get(name, "")
    if not isinstance(value, str):
        raise BadJson(f"{name} moet tekst zijn")
    value = strip_control(value)
    if len(value) > limit:
        raise BadJson(f"{name} is te lang: gebruik maximaal {limit} tekens")
    return value


@api.post(
    "/agent/afmelden",
    url_name="agent-sign-out",
    response={200: schemas.SignedOut, **errors(401, 415)},
    summary="Afmelden: trekt het widgettoken in, of beëindigt de sessie (en daarmee alle tokens van de gebruiker)",
    auth=AGENT_AUTH,
    openapi_extra={"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "object", "description": "{}"}}}}},
)
@json_only
def agent_sign_out(request):
    """The widget's "Afmelden": with a token that token is revoked; with the
    session (the widget on the app's own origin) the session ends, and with
    it all of the user's tokens (widget/sign_in.py). The body is not read."""
    widget_sign_in.sign_out(request)
    return {"afgemeld": True}


@api.get("/openapi.json", url_name="openapi", response=schemas.OpenAPIDocument, summary="Dit document", auth=ANYONE, openapi_extra=dict(ANYONE_OPENAPI))
def openapi(request):
    return JsonResponse(document(request.build_absolute_uri("/api/v1/")))


api.add_router("", search_router)
api.add_router("", flags_router)
api.add_router("", suggestions_router)
api.add_router("", outcome_router)

_documents = {}


def document(server_url="/api/v1/"):
    """The generated OpenAPI document (built once per server address)."""
    if server_url not in _documents:
        _documents[server_url] = api.document(server_url)
    return _documents[server_url]
