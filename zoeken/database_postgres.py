"""The database search on PostgreSQL: Dutch full-text search and trigram
similarity (pg_trgm) in SQL pick and order the candidates, so a typo or an
inflected word still finds its entry; the candidates are then resolved for
the gemeente and scored on what it publishes, as on SQLite
(zoeken/database.py). Candidates come from the base text and the gemeente's
own local entries only; overrides and agent text count for ranking, never
for being a candidate, and never leave their gemeente or channel: they are
read from the resolved document."""

import hashlib
from functools import reduce
from itertools import pairwise
from operator import or_

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db import connections
from django.db.models import F, FloatField, Q, Value
from django.db.models.functions import Greatest

from sharing.kinds import get_kind, kinds
from sharing.resolution import AGENT, PUBLIC, resolve_many, visible_queryset
from sharing.scheduling import changed_for_agents

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


def typo_match(column, word):
    """`column %> word`: some word of the column is near `word` (pg_trgm's
    word_similarity_threshold, 0.6); the trigram index answers it."""
    return TrigramWordSimilar(F(column), Value(word))


def matching_pks(model, gemeente, query, stems, typo_words, channel=PUBLIC):
    """Visible entries whose base text matches: the full-text query, a word
    containing a stem (compounds: kluis in afhaalkluis) or a title or
    keyword word that is a near spelling. The first and last through the
    GIN indexes (`ensure_indexes`)."""
    columns = get_kind(model).database_search_columns
    visible = visible_queryset(model, gemeente, channel).order_by()
    matched = visible.annotate(document=search_vector(columns)).filter(document=query).values_list("pk", flat=True)
    contains = reduce(or_, (Q(**{f"{column}__icontains": prefix}) for column in [*columns, "audience_variants"] for prefix in stems))
    if channel == AGENT:  # the columns hold the live text; agents may see a scheduled change (scored on it)
        contains |= Q(pk__in=changed_for_agents(model, gemeente))
    near = [typo_match(column, word) for column in columns[:2] for word in typo_words]
    return set(matched) | set(visible.filter(reduce(or_, near, contains)).values_list("pk", flat=True))


def candidates(model, gemeente, words, stems, typo_words, channel=PUBLIC):
    """The best CANDIDATE_LIMIT matching entries, by the rank of their base
    text, as (pk, rank, similarity of each typo word)."""
    columns = get_kind(model).database_search_columns
    query = search_query(words, stems)
    similarities = {
        f"typo_{i}": Greatest(*(TrigramWordSimilarity(Value(word), column) for column in columns[:2]), Value(0.0))
        for i, word in enumerate(typo_words)
    }
    closeness = sum((F(name) for name in similarities), Value(0.0, output_field=FloatField()))
    return (
        model.objects.filter(pk__in=matching_pks(model, gemeente, query, stems, typo_words, channel))
        .annotate(rank=SearchRank(search_vector(columns), query), **similarities)
        .annotate(closeness=closeness)
        .order_by("-has_content", (F("rank") + F("closeness")).desc(), "pk")
        .values_list("pk", "rank", *similarities)[:CANDIDATE_LIMIT]
    )


def search_indexes(kind):
    """GIN indexes of a kind's table: its search columns' weighted Dutch
    text (the full-text match) and trigrams of its title and keywords (typos)."""
    columns = kind.database_search_columns
    table = kind.model._meta.db_table
    key = hashlib.sha1(repr(columns).encode()).hexdigest()[:8]  # new columns, new index
    return [
        GinIndex(search_vector(columns), name=f"{table}_fts_{key}"),
        *(GinIndex(fields=[column], opclasses=["gin_trgm_ops"], name=f"{table}_trgm_{column}") for column in columns[:2]),
    ]


def ensure_indexes(using="default"):
    """After `migrate`, on PostgreSQL: every kind's search indexes, for a
    kind added later too."""
    with connections[using].schema_editor() as editor:
        create_indexes(editor)


def create_indexes(editor):
    """The indexes that do not exist yet. Existing ones are not touched, not
    even by CREATE INDEX IF NOT EXISTS: PostgreSQL refuses that on a table
    with pending trigger events (a migrate inside a transaction that wrote)."""
    tables = set(editor.connection.introspection.table_names())
    with editor.connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        existing = {name for (name,) in cursor.fetchall()}
    for kind in kinds():
        if kind.model._meta.db_table in tables:  # in a migration, a kind's table may come later
            for index in search_indexes(kind):
                if index.name not in existing:
                    editor.execute(str(index.create_sql(kind.model, editor)))


def drop_indexes(editor):
    """Before pg_trgm goes (migrating zoeken back): its indexes depend on it."""
    for kind in kinds():
        for index in search_indexes(kind):
            editor.execute(f"DROP INDEX IF EXISTS {editor.quote_name(index.name)}")


def score(document, measures, stems, typo_words):
    """zoeken/database.py's score, plus the agent's text on the agent
    channel, the full-text rank of the base text and near spellings of
    query words that occur nowhere in the document."""
    rank, *similarities = measures
    fields = [*WEIGHTS, ("agent_text", AGENT_TEXT_WEIGHT)]
    texts = {field: fold(document.get(field, "")) for field, _ in fields}
    total = sum(weight * sum(1 for prefix in stems if prefix in texts[field]) for field, weight in fields)
    whole = " ".join(texts.values())
    for word, similarity in zip(typo_words, similarities):
        if similarity >= TYPO_THRESHOLD and stem(word) not in whole:
            total += TYPO_WEIGHT * similarity
    total += RANK_WEIGHT * rank  # a Dutch inflection counts too (geldigheid: geldig)
    if not total:
        return 0
    total += 0.5 if document.get("offered") else 0
    return total if document.get("has_content") else total * NO_CONTENT_FACTOR


def joined_pairs(phrase):
    """Two neighbouring words as one: a compound typed apart (huur toeslag)."""
    return [first + second for first, second in pairwise(phrase.split()) if len(first) > 2 and len(second) > 2]


def search(words, alternatives, gemeente, *, models, channel, audience=None, theme=None):
    """All matching documents, best first, as (score, document, snippet)."""
    phrases = [words, *alternatives]
    all_words = sorted({word for phrase in phrases for word in [*phrase.split(), *joined_pairs(phrase)] if len(word) > 2})
    stems = sorted({stem(word) for word in all_words})
    if not stems:
        return []
    typo_words = [word for word in dict.fromkeys(words.split()) if len(word) >= 5][:TYPO_WORDS]
    ranked = []
    for model in models:
        measures = {pk: rest for pk, *rest in candidates(model, gemeente, all_words, stems, typo_words, channel)}
        for resolved in resolve_many(model.objects.filter(pk__in=measures), gemeente, channel=channel, audience=audience):
            document = build_document(resolved)
            if theme and theme not in document["themes"]:
                continue
            points = score(document, measures[resolved.id], stems, typo_words)
            if points:
                ranked.append((points, document, snippet(document, stems)))
    ranked.sort(key=lambda item: (-item[0], item[1]["title"]))
    return ranked
