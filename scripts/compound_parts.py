"""Derive zoeken/data/compound-parts-nl.txt: the parts of the Dutch compound
words in our own vocabulary, for the engine's dictionary_decompounder.

    apt-get install wdutch   # /usr/share/dict/dutch, the Debian Dutch word list
    python scripts/compound_parts.py > zoeken/data/compound-parts-nl.txt

Vocabulary: the municipal UPL names (fixtures/data/upl/) and the titles,
questions and keywords of our content (fixtures/content/). A word is a
compound when it splits into two or more words of the Debian list (of at
least MIN_PART letters), with an optional linking -s- or -en- between them
(identiteit-s-kaart, hond-en-belasting). Listed: those parts, and the other
words of the vocabulary that are in the Debian list (from MIN_WORD letters),
which users join into compounds of their own ("textielinzameling" for
Afvalinzameling textiel). A list of the words that really occur, not the
whole dictionary, keeps the decompounder from finding unrelated words inside
every long word. Run again after new content.
"""

import csv
import json
import re
import sys
import unicodedata
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DICTIONARY = Path("/usr/share/dict/dutch")
MIN_PART = 4
MIN_WORD = 6  # a word of our vocabulary this long is listed too: a part of the compounds users write
MIN_NAME_WORD = 4  # a word of a UPL name from this length: names are nouns ("Afvalinzameling glas": "glasinzameling")
LINKS = ("", "s", "en", "e")
# Endings that make a word of another kind, not a compound: aansprakelijk is no "aansprak" + "lijk".
SUFFIXES = {"baar", "bare", "lijk", "lijke", "heid", "heden", "loos", "loze", "schap", "achtig", "isch", "ische", "ling", "lingen", "ster", "tje", "tjes"}
# Prepositions, prefixes and word fragments that the splitting finds but that
# the decompounder would find inside countless unrelated words ("ende" in
# every "-ende", "last" in belasting): never a part, so a word that only
# splits into them is listed whole (overlast, echtscheiding).
NOT_PARTS = set(
    """achter alge baat band bare buiten docu door echt eken ende enden eren erop even gaaf gave gemeen geven
    groenst herin houd houden inter kent king komen komst lander lands last leve lijden lopen maal maat maxi
    meen mede ment mini naar neder nemer nering oenen onder over rest ring schappelijke schei schel stel
    stoept talig tegen terug tuig tuigen vang vent voor wijs wijze ziens zinnige
    andere anders hebben kunnen moeten worden wanneer zonder tussen niet zijn""".split()
)
WORD = re.compile(r"[^\W\d_]+")


def fold(text):
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


def upl_names():
    with open(ROOT / "fixtures/data/upl/UPL-actueel.csv", encoding="utf-8") as upl:
        return [row["UniformeProductnaam"] for row in csv.DictReader(upl) if row["Gemeente"] == "X"]


def name_words():
    """The words of the UPL names, short ones too."""
    return {word for name in upl_names() for word in WORD.findall(fold(name)) if len(word) >= MIN_NAME_WORD}


def vocabulary():
    texts = upl_names()
    content = ROOT / "fixtures/content"
    for record in json.loads((content / "products.json").read_text(encoding="utf-8")):
        texts += [record.get("title", ""), record.get("summary", ""), " ".join(record.get("keywords", []) or [])]
    for record in json.loads((content / "vacs.json").read_text(encoding="utf-8")):
        texts += [record.get("question", ""), " ".join(record.get("keywords", []) or [])]
    for gemeente in json.loads((content / "local.json").read_text(encoding="utf-8")).values():
        for record in gemeente.get("products", []) + gemeente.get("vacs", []):
            texts += [record.get("title", ""), record.get("question", ""), " ".join(record.get("keywords", []) or [])]
    return {word for text in texts for word in WORD.findall(fold(text)) if len(word) >= MIN_WORD}


def dictionary():
    return {fold(w) for w in DICTIONARY.read_text(encoding="utf-8").split() if w.islower() and len(w) >= MIN_PART}


def splitter(words):
    @lru_cache(maxsize=None)
    def split(word):
        """The parts of `word` (itself when it is a word), or None."""
        best = None
        for end in range(len(word) - MIN_PART, MIN_PART - 1, -1):  # longest head first
            head = word[:end]
            if head not in words or head in NOT_PARTS or word[end:] in SUFFIXES:
                continue
            for link in LINKS:
                rest = word[end + len(link):]
                if word[end:].startswith(link) and len(rest) >= MIN_PART and rest not in SUFFIXES and rest not in NOT_PARTS:
                    tail = split(rest)
                    if tail and (best is None or len(tail) + 1 < len(best)):
                        best = (head, *tail)
        if best is None and word in words and word not in NOT_PARTS:
            return (word,)
        return best

    return split


def main():
    words = dictionary()
    split = splitter(frozenset(words))
    parts = set()
    for word in vocabulary() | name_words():
        found = split(word)
        if found:
            parts.update(part for part in found if len(found) > 1 or len(part) >= MIN_WORD or word in name_words())
    sys.stdout.write(__doc__.strip().replace("\n", "\n# ").join(["# ", "\n"]))
    sys.stdout.write("\n".join(sorted(parts)) + "\n")


if __name__ == "__main__":
    main()
