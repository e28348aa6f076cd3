"""Issue 16.2: a promoted answer is an entry of any registered kind (its
kind's name and id). The curator still picks it by name in the admin (a
chooser per kind, exactly one filled in), the server refuses an entry the
promotion's gemeente cannot see, search puts it first for every kind, and
the data migration keeps the promotions of the old foreign keys."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.urls import reverse

from sharing.resolution import AGENT
from tests.admin_forms import form_data
from tests.factories import make_gemeente, make_product, make_vac, municipal_curator, regional_curator
from tests.nieuws.models import NewsItem
from zoeken import service
from zoeken.models import Promotion

pytestmark = pytest.mark.django_db
ADD = "wagtailsnippets_zoeken_promotion:add"


@pytest.fixture(autouse=True)
def database_search(settings):
    settings.SEARCH_ENGINE = "none"


@pytest.fixture
def world():
    roosendaal, bergen = make_gemeente("Roosendaal"), make_gemeente("Bergen op Zoom")
    return {
        "roosendaal": roosendaal,
        "bergen": bergen,
        "passport": make_product(slug="paspoort-aanvragen", title_nl="Paspoort aanvragen"),
        "lost": make_vac(slug="paspoort-kwijt", question_nl="Paspoort kwijt, wat nu?", answer_nl="<p>Doe aangifte van het paspoort.</p>"),
        "bergen_local": make_product(slug="paspoort-bergen", title_nl="Paspoort in Bergen", gemeente=bergen),
    }


def add_form(client, **values):
    """The add form as the browser sends it, with `values` filled in."""
    data = form_data(client.get(reverse(ADD)).content.decode())
    data.update({name: [str(value)] for name, value in values.items()})
    return client.post(reverse(ADD), data)


def test_a_municipal_curator_promotes_a_vac_and_search_puts_it_first(world):
    client = Client()
    client.force_login(municipal_curator(world["roosendaal"]))
    page = client.get(reverse(ADD)).content.decode()
    assert 'name="product"' in page and 'name="vac"' in page, "a chooser per kind"

    response = add_form(client, gemeente=world["roosendaal"].pk, query="Paspoort", vac=world["lost"].pk)

    assert response.status_code == 302, response.content.decode()[:3000]
    promotion = Promotion.objects.get()
    assert (promotion.kind, promotion.entry_id, promotion.entry, promotion.query) == ("vac", world["lost"].pk, world["lost"], "paspoort")
    hits = service.search("paspoort", world["roosendaal"]).hits
    assert (hits[0].kind, hits[0].slug, hits[0].promoted) == ("vac", "paspoort-kwijt", True)
    assert [hit.slug for hit in hits].count("paspoort-kwijt") == 1
    assert not service.search("paspoort", world["bergen"]).hits[0].promoted, "Roosendaal's promotion is Roosendaal's"
    assert not service.search("paspoort", world["roosendaal"], kinds=("product",)).hits[0].promoted


def test_the_edit_form_shows_the_chosen_entry_and_saves_it_unchanged(world):
    promotion = Promotion.objects.create(query="paspoort", entry=world["passport"], gemeente=world["roosendaal"])
    client = Client()
    client.force_login(municipal_curator(world["roosendaal"]))
    url = reverse("wagtailsnippets_zoeken_promotion:edit", args=[promotion.pk])
    page = client.get(url).content.decode()
    assert "Paspoort aanvragen" in page
    data = form_data(page)
    assert data["product"] == [str(world["passport"].pk)] and data["vac"] == [""]

    data["sort_order"] = ["3"]
    assert client.post(url, data).status_code == 302
    promotion.refresh_from_db()
    assert (promotion.kind, promotion.entry_id, promotion.sort_order) == ("product", world["passport"].pk, 3)


@pytest.mark.parametrize("chosen", [{}, {"product": "passport", "vac": "lost"}])
def test_exactly_one_entry_is_chosen(world, chosen):
    client = Client()
    client.force_login(municipal_curator(world["roosendaal"]))
    response = add_form(client, gemeente=world["roosendaal"].pk, query="paspoort", **{k: world[v].pk for k, v in chosen.items()})
    assert response.status_code == 200 and "Kies precies één product of één vraag en antwoord" in response.content.decode()
    assert not Promotion.objects.exists()


def test_another_gemeentes_local_entry_cannot_be_promoted(world):
    client = Client()
    client.force_login(municipal_curator(world["roosendaal"]))
    add_form(client, gemeente=world["roosendaal"].pk, query="paspoort", product=world["bergen_local"].pk)
    assert not Promotion.objects.exists(), "not among the curator's choices"

    client.force_login(regional_curator())
    response = add_form(client, gemeente=world["roosendaal"].pk, query="paspoort", product=world["bergen_local"].pk)
    assert response.status_code == 200 and "gemeente van deze zoekvraag" in response.content.decode()
    assert not Promotion.objects.exists(), "the regional curator sees it, but Roosendaal does not"

    assert add_form(client, gemeente=world["bergen"].pk, query="paspoort", product=world["bergen_local"].pk).status_code == 302
    assert Promotion.objects.get().entry == world["bergen_local"]


def test_an_entry_of_any_kind_is_promoted_and_a_deleted_entry_is_promoted_no_more(world):
    item = NewsItem.objects.create(slug="paspoort-zaterdag", title="Paspoort ook op zaterdag", body="<p>Afhalen op zaterdag.</p>", live=True)
    Promotion.objects.create(query="paspoort", entry=item)

    for channel in ("public", AGENT):
        hit = service.search("paspoort", world["bergen"], channel=channel).hits[0]
        assert (hit.kind, hit.slug, hit.promoted, hit.url) == ("nieuws", "paspoort-zaterdag", True, "/nieuws/paspoort-zaterdag/")
    item.delete()
    assert not Promotion.objects.exists()
    assert not service.search("paspoort", world["bergen"]).hits[0].promoted


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_migration_keeps_the_promotions_of_both_foreign_keys():
    product, vac = make_product(), make_vac()
    gemeente = make_gemeente()
    executor = MigrationExecutor(connection)
    before = [("zoeken", "0002_hidden_query_and_dutch_labels")]
    latest = executor.loader.graph.leaf_nodes("zoeken")
    executor.migrate(before)
    try:
        old = MigrationExecutor(connection).loader.project_state(before).apps.get_model("zoeken", "Promotion")
        old.objects.create(query="paspoort", product_id=product.pk, sort_order=1)
        old.objects.create(query="kwijt", vac_id=vac.pk, gemeente_id=gemeente.pk)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(latest)

    kept = {(p.query, p.kind, p.entry_id, p.gemeente_id, p.sort_order) for p in Promotion.objects.all()}
    assert kept == {("paspoort", "product", product.pk, None, 1), ("kwijt", "vac", vac.pk, gemeente.pk, 0)}
