"""The Samenwerkende Catalogi 4.0 feed of each gemeente's site
(/samenwerkende-catalogi.xml): valid against the national XSD, the gemeente's
own resolved text (local fees, overrides), nothing not offered, nothing
agent-only, nothing of another gemeente, hostile text harmless.

The XSD is read from the shared data beside the repository
(../shared/data/standaarden/…); without it these tests fail, they never skip."""

import datetime
import re
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from lxml import etree

from kennis.models import AgentNote, AgentNoteKind
from kennisbank.sanitise import is_safe_html
from pdc.catalogi import tooi_uri, xml_text
from pdc.models import Product, ProductOverride
from sharing.models import Variable, VariableValue
from sharing.overrides import set_override

from .conftest import report
from .factories import make_product, regional_curator
from .test_website import HOSTS, LOCAL_PRODUCTS
from .xss_vectors import XSS_VECTORS

pytestmark = pytest.mark.django_db

SC_XSD = (
    Path(__file__).resolve().parents[1].parent
    / "shared/data/standaarden/standaarden.overheid.nl/sc/4.0/xsd/sc.xsd"
)
FEED = "/samenwerkende-catalogi.xml"
NS = {
    "p": "http://standaarden.overheid.nl/product/terms/",
    "dcterms": "http://purl.org/dc/terms/",
    "overheid": "http://standaarden.overheid.nl/owms/terms/",
}
CANARY = "sckanarie5093"


@pytest.fixture(scope="module")
def schema():
    if not SC_XSD.is_file():
        pytest.fail(f"the Samenwerkende Catalogi 4.0 XSD is missing: {SC_XSD} (shared/data must sit beside the repository)")
    return etree.XMLSchema(etree.parse(str(SC_XSD)))


def fetch(slug):
    response = Client().get(FEED, HTTP_HOST=HOSTS[slug])
    assert response.status_code == 200, (slug, response.status_code)
    assert response["Content-Type"].startswith("application/xml")
    return response


def feed(slug, schema):
    """{product path: scproduct element} of the gemeente's feed, validated."""
    document = etree.fromstring(fetch(slug).content)
    schema.assertValid(document)
    products = {}
    for product in document.iterfind("p:scproduct", NS):
        url = product.findtext("p:meta/p:owmskern/dcterms:identifier", namespaces=NS)
        assert url.startswith(f"http://{HOSTS[slug]}/"), url
        path = urlsplit(url).path
        assert path not in products, f"{path} twice"
        products[path] = product
    return products


def text(product, path):
    return product.findtext(path, default="", namespaces=NS)


def body(product):
    return text(product, "p:body/p:productHTML")


@pytest.mark.parametrize("slug", HOSTS)
def test_the_feed_of_every_gemeente_is_valid_sc_40_and_lists_its_own_public_products(full_demo, schema, slug):
    started = time.perf_counter()
    products = feed(slug, schema)
    elapsed = time.perf_counter() - started
    gemeente = full_demo[slug]
    report(f"SC feed {slug}: {len(products)} products, {elapsed * 1000:.0f} ms (request, validation and parsing)")

    sitemap = Client().get("/sitemap.xml", HTTP_HOST=HOSTS[slug]).content.decode()
    in_sitemap = {urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap) if "/producten/" in url}
    assert set(products) == in_sitemap, "the feed lists exactly the products the site publishes"
    assert f"/producten/{LOCAL_PRODUCTS[slug]}/" in products
    for other in HOSTS:
        if other != slug:
            assert f"/producten/{LOCAL_PRODUCTS[other]}/" not in products

    passport = products["/producten/paspoort/"]
    kern = "p:meta/p:owmskern/"
    assert text(passport, kern + "dcterms:language") == "nl"
    assert text(passport, kern + "dcterms:type") == "productbeschrijving"
    for element in ("dcterms:spatial", "overheid:authority"):
        found = passport.find(kern + element, NS)
        assert found.text == gemeente.name
        assert found.get("scheme") == "overheid:Gemeente"
        assert found.get("resourceIdentifier") == tooi_uri(gemeente) == f"https://identifier.overheid.nl/tooi/id/gemeente/gm{gemeente.cbs_code}"
    upl = passport.find("p:meta/p:scmeta/p:uniformeProductnaam", NS)
    assert upl.text == "paspoort" and upl.get("resourceIdentifier") == "http://standaarden.overheid.nl/owms/terms/paspoort"
    assert [a.text for a in passport.iterfind("p:meta/p:owmsmantel/dcterms:audience", NS)] == ["particulier"]
    assert text(passport, "p:meta/p:owmsmantel/dcterms:abstract")
    assert "<h2>Kosten</h2>" in body(passport)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", text(passport, kern + "dcterms:modified"))


