"""/sitemap.xml and /robots.txt of each gemeente's site: only that
gemeente's public pages (the public resolution decides which entries of
every kind exist there), nothing of another gemeente, no agent content.
A kind's own per-site files (its `site_feeds`, such as the Samenwerkende
Catalogi feed) are served by website/urls.py."""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.cache import patch_cache_control
from wagtail.models import Site

from gemeenten.models import Gemeente
from sharing.kinds import kinds
from sharing.resolution import PUBLIC, resolve_summaries, visible_queryset

from .english import TRANSLATIONS, translated_summaries
from .entries import ENTRY_ROUTE, TAXONOMIES, TRANSLATED_ENTRY_ROUTE, TRANSLATED_HOME_ROUTE, first_letter

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


def site_of_request(request):
    """(gemeente, its HomePage) of the request's site; Http404 without one."""
    from .models import HomePage

    gemeente = gemeente_for_request(request)
    home = HomePage.objects.filter(pk=gemeente.site.root_page_id).first()
    if home is None:
        raise Http404("Geen gemeentelijke website op dit adres.")
    return gemeente, home


def sections(gemeente, home):
    from .views import taxonomies_in_use

    def url(route, *args):
        return "/" + home.reverse_subpage(route, args=args)

    # Slugs and titles only: summaries, not whole entries.
    entries = {
        kind: resolve_summaries(visible_queryset(kind.model, gemeente).filter(kind.public_filter()), gemeente, channel=PUBLIC)
        for kind in kinds()
    }
    listed = [r for kind, found in entries.items() if kind.az_listed for r in found]
    letters = [url("a_z_letter", letter) for letter in sorted({first_letter(r.title) for r in listed})]
    found = {"pages": PathSitemap(["/", url("a_z"), url("themes"), url("life_events"), *letters], priority=0.8)}
    for name, sitemap_name in (("themes", "themas"), ("life_events", "levensgebeurtenissen")):
        found[sitemap_name] = PathSitemap([url(TAXONOMIES[name]["route"], item.slug) for item in taxonomies_in_use(name, gemeente)])
    for kind, summaries in entries.items():
        found[kind.url_prefix] = PathSitemap([url(ENTRY_ROUTE, kind.url_prefix, r.slug) for r in summaries])
    for language in TRANSLATIONS:  # the pages in English (website/english.py), where there are any
        paths = [url(TRANSLATED_ENTRY_ROUTE, language, kind.url_prefix, s.slug) for kind in kinds() for s in translated_summaries(gemeente, kind, language)]
        if paths:
            found[language] = PathSitemap([url(TRANSLATED_HOME_ROUTE, language), *english_lists(gemeente, language, url), *paths])
    return found


def english_lists(gemeente, language, url):
    """The list pages in `language`: A–Z and its letters, the themes and each theme with entries in it."""
    from .english import TRANSLATED_ROUTES, listed, themes_with_pages

    letters = sorted({first_letter(s.title) for s in listed(gemeente, language, az=True)})
    themes = {theme.slug for theme in themes_with_pages(gemeente, language)}
    return [
        url(TRANSLATED_ROUTES["a_z"], language),
        *(url(TRANSLATED_ROUTES["a_z_letter"], language, letter) for letter in letters),
        url(TRANSLATED_ROUTES["themes"], language),
        *(url(TRANSLATED_ROUTES["theme"], language, slug) for slug in sorted(themes)),
    ]


def sitemap(request):
    gemeente, home = site_of_request(request)
    with translation.override("nl"):
        response = sitemap_view(request, sitemaps=sections(gemeente, home)).render()
    # Resolving every entry of the gemeente is not cheap: let crawlers and
    # proxies keep it a while (a page that went away meanwhile is a 404).
    patch_cache_control(response, public=True, max_age=SITEMAP_MAX_AGE)
    return response


def robots(request):
    gemeente_for_request(request)
    lines = [
        "User-agent: *",
        "Disallow: /zoeken/",
        *(f"Disallow: /{language}/search/" for language in TRANSLATIONS),
        "Disallow: /admin/",
        f"Sitemap: {request.build_absolute_uri('/sitemap.xml')}",
        # robots.txt has no field for other feeds; a comment tells people
        # where the kinds' feeds are (website/urls.py).
        *(f"# {comment}: {request.build_absolute_uri('/' + path)}" for kind in kinds() for path, _, _, comment in kind.site_feeds()),
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
