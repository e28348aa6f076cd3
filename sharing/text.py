"""Comparing base texts: when two versions say the same thing, and which
words changed between them."""

import re
from difflib import SequenceMatcher
from html import unescape

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from kennisbank.sanitise import sanitise_html

BLOCK_TAGS = "p|h2|h3|h4|ul|ol|li|blockquote|pre|hr|br|table|thead|tbody|tr|th|td"
BLOCK_TAG = re.compile(rf"</?(?:{BLOCK_TAGS})\b[^>]*>", re.IGNORECASE)
AROUND_BLOCK_TAG = re.compile(rf"\s*({BLOCK_TAG.pattern})\s*", re.IGNORECASE)
ANY_TAG = re.compile(r"<[^>]*>")
WHITESPACE = re.compile(r"(?:\s|&nbsp;|&#160;)+")
# The rich-text editor writes <b>/<i> for <strong>/<em> and cannot hold two
# lists in a row: it joins them.
EDITOR_SPELLING = [
    (re.compile(r"<(/?)strong>", re.IGNORECASE), r"<\1b>"),
    (re.compile(r"<(/?)em>", re.IGNORECASE), r"<\1i>"),
    (re.compile(r"</(ul|ol)><\1>", re.IGNORECASE), ""),
]
TOKEN = re.compile(r"\n|[^\s]+")


def normalise(value):
    """The form of a base value that decides whether it changed.

    Text is compared in its sanitised form with whitespace collapsed and
    removed around block tags, where it never shows, and in the rich-text
    editor's spelling: the editor's round trip (data-block-key attributes,
    line breaks between paragraphs, <b> for <strong>) then compares equal to
    the text it started from. Other values (choices, yes/no) are compared as
    they are."""
    if value is None:
        return ""
    if not isinstance(value, str):
        return value
    text = AROUND_BLOCK_TAG.sub(r"\1", WHITESPACE.sub(" ", sanitise_html(value))).strip()
    for pattern, replacement in EDITOR_SPELLING:
        text = pattern.sub(replacement, text)
    return text


def differs(old, new):
    return normalise(old) != normalise(new)


def _words(value):
    """Words and line breaks (one per block) of a text or HTML value."""
    text = "" if value is None else str(value)
    text = unescape(ANY_TAG.sub(" ", BLOCK_TAG.sub("\n", text)))
    tokens = []
    for token in TOKEN.findall(text):
        if token != "\n" or (tokens and tokens[-1] != "\n"):
            tokens.append(token)
    while tokens and tokens[-1] == "\n":
        tokens.pop()
    return tokens


def _join(tokens):
    return mark_safe(" ".join("<br>" if token == "\n" else escape(token) for token in tokens))


def word_diff(old, new):
    """old → new word by word: removed words in <del>, added words in <ins>,
    everything else escaped."""
    before, after = _words(old), _words(new)
    parts = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, before, after, autojunk=False).get_opcodes():
        if op == "equal":
            parts.append(_join(before[i1:i2]))
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", _join(before[i1:i2])))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", _join(after[j1:j2])))
    return mark_safe(" ".join(parts))
