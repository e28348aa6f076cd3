import html

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kennisbank.sanitise import is_safe_html, markdown_to_html, sanitise_html
from tests.xss_vectors import XSS_VECTORS

BOUNDED = settings(max_examples=200, deadline=None)


def test_there_are_enough_distinct_vectors():
    assert len(set(XSS_VECTORS)) == len(XSS_VECTORS) >= 40


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_vector_is_safe_after_sanitise_html(vector):
    assert is_safe_html(sanitise_html(vector))


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_vector_is_safe_after_markdown_to_html(vector):
    assert is_safe_html(markdown_to_html(vector))


@pytest.mark.parametrize(
    "unsafe",
    [
        "<script>alert(1)</script>",
        "<SCRIPT>alert(1)</SCRIPT>",
        '<p onclick="x()">a</p>',
        '<a href="jav&#x09;ascript:alert(1)">x</a>',
        '<a href="DATA:text/html,x">x</a>',
        "<a href='vbscript:x'>x</a>",
        "<iframe></iframe>",
        "<svg></svg>",
        '<p style="color:red">a</p>',
        "<form></form>",
        '<base href="https://evil.example/">',
        '<meta http-equiv="refresh">',
        '<link rel="stylesheet">',
        "<!-- comment -->",
    ],
)
def test_safety_check_recognises_unsafe_html(unsafe):
    assert not is_safe_html(unsafe)


def test_script_and_style_content_is_removed_not_left_as_text():
    cleaned = sanitise_html("<p>voor<script>alert(1)</script><style>p{}</style>na</p>")
    assert cleaned == "<p>voorna</p>"


def test_event_handlers_and_style_are_removed_but_content_stays():
    assert sanitise_html('<p onclick="x()" style="color:red">€ 10</p>') == "<p>€ 10</p>"


def test_disallowed_tags_are_stripped_and_their_text_kept():
    assert sanitise_html("<span>hallo <u>wereld</u></span>") == "hallo wereld"


BENIGN_HTML = [
    "<h2>Paspoort aanvragen</h2><h3>Wat neemt u mee?</h3><h4>Kosten</h4>",
    "<p>U betaalt <strong>€ 84,70</strong> of <b>minder</b>, <em>soms</em> <i>niets</i>.</p>",
    "<ul><li>pasfoto</li><li>oude paspoort</li></ul><ol><li>eerst</li><li>dan</li></ol>",
    '<p><a href="https://www.roosendaal.nl/paspoort" title="Paspoort">aanvragen</a></p>',
    '<p><a href="mailto:info@roosendaal.nl">mail</a> of <a href="tel:+31140165">bel 14 0165</a></p>',
    '<p>Zie <a linktype="page" id="3">de pagina</a> en <a linktype="document" id="12">het formulier</a>.</p>',
    '<p><a href="/producten/paspoort/">relatief</a> en <a href="#kosten">anker</a></p>',
    "<blockquote><p>Citaat</p></blockquote><pre><code>code &amp; meer</code></pre><hr>",
    '<p><abbr title="Basisregistratie Personen">BRP</abbr><br>volgende regel</p>',
    (
        '<table><thead><tr><th scope="col">Product</th><th scope="col">Kosten</th></tr></thead>'
        '<tbody><tr><td colspan="2" rowspan="1">Paspoort</td></tr></tbody></table>'
    ),
]


@pytest.mark.parametrize("benign", BENIGN_HTML)
def test_benign_html_survives_unchanged(benign):
    assert sanitise_html(benign) == benign


def test_only_numeric_ids_of_wagtail_links_are_kept():
    cleaned = sanitise_html('<a id="body">x</a><a linktype="page" id="3">y</a><a linktype="p-x">z</a>')
    assert cleaned == '<a>x</a><a linktype="page" id="3">y</a><a>z</a>'


