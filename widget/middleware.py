from django.http import JsonResponse

from .models import WidgetToken

API_PREFIX = "/api/"


class WidgetTokenMiddleware:
    """A JSON API request with `Authorization: Bearer <token>` acts as the
    token's agent. Anywhere else the header is ignored: a token never opens
    the admin or a page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
        if request.path.startswith(API_PREFIX) and scheme.lower() == "bearer":
            token = WidgetToken.objects.find(raw.strip())
            if token is None:
                return JsonResponse({"error": "the widget's sign-in has expired or is not valid; sign in again"}, status=401)
            request.user = token.user
            request.widget_token = token
        return self.get_response(request)
