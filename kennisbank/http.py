from functools import wraps

from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST


def json_post(view):
    """A POST endpoint of the JSON API. It takes no CSRF token, so it takes
    only `Content-Type: application/json`: a page of another site cannot send
    that with the agent's cookie (no form can; fetch needs a CORS preflight
    that does not allow credentials)."""

    @csrf_exempt
    @require_POST
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.content_type != "application/json":
            return JsonResponse({"error": "send the body as application/json"}, status=415)
        return view(request, *args, **kwargs)

    return wrapped
