"""Per-site files that are not pages: include before Wagtail's page serving
in kennisbank/urls.py:  path("", include("website.urls")),"""

from django.urls import path

from . import feeds, icons, sitemaps

urlpatterns = [
    path("sitemap.xml", sitemaps.sitemap, name="website-sitemap"),
    path("robots.txt", sitemaps.robots, name="website-robots"),
    path("favicon.ico", icons.favicon, name="website-favicon"),
    path("samenwerkende-catalogi.xml", feeds.samenwerkende_catalogi, name="website-samenwerkende-catalogi"),
]
