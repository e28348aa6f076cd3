"""Issue 15: a search reads the synonym list and the promoted queries from
the content cache (zoeken.service.synonym_table, promoted_queries), not
from their tables. A curator's change still applies to the very next search:
their writes replace the cached values' token (sharing.effects.watch_models)."""

import pytest

from tests.factories import make_gemeente, make_vac
from zoeken import service
from zoeken.models import Promotion, Synonym

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def database_search(settings):
    settings.SEARCH_ENGINE = "none"


@pytest.fixture
def roosendaal():
    return make_gemeente("Roosendaal")


def slugs(text, gemeente):
    return [hit.slug for hit in service.search(text, gemeente).hits]


def test_a_new_synonym_applies_to_the_next_search_and_a_deleted_one_no_more(roosendaal):
    make_vac(slug="grofvuil-ophalen", question_nl="Grofvuil laten ophalen", answer_nl="<p>Maak een afspraak.</p>")
    assert slugs("bankstel", roosendaal) == []  # fills the cache with the empty list

    synonym = Synonym.objects.create(term="bankstel", synonyms="grofvuil", gemeente=roosendaal)
    assert slugs("bankstel", roosendaal) == ["grofvuil-ophalen"]
    assert slugs("bankstel", make_gemeente("Bergen op Zoom")) == [], "a gemeente's synonym is its own"

    synonym.delete()
    assert slugs("bankstel", roosendaal) == []


def test_a_new_promotion_applies_to_the_next_search(roosendaal):
    make_vac(slug="paspoort-aanvragen", question_nl="Paspoort aanvragen", answer_nl="<p>Aan de balie.</p>")
    lost = make_vac(slug="paspoort-kwijt", question_nl="Kwijt, wat nu?", answer_nl="<p>Doe aangifte van het paspoort.</p>")
    assert [hit.promoted for hit in service.search("paspoort", roosendaal).hits] == [False, False]

    Promotion.objects.create(gemeente=roosendaal, query="paspoort", kind="vac", entry_id=lost.pk)
    first = service.search("paspoort", roosendaal).hits[0]
    assert (first.slug, first.promoted) == ("paspoort-kwijt", True)
