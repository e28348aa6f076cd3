""""Bedoelde u …?": a spelling suggestion for a query with few results,
per gemeente, for the websites and the API alike."""

import difflib
import re

from kennisbank.text import fold
from sharing.kinds import kinds
from sharing.resolution import visible_queryset

from .text import content_words

WORD = re.compile(r"[\w-]+")
THRESHOLD = 10  # offer a suggestion up to this many results


def spelling_suggestion(gemeente, query):
    """Each word of `query` that is not in this gemeente's titles and
    keywords, replaced by the closest such word; "" when nothing changes.
    Works without a search engine (the engine path has its own typo
    tolerance)."""
    words = WORD.findall(fold(query))[:6]
    if not any(len(word) > 3 for word in content_words(" ".join(words))):
        return ""  # stop words only ("wanneer waarom"): no reason to read the vocabulary
    vocabulary = words_of(gemeente)
    corrected = []
    for word in words:
        if len(word) <= 3 or word in vocabulary:
            corrected.append(word)
        else:
            corrected += difflib.get_close_matches(word, vocabulary, n=1, cutoff=0.75) or [word]
    suggestion = " ".join(corrected)
    return suggestion if suggestion != " ".join(words) else ""


def words_of(gemeente):
    """The words (over three letters) of the titles and keywords of every
    entry this gemeente can see: each kind's first two database search
    columns, its title and its keywords."""
    vocabulary = set()
    for kind in kinds():
        for row in visible_queryset(kind.model, gemeente).values_list(*kind.database_search_columns[:2]):
            text = " ".join(value or "" for value in row)
            vocabulary.update(word for word in WORD.findall(fold(text)) if len(word) > 3)
    return vocabulary
