"""What the page of an entry costs in database queries (issue 16: no more
than a plain Wagtail page serving the same text; bench/pages.py measures
the time): a product page and a VAC page, with a warm cache and on the
first request after a content change, when every value cached for the
content version is cold (the gemeente and its opening hours, the entry,
its related entries, the house style)."""

import pytest
from django.test import Client

from kennis.models import VAC
from pdc.models import Product

pytestmark = pytest.mark.django_db
HOST = "roosendaal.localhost"
# (model, slug, URL, column changed): a shared product with related
# products and VACs, themes and life events; a VAC of Roosendaal's own.
PAGES = {
    "product": (Product, "paspoort", "/producten/paspoort/", "summary_nl"),
    "vac": (VAC, "roosendaal-wouw-servicepunt", "/vragen/roosendaal-wouw-servicepunt/", "answer_nl"),
}
# Wagtail's page serving (the Site, the page, its view restrictions), the
# content version and the house style: what every page of the site costs.
WARM_QUERIES = 6
# After a change, the first page of a gemeente also reads what all its
# pages share, once per content version: the gemeente with its locations
# and opening hours (4), the variables (2, when a text uses one: the
# passport's fees do), its overrides of the kind (1), the relations
# between entries (1 per relation), the published summaries related lists
# are read from (3 per kind), the house style's images (2); and the page's
# own: the entry with its taxonomies (3; a local entry 1 more, after the
# shared rows).
AFTER_CHANGE_QUERIES = {"product": 26, "vac": 27}


def get(client, url):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_page_with_a_warm_cache(full_demo, page, django_assert_max_num_queries):
    model, slug, url, column = PAGES[page]
    client = Client()
    get(client, url)
    with django_assert_max_num_queries(WARM_QUERIES):
        get(client, url)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_page_after_a_content_change(full_demo, page, django_assert_max_num_queries):
    model, slug, url, column = PAGES[page]
    client = Client()
    get(client, url)
    entry = model.objects.get(slug=slug)
    setattr(entry, column, f"<p>Nieuw geschreven: vijfhonderdtwaalf.</p>{getattr(entry, column)}" if column == "answer_nl" else "Nieuw geschreven: vijfhonderdtwaalf.")
    entry.save()
    with django_assert_max_num_queries(AFTER_CHANGE_QUERIES[page]):
        html = get(client, url)
    assert "Nieuw geschreven: vijfhonderdtwaalf." in html  # computed afresh, not from the cache
    with django_assert_max_num_queries(WARM_QUERIES):
        get(client, url)


def test_another_page_after_a_change_reads_only_its_own_entry(full_demo, django_assert_max_num_queries):
    """What all pages of a gemeente share is read once per content version:
    the next page not yet cached costs the page's own entry only (its row and
    taxonomies, shared or local) on top of what every page costs."""
    client = Client()
    get(client, "/producten/paspoort/")
    entry = Product.objects.get(slug="paspoort")
    entry.summary_nl = "Nieuw geschreven: vijfhonderdtwaalf."
    entry.save()
    get(client, "/producten/paspoort/")
    get(client, "/vragen/roosendaal-wouw-servicepunt/")
    for url in ("/producten/rijbewijs/", "/producten/roosendaal-documentenkluis/", "/vragen/paspoort-kwijt/"):
        with django_assert_max_num_queries(WARM_QUERIES + 4):
            get(client, url)
