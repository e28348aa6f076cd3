"""Search answered from the database: the embedded default, and the
fallback when the engine is down. Same input and output as the engine path,
simpler ranking. On SQLite (the demo): no typo tolerance, words matched by
their first letters. On PostgreSQL: zoeken/database_postgres.py, with Dutch
full-text search and trigram similarity for typos."""

import re

from django.db import connection
from django.db.models import Q
from django.utils.html import escape

from sharing.kinds import get_kind
from sharing.resolution import AGENT, PUBLIC, resolve_many, visible_queryset
from sharing.scheduling import changed_for_agents

from .documents import build_document
from .query import NO_CONTENT_FACTOR
from .text import fold

CANDIDATE_LIMIT = 150
WEIGHTS = (("title", 6), ("keywords", 4), ("summary", 2), ("body", 1))
TITLE_COVERAGE_WEIGHT = 2  # below one more word in the title (6)


def stem(word):
    """A crude prefix that survives Dutch inflection: aanvragen → aanvra."""
    return word if len(word) <= 4 else word[: max(4, len(word) - 2)]


def candidates(model, gemeente, stems, channel=PUBLIC):
    condition = Q()
    for column in get_kind(model).database_search_columns:
        for prefix in stems:
            condition |= Q(**{f"{column}__icontains": prefix})
    for prefix in stems:  # an audience's own text (sharing: audience_variants)
        condition |= Q(audience_variants__icontains=prefix)
    if channel == AGENT:  # the columns hold the live text; agents may see a scheduled change (scored on it below)
        condition |= Q(pk__in=changed_for_agents(model, gemeente))
    # Entries with text first: past the limit, empty UPL names are what is left out.
    return visible_queryset(model, gemeente, channel).filter(condition).order_by("-has_content", "pk")[:CANDIDATE_LIMIT]


def score(document, stems):
    total = 0
    for field, weight in WEIGHTS:
        text = fold(document.get(field, ""))
        total += weight * sum(1 for prefix in stems if prefix in text)
    if not total:
        return 0
    total += TITLE_COVERAGE_WEIGHT * title_coverage(document.get("title", ""), stems)
    total += 0.5 if document.get("offered") else 0
    return total if document.get("has_content") else total * NO_CONTENT_FACTOR


def title_coverage(title, stems):
    """The share of the title's words that the query matches: of two titles
    that both name 'paspoort', "Paspoort aanvragen" is more about it than
    "Documentenkluis: paspoort of ID-kaart ophalen"."""
    words = re.findall(r"\w+", fold(title))
    return sum(1 for word in words if any(word.startswith(prefix) for prefix in stems)) / len(words) if words else 0


def snippet(document, stems, width=160):
    texts = [document["body"], document["summary"]]
    text = next((t for t in texts if any(prefix in fold(t) for prefix in stems)), document["body"] or document["summary"])
    folded = fold(text)
    positions = [folded.find(prefix) for prefix in stems if prefix in folded]
    start = max(0, min(positions) - width // 3) if positions else 0
    piece = whole_words(text, start, start + width)
    # One pass over the plain text, escaping between the matches, so a later
    # stem can never match inside a <mark> or an entity added before it.
    pattern = re.compile(rf"(?i)\b(?:{'|'.join(re.escape(p) for p in sorted(stems, key=len, reverse=True))})\w*")
    out, position = [], 0
    for match in pattern.finditer(piece):
        out += [escape(piece[position : match.start()]), f"<mark>{escape(match.group())}</mark>"]
        position = match.end()
    return "".join(out + [escape(piece[position:])])


def whole_words(text, start, end):
    """text[start:end] without the words cut in two at either end, marked
    with an ellipsis where the text goes on."""
    piece = text[start:end]
    if start > 0 and not text[start - 1].isspace():
        piece = piece.partition(" ")[2]
    if end < len(text) and not text[end].isspace():
        piece = piece.rpartition(" ")[0]
    return ("…" if start > 0 else "") + piece.strip() + (" …" if end < len(text) else "")


def search(words, alternatives, gemeente, *, models, channel, audience=None, theme=None):
    """All matching documents, best first, as (score, document, snippet)."""
    if connection.vendor == "postgresql":
        from . import database_postgres  # imports django.contrib.postgres: PostgreSQL only

        return database_postgres.search(words, alternatives, gemeente, models=models, channel=channel, audience=audience, theme=theme)
    return prefix_search(words, alternatives, gemeente, models=models, channel=channel, audience=audience, theme=theme)


def prefix_search(words, alternatives, gemeente, *, models, channel, audience=None, theme=None):
    """The simple search of any database (SQLite): prefixes of the words."""
    stems = sorted({stem(word) for phrase in [words, *alternatives] for word in phrase.split() if len(word) > 2})
    if not stems:
        return []
    ranked = []
    for model in models:
        entries = list(candidates(model, gemeente, stems, channel))
        for resolved in resolve_many(entries, gemeente, channel=channel, audience=audience):
            document = build_document(resolved)
            if theme and theme not in document["themes"]:
                continue
            points = score(document, stems)
            if points:
                ranked.append((points, document, snippet(document, stems)))
    ranked.sort(key=lambda item: (-item[0], item[1]["title"]))
    return ranked
