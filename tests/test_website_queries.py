"""What the page of an entry costs in database queries (issue 16: no more
than a plain Wagtail page serving the same text, at most 12 queries, also
on the first request after a content change; bench/pages.py measures the
time): a product page and VAC pages, with a warm cache and on the first
request after a content change (a shared entry published anew, an
override of one gemeente), on the whole demo content."""

import pytest
from django.test import Client

from kennis.models import VAC
from pdc.models import Product
from sharing.overrides import set_override
from tests.factories import regional_curator

pytestmark = pytest.mark.django_db
HOST = "roosendaal.localhost"
NEW_TEXT = "Nieuw geschreven: vijfhonderdtwaalf."
# (model, slug, URL, column changed): a shared product with related
# products and VACs, themes and life events; a shared VAC with related
# products; a VAC of Roosendaal's own.
PAGES = {
    "product": (Product, "paspoort", "/producten/paspoort/", "summary_nl"),
    "vac": (VAC, "paspoort-kwijt", "/vragen/paspoort-kwijt/", "answer_nl"),
    "local-vac": (VAC, "roosendaal-wouw-servicepunt", "/vragen/roosendaal-wouw-servicepunt/", "answer_nl"),
}
# Wagtail's page serving (the Site, the page, its ancestors' view
# restrictions), the content version and the house style: what every page
# of the site costs.
WARM_QUERIES = 6
# The target of issue 16. What all pages of a gemeente share is remembered
# until a change of what it is read from (sharing/cache.py): after an edit
# of an entry the page reads the entry again with its taxonomies (3) and
# the gemeente's published summaries of that kind (2), not the gemeente,
# its opening hours and variables, the relations, the other kinds or the
# house style's images; after an override, the gemeente's overrides of the
# kind (1) and those summaries (2).
AFTER_CHANGE_QUERIES = 12


def get(client, url):
    response = client.get(url, HTTP_HOST=HOST)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def new_text(entry, column):
    return f"<p>{NEW_TEXT}</p>{getattr(entry, column)}" if column == "answer_nl" else NEW_TEXT


def publish_edit(model, slug, column):
    """A curator publishes a new revision of the entry (a shared one by the
    region, a local one by its gemeente's curator: the same save)."""
    entry = model.objects.get(slug=slug)
    setattr(entry, column, new_text(entry, column))
    entry.save_revision(user=regional_curator()).publish()


def override(model, slug, column, full_demo):
    entry = model.objects.get(slug=slug)
    set_override(entry, full_demo["roosendaal"], column, new_text(entry, column), regional_curator())


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_page_with_a_warm_cache(full_demo, page, django_assert_max_num_queries):
    model, slug, url, column = PAGES[page]
    client = Client()
    get(client, url)
    with django_assert_max_num_queries(WARM_QUERIES):
        get(client, url)


@pytest.mark.parametrize("page", PAGES, ids=str)
def test_a_page_after_an_edit_of_its_entry(full_demo, page, django_assert_max_num_queries):
    model, slug, url, column = PAGES[page]
    client = Client()
    get(client, url)
    publish_edit(model, slug, column)
    with django_assert_max_num_queries(AFTER_CHANGE_QUERIES):
        html = get(client, url)
    assert NEW_TEXT in html  # computed afresh, not from the cache
    with django_assert_max_num_queries(WARM_QUERIES):
        get(client, url)


@pytest.mark.parametrize("page", ["product", "vac"], ids=str)
def test_a_page_after_an_override(full_demo, page, django_assert_max_num_queries):
    model, slug, url, column = PAGES[page]
    client = Client()
    get(client, url)
    override(model, slug, column, full_demo)
    with django_assert_max_num_queries(AFTER_CHANGE_QUERIES):
        html = get(client, url)
    assert NEW_TEXT in html
    assert NEW_TEXT not in Client().get(url, HTTP_HOST="etten-leur.localhost").content.decode()


@pytest.mark.parametrize("page", PAGES, ids=str)
@pytest.mark.parametrize("changed", ["product", "vac"], ids=lambda name: f"{name}-edited")
def test_a_page_after_an_edit_of_another_entry(full_demo, page, changed, django_assert_max_num_queries):
    """An edit of another entry (of the same kind or another) recomputes
    the page, within the same bound."""
    model, slug, url, column = PAGES[page]
    client = Client()
    get(client, url)
    if changed == "product":
        publish_edit(Product, "rijbewijs", "summary_nl")
    else:
        other = VAC.objects.filter(gemeente=None, status="actief").exclude(slug=slug).order_by("slug").first()
        publish_edit(VAC, other.slug, "answer_nl")
    with django_assert_max_num_queries(AFTER_CHANGE_QUERIES):
        get(client, url)


def test_another_page_after_a_change_reads_only_its_own_entry(full_demo, django_assert_max_num_queries):
    """What all pages of a gemeente share is read once per change: the next
    page not yet cached costs the page's own entry only (its row and
    taxonomies, shared or local) on top of what every page costs."""
    client = Client()
    get(client, "/producten/paspoort/")
    publish_edit(Product, "paspoort", "summary_nl")
    get(client, "/producten/paspoort/")
    get(client, "/vragen/roosendaal-wouw-servicepunt/")
    for url in ("/producten/rijbewijs/", "/producten/roosendaal-documentenkluis/", "/vragen/paspoort-kwijt/"):
        with django_assert_max_num_queries(WARM_QUERIES + 3):
            get(client, url)