def test_each_feed_has_the_gemeentes_own_fees_and_overrides_and_no_other_gemeentes(full_demo, schema):
    feeds = {slug: feed(slug, schema) for slug in HOSTS}
    fees = {"roosendaal": "€ 53,60", "bergen-op-zoom": "€ 51,90", "etten-leur": "€ 50,40"}  # leges.rijbewijs
    for slug, products in feeds.items():
        licence = body(products["/producten/rijbewijs/"])
        assert fees[slug] in licence
        assert not any(fee in licence for other, fee in fees.items() if other != slug)
    # Overrides: Bergen op Zoom's free bulky waste, Etten-Leur's own summary.
    local = "Grofvuil ophalen is in Bergen op Zoom <strong>gratis</strong>, 4 keer per jaar"
    assert local in body(feeds["bergen-op-zoom"]["/producten/grofvuil/"])
    assert not any(local in body(feeds[slug]["/producten/grofvuil/"]) for slug in ("roosendaal", "etten-leur"))
    abstract = "p:meta/p:owmsmantel/dcterms:abstract"
    assert "Etten-Leur zelf naar de milieustraat" in text(feeds["etten-leur"]["/producten/grofvuil/"], abstract)
    assert "Etten-Leur" not in text(feeds["roosendaal"]["/producten/grofvuil/"], abstract)

    set_override(Product.objects.get(slug="paspoort"), full_demo["bergen-op-zoom"], "summary_nl", f"Alleen hier {CANARY}", regional_curator())
    for slug in HOSTS:
        raw = fetch(slug).content.decode()
        assert (CANARY in raw) == (slug == "bergen-op-zoom"), slug


def test_not_offered_and_unpublished_products_are_left_out(full_demo, schema):
    assert "/producten/parkeervergunning/" not in feed("etten-leur", schema)  # Etten-Leur does not offer it
    assert "/producten/parkeervergunning/" in feed("roosendaal", schema)
    set_override(Product.objects.get(slug="paspoort"), full_demo["roosendaal"], "offered", False, regional_curator())
    Product.objects.filter(slug="rijbewijs").update(live=False)
    roosendaal, bergen = feed("roosendaal", schema), feed("bergen-op-zoom", schema)
    assert "/producten/paspoort/" not in roosendaal and "/producten/paspoort/" in bergen
    assert "/producten/rijbewijs/" not in roosendaal and "/producten/rijbewijs/" not in bergen


def test_no_agent_content(full_demo, schema):
    products = Product.objects.exclude(procedure_nl="").order_by("pk")[:10]
    for product in products:
        for kind in AgentNoteKind.values:
            AgentNote.objects.create(kind=kind, title=f"{CANARY} {kind}", body=f"<p>{CANARY}</p>", product=product)
            AgentNote.objects.create(kind=kind, title=CANARY, body=f"<p>{CANARY}</p>", product=product, gemeente=full_demo["roosendaal"])
    elements = {
        "scproducten", "scproduct", "meta", "owmskern", "identifier", "title", "language", "type", "modified",
        "spatial", "authority", "owmsmantel", "audience", "abstract", "scmeta", "productID", "onlineAanvragen",
        "aanvraagURL", "uniformeProductnaam", "gerelateerdProduct", "body", "productHTML",
    }  # fmt: skip
    for slug in HOSTS:
        raw = fetch(slug).content
        assert CANARY not in raw.decode()
        # Only the elements above: nothing like a handling level or a note.
        assert {etree.QName(e).localname for e in etree.fromstring(raw).iter()} <= elements


