"""Rich text that is stored is sanitised first: nothing executable ever reaches
the database, whichever channel later renders it.

Everything editors, experts or imports write goes through ``sanitise_html``
(or ``markdown_to_html``, which renders Markdown and then sanitises it).
``is_safe_html`` is an independent check, with a different parser, that tests
and audits use to confirm that a stored value is harmless.
"""

import re
import threading
import warnings
from html import unescape

import bleach
import markdown
from bleach.html5lib_shim import Filter
from bs4 import BeautifulSoup, Comment, MarkupResemblesLocatorWarning
from django.utils.html import strip_tags

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "ul", "ol", "li",
        "a", "blockquote", "code", "pre", "hr",
        "table", "thead", "tbody", "tr", "th", "td", "abbr",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto", "tel"})
TABLE_CELL_ATTRIBUTES = frozenset({"colspan", "rowspan", "scope"})

# Elements whose content is code, hidden or foreign markup: they go with
# everything inside them, instead of leaving their text behind.
DROPPED_WITH_CONTENT = frozenset(
    {
        "script", "style", "iframe", "frame", "frameset", "object", "applet", "embed",
        "template", "noscript", "noembed", "noframes", "svg", "math", "title",
    }
)  # fmt: skip

# The rich text editor stores blocks with nothing between them
# (<p>…politie.</p><p>Neem…</p>, <li>een</li><li>twee</li>): where a block
# ends, a word ends, or the last and first words of two blocks become one.
BLOCK_END = re.compile(r"</(?:p|li|h[1-6]|div|blockquote|pre|td|th|dt|dd)\s*>|<(?:br|hr)\b[^>]*>", re.IGNORECASE)
WAGTAIL_LINKTYPE = re.compile(r"[a-z_]+")
DIGITS = re.compile(r"[0-9]+")


def allowed_attribute(tag, name, value):
    if tag == "a":
        if name in ("href", "title"):
            return True
        # Wagtail's internal links: <a linktype="page" id="3">. An id is only
        # kept when it is such a numeric reference, so content cannot plant
        # arbitrary ids in the page (DOM clobbering).
        if name == "linktype":
            return WAGTAIL_LINKTYPE.fullmatch(value) is not None
        if name == "id":
            return DIGITS.fullmatch(value) is not None
        return False
    if tag == "abbr":
        return name == "title"
    if tag in ("th", "td"):
        return name in TABLE_CELL_ATTRIBUTES
    return False


class DropElementsWithContent(Filter):
    """Removes the DROPPED_WITH_CONTENT elements and all tokens inside them.

    The token stream comes from a tree walker, so start and end tags are
    balanced and counting depth is enough to find where an element ends."""

    def __iter__(self):
        depth = 0
        for token in super().__iter__():
            kind = token["type"]
            if depth:
                if kind == "StartTag":
                    depth += 1
                elif kind == "EndTag":
                    depth -= 1
                continue
            if token.get("name") in DROPPED_WITH_CONTENT:
                if kind == "StartTag":
                    depth = 1
                continue
            yield token


def new_cleaner():
    # The dropped elements must be "allowed" for bleach's parser, or it would
    # turn their tags into text before our filter could see where they end.
    cleaner = bleach.Cleaner(
        tags=ALLOWED_TAGS | DROPPED_WITH_CONTENT,
        attributes=allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[DropElementsWithContent],
    )
    # Always quote attributes with ". With single quotes bleach escapes the
    # & of an entity in the value again on every pass (&lt; -> &amp;lt;),
    # which would make cleaning not idempotent.
    cleaner.serializer.use_best_quote_char = False
    return cleaner


_local = threading.local()  # a bleach Cleaner is not thread-safe


def cleaner():
    if not hasattr(_local, "cleaner"):
        _local.cleaner = new_cleaner()
    return _local.cleaner


MAX_PASSES = 5


def sanitise_html(html_text: str) -> str:
    """Clean HTML against the allow-list; idempotent.

    One bleach pass is not always stable: misnested markup (say a list item
    inside a table) is restructured again when the output is parsed again.
    Cleaning until the result no longer changes makes the stored value a
    fixed point, so saving it twice never alters it."""
    cleaned = html_text or ""
    for _ in range(MAX_PASSES):
        again = cleaner().clean(cleaned)
        if again == cleaned:
            return cleaned
        cleaned = again
    return text_only(cleaned)


def text_only(html_text: str) -> str:
    """Last resort for markup that never settles: keep the text, escaped."""
    return bleach.clean(html_text, tags=set(), strip=True)


def render_markdown(text: str) -> str:
    return markdown.markdown(text, extensions=["extra", "sane_lists"], output_format="html")


def markdown_to_html(text: str) -> str:
    """Render Markdown (raw HTML in it included) to sanitised HTML."""
    if not text:
        return ""
    return sanitise_html(render_markdown(text))


FORBIDDEN_TAGS = frozenset(
    {
        "script", "iframe", "frame", "frameset", "object", "applet", "embed", "svg", "math",
        "style", "form", "base", "meta", "link", "template", "noscript",
    }
)  # fmt: skip
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "xlink:href", "data", "background", "poster", "srcdoc", "lowsrc"}
)
FORBIDDEN_TAG_TEXT = re.compile(r"<\s*/?\s*(?:%s)\b" % "|".join(sorted(FORBIDDEN_TAGS)), re.IGNORECASE)
DANGEROUS_SCHEME = re.compile(r"(?:javascript|vbscript|data|livescript):", re.IGNORECASE)
IGNORED_IN_URLS = re.compile(r"[\x00-\x20\x7f-\xa0`\s]+")


def is_dangerous_url(value: str) -> bool:
    """value is an attribute value as a parser delivers it: entities decoded."""
    normalised = IGNORED_IN_URLS.sub("", value)
    return DANGEROUS_SCHEME.match(normalised) is not None


def is_safe_html(html_text: str) -> bool:
    """True when nothing executable or page-altering survives in html_text.

    Checked on the raw text (no forbidden tag, in any spelling) and on the
    parsed tree (no such element, no event handler or style attribute, no
    javascript:/data:/vbscript: URL, no comment)."""
    if FORBIDDEN_TAG_TEXT.search(html_text):
        return False
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        soup = BeautifulSoup(html_text, "html.parser")
    if soup.find(string=lambda text: isinstance(text, Comment)):
        return False
    for element in soup.find_all(True):
        if element.name.lower() in FORBIDDEN_TAGS:
            return False
        for name, value in element.attrs.items():
            name = name.lower()
            value = " ".join(value) if isinstance(value, list) else value
            if name.startswith("on") or name == "style":
                return False
            if name in URL_ATTRIBUTES and is_dangerous_url(value):
                return False
    return True


def html_to_text(html):
    """Stored rich text as one line of plain text, words kept apart where
    blocks meet (search documents, feeds)."""
    return " ".join(unescape(strip_tags(BLOCK_END.sub(" ", html or ""))).split())
