"""/samenwerkende-catalogi.xml of each gemeente's site: the Samenwerkende
Catalogi 4.0 feed the national harvester (overheid.nl) reads. The document
is built in pdc/catalogi.py from the public resolution of this gemeente's
products; this view only finds the gemeente and the product addresses."""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control

from pdc.catalogi import build_feed

from .sitemaps import SITEMAP_MAX_AGE, gemeente_for_request

FEED_PATH = "/samenwerkende-catalogi.xml"


def samenwerkende_catalogi(request):
    from .models import HomePage

    gemeente = gemeente_for_request(request)
    home = HomePage.objects.filter(pk=gemeente.site.root_page_id).first()
    if home is None:
        raise Http404("Geen gemeentelijke website op dit adres.")
    root = request.build_absolute_uri("/").rstrip("/")

    def product_url(slug):
        return f"{root}/{home.reverse_subpage('product', args=(slug,))}"

    xml = build_feed(gemeente, product_url)
    if xml is None:  # the schema wants at least one product
        raise Http404(f"{gemeente.name} publiceert (nog) geen producten.")
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    # Like the sitemap: resolving every product is not cheap, so crawlers
    # and proxies may keep it a while. No Last-Modified: a product that goes
    # away changes no date; the ETag (from the content) is exact.
    patch_cache_control(response, public=True, max_age=SITEMAP_MAX_AGE)
    return response
