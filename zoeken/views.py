"""Search in the JSON API (a ninja Router, mounted by api/views.py):
public and agent search, suggestions while typing and recorded clicks; and
the operators' health check."""

from typing import Optional

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.cache import never_cache
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from pydantic import Field

from api.access import gemeente_for
from api.api import json_only, request_body
from api.auth import AGENT as AGENT_AUTH, ANYONE, ANYONE_OPENAPI
from api.schemas import ClickIn, ClickRecorded, SearchResult, Suggestions, errors
from kennisbank import throttle
from kennisbank.http import BadJson, json_object
from sharing.models import Audience
from sharing.kinds import kind_names
from sharing.resolution import AGENT, PUBLIC

from . import service
from .clicks import InvalidClick, extended_token, record_click as record
from .engine import engine_status
from .models.analytics import Origin
from .spelling import THRESHOLD, spelling_suggestion

MAX_QUERY_LENGTH = 500
TOO_LONG = f"De zoekvraag is te lang: gebruik maximaal {MAX_QUERY_LENGTH} tekens."
# The origin a search is logged under follows from the endpoint, never
# from the request: the websites log "site" themselves (website/views.py).
LOG_ORIGIN = {PUBLIC: Origin.API, AGENT: Origin.WIDGET}
router = Router()


@never_cache
def health(request):
    """Liveness for operators: the database must answer; the search engine
    may be down (the site then answers from the database) and is reported."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = {"vendor": connection.vendor, "ok": True}
    except Exception as exc:
        database = {"vendor": connection.vendor, "ok": False, "detail": exc.__class__.__name__}
    body = {"database": database, "search_engine": engine_status()}
    return JsonResponse(body, status=200 if database["ok"] else 503)


class Typed(Schema):
    q: str = Field("", description="De zoekvraag; alles is toegestaan, er wordt niets als zoekmachine-syntax uitgevoerd. Langer dan 500 tekens: 400.", json_schema_extra={"maxLength": MAX_QUERY_LENGTH})


class SearchParameters(Typed):
    type: str = Field("", description="Comma-separated kinds", json_schema_extra={"example": ",".join(kind_names())})
    audience: Optional[str] = Field(
        None,
        description="Slug van een doelgroep (burger, ondernemer, of een eigen doelgroep van de gemeente): alleen wat voor die doelgroep is "
        "of er een eigen tekst voor heeft",
        pattern=r"^([a-z0-9-]{1,30})?$",
    )
    theme: Optional[str] = Field(None, description="Slug van een thema", pattern=r"^([-a-zA-Z0-9_]{1,100})?$")
    page: int = Field(
        1,
        ge=1,
        description="Further results (\"meer resultaten\"): the next page with the same page_size. Only page 1 is logged "
        "(and has a log_id); send the click_token of the page before with a later page (click_token parameter) to get one that also covers its results. "
        "Promoted answers come on page 1 only. Past the last page served: the last page.",
    )
    page_size: int = Field(10, ge=1, description=f"At most {service.MAX_PAGE_SIZE}: larger is served as {service.MAX_PAGE_SIZE}")
    click_token: str = Field(
        "",
        description="With page 2 or later: the click_token of the page before; the answer's click_token then covers this page too. "
        "An invalid one is ignored (click_token null). The address as a whole is at most API_MAX_URL_LENGTH (4000) characters, else 414.",
    )


def search_arguments(params, channel):
    """The service's arguments; HttpError 400 for what the schema does not check."""
    kinds = [kind for kind in params.type.split(",") if kind]
    unknown = set(kinds) - set(kind_names())
    if unknown:
        raise HttpError(400, f"unknown type {', '.join(sorted(unknown))}; use {' or '.join(kind_names())}")
    if len(params.q) > MAX_QUERY_LENGTH:
        raise HttpError(400, TOO_LONG)
    if params.audience and not Audience.objects.filter(slug=params.audience).exists():
        raise HttpError(400, f"onbekende audience {params.audience!r}")
    return {
        "kinds": kinds,
        "audience": params.audience or None,
        "theme": params.theme or None,
        "page": params.page,
        "page_size": params.page_size,
        # A further page ("meer resultaten") is the same search: logged once, on page 1.
        "origin": LOG_ORIGIN[channel] if params.page == 1 else None,
    }


