"""Query text normalisation, shared by the engine and the database paths."""

import re

from kennisbank.text import fold, strip_control  # noqa: F401 (the query's rules)

MAX_QUERY_LENGTH = 200
WORD = re.compile(r"[\w-]+", re.UNICODE)

# Words a Dutch question is made of but that say nothing about the subject.
STOPWORDS = frozenset(
    """de het een en of in op aan van voor met bij naar als dat die dit wat wie
    hoe waar wanneer waarom welke kan kun kunt mag moet moeten ik mijn me mij je
    jij u uw we wij is zijn ben bent wordt worden word heb hebt heeft hebben er
    om te ook nog niet geen wel dan toch al maar zo""".split()
)


def normalise(text):
    """The query as we compare it: folded, words only, single spaces, capped."""
    return " ".join(WORD.findall(fold(text or "")[: MAX_QUERY_LENGTH * 2]))[:MAX_QUERY_LENGTH].strip()


def content_words(text):
    return [word for word in normalise(text).split() if word not in STOPWORDS and len(word) > 1]
