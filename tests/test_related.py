"""Related entries (sharing.related) and the listing queryset
(sharing.resolution.published_queryset): the same rules as `resolve`, with
a number of queries that does not grow with the entries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kennis.models import VAC
from pdc.models import Product, Theme
from sharing import cache as content_cache
from sharing.overrides import set_override
from sharing.related import related_keys, resolve_with_related
from sharing.resolution import AGENT, CHANNELS, PUBLIC, published_queryset, resolve_many, visible_queryset
from tests.factories import make_gemeente, make_product, make_vac, regional_curator

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed():
    """Entries for two gemeenten with every reason to be left out."""
    here, there = make_gemeente("Hier"), make_gemeente("Daar")
    curator = regional_curator()
    theme = Theme.objects.create(name="Burgerzaken", slug="burgerzaken")
    entries = {
        "shared": make_product(slug="gedeeld"),
        "not-offered-here": make_product(slug="niet-hier"),
        "base-off-offered-here": make_product(slug="alleen-hier", offered=False),
        "base-off": make_product(slug="nergens", offered=False),
        "unpublished": make_product(slug="concept", live=False),
        "local-here": make_product(slug="lokaal-hier", gemeente=here),
        "local-there": make_product(slug="lokaal-daar", gemeente=there),
        "vac": make_vac(slug="vraag"),
        "vac-inactive": make_vac(slug="oude-vraag", status="non-actief"),
        "vac-not-offered-here": make_vac(slug="vraag-niet-hier"),
    }
    set_override(entries["not-offered-here"], here, "offered", False, curator)
    set_override(entries["base-off-offered-here"], here, "offered", True, curator)
    set_override(entries["vac-not-offered-here"], here, "offered", False, curator)
    for entry in entries.values():
        entry.themes.set([theme])
        entry.save()
    return here, there, entries


@pytest.mark.parametrize("channel", CHANNELS)
def test_published_queryset_is_what_resolve_publishes(mixed, channel):
    here, there, _ = mixed
    for gemeente in (here, there):
        for model in (Product, VAC):
            resolved = {r.id for r in resolve_many(visible_queryset(model, gemeente), gemeente, channel=channel)}
            assert set(published_queryset(model, gemeente, channel).values_list("pk", flat=True)) == resolved


def test_related_only_what_the_gemeente_publishes_and_offers(mixed):
    here, there, entries = mixed
    expected = {"gedeeld", "alleen-hier", "lokaal-hier", "vraag"}
    for channel in CHANNELS:
        _, related = resolve_with_related(entries["shared"], here, channel=channel, limit=20)
        # "gedeeld" is the entry itself: never its own related entry.
        assert {r.slug for r in related} == expected - {"gedeeld"}
        assert all(r.offered and r.channel == channel for r in related)
    there_slugs = {r.slug for r in resolve_with_related(entries["shared"], there, channel=AGENT, limit=20)[1]}
    assert there_slugs == {"niet-hier", "lokaal-daar", "vraag", "vraag-niet-hier"}


def test_related_queries_do_not_grow_with_the_entries(mixed):
    here, _, entries = mixed

    def queries(limit):
        content_cache.clear()  # computed afresh, not read from the cache
        with CaptureQueriesContext(connection) as captured:
            resolve_with_related(entries["shared"], here, channel=AGENT, limit=limit)
        return len(captured.captured_queries)

    # Two related entries are one of each kind already: then the number of
    # queries is fixed, whatever the number of entries.
    assert {kind for kind, _ in related_keys(entries["shared"], here, limit=2)} == {"product", "vac"}
    few, many = queries(2), queries(20)
    assert len(related_keys(entries["shared"], here, limit=20)) == 3
    assert few == many


def test_explicit_relations_first_and_kinds_alternate(mixed):
    here, _, entries = mixed
    shared = entries["shared"]
    shared.related_products.set([entries["local-here"]])
    shared.save()
    keys = related_keys(shared, here, limit=3)
    assert keys[0] == ("product", entries["local-here"].pk)  # explicit
    assert [kind for kind, _ in keys[1:]] == ["product", "vac"] or [kind for kind, _ in keys[1:]] == ["vac", "product"]
    assert related_keys(shared, here, limit=0) == [] and resolve_with_related(shared, here, channel=PUBLIC, limit=0)[1] == []
