"""Small text rules every app shares: folding for comparison and sorting,
control characters out, what counts as an http(s) address."""

import re
import unicodedata

CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# An absolute http(s) address without spaces, quotes or angle brackets
# (never javascript: or data:); HTTP_URL_PATTERN to build larger validators.
HTTP_URL_PATTERN = r"https?://[^\s\"'<>]+"
HTTP_URL = re.compile(rf"^{HTTP_URL_PATTERN}$")


def strip_control(text):
    """Control characters (NUL above all: PostgreSQL refuses it) removed."""
    return CONTROL.sub("", text or "")


def fold(text):
    """Lower case without diacritics: café → cafe, één → een."""
    decomposed = unicodedata.normalize("NFKD", (text or "").lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def is_http_url(value):
    return isinstance(value, str) and bool(HTTP_URL.match(value))


def safe_url(value):
    """The value when it is an http(s) address, else "": only those become
    links (an override or a feed field is free text)."""
    return value if is_http_url(value) else ""


# A cell starting with one of these is run as a formula by spreadsheets.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_cell(value):
    """A CSV cell as text that a spreadsheet shows and does not run as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
