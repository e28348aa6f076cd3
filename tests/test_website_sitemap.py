"""/sitemap.xml and /robots.txt of each gemeente's site: only its own public
pages, nothing of another gemeente, no agent content.

The routes live in website/urls.py, which kennisbank/urls.py must include
before Wagtail's page serving. Until it does, the content tests here run on
a urlconf that includes it (ROUTED below) and the routing test fails."""

import re

import pytest
from django.test import Client
from django.urls import include, path

from kennis.models import VAC, AgentNote
from pdc.models import Product

from .test_website import CANARY, HOSTS, LOCAL_PRODUCTS, LOCAL_VACS

pytestmark = pytest.mark.django_db

# The project's URLs with website.urls in front, as kennisbank/urls.py should have them.
urlpatterns = [path("", include("website.urls")), path("", include("kennisbank.urls"))]
ROUTED = pytest.mark.urls(__name__)


def locations(slug):
    response = Client().get("/sitemap.xml", HTTP_HOST=HOSTS[slug])
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    return xml, re.findall(r"<loc>([^<]+)</loc>", xml)


@ROUTED
@pytest.mark.parametrize("slug", HOSTS)
def test_sitemap_lists_the_gemeentes_own_public_pages(full_demo, db, slug):
    xml, urls = locations(slug)
    root = f"http://{HOSTS[slug]}"
    assert all(url.startswith(f"{root}/") for url in urls)
    paths = {url[len(root):] for url in urls}
    assert {"/", "/a-z/", "/themas/", "/levensgebeurtenissen/", "/themas/burgerzaken/", "/a-z/p/"} <= paths
    assert {"/producten/paspoort/", "/vragen/paspoort-kwijt/"} <= paths
    assert f"/producten/{LOCAL_PRODUCTS[slug]}/" in paths and f"/vragen/{LOCAL_VACS[slug]}/" in paths
    for other in HOSTS:
        if other != slug:
            assert f"/producten/{LOCAL_PRODUCTS[other]}/" not in paths
            assert f"/vragen/{LOCAL_VACS[other]}/" not in paths
    assert len(paths) == len(urls)  # no duplicates
    assert not any(path.startswith("/zoeken/") for path in paths)


@ROUTED
def test_sitemap_leaves_out_what_is_not_offered_or_unpublished(full_demo, db):
    _, etten_leur = locations("etten-leur")
    assert not any(url.endswith("/producten/parkeervergunning/") for url in etten_leur)
    assert not any(url.endswith("/vragen/parkeervergunning-aanvragen/") for url in etten_leur)
    Product.objects.filter(slug="paspoort").update(live=False)
    _, roosendaal = locations("roosendaal")
    assert not any(url.endswith("/producten/paspoort/") for url in roosendaal)
    assert any(url.endswith("/producten/parkeervergunning/") for url in roosendaal)


@ROUTED
def test_sitemap_has_no_agent_content(full_demo, db):
    product, vac = Product.objects.get(slug="paspoort"), VAC.objects.get(slug="paspoort-kwijt")
    AgentNote.objects.create(kind="intake", title=CANARY, body=f"<p>{CANARY}</p>", product=product)
    VAC.objects.filter(pk=vac.pk).update(internal_explanation=f"<p>{CANARY}</p>")
    for slug in HOSTS:
        xml, _ = locations(slug)
        assert CANARY not in xml


@ROUTED
def test_robots_points_at_the_sites_own_sitemap(full_demo, db):
    body = Client().get("/robots.txt", HTTP_HOST=HOSTS["bergen-op-zoom"]).content.decode()
    assert "Sitemap: http://bergen-op-zoom.localhost/sitemap.xml" in body and "Disallow: /zoeken/" in body


@ROUTED
def test_the_portal_has_no_gemeente_sitemap(full_demo, db):
    assert Client().get("/sitemap.xml", HTTP_HOST="localhost").status_code == 404


def test_the_project_serves_the_sitemap(full_demo, db):
    """Fails until kennisbank/urls.py has path("", include("website.urls"))
    before Wagtail's page serving."""
    response = Client().get("/sitemap.xml", HTTP_HOST=HOSTS["roosendaal"])
    assert response.status_code == 200, 'add path("", include("website.urls")) to kennisbank/urls.py, before wagtail_urls'
