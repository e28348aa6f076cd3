"""The curators' product and VAC lists search on every database, partial words included."""

import pytest
from django.urls import reverse

from .factories import make_product, make_vac, regional_curator

pytestmark = pytest.mark.django_db


def test_product_list_search_finds_by_title_summary_and_part_of_a_word(client):
    make_product(slug="paspoort", title_nl="Paspoort aanvragen", summary_nl="Reisdocument voor buiten Europa")
    make_product(slug="grofvuil", title_nl="Grofvuil laten ophalen", summary_nl="Grote spullen")
    client.force_login(regional_curator())
    url = reverse("wagtailsnippets_pdc_product:list")
    for query in ("paspoort", "reisdoc", "pasp"):
        html = client.get(url, {"q": query}).content.decode()
        assert "Paspoort aanvragen" in html, query
        assert "Grofvuil laten ophalen" not in html, query


def test_vac_list_search_finds_by_question(client):
    make_vac(slug="kwijt", question_nl="Ik ben mijn rijbewijs kwijt")
    make_vac(slug="verhuizen", question_nl="Hoe geef ik een verhuizing door?")
    client.force_login(regional_curator())
    html = client.get(reverse("wagtailsnippets_kennis_vac:list"), {"q": "rijbew"}).content.decode()
    assert "Ik ben mijn rijbewijs kwijt" in html
    assert "verhuizing" not in html
