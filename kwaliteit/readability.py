"""Dutch readability of a text: the Flesch-Douma score, long sentences,
long words and the municipal variables used (docs/kwaliteit.md).

Flesch-Douma = 206.835 − 0.93 × words per sentence − 77 × syllables per word.
Syllables are counted as vowel groups (aa, ee, oe, ui, ij, eu, ou, ie, eeu,
ooi … each count once; a diaeresis starts a new one: ide-eën), which is
right for most Dutch words and a little low for words like be-oor-de-len.
The score is a signal for the editor, not a proof of B1."""

import re
from dataclasses import dataclass, field
from html import unescape

from sharing.variables import VARIABLE_PATTERN

# Douma's scale: 60–70 is "normaal", below 60 "redelijk moeilijk". Text for
# every citizen (language level B1) should not be harder than "normaal".
B1_TARGET = 60
LONG_SENTENCE_WORDS = 20  # more words than this is a long sentence
LONG_WORD_SYLLABLES = 4  # more syllables than this is a long word

VOWELS = "aeiouyáàâäéèêëíìîïóòôöúùûü"
DIAERESIS = "äëïöü"  # a vowel that starts a syllable of its own
WORD = re.compile(rf"[a-z{VOWELS}]+(?:['’-][a-z{VOWELS}]+)*", re.IGNORECASE)
BLOCK_END = re.compile(r"<\s*(?:br|hr)\b[^>]*>|</\s*(?:p|li|h[1-6]|div|td|th|tr|dt|dd|blockquote)\s*>", re.IGNORECASE)
TAG = re.compile(r"<[^>]+>")
# Abbreviations whose full stop ends no sentence (written without it first).
ABBREVIATIONS = re.compile(
    r"\b(bijv|bv|o\.a|d\.w\.z|enz|etc|ca|nr|incl|excl|zgn|m\.b\.t|i\.p\.v|a\.u\.b|t\.a\.v|e\.d|evt|resp|max|min)\.",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

LEVELS = (  # Douma's bands, lowest score first
    (30, "zeer moeilijk"),
    (45, "moeilijk"),
    (60, "redelijk moeilijk"),
    (70, "normaal"),
    (80, "redelijk makkelijk"),
    (90, "makkelijk"),
)


def syllables(word):
    """Vowel groups in a word; every word has at least one syllable."""
    count, previous_vowel = 0, False
    word = word.lower()
    for index, char in enumerate(word):
        vowel = char in VOWELS or (char == "j" and index and word[index - 1] == "i")  # ij
        if vowel and (not previous_vowel or char in DIAERESIS):
            count += 1
        previous_vowel = vowel
    return max(count, 1)


def plain_text(html):
    """The text of rich text, one block (paragraph, list item, heading) per
    line, variables left out (their value is not known here)."""
    text = BLOCK_END.sub("\n", html or "")
    text = unescape(TAG.sub(" ", text))
    return VARIABLE_PATTERN.sub("", text)


def sentences(text):
    """The sentences of plain text: split at . ! ? and at line ends."""
    text = ABBREVIATIONS.sub(lambda match: match.group(1), text)
    return [part.strip() for part in SENTENCE_END.split(text) if WORD.search(part)]


def words(sentence):
    return WORD.findall(sentence)


def is_long_word(word):
    return syllables(word) > LONG_WORD_SYLLABLES


def level(score):
    for upper, label in LEVELS:
        if score < upper:
            return label
    return "zeer makkelijk"


@dataclass
class LongSentence:
    text: str
    words: int


@dataclass
class Readability:
    sentences: int = 0
    words: int = 0
    syllables: int = 0
    long_sentences: list = field(default_factory=list)  # LongSentence
    long_words: list = field(default_factory=list)  # distinct, in order of appearance
    variables: list = field(default_factory=list)  # distinct keys, in order of appearance

    @property
    def score(self):
        """Flesch-Douma; None without words."""
        if not self.words:
            return None
        return 206.835 - 0.93 * (self.words / self.sentences) - 77 * (self.syllables / self.words)

    @property
    def level(self):
        return "" if self.score is None else level(self.score)

    @property
    def meets_target(self):
        return self.score is not None and self.score >= B1_TARGET

    def add(self, other):
        self.sentences += other.sentences
        self.words += other.words
        self.syllables += other.syllables
        self.long_sentences += other.long_sentences
        self.long_words += [w for w in other.long_words if w not in self.long_words]
        self.variables += [v for v in other.variables if v not in self.variables]
        return self


def analyse(html):
    """The readability of one text (rich text or plain)."""
    result = Readability()
    for key in VARIABLE_PATTERN.findall(html or ""):
        if key not in result.variables:
            result.variables.append(key)
    for sentence in sentences(plain_text(html)):
        found = words(sentence)
        result.sentences += 1
        result.words += len(found)
        result.syllables += sum(syllables(word) for word in found)
        if len(found) > LONG_SENTENCE_WORDS:
            result.long_sentences.append(LongSentence(sentence, len(found)))
        for word in found:
            if is_long_word(word) and word not in result.long_words:
                result.long_words.append(word)
    return result
