"""The database search on PostgreSQL: Dutch full-text search and trigram
similarity (pg_trgm) in SQL pick and order the candidates, so a typo or an
inflected word still finds its entry; the candidates are then resolved for
the gemeente and scored on what it publishes, as on SQLite
(zoeken/database.py). Candidates come from the base text and the gemeente's
own local entries only; overrides and agent text count for ranking, never
for being a candidate, and never leave their gemeente or channel: they are
read from the resolved document."""

from functools import reduce
from operator import or_

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Greatest

from sharing.kinds import get_kind
from sharing.resolution import resolve_many, visible_queryset

from .database import WEIGHTS, snippet, stem
from .documents import build_document
from .query import NO_CONTENT_FACTOR
from .text import fold

CONFIG = "dutch"
CANDIDATE_LIMIT = 30
# word_similarity from which a query word counts as a misspelling of a
# word in a title or keywords (pg_trgm's own default threshold).
TYPO_THRESHOLD = 0.6
TYPO_WORDS = 6  # the query's first few words of five letters or more
TYPO_WEIGHT = 4  # a misspelt word in the title or keywords counts as a keyword
RANK_WEIGHT = 4  # ts_rank of the Dutch full-text match, weighted by column
AGENT_TEXT_WEIGHT = 1


def search_vector(columns):
    """The kind's search columns, best first, as weights A to D."""
    return reduce(lambda a, b: a + b, (SearchVector(column, config=CONFIG, weight=weight) for column, weight in zip(columns, "ABCD")))


def search_query(words, stems):
    """Every word stemmed the Dutch way, and every stem as a prefix: any may match."""
    prefixes = SearchQuery(" | ".join(f"{prefix}:*" for prefix in stems), config="simple", search_type="raw")
    return reduce(or_, (SearchQuery(word, config=CONFIG) for word in words), prefixes)


def candidates(model, gemeente, words, stems, typo_words):
    """The best CANDIDATE_LIMIT visible entries by their base text: a
    full-text or prefix match, a word containing a stem (compounds: kluis in
    afhaalkluis) or a title or keyword word that is a near spelling."""
    columns = get_kind(model).database_search_columns
    similarities = {
        f"typo_{i}": Greatest(*(TrigramWordSimilarity(Value(word), column) for column in columns[:2]), Value(0.0))
        for i, word in enumerate(typo_words)
    }
    query = search_query(words, stems)
    condition = Q(document=query) | reduce(or_, (Q(**{f"{column}__icontains": prefix}) for column in columns for prefix in stems))
    condition |= reduce(or_, (Q(**{f"{name}__gte": TYPO_THRESHOLD}) for name in similarities), Q(pk__in=[]))
    closeness = sum((F(name) for name in similarities), Value(0.0, output_field=FloatField()))
    return (
        visible_queryset(model, gemeente)
        .annotate(document=search_vector(columns), **similarities)
        .annotate(rank=SearchRank(F("document"), query), closeness=closeness)
        .filter(condition)
        .order_by("-has_content", (F("rank") + F("closeness")).desc(), "pk")[:CANDIDATE_LIMIT]
    )


def score(document, entry, stems, typo_words):
    """zoeken/database.py's score, plus the agent's text on the agent
    channel, the full-text rank of the base text and near spellings of
    query words that occur nowhere in the document."""
    fields = [*WEIGHTS, ("agent_text", AGENT_TEXT_WEIGHT)]
    texts = {field: fold(document.get(field, "")) for field, _ in fields}
    total = sum(weight * sum(1 for prefix in stems if prefix in texts[field]) for field, weight in fields)
    whole = " ".join(texts.values())
    for i, word in enumerate(typo_words):
        similarity = getattr(entry, f"typo_{i}")
        if similarity >= TYPO_THRESHOLD and stem(word) not in whole:
            total += TYPO_WEIGHT * similarity
    total += RANK_WEIGHT * entry.rank  # a Dutch inflection counts too (geldigheid: geldig)
    if not total:
        return 0
    total += 0.5 if document.get("offered") else 0
    return total if document.get("has_content") else total * NO_CONTENT_FACTOR


def search(words, alternatives, gemeente, *, models, channel, audience=None, theme=None):
    """All matching documents, best first, as (score, document, snippet)."""
    phrases = [words, *alternatives]
    all_words = sorted({word for phrase in phrases for word in phrase.split() if len(word) > 2})
    stems = sorted({stem(word) for word in all_words})
    if not stems:
        return []
    typo_words = [word for word in dict.fromkeys(words.split()) if len(word) >= 5][:TYPO_WORDS]
    ranked = []
    for model in models:
        entries = {entry.pk: entry for entry in candidates(model, gemeente, all_words, stems, typo_words)}
        for resolved in resolve_many(list(entries.values()), gemeente, channel=channel, audience=audience):
            document = build_document(resolved)
            if theme and theme not in document["themes"]:
                continue
            points = score(document, entries[resolved.id], stems, typo_words)
            if points:
                ranked.append((points, document, snippet(document, stems)))
    ranked.sort(key=lambda item: (-item[0], item[1]["title"]))
    return ranked
