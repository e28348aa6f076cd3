"""Dutch compound words: the parts of our vocabulary's compounds
(zoeken/data/compound-parts-nl.txt, made by scripts/compound_parts.py).

The index splits compounds with the engine's dictionary_decompounder and
this list (zoeken/mappings.py). A query's compounds are split here, with the
same list, into the words they are made of: the engine's decompounder puts
every part at the word's own position, so a query for "grofvuilkosten"
would match any one of grof, vuil and kosten; "grof vuil kosten" asks for
all three."""

from functools import lru_cache
from pathlib import Path

PARTS_FILE = Path(__file__).parent / "data" / "compound-parts-nl.txt"
MIN_PART = 4
LINKS = ("", "s", "en", "e")  # identiteit-s-kaart, hond-en-belasting


@lru_cache(maxsize=1)
def compound_parts():
    lines = PARTS_FILE.read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=4096)
def split(word):
    """The parts of `word` when it is made of listed parts only (with
    linking letters between them), longest first part first; else (). A
    listed word stays whole ("huisnummer"), as the index's decompounder
    keeps only the longest parts."""
    parts = frozenset(compound_parts())
    if word in parts:
        return ()
    for end in range(len(word) - MIN_PART, MIN_PART - 1, -1):
        head = word[:end]
        if head not in parts:
            continue
        for link in LINKS:
            rest = word[end + len(link) :]
            if word[end:].startswith(link) and len(rest) >= MIN_PART:
                tail = (rest,) if rest in parts else split(rest)
                if tail:
                    return (head, *tail)
    return ()


def split_words(words):
    """The query's words with every compound replaced by its parts."""
    return " ".join(" ".join(split(word) or (word,)) for word in words.split())
