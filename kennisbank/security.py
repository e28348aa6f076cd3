"""Sign-in protection: the client address behind the proxy and the answer
when django-axes locks a sign-in out (too many wrong passwords for one
account or from one client; kennisbank/settings/base.py, "Sign-in")."""

import math

from django.conf import settings
from django.forms.forms import NON_FIELD_ERRORS
from django.http import HttpResponse
from django.template.response import TemplateResponse

LOCKED_STATUS = 429


def client_ip(request):
    """The client's address: with TRUSTED_PROXY_COUNT proxies in front, the
    address the outermost of them saw (X-Forwarded-For, counted from the
    right: what a client writes there itself stays on the left); without a
    proxy, the connection's own address."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if count and len(forwarded) >= count:
        return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def lockout_message():
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    unit = "minuut" if minutes == 1 else "minuten"
    return f"Te veel mislukte pogingen; probeer het over {minutes} {unit} opnieuw."


def lockout_response(request, original_response=None, credentials=None):
    """The sign-in form again (admin login or widget popup) with the lockout
    message in place of "wrong password", and status 429. Every attempt
    during a lockout starts the cool-off again, so it lasts the full time."""
    context = getattr(original_response, "context_data", None) or {}
    form = context.get("form")
    if form is None:
        return HttpResponse(lockout_message(), status=LOCKED_STATUS, content_type="text/plain; charset=utf-8")
    form.errors.pop(NON_FIELD_ERRORS, None)
    form.add_error(None, lockout_message())
    response = TemplateResponse(request, original_response.template_name, context, status=LOCKED_STATUS)
    for header, value in original_response.items():
        if header.lower() not in {"content-length", "content-type"}:
            response[header] = value
    return response.render()