def search_response(request, response, slug, params, channel):
    gemeente = gemeente_for(request, slug, channel)
    arguments = search_arguments(params, channel)
    if arguments["origin"] and throttle.exceeded(request, throttle.SEARCH_LOG):
        arguments["origin"] = None  # past the client's limit a search still answers, unlogged (no click token)
    result = service.search(params.q, gemeente, channel=channel, **arguments)
    if arguments["page"] > 1 and params.click_token:
        result.click_token = extended_token(params.click_token, result, origins=(LOG_ORIGIN[channel],), gemeente=gemeente)
    response["Server-Timing"] = f"search;dur={result.took_ms}"
    suggestion = spelling_suggestion(gemeente, params.q, channel) if arguments["page"] == 1 and result.total <= THRESHOLD else ""
    return {**result.as_dict(), "suggestion": suggestion}


SEARCH_RESPONSES = {200: SearchResult, **errors(400, 404)}


@router.get(
    "/gemeenten/{slug:gemeente}/zoeken", url_name="search", response=SEARCH_RESPONSES,
    summary="Zoeken in de openbare kennis van een gemeente", auth=ANYONE, openapi_extra=dict(ANYONE_OPENAPI),
)
def public_search(request, response: HttpResponse, gemeente: str, params: Query[SearchParameters]):
    return search_response(request, response, gemeente, params, PUBLIC)


@router.get(
    "/agent/gemeenten/{slug:gemeente}/zoeken", url_name="agent-search", response={**SEARCH_RESPONSES, **errors(401, 403)},
    summary="Zoeken voor KCC-medewerkers, met interne kennis", auth=AGENT_AUTH,
)
def agent_search(request, response: HttpResponse, gemeente: str, params: Query[SearchParameters]):
    add_never_cache_headers(response)
    return search_response(request, response, gemeente, params, AGENT)


@router.get(
    "/gemeenten/{slug:gemeente}/suggesties", url_name="suggest", response={200: Suggestions, **errors(400, 404)},
    summary="Suggesties terwijl u typt", auth=ANYONE, openapi_extra=dict(ANYONE_OPENAPI),
)
def suggestions(request, gemeente: str, params: Query[Typed]):
    return suggestions_response(request, gemeente, params, PUBLIC)


@router.get(
    "/agent/gemeenten/{slug:gemeente}/suggesties", url_name="agent-suggest", response={200: Suggestions, **errors(400, 401, 403, 404)},
    summary="Aanvullen terwijl de KCC-medewerker typt, met interne kennis", auth=AGENT_AUTH,
)
def agent_suggestions(request, response: HttpResponse, gemeente: str, params: Query[Typed]):
    add_never_cache_headers(response)
    return suggestions_response(request, gemeente, params, AGENT)


def suggestions_response(request, slug, params, channel):
    found = gemeente_for(request, slug, channel)
    if len(params.q) > MAX_QUERY_LENGTH:
        raise HttpError(400, TOO_LONG)
    backend, items = service.suggest(params.q, found, channel=channel)
    return {"backend": backend, "suggestions": items}


@router.post(
    "/zoekkliks", url_name="search-click", response={200: ClickRecorded, **errors(400, 415, 429)},
    summary="Het aangeklikte resultaat van een zoekvraag vastleggen", auth=ANYONE,
    openapi_extra={**request_body(ClickIn), **ANYONE_OPENAPI},
)
@json_only
@throttle.throttled(throttle.SEARCH_CLICK)
def record_click(request):
    """The result a searcher opened, for the analytics (no personal data):
    only with the click token of the search that showed it, once per search
    (zoeken/clicks.py). Clicks on the websites go through their own click
    redirect."""
    try:
        data = json_object(request)
        recorded = record(data.get("token"), data.get("kind"), data.get("id"), origins=(Origin.API, Origin.WIDGET))
    except (BadJson, InvalidClick) as exc:
        raise HttpError(400, f"Klik niet vastgelegd: {exc}. Stuur JSON met token (click_token van de zoekvraag), kind en id van een resultaat.") from exc
    return {"recorded": recorded}
