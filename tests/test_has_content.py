"""Entries without text (UPL names nobody has written yet) against written
ones (issue 10.5): `has_content` is computed on save; they rank below
written entries in the database search (the engine: test_search_live.py);
the admin marks them; the A–Z list leaves them out unless the gemeente
chooses to list them, and then as names that point to the contact page."""

import re

import pytest
from bs4 import BeautifulSoup
from django.apps import apps as django_apps
from django.urls import reverse

from pdc.models import Product
from pdc.models.content import content_for_gemeente
from sharing.overrides import set_override
from tests.admin_forms import post_edit_form, rich_text
from tests.factories import make_gemeente, make_product, make_vac, municipal_curator, regional_curator
from website.entries import first_letter
from zoeken import service

pytestmark = pytest.mark.django_db


# The flag


def test_has_content_is_computed_on_every_save():
    written = make_product(slug="geschreven")
    empty = make_product(slug="leeg", procedure_nl="", description_nl="<p> &nbsp; </p>")
    assert written.has_content and not empty.has_content
    empty.costs_nl = "<p>Gratis.</p>"
    empty.save(update_fields=["costs_nl"])
    empty.refresh_from_db()
    assert empty.has_content
    assert make_vac(slug="vraag").has_content


def test_publishing_text_in_the_admin_gives_the_entry_content(client):
    empty = make_product(slug="bijstand-zelfstandigen", title_nl="Bijstand zelfstandigen", procedure_nl="")
    assert not empty.has_content
    client.force_login(regional_curator())
    response = post_edit_form(
        client, empty, {"description_nl": rich_text("<p>Een uitkering voor zelfstandigen.</p>")}, action="action-publish"
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    empty.refresh_from_db()
    assert empty.has_content


def test_the_migration_computes_the_flag_for_existing_entries():
    from importlib import import_module

    written, empty = make_product(slug="geschreven"), make_product(slug="leeg", procedure_nl="")
    Product.objects.update(has_content=False)
    import_module("pdc.migrations.0004_product_has_content").compute_has_content(django_apps, None)
    assert set(Product.objects.filter(has_content=True).values_list("slug", flat=True)) == {written.slug}
    assert Product.objects.get(pk=empty.pk).has_content is False


def test_a_gemeentes_own_text_on_an_empty_entry_counts_for_that_gemeente_only():
    here, there = make_gemeente(), make_gemeente()
    empty = make_product(slug="leeg", procedure_nl="")
    set_override(empty, here, "description_nl", "<p>Lokale tekst.</p>", municipal_curator(here))
    assert content_for_gemeente(Product, here) == {empty.pk: True}
    assert content_for_gemeente(Product, there) == {}
    empty.refresh_from_db()
    assert not empty.has_content, "the shared entry itself still has no text"


# Search documents and the engine query (live ranking: test_search_live.py)


def test_the_search_document_says_whether_the_resolved_entry_has_text():
    from sharing.resolution import resolve
    from zoeken.documents import build_document

    here, there = make_gemeente(), make_gemeente()
    empty = make_product(slug="leeg", procedure_nl="")
    set_override(empty, here, "description_nl", "<p>Lokale tekst.</p>", municipal_curator(here))
    assert build_document(resolve(empty, here))["has_content"] is True
    assert build_document(resolve(empty, there))["has_content"] is False
    assert build_document(resolve(make_product(slug="geschreven"), there))["has_content"] is True


def test_the_engine_query_multiplies_the_score_of_entries_without_text():
    from zoeken.mappings import properties
    from zoeken.query import NO_CONTENT_FACTOR, search_body

    boosting = search_body("bijstand", [], "roosendaal", channel="public")["query"]["bool"]["must"][0]["boosting"]
    assert boosting["negative"] == {"term": {"has_content": False}}
    assert boosting["negative_boost"] == NO_CONTENT_FACTOR < 0.5
    assert properties("public")["has_content"].to_dict() == {"type": "boolean"}


# Database search


def ranking(gemeente, query, **kwargs):
    result = service.search(query, gemeente, page_size=50, **kwargs)
    assert result.backend == "database"
    written = dict(Product.objects.values_list("pk", "has_content"))
    return result, [(hit.kind, hit.slug, hit.kind == "vac" or written[hit.id]) for hit in result.hits]


def test_bijstand_finds_the_written_product_first_and_empty_pages_last(full_demo, settings):
    settings.SEARCH_ENGINE = "none"
    for gemeente in full_demo.values():
        result, hits = ranking(gemeente, "bijstand")
        assert hits[0][:2] == ("product", "bijstand"), hits[:5]
        flags = [has_content for *_, has_content in hits]
        assert flags == sorted(flags, reverse=True), f"an empty page ranks above a written one: {hits}"
        empty = {slug for _, slug, has_content in hits if not has_content}
        assert {"bijstand-zelfstandigen", "bijstand-tegenprestatie"} <= empty, "empty pages are still found"


def test_a_gemeentes_own_text_lifts_an_empty_entry_in_its_search(full_demo, settings):
    settings.SEARCH_ENGINE = "none"
    roosendaal, bergen = full_demo["roosendaal"], full_demo["bergen-op-zoom"]
    empty = Product.objects.get(slug="bijstand-zelfstandigen")
    set_override(empty, roosendaal, "description_nl", "<p>Bijstand voor zelfstandigen: Bbz.</p>", municipal_curator(roosendaal))
    here = [slug for _, slug, _ in ranking(roosendaal, "bijstand zelfstandigen")[1]]
    there = [slug for _, slug, _ in ranking(bergen, "bijstand zelfstandigen")[1]]
    assert here[0] == "bijstand-zelfstandigen"
    assert there.index("bijstand-zelfstandigen") > there.index("bijstand")


# The admin


def product_rows(client, **params):
    """{title: row text} of the admin's product list (first page)."""
    html = client.get(reverse("wagtailsnippets_pdc_product:list"), params).content.decode()
    rows = BeautifulSoup(html, "html.parser").select("table.listing tbody tr")
    return {" ".join(row.find("a").text.split()): " ".join(row.text.split()).lower() for row in rows}


def test_the_product_list_marks_and_filters_entries_without_content(client, full_demo):
    client.force_login(regional_curator())
    titles = lambda written: set(Product.objects.filter(has_content=written).values_list("title_nl", flat=True))  # noqa: E731
    empty, written = product_rows(client, has_content="false"), product_rows(client, has_content="true")
    assert empty and written
    assert set(empty) <= titles(False) and all("zonder inhoud" in row for row in empty.values())
    assert set(written) <= titles(True) and not any("zonder inhoud" in row for row in written.values())
    everything = product_rows(client)
    assert {title for title, row in everything.items() if "zonder inhoud" in row} == set(everything) & titles(False)


def test_the_municipal_curator_sees_the_mark_too(client, full_demo):
    client.force_login(municipal_curator(full_demo["etten-leur"]))
    rows = product_rows(client, has_content="false")
    assert rows and all("zonder inhoud" in row for row in rows.values())


# The A–Z list


def a_z(client, gemeente, letter):
    response = client.get(f"/a-z/{letter}/", HTTP_HOST=gemeente.site.hostname)
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def listed(page):
    """{name: href of the name's own link, or None for a name without a page} of the letter's products."""
    names = {}
    for item in page.select("section[aria-labelledby=letter-kop] li"):
        first = item.find(["a", "span"])
        names[" ".join(first.text.split())] = first.get("href") if first.name == "a" else None
    return names


def present_letters(page):
    return {a.text.strip().lower() for a in page.select("nav.letters a")}


def letters_with_only_empty_products():
    titles = lambda written: {first_letter(t) for t in Product.objects.filter(has_content=written).values_list("title_nl", flat=True)}  # noqa: E731
    only_empty = titles(False) - titles(True)
    assert only_empty, "the demo has letters with only UPL names (c, f, j, w, z)"
    return only_empty


def test_a_z_leaves_out_products_without_content_by_default(client, full_demo):
    roosendaal = full_demo["roosendaal"]
    assert roosendaal.az_lists_products_without_content is False
    page = a_z(client, roosendaal, "b")
    names = listed(page)
    assert names["Bijstandsuitkering aanvragen"] == "/producten/bijstand/"
    assert "Bijstand zelfstandigen" not in names and "Bijstandsverhaal" not in names
    assert not present_letters(page) & letters_with_only_empty_products()
    assert len(names) < 10


def test_a_z_lists_them_as_names_pointing_to_the_contact_page_when_the_gemeente_chooses(client, full_demo):
    bergen = full_demo["bergen-op-zoom"]
    bergen.az_lists_products_without_content = True
    bergen.save()
    page = a_z(client, bergen, "b")
    names = listed(page)
    assert names["Bijstandsuitkering aanvragen"] == "/producten/bijstand/"
    assert names["Bijstand zelfstandigen"] is None, "no link to an empty page"
    item = next(li for li in page.select("section[aria-labelledby=letter-kop] li") if "Bijstand zelfstandigen" in li.text)
    assert item.find("a")["href"] == "/contact/"
    assert "/producten/bijstand-zelfstandigen/" not in str(page)
    assert letters_with_only_empty_products() <= present_letters(page)
    assert client.get("/contact/", HTTP_HOST=bergen.site.hostname).status_code == 200
    other = listed(a_z(client, full_demo["etten-leur"], "b"))
    assert "Bijstand zelfstandigen" not in other, "the choice is per gemeente"


def test_a_z_lists_an_empty_shared_product_that_the_gemeente_wrote_itself(client, full_demo):
    etten, roosendaal = full_demo["etten-leur"], full_demo["roosendaal"]
    empty = Product.objects.get(slug="bijstandsverhaal")
    set_override(empty, etten, "description_nl", "<p>Wanneer de gemeente bijstand terugvordert.</p>", municipal_curator(etten))
    assert listed(a_z(client, etten, "b"))["Bijstandsverhaal"] == "/producten/bijstandsverhaal/"
    assert "Bijstandsverhaal" not in listed(a_z(client, roosendaal, "b"))


def test_search_still_reaches_an_empty_page(client, full_demo, settings):
    """Ranked last on the database path (no text of its own), but found: on
    the first two result pages, below written entries whose business text
    names the Bbz (issue 14's audience variants are searched too)."""
    settings.SEARCH_ENGINE = "none"
    pages = [
        client.get("/zoeken/", {"q": "bijstand zelfstandigen", "pagina": number}, HTTP_HOST=full_demo["roosendaal"].site.hostname).content.decode()
        for number in (1, 2)
    ]
    assert any(re.search(r">\s*Bijstand zelfstandigen\s*<", html) for html in pages)
