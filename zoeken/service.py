"""The one search interface for the site, the widget and the API.

`search` asks the engine when one is configured and reachable, else the
database, and says which backend answered. Editors' synonyms and promoted
answers apply on both paths. Every search is logged for the reports."""

import logging
import time
from dataclasses import asdict, dataclass, field

from pdc.models import Theme
from sharing.cache import remember, scopes_of
from sharing.kinds import get_kind, kind_names
from sharing.resolution import PUBLIC, resolve_many
from sharing.scope import shared_or_own

from . import database
from .clicks import click_token
from .documents import build_document
from .engine import Breaker, engine_kind, get_client
from .indexing import alias
from .models import Promotion, SearchQuery, Synonym
from .query import likely_typos, search_body, suggest_body
from .text import NO_WORDS, ONLY_COMMON_WORDS, content_words, normalise, strip_control

logger = logging.getLogger(__name__)
MAX_PAGE_SIZE = 50
MAX_OFFSET = 1000
breaker = Breaker(cool_down=10)


@dataclass
class Hit:
    kind: str
    id: int
    slug: str
    title: str
    url: str
    snippet: str
    summary: str = ""
    offered: bool = True
    local: bool = False
    promoted: bool = False


@dataclass
class SearchResult:
    query: str
    backend: str
    total: int
    page: int
    page_size: int
    hits: list = field(default_factory=list)
    took_ms: float = 0.0
    notice: str = ""
    log_id: int | None = None
    click_token: str | None = None  # send with a click (zoeken/clicks.py)

    def as_dict(self):
        return asdict(self)


@dataclass
class Request:
    gemeente: object
    channel: str = PUBLIC
    kinds: tuple = ()
    audience: str | None = None
    theme: str | None = None
    page: int = 1
    page_size: int = 10

    @property
    def offset(self):
        return (self.page - 1) * self.page_size


