"""WSGI entry point and URLconf for bench/search.py only: the site's own
URLs plus one endpoint that searches with Wagtail's own opensearch3 backend
(modelsearch), so both go through the same gunicorn/Django stack.

    gunicorn bench.search_urls:application   (started by bench/search.py)

Not part of the application: nothing else imports this module."""

import os
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kennisbank.settings.dev")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.cache import never_cache  # noqa: E402
from django.views.decorators.http import require_GET  # noqa: E402
from wagtail.search.backends import get_search_backend  # noqa: E402

from gemeenten.models import Gemeente  # noqa: E402
from kennis.models import VAC  # noqa: E402
from pdc.models import Product  # noqa: E402
from sharing.scope import shared_or_own  # noqa: E402

WAGTAIL_BACKEND = "kennisbank-bench-wagtail"


def wagtail_backend_config():
    """The WAGTAILSEARCH_BACKENDS entry for the benchmark (shared with
    bench/search.py, which builds the index). AUTO_UPDATE off: saves in the
    benchmark must not also write to this index. OPTIONS: the same
    connection pool as zoeken's client (zoeken/engine.py), so that neither
    opens a new connection per request."""
    from zoeken.engine import POOL_SIZE

    return {
        "BACKEND": "modelsearch.backends.opensearch3",
        "URLS": [settings.SEARCH_ENGINE_URL],
        "INDEX_PREFIX": os.environ.get("BENCH_WAGTAIL_INDEX_PREFIX", "kennisbank-bench-wagtail-"),
        "TIMEOUT": settings.SEARCH_ENGINE_TIMEOUT,
        "AUTO_UPDATE": False,
        "OPTIONS": {"pool_maxsize": POOL_SIZE},
    }


def install_wagtail_backend():
    settings.WAGTAILSEARCH_BACKENDS = {**settings.WAGTAILSEARCH_BACKENDS, WAGTAIL_BACKEND: wagtail_backend_config()}


_backend = None


def backend():
    """One backend (and so one engine client) per process, like zoeken's
    client. Wagtail's own views call get_search_backend() per request,
    which builds a new client each time (about 4 ms more per request here);
    the benchmark spares Wagtail that."""
    global _backend
    if _backend is None:
        _backend = get_search_backend(WAGTAIL_BACKEND)
    return _backend


@never_cache
@require_GET
def wagtail_search(request, gemeente):
    """Shared and this gemeente's local products and VACs, searched with
    Wagtail's backend: one query per model (Product and VAC live in
    separate indexes), objects loaded from the database. Base entries
    only: no per-gemeente resolution."""
    if not request.user.is_authenticated:
        return JsonResponse({"error": "sign in"}, status=401)
    found = Gemeente.objects.filter(slug=gemeente).first()
    if found is None:
        return JsonResponse({"error": f"unknown gemeente {gemeente!r}"}, status=404)
    text = request.GET.get("q", "")
    started = time.perf_counter()
    scope = shared_or_own(found)
    products = list(backend().search(text, Product.objects.filter(scope))[:10])
    vacs = list(backend().search(text, VAC.objects.filter(scope))[:10])
    took_ms = round((time.perf_counter() - started) * 1000, 2)
    merged = [hit for pair in zip(products, vacs) for hit in pair] + products[len(vacs):] + vacs[len(products):]
    hits = [
        {"kind": entry._meta.model_name, "id": entry.pk, "slug": entry.slug, "title": str(entry)} for entry in merged[:10]
    ]
    response = JsonResponse({"backend": "wagtail-opensearch3", "hits": hits, "took_ms": took_ms})
    response["Server-Timing"] = f"search;dur={took_ms}"
    return response


install_wagtail_backend()
settings.ROOT_URLCONF = __name__

from kennisbank.urls import urlpatterns as site_urlpatterns  # noqa: E402

urlpatterns = [path("bench/wagtail-search/<slug:gemeente>", wagtail_search, name="bench-wagtail-search")] + site_urlpatterns
