"""The JSON API (version 1): the ninja API's URL patterns (api/api.py,
api/views.py, zoeken/views.py), each behind the API-wide request rules
ninja has no hook for."""

from functools import wraps

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.urls import URLPattern

from kennisbank.errors import api_error

from . import views

app_name = "api"


def api_rules(view):
    """An address longer than API_MAX_URL_LENGTH is a JSON 414; a method the
    address does not take a JSON 405 (ninja's own is plain text)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if len(request.get_full_path()) > settings.API_MAX_URL_LENGTH:
            return api_error(414, f"Het adres is te lang: maximaal {settings.API_MAX_URL_LENGTH} tekens.")
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = api_error(405, f"Deze methode is hier niet toegestaan; gebruik {allowed}.")
            response["Allow"] = allowed
        return response

    return wrapped


patterns, _, _ = views.api.urls
urlpatterns = [URLPattern(p.pattern, api_rules(p.callback), p.default_args, p.name) for p in patterns]
