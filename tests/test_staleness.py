"""Only a published change of the shared text flags a local override, and the
review screen shows which words changed (issue 10.2).

Drafts and autosaves go through Wagtail's real snippet edit form as the
regional curator; the review is the municipal curator's side-by-side view."""

import json
import re
from html import unescape

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from sharing.overrides import set_override
from sharing.text import differs, normalise, word_diff

from .admin_forms import post_edit_form, rich_text
from .factories import make_gemeente, make_product, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db

# As the demo content is written: line breaks between the blocks.
ORIGINAL = "<p>Maak een afspraak bij de balie.</p>\n<ul>\n  <li>Neem uw oude paspoort mee.</li>\n  <li>Neem een pasfoto mee.</li>\n</ul>"
CHANGED = "<p>Maak online een afspraak bij de balie.</p><ul><li>Neem uw oude paspoort mee.</li><li>Neem een pasfoto mee.</li></ul>"
LOCAL = "<p>Kom zonder afspraak naar het Stadskantoor.</p>"


@pytest.fixture
def region(client):
    roosendaal = make_gemeente("Roosendaal")
    product = make_product(slug="paspoort", procedure_nl=ORIGINAL)
    set_override(product, roosendaal, "procedure_nl", LOCAL, municipal_curator(roosendaal))
    client.force_login(regional_curator())
    return roosendaal, product


def override_of(product, gemeente, column="procedure_nl"):
    return product.overrides.get(gemeente=gemeente, field_name=column)


def publish(client, product, html):
    response = post_edit_form(client, product, {"procedure_nl": rich_text(html)}, action="action-publish")
    assert response.status_code == 302, response.content.decode()[:2000]
    product.refresh_from_db()
    assert not product.has_unpublished_changes


