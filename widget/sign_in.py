"""The popup in which an agent signs the widget in on a host page of another
origin: the agent logs in here (on the app's origin), and the page hands a
widget token to the widget in the opener with postMessage, addressed to that
origin only. Origins must be listed in WIDGET_ALLOWED_ORIGINS.

Signing in here starts no session on the app's origin: the token is the
sign-in, so after the widget's "Afmelden" the next "Log in" asks for the
password again. An agent already signed in to the app (the admin, the
workspace) gets a token at once.

The form authenticates with the request (AuthenticationForm calls
django.contrib.auth.authenticate), so django-axes counts wrong passwords
here as on the admin's login; the pages are TemplateResponses so that a
lockout can show the form again with its message (kennisbank/security.py)."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.forms import AuthenticationForm
from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from .models import WidgetToken

TEMPLATE = "widget/sign_in.html"
MESSAGE_TYPE = "kennis-widget-token"


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
@require_http_methods(["GET", "POST"])
def sign_in(request):
    origin = request.GET.get("origin", "")
    if origin not in settings.CORS_ALLOWED_ORIGINS:
        return TemplateResponse(request, TEMPLATE, {"refused_origin": origin}, status=400)
    user = request.user
    if not user.is_authenticated:
        form = AuthenticationForm(request, data=request.POST if request.method == "POST" else None)
        if not form.is_valid():
            return _keep_opener(TemplateResponse(request, TEMPLATE, {"form": form, "origin": origin}))
        user = form.get_user()
    token, row = WidgetToken.objects.issue(user, origin)
    handover = {"origin": origin, "message": {"type": MESSAGE_TYPE, "token": token, "expires_at": row.expires_at.isoformat()}}
    return _keep_opener(TemplateResponse(request, TEMPLATE, {"handover": handover, "origin": origin}))


def sign_out(request):
    """The widget's "Afmelden" (POST /api/v1/agent/afmelden, api/views.py,
    for a signed-in agent): with a token that token is revoked; with the
    session (the widget on the app's own origin) the session ends, and with
    it all of the user's tokens."""
    token = getattr(request, "widget_token", None)
    if token is not None:
        token.delete()
    else:
        logout(request)


def _keep_opener(response):
    # Cross-Origin-Opener-Policy "same-origin" (Django's default) would cut
    # the popup off from the host page that opened it.
    response["Cross-Origin-Opener-Policy"] = "unsafe-none"
    return response
