"""The simple database search's text handling (zoeken/database.py, the
demo's SQLite path): snippets show whole words, cut at word boundaries with
an ellipsis where the text goes on; of two titles naming the query, the one
more about it ranks first."""

from hypothesis import given
from hypothesis import strategies as st

from zoeken.database import score, whole_words

WORDS = st.lists(st.text(alphabet="abcdeéfgh", min_size=1, max_size=12), min_size=1, max_size=40)


@given(WORDS, st.data())
def test_a_snippet_is_whole_words_of_the_text_in_order(words, data):
    text = " ".join(words)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    piece = whole_words(text, start, end)
    assert piece.startswith("…") == (start > 0)
    assert piece.endswith(" …") == (end < len(text))
    shown = piece.removeprefix("…").removesuffix(" …").split()
    # every word shown is a whole word of the text, in the text's order
    assert all(word in words for word in shown)
    assert " ".join(shown) in text


def test_a_snippet_cut_inside_words_drops_the_pieces():
    text = "Met een paspoort kunt u reizen naar alle landen."
    assert whole_words(text, 5, 40) == "…paspoort kunt u reizen naar alle …"
    assert whole_words(text, 4, 200) == "…een paspoort kunt u reizen naar alle landen."
    assert whole_words(text, 0, len(text)) == text


def test_the_title_most_about_the_query_ranks_first():
    def document(title):
        return {"title": title, "summary": "", "body": "Over het paspoort.", "keywords": "", "has_content": True}

    stems = ["paspo"]
    assert score(document("Paspoort aanvragen"), stems) > score(document("Documentenkluis: paspoort of ID-kaart ophalen"), stems)
    assert score(document("Rijbewijs aanvragen"), stems) < score(document("Documentenkluis: paspoort of ID-kaart ophalen"), stems)