def test_autosave_while_the_regional_curator_types_does_not_flag(client, region):
    roosendaal, product = region
    response = post_edit_form(
        client, product, {"procedure_nl": rich_text(CHANGED)}, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 200 and json.loads(response.content)["success"], response.content[:500]
    product.refresh_from_db()
    assert product.has_unpublished_changes  # the autosave made a draft revision
    assert "online" in product.latest_revision.content["procedure_nl"]
    assert "online" not in product.procedure_nl  # the live text is untouched
    assert not override_of(product, roosendaal).base_changed


def test_saving_a_draft_with_a_real_change_does_not_flag(client, region):
    roosendaal, product = region
    response = post_edit_form(client, product, {"procedure_nl": rich_text(CHANGED)})
    assert response.status_code == 302
    product.refresh_from_db()
    assert product.has_unpublished_changes and "online" in product.latest_revision.content["procedure_nl"]
    assert not override_of(product, roosendaal).base_changed


@pytest.mark.parametrize("action", [None, "action-publish"])
def test_the_editors_round_trip_of_the_live_text_does_not_flag(client, region, action):
    """The form posted back as loaded: Draftail returns the live text with other
    whitespace and markup details; as a draft or published, it flags nothing."""
    roosendaal, product = region
    response = post_edit_form(client, product, {}, action=action)
    assert response.status_code == 302
    product.refresh_from_db()
    saved = product.procedure_nl if action else product.latest_revision.content["procedure_nl"]
    assert saved != ORIGINAL and not differs(saved, ORIGINAL)  # only the form of the text changed
    assert not override_of(product, roosendaal).base_changed


def test_publishing_a_real_change_flags_and_publishing_the_original_back_clears(client, region):
    roosendaal, product = region
    publish(client, product, CHANGED)
    assert "online" in product.procedure_nl
    assert override_of(product, roosendaal).base_changed

    publish(client, product, ORIGINAL)
    override = override_of(product, roosendaal)
    assert not override.base_changed
    assert override.value == LOCAL


def test_a_plain_save_of_the_live_row_flags_as_the_loader_does(region):
    roosendaal, product = region
    product.procedure_nl = CHANGED
    product.save()
    assert override_of(product, roosendaal).base_changed
    product.procedure_nl = ORIGINAL.replace("\n", "\n\n   ")
    product.save()
    assert not override_of(product, roosendaal).base_changed


def test_the_review_screen_shows_the_changed_words(client, region):
    roosendaal, product = region
    publish(client, product, CHANGED.replace("pasfoto", "pasfoto <b>&lt;script&gt;</b>"))
    client.force_login(municipal_curator(roosendaal))
    html = client.get(reverse("sharing:entry_editor", args=["product", product.pk, roosendaal.slug])).content.decode()
    diff = re.search(r'<p class="base-diff">(.*?)</p>', html, re.S).group(1)
    assert "<ins>online</ins>" in diff
    assert "<ins>&lt;script&gt;</ins>" in diff and "<script>" not in diff  # escaped
    assert "<del>" not in diff  # nothing was removed
    assert "Neem uw oude paspoort mee." in diff  # unchanged words are shown as they are


def test_word_diff_marks_removed_and_added_words_and_escapes():
    diff = word_diff("<p>Kosten: € 10 per keer.</p>", "<p>Kosten: € 12,50 per <b>keer.</b></p><p>&amp; &lt;script&gt;</p>")
    assert diff == "Kosten: € <del>10</del> <ins>12,50</ins> per keer. <ins><br> &amp; &lt;script&gt;</ins>"


# --- properties -----------------------------------------------------------------

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzéë€0123456789,.&<>", min_size=1, max_size=8)
sentence = st.lists(word, min_size=1, max_size=6).map(" ".join)
inline = st.sampled_from(["{}", "<strong>{}</strong>", "<b>{}</b>", "<em>{}</em>", "<i>{}</i>"])
space = st.sampled_from(["", " ", "\n", "\n  ", "\t", "\r\n"])


@st.composite
def blocks(draw):
    """Rich text as editors and imports write it: paragraphs and lists, with
    any whitespace between and around the blocks."""
    parts = []
    for kind in draw(st.lists(st.sampled_from(["p", "ul", "h2", "h3"]), min_size=1, max_size=4)):
        if kind == "ul":
            items = "".join(f"{draw(space)}<li>{draw(rich_sentence())}</li>" for _ in range(draw(st.integers(1, 3))))
            parts.append(f"<ul>{items}{draw(space)}</ul>")
        else:
            parts.append(f"<{kind}>{draw(space)}{draw(rich_sentence())}{draw(space)}</{kind}>")
    return [draw(space) + part for part in parts]


def escape(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def rich_sentence(draw):
    """A sentence, partly bold or italic as an editor or an import spells it."""
    first, *rest = draw(sentence).split(" ")
    return " ".join([draw(inline).format(escape(first)), *map(escape, rest)])


@hsettings(max_examples=150, deadline=None)
@given(blocks())
def test_whitespace_between_and_around_blocks_never_counts(parts):
    assert not differs("".join(parts), "".join(part.strip() for part in parts))
    assert normalise(normalise("".join(parts))) == normalise("".join(parts))


@hsettings(max_examples=60, deadline=None)
@given(blocks())
def test_the_rich_text_editors_round_trip_never_counts(parts):
    from wagtail.admin.rich_text import DraftailRichTextArea

    html = "".join(parts)
    widget = DraftailRichTextArea(features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"])
    back = widget.value_from_datadict({"text": widget.format_value(html)}, {}, "text")
    assert not differs(back, html), (html, back)


@hsettings(max_examples=150, deadline=None)
@given(sentence, sentence)
def test_a_changed_word_always_counts(before, after):
    assert differs(f"<p>{escape(before)}</p>", f"<p>{escape(after)}</p>") == (before.split() != after.split())


@hsettings(max_examples=150, deadline=None)
@given(blocks(), blocks())
def test_the_diff_holds_exactly_the_old_and_the_new_words(old, new):
    old, new = "".join(old), "".join(new)
    diff = str(word_diff(old, new))

    def words(html, without):
        html = re.sub(rf"<{without}>.*?</{without}>", " ", html, flags=re.S)
        return unescape(re.sub(r"<[^>]*>", " ", html)).split()

    assert words(diff, "ins") == unescape(re.sub(r"<[^>]*>", " ", old)).split()
    assert words(diff, "del") == unescape(re.sub(r"<[^>]*>", " ", new)).split()
    assert "<script" not in diff.lower()


VARIANTS = [
    ORIGINAL,
    ORIGINAL.replace("\n", ""),
    ORIGINAL.replace("\n", "\n\n  "),
    CHANGED,
    CHANGED.replace("</p>", "</p>\n"),
    "<p>Iets heel anders.</p>",
]


@hsettings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.sampled_from(VARIANTS), min_size=1, max_size=6))
def test_the_flag_always_says_whether_the_published_base_differs_from_the_overrides_base(published):
    roosendaal = make_gemeente()
    product = make_product(procedure_nl=ORIGINAL)
    set_override(product, roosendaal, "procedure_nl", LOCAL, municipal_curator(roosendaal))
    for text in published:
        product.procedure_nl = text
        product.save()
        assert override_of(product, roosendaal).base_changed == differs(ORIGINAL, text)
