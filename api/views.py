"""The content endpoints of the JSON API. Public endpoints publish the
public resolution; agent endpoints (signed in, answering for that gemeente)
add agent-only content. ETag comes from ConditionalGetMiddleware;
Last-Modified and Cache-Control are set here. Bodies of details, list
pages and top questions are cached per gemeente, channel and content
version (sharing/cache.py); access is checked before, on every request."""

import re

from django.db.models import Count, Max
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from feedback.models import Feedback
from kennisbank import throttle
from kennisbank.http import BadJson, json_get, json_object, json_post
from gemeenten.models import Gemeente
from kennis.models import VAC
from pdc.models import Product, Theme
from sharing.cache import cached, gemeente_context, remember, shared_entry
from sharing.permissions import can_read_agent_content
from sharing.related import related_entries
from sharing.resolution import AGENT, PUBLIC, published_queryset, resolve, resolve_summaries, visible_queryset
from zoeken.models import SearchQuery
from zoeken.text import strip_control

from .objecttypes import kennisartikel_records, vac_records
from .openapi import document
from .representations import entry_json, summary_json

MODELS = {"producten": Product, "vacs": VAC}
OBJECTTYPES = {"vac": (VAC, vac_records), "kennisartikel": (Product, kennisartikel_records)}
MAX_PAGE_SIZE = 100
MAX_PAGE = 100_000
REMARK_MAX_LENGTH = Feedback._meta.get_field("remark").max_length
QUERY_MAX_LENGTH = Feedback._meta.get_field("query").max_length
ENTRY_MODELS = {"product": Product, "vac": VAC}
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,100}")


def error(status, message):
    return JsonResponse({"error": message}, status=status)


