"""/sitemap.xml and /robots.txt of each gemeente's site: only that
gemeente's public pages (the public resolution decides which products and
VACs exist there), nothing of another gemeente, no agent content. The
Samenwerkende Catalogi feed, the other per-site file, is in feeds.py."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from wagtail.models import Site

from gemeenten.models import Gemeente
from kennis.models import VAC
from pdc.models import LifeEvent, Product, Theme
from sharing.resolution import PUBLIC, resolve_summaries, visible_queryset

from .entries import first_letter

SITEMAP_MAX_AGE = 900


class PathSitemap(Sitemap):
    """Items are paths on the gemeente's own site (the view adds scheme and host)."""

    def __init__(self, paths, priority=None):
        self.paths, self.priority = paths, priority

    def items(self):
        return self.paths

    def location(self, item):
        return item


def gemeente_for_request(request):
    site = Site.find_for_request(request)
    gemeente = Gemeente.objects.select_related("site").filter(site=site).first() if site else None
    if gemeente is None or gemeente.site.root_page is None:
        raise Http404("Geen gemeentelijke website op dit adres.")
    return gemeente


def sections(gemeente):
    from .models import HomePage
    from .views import taxonomies_in_use

    home = HomePage.objects.filter(pk=gemeente.site.root_page_id).first()
    if home is None:
        raise Http404("Geen gemeentelijke website op dit adres.")

    def url(route, *args):
        return "/" + home.reverse_subpage(route, args=args)

    # Slugs and titles only: summaries, not whole entries.
    products = resolve_summaries(visible_queryset(Product, gemeente), gemeente, channel=PUBLIC)
    vacs = resolve_summaries(visible_queryset(VAC, gemeente), gemeente, channel=PUBLIC)
    themes = taxonomies_in_use(Theme, gemeente, "products", "vacs")
    life_events = taxonomies_in_use(LifeEvent, gemeente, "products", None)
    letters = [url("a_z_letter", letter) for letter in sorted({first_letter(r.title) for r in products})]
    return {
        "pages": PathSitemap(
            ["/", url("a_z"), url("themes"), url("life_events"), *letters], priority=0.8
        ),
        "themas": PathSitemap([url("theme", theme.slug) for theme in themes]),
        "levensgebeurtenissen": PathSitemap([url("life_event", event.slug) for event in life_events]),
        "producten": PathSitemap([url("product", r.slug) for r in products]),
        "vragen": PathSitemap([url("vac", r.slug) for r in vacs]),
    }


def sitemap(request):
    gemeente = gemeente_for_request(request)
    with translation.override("nl"):
        response = sitemap_view(request, sitemaps=sections(gemeente)).render()
    # Resolving every entry of the gemeente is not cheap: let crawlers and
    # proxies keep it a while (a page that went away meanwhile is a 404).
    patch_cache_control(response, public=True, max_age=SITEMAP_MAX_AGE)
    return response


def robots(request):
    gemeente_for_request(request)
    lines = [
        "User-agent: *",
        "Disallow: /zoeken/",
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        # robots.txt has no field for other feeds; a comment tells people
        # where the Samenwerkende Catalogi feed is (website/feeds.py).
        f"# Samenwerkende Catalogi 4.0: {request.build_absolute_uri('/samenwerkende-catalogi.xml')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
