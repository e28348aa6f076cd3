import json

from django.db import connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gemeenten.models import Gemeente
from kennisbank.http import json_post
from sharing.permissions import can_read_agent_content
from sharing.resolution import AGENT, PUBLIC

from . import service
from .engine import engine_status
from .models import SearchQuery
from .models.analytics import Channel


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


def _search_arguments(request):
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
    origin = params.get("channel", "api")
    if origin not in Channel.values:
        raise ValueError(f"channel must be one of {', '.join(Channel.values)}")
    return {
        "kinds": kinds,
        "audience": params.get("audience") or None,
        "theme": params.get("theme") or None,
        "page": page,
        "page_size": page_size,
        # A further page ("meer resultaten") is the same search: logged once, on page 1.
        "origin": origin if page == 1 else None,
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
        arguments = _search_arguments(request)
    except ValueError as exc:
        return _error(400, str(exc))
    result = service.search(request.GET.get("q", ""), gemeente, channel=channel, **arguments)
    response = JsonResponse(result.as_dict())
    response["Server-Timing"] = f"search;dur={result.took_ms}"
    return response


@require_GET
def public_search(request, gemeente):
    return _search_response(request, gemeente, PUBLIC)


@never_cache
@require_GET
def agent_search(request, gemeente):
    return _search_response(request, gemeente, AGENT)


@require_GET
def suggestions(request, gemeente):
    found = _gemeente_or_404(gemeente)
    if found is None:
        return _error(404, f"unknown gemeente {gemeente!r}")
    backend, items = service.suggest(request.GET.get("q", ""), found)
    return JsonResponse({"backend": backend, "suggestions": items})


@json_post
def record_click(request):
    """The result a searcher opened, for the analytics (no personal data)."""
    try:
        data = json.loads(request.body or b"{}")
        log_id, kind, entry_id = int(data["log_id"]), str(data["kind"]), int(data["id"])
    except (ValueError, KeyError, TypeError):
        return _error(400, "send JSON with log_id, kind and id")
    updated = SearchQuery.objects.filter(pk=log_id, clicked="").update(clicked=f"{kind}:{entry_id}"[:60], clicked_at=timezone.now())
    return JsonResponse({"recorded": bool(updated)})
