"""The Site of a page request, remembered per content version.

Wagtail finds the Site of every request it serves with a database query
(`Site.find_for_request`, cached on the request only). Sites are content:
a change bumps the content version (sharing/cache.py), so the Site of a
known hostname is remembered for that version and handed to Wagtail on the
request, where `Site.find_for_request` looks first. Only for Wagtail's page
serving; a hostname that no Site has (Wagtail falls back to the default
site) is looked up as before, so unknown hostnames fill no cache."""

from django.http.request import split_domain_port
from wagtail import views as wagtail_views
from wagtail.models import Site
from wagtail.models.sites import get_site_for_hostname

from sharing.cache import remember


class CachedSiteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if view_func is wagtail_views.serve and not hasattr(request, "_wagtail_site"):
            hostname, port = split_domain_port(request.get_host())[0], request.get_port()
            site = remember("wagtail-site", (hostname, port), lambda: own_site(hostname, port))
            if site is not None:
                request._wagtail_site = site
        return None


def own_site(hostname, port):
    """The Site Wagtail would choose, if it is the one with this hostname;
    else None (then Wagtail decides, as without this middleware)."""
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    return site if site.hostname == hostname else None
