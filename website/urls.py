"""Per-site files that are not pages: include before Wagtail's page serving
in kennisbank/urls.py:  path("", include("website.urls")). Besides the
sitemap, robots.txt and the favicon, every kind's own per-site files (its
`site_feeds`, sharing/kinds.py)."""

from django.urls import path

from sharing.kinds import kinds

from . import icons, sitemaps

urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap, name="website-sitemap"),
    path("robots.txt", sitemaps.robots, name="website-robots"),
    path("favicon.ico", icons.favicon, name="website-favicon"),
    *(path(route, view, name=name) for kind in kinds() for route, view, name, _ in kind.site_feeds()),
]
