"""Query text normalisation, shared by the engine and the database paths."""

import re

from kennisbank.text import fold, strip_control  # noqa: F401 (the query's rules)

MAX_QUERY_LENGTH = 200
MAX_QUERY_WORDS = 5  # as many as the longest question of the relevance set has worth searching
WORD = re.compile(r"[\w-]+", re.UNICODE)
ALPHANUMERIC = re.compile(r"[^\W_]")

# Words a Dutch question is made of but that say nothing about the subject.
STOPWORDS = frozenset(
    """de het een en of in op aan van voor met bij naar als dat die dit wat wie
    hoe waar wanneer waarom welke kan kun kunt mag moet moeten ik mijn me mij je
    jij u uw we wij is zijn ben bent wordt worden word heb hebt heeft hebben er
    om te ook nog niet geen wel dan toch al maar zo""".split()
)


# The answer to a query with nothing to search for (no engine or database
# request is made for it).
NO_WORDS = "De zoekvraag bevat geen letters of cijfers. Zoek op een onderwerp, bijvoorbeeld ‘paspoort’."
ONLY_COMMON_WORDS = (
    "De zoekvraag bevat alleen losse letters of veelgebruikte woorden zoals ‘de’, ‘het’ en ‘hoe’. "
    "Zoek op een onderwerp, bijvoorbeeld ‘paspoort’."
)


def normalise(text):
    """The query as we compare it: folded, words only (with a letter or
    digit: "---" is none), single spaces, capped."""
    words = (word for word in WORD.findall(fold(text or "")[: MAX_QUERY_LENGTH * 2]) if ALPHANUMERIC.search(word))
    return " ".join(words)[:MAX_QUERY_LENGTH].strip()


def content_words(text):
    """The words a query is searched by: no stop words or single letters,
    each once, at most MAX_QUERY_WORDS (a pasted text costs no more than a
    long question)."""
    words = [word for word in normalise(text).split() if word not in STOPWORDS and len(word) > 1]
    return list(dict.fromkeys(words))[:MAX_QUERY_WORDS]