def search(text, gemeente, *, channel=PUBLIC, kinds=(), audience=None, theme=None, page=1, page_size=10, origin=None):
    started = time.perf_counter()
    text = strip_control(text)
    page_size = max(1, min(int(page_size), MAX_PAGE_SIZE))
    page = max(1, min(int(page), MAX_OFFSET // page_size))
    request = Request(gemeente, channel, tuple(k for k in kinds if k in kind_names()), audience, theme, page, page_size)
    words = " ".join(content_words(text))
    result = SearchResult(query=normalise(text), backend="none", total=0, page=page, page_size=page_size)
    if words:
        alternatives = synonyms_for(words, gemeente)
        promoted = promoted_hits(normalise(text), request) if page == 1 else []
        result.backend, result.total, hits, result.notice = _ranked(words, alternatives, request)
        seen = {(hit.kind, hit.id) for hit in promoted}
        result.hits = promoted + [hit for hit in hits if (hit.kind, hit.id) not in seen][: page_size - len(promoted)]
        result.total = max(result.total, len(result.hits))
    elif result.query:  # only stop words or single letters: nothing to rank them by, no search
        result.hits = promoted_hits(result.query, request) if page == 1 else []
        result.total = len(result.hits)
        result.notice = "" if result.hits else ONLY_COMMON_WORDS
    elif text.strip():  # only punctuation or symbols
        result.notice = NO_WORDS
    result.took_ms = round((time.perf_counter() - started) * 1000, 2)
    if origin:
        result.log_id = log_query(text, gemeente, origin, result)
        result.click_token = click_token(result.log_id, result.hits)
    return result


def _ranked(words, alternatives, request):
    if engine_kind() != "none" and not breaker.open:
        try:
            total, hits = engine_search(words, alternatives, request)
            breaker.success()
            return engine_kind(), total, hits, ""
        except Exception as exc:  # the engine is down or refused: answer from the database
            breaker.failure()
            logger.warning("search engine failed, answering from the database: %r", exc)
            total, hits = database_search(words, alternatives, request)
            return "database", total, hits, "De zoekmachine is niet bereikbaar; dit zijn resultaten uit de database."
    total, hits = database_search(words, alternatives, request)
    return "database", total, hits, ""


def engine_search(words, alternatives, request):
    """Without typo tolerance first; again with it only for the words that
    are likely typos (zoeken/query.py)."""
    response = _engine_request(words, alternatives, request)
    typos = likely_typos(response, words)
    if typos:
        response = _engine_request(words, alternatives, request, typos)
    hits = [_engine_hit(hit) for hit in response["hits"]["hits"]]
    total = response["hits"]["total"]
    return (total["value"] if isinstance(total, dict) else total), hits


def _engine_request(words, alternatives, request, typos=()):
    body = search_body(
        words,
        alternatives,
        request.gemeente.slug,
        channel=request.channel,
        kinds=request.kinds,
        audience=request.audience,
        theme=theme_name(request.theme),
        offset=request.offset,
        size=request.page_size,
        typos=typos,
    )
    return get_client().search(index=alias(request.channel), body=body)


def _engine_hit(hit):
    source, highlight = hit["_source"], hit.get("highlight", {})
    fragments = highlight.get("body") or highlight.get("agent_text")
    return Hit(
        kind=source["kind"],
        id=source["entry_id"],
        slug=source["slug"],
        title=source["title"],
        url=source["url"],
        snippet=fragments[0] if fragments else "",
        summary=source.get("summary", ""),
        offered=source.get("offered", True),
        local=source.get("local", False),
    )


def database_search(words, alternatives, request):
    models = [get_kind(kind).model for kind in (request.kinds or kind_names())]
    ranked = database.search(
        words,
        alternatives,
        request.gemeente,
        models=models,
        channel=request.channel,
        audience=request.audience,
        theme=theme_name(request.theme),
    )
    page = ranked[request.offset : request.offset + request.page_size]
    return len(ranked), [_document_hit(document, snippet) for _, document, snippet in page]


def _document_hit(document, snippet="", promoted=False):
    return Hit(
        kind=document["kind"],
        id=document["entry_id"],
        slug=document["slug"],
        title=document["title"],
        url=document["url"],
        snippet=snippet,
        summary=document["summary"],
        offered=document["offered"],
        local=document["local"],
        promoted=promoted,
    )


def theme_name(slug):
    if not slug:
        return None
    theme = Theme.objects.filter(slug=slug).first()
    return theme.name if theme else slug


def synonyms_for(words, gemeente):
    """Alternatives for the query from the shared and this gemeente's list:
    a synonym applies when its term occurs in the query as whole words."""
    padded = f" {words} "
    runs = word_runs(words)
    alternatives = []
    for term, alts in synonym_table(gemeente).items():
        if term in runs:
            alternatives += [padded.replace(f" {term} ", f" {alt} ").strip() for alt in alts]
    return list(dict.fromkeys(alternatives))[:10]


def synonym_table(gemeente):
    """Term → alternatives of the shared and this gemeente's synonyms,
    remembered per version of the synonym list: a search reads no table."""

    def read():
        table = {}
        for synonym in tuning_for(Synonym, gemeente).order_by("pk").only("term", "synonyms"):
            table.setdefault(synonym.term, []).extend(synonym.alternatives())
        return table

    return remember(f"zoeken-synonyms:{getattr(gemeente, 'pk', None)}", (), read, scopes=scopes_of(Synonym))


def promoted_queries(gemeente):
    """The queries with a promoted answer for this gemeente (shared or its own)."""

    def read():
        return frozenset(tuning_for(Promotion, gemeente).values_list("query", flat=True))

    return remember(f"zoeken-promoted:{getattr(gemeente, 'pk', None)}", (), read, scopes=scopes_of(Promotion))


def tuning_for(model, gemeente):
    return model.objects.filter(shared_or_own(gemeente))


def word_runs(words, longest=Synonym.MAX_TERM_WORDS):
    """Every run of consecutive words, up to `longest` words long."""
    tokens = words.split()
    return {" ".join(tokens[i : i + n]) for n in range(1, longest + 1) for i in range(len(tokens) - n + 1)}


def promoted_hits(query, request):
    if query not in promoted_queries(request.gemeente):  # the common case: no need to load entries
        return []
    promotions = tuning_for(Promotion, request.gemeente).filter(query=query)
    hits = []
    for promotion in promotions.order_by("sort_order", "pk"):
        model = promotion.entry_model
        if model is None or (request.kinds and promotion.kind not in request.kinds):
            continue
        entries = model.objects.filter(pk=promotion.entry_id)
        for resolved in resolve_many(entries, request.gemeente, channel=request.channel, audience=request.audience):
            hits.append(_document_hit(build_document(resolved), promoted=True))
    return hits


def log_query(text, gemeente, origin, result):
    return SearchQuery.objects.create(
        gemeente=gemeente,
        origin=origin,
        query=(text or "")[:500],
        normalised=result.query,
        result_count=result.total,
        backend=result.backend,
    ).pk


def suggest(text, gemeente, size=8, channel=PUBLIC):
    """Titles for search-as-you-type, from the channel's own index: the
    public one never holds an agent-only entry."""
    prefix = normalise(text)
    if not prefix:
        return "none", []
    if engine_kind() != "none" and not breaker.open:
        try:
            response = get_client().search(index=alias(channel), body=suggest_body(prefix, gemeente.slug, size))
            breaker.success()
            return engine_kind(), [_suggestion(hit["_source"]) for hit in response["hits"]["hits"]]
        except Exception as exc:
            breaker.failure()
            logger.warning("suggest failed, answering from the database: %r", exc)
    request = Request(gemeente, channel, page_size=size)
    _, hits = database_search(prefix, [], request)
    return "database", [{"kind": h.kind, "id": h.id, "title": h.title, "url": h.url} for h in hits]


def _suggestion(source):
    return {"kind": source["kind"], "id": source["entry_id"], "title": source["title"], "url": source["url"]}