def test_markdown_renders_the_allowed_structure():
    text = (
        "## Aanvragen\n\nU neemt mee:\n\n- een **pasfoto**\n- uw *oude* paspoort\n\n"
        "1. eerst\n2. dan\n\n"
        "[Afspraak maken](https://www.roosendaal.nl/afspraak) of [mail](mailto:info@roosendaal.nl)\n\n"
        "| Product | Kosten |\n|---|---|\n| Paspoort | € 84,70 |\n\n"
        "> Let op\n\n`code`\n"
    )
    rendered = markdown_to_html(text)
    for fragment in [
        "<h2>Aanvragen</h2>",
        "<li>een <strong>pasfoto</strong></li>",
        "<li>uw <em>oude</em> paspoort</li>",
        "<ol>",
        '<a href="https://www.roosendaal.nl/afspraak">Afspraak maken</a>',
        '<a href="mailto:info@roosendaal.nl">mail</a>',
        "<th>Kosten</th>",
        "<td>€ 84,70</td>",
        "<blockquote>",
        "<code>code</code>",
    ]:
        assert fragment in rendered
    assert is_safe_html(rendered)


def test_markdown_javascript_link_keeps_its_text_but_not_its_url():
    rendered = markdown_to_html("[klik](javascript:alert(1))")
    assert rendered == "<p><a>klik</a></p>"


def test_raw_html_in_markdown_is_sanitised():
    rendered = markdown_to_html('Tekst <b onclick="x()">vet</b><script>alert(1)</script>')
    assert rendered == "<p>Tekst <b>vet</b></p>"


def test_empty_input_gives_empty_output():
    assert sanitise_html("") == markdown_to_html("") == ""


# Arbitrary text built from markup fragments and the characters that matter
# to parsers, so hypothesis explores broken and nested markup.
MARKUP_FRAGMENTS = [
    "<", ">", "</", "/>", '"', "'", "=", "/", ":", "&", ";", "#", "`", " ", "\t", "\n", "\x00", "\x0b",
    "<a", "<a href=", "</a>", "<p>", "</p>", "<script>", "</script>", "<SCRIPT", "<svg", "<math",
    "<style>", "<iframe", "<img", "<table>", "<td", "<tr>", "<li>", "<ul>", "<!--", "-->", "<![CDATA[",
    "]]>", "<template>", "<noscript>", "<a linktype=page id=3>", "<abbr title=", "<form", "<base",
    "javascript", "JaVaScRiPt", "java\tscript", "jav&#x09;ascript", "data", "vbscript", "&#106;",
    "&#x6A;", "&colon;", "&lt;", "&gt;", "&amp;", "&quot;", "&", "onerror", "onload", " on", "style",
    "expression(", "alert(1)", "href", "src", "https://x.nl", "mailto:a@b.nl", "tel:14", "srcdoc",
    "[x](", ")", "![", "](", "*", "_", "`", "\n\n", "    ", "- ", "1. ", "# ", "## ", "|", "---",
    "\r", "\x0c", "\u2028", '<a href="', "&#", "&#x0", "<br/>", "<h2", "<pre>", "<code>", "<blockquote>",
]  # fmt: skip
markup_soup = st.lists(
    st.sampled_from(MARKUP_FRAGMENTS) | st.text(alphabet="<>\"'=/:&;abc xé€", max_size=3),
    max_size=40,
).map("".join)


@BOUNDED
@given(markup_soup)
def test_sanitise_html_is_idempotent(text):
    once = sanitise_html(text)
    assert sanitise_html(once) == once


@BOUNDED
@given(markup_soup)
def test_sanitise_html_output_is_always_safe(text):
    assert is_safe_html(sanitise_html(text))


@BOUNDED
@given(markup_soup)
def test_markdown_to_html_output_is_always_safe_and_stable(text):
    rendered = markdown_to_html(text)
    assert is_safe_html(rendered)
    assert sanitise_html(rendered) == rendered


plain_text = st.text(
    alphabet=st.characters(
        exclude_categories=("Cc", "Cs", "Co", "Cn"), exclude_characters="<&", include_characters="\n\t"
    ),
    max_size=80,
)


@BOUNDED
@given(plain_text)
def test_text_without_markup_is_preserved(text):
    assert html.unescape(sanitise_html(text)) == text
