"""Per-client limits on anonymous writes and on search logging, counted by
django-ratelimit in Django's cache.

Groups and their rates are settings (RATE_LIMITS), read on every request so
tests can lower them. A signed-in user (session or widget token) is counted
per account, anyone else per IP address (IPv6 per /64): the agents of one
contact centre share an address, citizens do not share an account.

With the default local-memory cache every process counts for itself, so a
client spread over N gunicorn workers can reach N times a limit; point
CACHE_BACKEND at Redis or Memcached to count once for all (docs/caching.md).
django_ratelimit is deliberately not in INSTALLED_APPS: its system check
refuses the local-memory cache, which is the demo's."""

import ipaddress
from functools import wraps

from django.conf import settings
from django.http import JsonResponse
from django_ratelimit.core import is_ratelimited

from . import security

FEEDBACK = "feedback"
SEARCH_CLICK = "search-click"
SEARCH_LOG = "search-log"
TOO_MANY = "U heeft te veel verzoeken achter elkaar gestuurd. Wacht een minuut en probeer het dan opnieuw."
RETRY_AFTER = "60"


def rate(group, request):
    return settings.RATE_LIMITS.get(group)


def exceeded(request, group):
    """Count this request in `group`; True once the client is over the limit."""
    return is_ratelimited(request, group=group, key="user_or_ip", rate=rate, increment=True)


def too_many_requests():
    response = JsonResponse({"error": TOO_MANY}, status=429)
    response["Retry-After"] = RETRY_AFTER
    return response


def throttled(group):
    """A JSON endpoint that answers 429 once the client is over the limit."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if exceeded(request, group):
                return too_many_requests()
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def client_ip(request):
    """The client's address for the limits (RATELIMIT_IP_META_KEY points
    here): the same as sign-in lockouts use (TRUSTED_PROXY_COUNT), checked,
    since X-Forwarded-For may hold anything."""
    for candidate in (security.client_ip(request), request.META.get("REMOTE_ADDR")):
        try:
            return str(ipaddress.ip_address((candidate or "").strip()))
        except ValueError:
            continue
    return "0.0.0.0"  # no address at all (a Unix socket without a proxy header): one shared bucket
