import re

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from gemeenten.models import Gemeente
from kennisbank import throttle
from kennisbank.http import BadJson, json_get, json_object, json_post
from pdc.models import Audience
from sharing.permissions import can_read_agent_content
from sharing.resolution import AGENT, PUBLIC

from . import service
from .clicks import InvalidClick, extended_token, record_click as record
from .engine import engine_status
from .models.analytics import Channel

MAX_QUERY_LENGTH = 500
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")
# The channel a search is logged under follows from the endpoint, never
# from the request: the websites log "site" themselves (website/views.py).
LOG_CHANNEL = {PUBLIC: Channel.API, AGENT: Channel.WIDGET}


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


def _error(status, message):
    return JsonResponse({"error": message}, status=status)


def _gemeente_or_404(slug):
    return Gemeente.objects.filter(slug=slug).first()


def _search_arguments(request, channel):
    """The query parameters, validated; raises ValueError with a message."""
    params = request.GET
    try:
        page, page_size = int(params.get("page", 1)), int(params.get("page_size", 10))
    except ValueError as exc:
        raise ValueError("page and page_size must be whole numbers") from exc
    if page < 1 or page_size < 1:
        raise ValueError("page and page_size start at 1")
    kinds = [kind for kind in params.get("type", "").split(",") if kind]
    unknown = set(kinds) - {"product", "vac"}
    if unknown:
        raise ValueError(f"unknown type {', '.join(sorted(unknown))}; use product or vac")
    if len(params.get("q", "")) > MAX_QUERY_LENGTH:
        raise ValueError(f"De zoekvraag is te lang: gebruik maximaal {MAX_QUERY_LENGTH} tekens.")
    if params.get("audience") and params["audience"] not in Audience.values:
        raise ValueError(f"audience moet {' of '.join(Audience.values)} zijn")
    if params.get("theme") and not SLUG.fullmatch(params["theme"]):
        raise ValueError("theme moet de slug van een thema zijn")
    return {
        "kinds": kinds,
        "audience": params.get("audience") or None,
        "theme": params.get("theme") or None,
        "page": page,
        "page_size": page_size,
        # A further page ("meer resultaten") is the same search: logged once, on page 1.
        "origin": LOG_CHANNEL[channel] if page == 1 else None,
    }


def _search_response(request, slug, channel):
    gemeente = _gemeente_or_404(slug)
    if gemeente is None:
        return _error(404, f"unknown gemeente {slug!r}")
    if channel == AGENT:
        if not request.user.is_authenticated:
            return _error(401, "sign in as an agent to search agent content")
        if not can_read_agent_content(request.user, gemeente):
            return _error(403, f"you do not answer for {gemeente.name}")
    try:
        arguments = _search_arguments(request, channel)
    except ValueError as exc:
        return _error(400, str(exc))
    if arguments["origin"] and throttle.exceeded(request, throttle.SEARCH_LOG):
        arguments["origin"] = None  # past the client's limit a search still answers, unlogged (no click token)
    result = service.search(request.GET.get("q", ""), gemeente, channel=channel, **arguments)
    if arguments["page"] > 1 and request.GET.get("click_token"):
        result.click_token = extended_token(request.GET["click_token"], result, channels=(LOG_CHANNEL[channel],), gemeente=gemeente)
    response = JsonResponse(result.as_dict())
    response["Server-Timing"] = f"search;dur={result.took_ms}"
    return response


@json_get
def public_search(request, gemeente):
    return _search_response(request, gemeente, PUBLIC)


@never_cache
@json_get
def agent_search(request, gemeente):
    return _search_response(request, gemeente, AGENT)


@json_get
def suggestions(request, gemeente):
    found = _gemeente_or_404(gemeente)
    if found is None:
        return _error(404, f"unknown gemeente {gemeente!r}")
    if len(request.GET.get("q", "")) > MAX_QUERY_LENGTH:
        return _error(400, f"De zoekvraag is te lang: gebruik maximaal {MAX_QUERY_LENGTH} tekens.")
    backend, items = service.suggest(request.GET.get("q", ""), found)
    return JsonResponse({"backend": backend, "suggestions": items})


@json_post
@throttle.throttled(throttle.SEARCH_CLICK)
def record_click(request):
    """The result a searcher opened, for the analytics (no personal data):
    only with the click token of the search that showed it, once per search
    (zoeken/clicks.py). Clicks on the websites go through their own click
    redirect."""
    try:
        data = json_object(request)
        recorded = record(data.get("token"), data.get("kind"), data.get("id"), channels=(Channel.API, Channel.WIDGET))
    except (BadJson, InvalidClick) as exc:
        return _error(400, f"Klik niet vastgelegd: {exc}. Stuur JSON met token (click_token van de zoekvraag), kind en id van een resultaat.")
    return JsonResponse({"recorded": recorded})
