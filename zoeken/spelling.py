""""Bedoelde u …?": a spelling suggestion for a query with few results,
per gemeente and per channel, for the websites, the API and the widget.

From the engine's phrase suggester over the titles (the `suggest` field),
its corrections checked against this gemeente's documents (`collate`), in
the channel's own index: the public index holds no agent-only entry, so no
word of one is ever suggested publicly. When the engine is down or not
configured: the closest words of the titles and keywords this gemeente
publishes on the channel (the database)."""

import difflib
import logging
import re

from kennisbank.text import fold
from sharing.kinds import kinds
from sharing.resolution import PUBLIC, published_queryset

from .engine import engine_kind, get_client
from .indexing import alias
from .text import content_words

logger = logging.getLogger(__name__)
WORD = re.compile(r"[\w-]+")
THRESHOLD = 10  # offer a suggestion up to this many results
MAX_WORDS = 6
SPELLING = "spelling"


def spelling_suggestion(gemeente, query, channel=PUBLIC):
    """`query` with its unknown words replaced by close known words of this
    gemeente on this channel; "" when nothing changes."""
    words = WORD.findall(fold(query))[:MAX_WORDS]
    if not any(len(word) > 3 for word in content_words(" ".join(words))):
        return ""  # stop words only ("wanneer waarom"): nothing worth correcting
    text = " ".join(words)
    suggestion = engine_suggestion(gemeente, text, channel)
    if suggestion is None:
        suggestion = database_suggestion(gemeente, words, channel)
    return suggestion if suggestion and suggestion != text else ""


def phrase_suggester(text, gemeente_slug):
    """The phrase suggester body: corrections of words of four letters or
    more, kept only when this gemeente has a title with all their words."""
    collate = {"bool": {"filter": [{"term": {"gemeente": "{{gemeente}}"}}, {"match": {"suggest": {"query": "{{suggestion}}", "operator": "and"}}}]}}
    return {
        "size": 0,
        "query": {"term": {"gemeente": gemeente_slug}},
        "suggest": {
            SPELLING: {
                "text": text,
                "phrase": {
                    "field": "suggest",
                    "size": 1,
                    "max_errors": MAX_WORDS,
                    "direct_generator": [{"field": "suggest", "suggest_mode": "always", "min_word_length": 4, "prefix_length": 1}],
                    "collate": {"query": {"source": collate}, "params": {"gemeente": gemeente_slug}, "prune": False},
                },
            }
        },
    }


def engine_suggestion(gemeente, text, channel):
    """The engine's correction ("" for none); None when the engine cannot answer."""
    from .service import breaker  # the search's own breaker: one view of the engine's health

    if engine_kind() == "none" or breaker.open:
        return None
    try:
        response = get_client().search(index=alias(channel), body=phrase_suggester(text, gemeente.slug))
    except Exception as exc:
        breaker.failure()
        logger.warning("spelling suggestion failed, answering from the database: %r", exc)
        return None
    breaker.success()
    for entry in response.get("suggest", {}).get(SPELLING, []):
        for option in entry.get("options", []):
            return option["text"]
    return ""


def database_suggestion(gemeente, words, channel):
    vocabulary = words_of(gemeente, channel)
    corrected = []
    for word in words:
        if len(word) <= 3 or word in vocabulary:
            corrected.append(word)
        else:
            corrected += difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75) or [word]
    return " ".join(corrected)


def words_of(gemeente, channel=PUBLIC):
    """The words (over three letters) of the titles and keywords of every
    entry this gemeente publishes on the channel: each kind's first two
    database search columns, its title and its keywords."""
    vocabulary = set()
    for kind in kinds():
        for row in published_queryset(kind.model, gemeente, channel).values_list(*kind.database_search_columns[:2]):
            text = " ".join(value or "" for value in row)
            vocabulary.update(word for word in WORD.findall(fold(text)) if len(word) > 3)
    return vocabulary