def test_hostile_text_comes_out_harmless_and_the_feed_stays_valid(full_demo, schema):
    title = '<script>alert("t")</script> Paspoort\x08\x0b & <b>co</b>'
    product = make_product(
        slug="vijandig",
        title_nl=title,
        summary_nl="<img src=x onerror=alert(1)> samenvatting ]]> &amp; \x1b",
        for_ondernemer=True,
    )
    # Past the sanitiser on save, as a raw database write would be.
    Product.objects.filter(pk=product.pk).update(
        costs_nl='<script>alert(1)</script><p onclick="alert(1)">Kosten in {{ gemeente.naam }}</p>\x01]]>',
        description_nl="<iframe src=javascript:alert(1)></iframe><p>Omschrijving \ufffe</p>",
        online_application_url="javascript:alert(1)",
    )
    vectors = []
    for number, vector in enumerate(XSS_VECTORS):
        hostile = make_product(slug=f"xss-{number}", title_nl=f"XSS {number}")
        Product.objects.filter(pk=hostile.pk).update(procedure_nl=f"<p>Stap {number}</p>{vector}", summary_nl=vector)
        vectors.append(hostile.slug)

    raw = fetch("roosendaal").content
    assert b"<script" not in raw.lower() and b"<iframe" not in raw.lower()
    products = feed("roosendaal", schema)
    entry = products["/producten/vijandig/"]
    assert text(entry, "p:meta/p:owmskern/dcterms:title") == xml_text(title)  # text stays text, escaped in the XML
    html = body(entry)
    assert is_safe_html(html), html
    assert "Kosten in Roosendaal" in html and "alert" not in html and "onclick" not in html
    assert text(entry, "p:meta/p:scmeta/p:onlineAanvragen") == "nee"
    assert entry.find("p:meta/p:scmeta/p:aanvraagURL", NS) is None
    assert [a.text for a in entry.iterfind("p:meta/p:owmsmantel/dcterms:audience", NS)] == ["particulier", "ondernemer"]
    for slug in vectors:
        assert is_safe_html(body(products[f"/producten/{slug}/"])), slug


def test_online_application(full_demo, schema):
    product = make_product(slug="online", title_nl="Online", online_application_url="https://example.nl/aanvragen", digid="midden")
    entry = feed("roosendaal", schema)["/producten/online/"]
    assert text(entry, "p:meta/p:scmeta/p:onlineAanvragen") == "digid"
    assert entry.find("p:meta/p:scmeta/p:aanvraagURL", NS).get("resourceIdentifier") == "https://example.nl/aanvragen"
    Product.objects.filter(pk=product.pk).update(digid="geen")
    entry = feed("roosendaal", schema)["/producten/online/"]
    assert text(entry, "p:meta/p:scmeta/p:onlineAanvragen") == "ja"


def test_feed_is_per_site_cached_and_in_robots(full_demo):
    response = fetch("bergen-op-zoom")
    assert "max-age=900" in response["Cache-Control"] and "public" in response["Cache-Control"]
    robots = Client().get("/robots.txt", HTTP_HOST=HOSTS["bergen-op-zoom"]).content.decode()
    assert "http://bergen-op-zoom.localhost/samenwerkende-catalogi.xml" in robots
    assert Client().get(FEED, HTTP_HOST="localhost").status_code == 404  # the portal has no feed


def test_modified_follows_the_gemeentes_own_changes(full_demo, schema):
    """The date a harvester sees moves with the text this gemeente publishes:
    the entry, this gemeente's override, a fee that came into force."""
    long_ago = datetime.datetime(2025, 3, 1, 12, 0, tzinfo=datetime.timezone.utc)
    Product.objects.filter(slug__in=["rijbewijs", "grofvuil"]).update(updated_at=long_ago)
    ProductOverride.objects.filter(entry__slug__in=["rijbewijs", "grofvuil"]).update(updated_at=long_ago)
    today = timezone.localdate()
    VariableValue.objects.create(
        variable=Variable.objects.get(key="leges.rijbewijs"), gemeente=full_demo["roosendaal"], value="55.00", valid_from=today
    )
    set_override(Product.objects.get(slug="grofvuil"), full_demo["etten-leur"], "costs_nl", "<p>Nieuw tarief.</p>", regional_curator())

    def modified(slug, product):
        value = text(feed(slug, schema)[f"/producten/{product}/"], "p:meta/p:owmskern/dcterms:modified")
        return datetime.datetime.fromisoformat(value)

    assert modified("bergen-op-zoom", "rijbewijs") == long_ago
    assert modified("roosendaal", "rijbewijs") == datetime.datetime.combine(today, datetime.time.min, tzinfo=timezone.get_current_timezone())
    assert "€ 55,00" in body(feed("roosendaal", schema)["/producten/rijbewijs/"])
    assert modified("etten-leur", "grofvuil") > long_ago
    assert modified("roosendaal", "grofvuil") == long_ago
