from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache

from .engine import engine_status


@never_cache
def health(request):
    """Liveness for operators: the database must answer; the search engine
    may be down (the site then answers from the database) and is reported."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = {"vendor": connection.vendor, "ok": True}
    except Exception as exc:
        database = {"vendor": connection.vendor, "ok": False, "detail": exc.__class__.__name__}
    body = {"database": database, "search_engine": engine_status()}
    return JsonResponse(body, status=200 if database["ok"] else 503)
