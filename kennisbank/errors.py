"""Error responses: under /api/ always JSON in the API's one error shape
({"error": "<message>"}, api.schemas.Error), elsewhere Django's own
pages (and the sites' 404.html / 500.html templates).

Installed as handler400/403/404/500 (kennisbank/urls.py) and
CSRF_FAILURE_VIEW (settings). Requests whose request line is longer than
the web server accepts (runserver 64 KiB, gunicorn --limit-request-line)
never reach Django: the server answers those itself."""

from django.http import JsonResponse
from django.views import defaults
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import csrf_exempt

API_PREFIX = "/api/"
MESSAGES = {
    400: "Ongeldig verzoek.",
    403: "Geen toegang.",
    404: "Dit adres bestaat niet in de API. De routes staan in /api/v1/openapi.json.",
    405: "Deze methode is hier niet toegestaan.",
    414: "Het adres is te lang.",
    500: "Er ging aan onze kant iets mis. Probeer het later opnieuw.",
}


def is_api(request):
    return request.path.startswith(API_PREFIX)


def api_error(status, message=None):
    return JsonResponse({"error": message or MESSAGES[status]}, status=status)


def bad_request(request, exception, template_name=defaults.ERROR_400_TEMPLATE_NAME):
    if is_api(request):
        return api_error(400)
    return defaults.bad_request(request, exception, template_name)


def permission_denied(request, exception, template_name=defaults.ERROR_403_TEMPLATE_NAME):
    if is_api(request):
        return api_error(403)
    return defaults.permission_denied(request, exception, template_name)


def page_not_found(request, exception, template_name=defaults.ERROR_404_TEMPLATE_NAME):
    if is_api(request):
        return api_error(404)
    return defaults.page_not_found(request, exception, template_name)


def server_error(request, template_name=defaults.ERROR_500_TEMPLATE_NAME):
    if is_api(request):
        return api_error(500)
    return defaults.server_error(request, template_name)


def csrf_failure(request, reason=""):
    if is_api(request):
        return api_error(403, "Verzoek geweigerd (CSRF-controle). Stuur POST-verzoeken aan de API als application/json.")
    return django_csrf_failure(request, reason)


@csrf_exempt
def api_not_found(request, *args, **kwargs):
    """Any address under /api/ that no API route matches, whatever the method."""
    return api_error(404)