class ApiError(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def api_view(channel):
    """Resolve the gemeente, check agent access, turn ApiError into JSON."""

    def decorator(view):
        def wrapped(request, gemeente, *args, **kwargs):
            found = remember("api-gemeente", (gemeente,), lambda: Gemeente.objects.select_related("site").filter(slug=gemeente).first())
            if found is None:
                return error(404, f"unknown gemeente {gemeente!r}")
            if channel == AGENT:
                if not request.user.is_authenticated:
                    return error(401, "sign in as an agent")
                if not can_read_agent_content(request.user, found):
                    return error(403, f"you do not answer for {found.name}")
            try:
                response = view(request, found, *args, channel=channel, **kwargs)
            except ApiError as exc:
                return error(exc.status, str(exc))
            if channel == AGENT:
                patch_cache_control(response, private=True, no_cache=True)
            else:
                patch_cache_control(response, public=True, max_age=60)
            return response

        wrapped.__name__ = view.__name__
        return json_get(wrapped)

    return decorator


def page_arguments(request):
    try:
        page, size = int(request.GET.get("page", 1)), int(request.GET.get("page_size", 20))
    except ValueError as exc:
        raise ApiError(400, "page and page_size must be whole numbers") from exc
    if not 1 <= page <= MAX_PAGE or not 1 <= size <= MAX_PAGE_SIZE:
        raise ApiError(400, f"page is 1 to {MAX_PAGE}; page_size is 1 to {MAX_PAGE_SIZE}")
    return page, size


def entry_list(request, gemeente, collection, channel):
    page, size = page_arguments(request)
    body, last = cached(gemeente, channel, "api-list", (collection, page, size), lambda: list_body(gemeente, collection, channel, page, size))
    return json_response(body, last)


def list_body(gemeente, collection, channel, page, size):
    """(body, Last-Modified timestamp or None) of one page of a listing."""
    model = MODELS[collection]
    count, page_entries = paged(model, gemeente, channel, page, size)
    items = resolve_summaries(page_entries, gemeente, channel=channel, context=gemeente_context(gemeente)) if count else []
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


def entry_detail(request, gemeente, collection, slug, channel):
    body, modified = cached(gemeente, channel, "api-detail", (collection, slug), lambda: detail_body(gemeente, collection, slug, channel))
    return json_response(body, modified)


def detail_body(gemeente, collection, slug, channel):
    """(body, Last-Modified timestamp) of one entry with the summaries of
    its related entries (same channel, offered here); ApiError 404 when
    this channel does not publish it here."""
    model = MODELS[collection]
    context = gemeente_context(gemeente)
    entry = shared_entry(model, slug) or visible_queryset(model, gemeente).filter(slug=slug).first()
    resolved = resolve(entry, gemeente, channel=channel, context=context) if entry else None
    if resolved is None:
        raise ApiError(404, f"no {collection[:-1]} {slug!r} in {gemeente.name}")
    related = related_entries(resolved, gemeente, channel=channel)
    return entry_json(resolved, gemeente, related=related), resolved.modified.timestamp()


def objecttype_list(request, gemeente, objecttype, channel):
    """A page of records in an objecttype shape (api/objecttypes.py)."""
    page, size = page_arguments(request)
    base = request.build_absolute_uri("/")  # the records link to this API on this host
    body, last = cached(gemeente, channel, "api-objecttype", (objecttype, page, size, base), lambda: objecttype_body(gemeente, objecttype, channel, page, size, base))
    return json_response(body, last)


def objecttype_body(gemeente, objecttype, channel, page, size, base):
    model, records = OBJECTTYPES[objecttype]
    count, page_entries = paged(model, gemeente, channel, page, size)
    results = records(page_entries, gemeente, base) if count else []
    return page_body(count, page, size, results), last_modified(model, gemeente)


def json_response(body, modified=None):
    response = JsonResponse(body)
    if modified:
        response["Last-Modified"] = http_date(modified)
    return response


def themes(request, gemeente, channel):
    body = {"results": [{"slug": t.slug, "name": t.name} for t in Theme.objects.order_by("name")]}
    return JsonResponse(body)


def top_questions(request, gemeente, channel):
    """The entries opened most from searches in this gemeente (30 days)."""
    clicks = (
        SearchQuery.objects.filter(gemeente=gemeente).exclude(clicked="")
        .values("clicked").annotate(n=Count("pk")).order_by("-n")[:10]
    )
    by_kind = {"product": [], "vac": []}
    for row in clicks:
        kind, _, pk = row["clicked"].partition(":")
        if kind in by_kind and pk.isdigit():
            by_kind[kind].append(int(pk))
    clicked = (tuple(by_kind["vac"]), tuple(by_kind["product"]))
    return JsonResponse({"results": cached(gemeente, channel, "api-top", clicked, lambda: top_results(gemeente, by_kind, channel))})


def top_results(gemeente, by_kind, channel):
    results = []
    for kind, model in (("vac", VAC), ("product", Product)):
        if not by_kind[kind]:
            continue  # nothing clicked: no resolution
        entries = visible_queryset(model, gemeente).filter(pk__in=by_kind[kind])
        results += [summary_json(r, gemeente) for r in resolve_summaries(entries, gemeente, channel=channel)]
    return results


@json_get
def agent_gemeenten(request):
    if not request.user.is_authenticated:
        return error(401, "sign in as an agent")
    allowed = [g for g in Gemeente.objects.order_by("name") if can_read_agent_content(request.user, g)]
    # `own`: named in one of the user's roles (not only through "all gemeenten"); the widget's default.
    own = set(request.user.memberships.exclude(gemeente=None).values_list("gemeente_id", flat=True))
    return JsonResponse({"results": [{"slug": g.slug, "name": g.name, "own": g.pk in own} for g in allowed]})


@json_get
def gemeenten(request):
    rows = Gemeente.objects.select_related("site").order_by("name")
    return JsonResponse({"results": [{"slug": g.slug, "name": g.name, "url": g.site.root_url if g.site_id else ""} for g in rows]})


@json_post
@throttle.throttled(throttle.FEEDBACK)
def feedback(request):
    """Agents flag an answer as wrong or missing (signed in); anyone may say
    whether an answer helped."""
    try:
        data = json_object(request)
        gemeente, kind, target = feedback_subject(data)
        remark, query = feedback_text(data, "remark", REMARK_MAX_LENGTH), feedback_text(data, "query", QUERY_MAX_LENGTH)
    except BadJson as exc:
        return error(400, f"Terugkoppeling niet opgeslagen: {exc}.")
    agent_kinds = (Feedback.Kind.WRONG, Feedback.Kind.MISSING)
    if kind in agent_kinds and not (request.user.is_authenticated and can_read_agent_content(request.user, gemeente)):
        return error(401 if not request.user.is_authenticated else 403, "flagging answers is for agents of this gemeente")
    if kind != Feedback.Kind.MISSING and target is None:
        return error(400, "entry {kind, id} of an entry of this gemeente is required")
    item = Feedback.objects.create(
        gemeente=gemeente,
        kind=kind,
        channel=Feedback.Channel.WIDGET if kind in agent_kinds else Feedback.Channel.SITE,
        remark=remark,
        query=query,
        user=request.user if request.user.is_authenticated else None,
        **({target._meta.model_name: target} if target else {}),
    )
    return JsonResponse({"id": item.pk}, status=201)


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
    if not isinstance(entry, dict) or not isinstance(entry.get("kind"), str) or entry["kind"] not in ENTRY_MODELS:
        raise BadJson("entry moet een object {kind: product of vac, id} zijn")
    entry_id = entry.get("id")
    if type(entry_id) is not int or not 1 <= entry_id < 2**63:
        raise BadJson("entry.id moet een positief geheel getal zijn")
    return gemeente, kind, visible_queryset(ENTRY_MODELS[entry["kind"]], gemeente).filter(pk=entry_id).first()


def feedback_text(data, name, limit):
    value = data.get(name, "")
    if not isinstance(value, str):
        raise BadJson(f"{name} moet tekst zijn")
    value = strip_control(value)
    if len(value) > limit:
        raise BadJson(f"{name} is te lang: gebruik maximaal {limit} tekens")
    return value


@json_get
def openapi(request):
    return JsonResponse(document(request.build_absolute_uri("/api/v1/")))


public_list = api_view(PUBLIC)(entry_list)
public_detail = api_view(PUBLIC)(entry_detail)
public_themes = api_view(PUBLIC)(themes)
agent_list = api_view(AGENT)(entry_list)
agent_detail = api_view(AGENT)(entry_detail)
agent_top = api_view(AGENT)(top_questions)
agent_objecttype = api_view(AGENT)(objecttype_list)
