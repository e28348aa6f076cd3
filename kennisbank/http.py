import json
from functools import wraps

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .errors import api_error


class BadJson(ValueError):
    """The body is not the JSON object an endpoint takes; the message says why."""


def json_get(view):
    """A GET endpoint of the JSON API: any other method gets a JSON 405
    (CSRF-exempt, so a POST gets that 405 rather than a CSRF page; the view
    writes nothing)."""
    return _json_endpoint(view, "GET")


def json_post(view):
    """A POST endpoint of the JSON API. It takes no CSRF token, so it takes
    only `Content-Type: application/json`: a page of another site cannot send
    that with the agent's cookie (no form can; fetch needs a CORS preflight
    that does not allow credentials)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.content_type != "application/json":
            return JsonResponse({"error": "Stuur de body als application/json."}, status=415)
        return view(request, *args, **kwargs)

    return _json_endpoint(wrapped, "POST")


def _json_endpoint(view, method):
    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != method:
            response = api_error(405, f"Deze methode is hier niet toegestaan; gebruik {method}.")
            response["Allow"] = method
            return response
        if len(request.get_full_path()) > settings.API_MAX_URL_LENGTH:
            return api_error(414, f"Het adres is te lang: maximaal {settings.API_MAX_URL_LENGTH} tekens.")
        return view(request, *args, **kwargs)

    return wrapped


def _no_constants(name):
    raise BadJson(f"{name} is geen geldig JSON-getal")


def json_object(request):
    """The body as a JSON object (dict), or BadJson: not JSON, too large,
    too deeply nested, NaN/Infinity, not an object, or a lone surrogate
    (\\ud800: no UTF-8 text, so no database takes it)."""
    try:
        data = json.loads(request.body or b"{}", parse_constant=_no_constants)
        json.dumps(data, ensure_ascii=False).encode("utf-8")
    except BadJson:
        raise
    except RequestDataTooBig as exc:
        raise BadJson("het verzoek is te groot") from exc
    except RecursionError as exc:
        raise BadJson("de JSON is te diep genest") from exc
    except UnicodeError as exc:
        raise BadJson("de tekst bevat ongeldige tekens (geen UTF-8)") from exc
    except ValueError as exc:
        raise BadJson("de body is geen geldige JSON") from exc
    if not isinstance(data, dict):
        raise BadJson("stuur een JSON-object")
    return data
