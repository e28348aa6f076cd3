"""The agent knowledge widget: one script (a web component talking only to
the JSON API) and a plain host page that embeds it.

The script is read from widget/static/widget/kennis-widget.js (so it is also
collected as a static file) and served at a stable URL for the one
`<script>` tag: cached for a day and revalidated with its ETag; requested
with `?v=<version>` (the content hash) it is cached for a year, immutable."""

import hashlib
from functools import lru_cache
from pathlib import Path

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

SCRIPT = Path(__file__).resolve().parent / "static" / "widget" / "kennis-widget.js"
DAY, YEAR = 24 * 3600, 365 * 24 * 3600


@lru_cache(maxsize=4)
def _load(mtime_ns):
    body = SCRIPT.read_bytes()
    return body, hashlib.sha256(body).hexdigest()[:16]


def script_file():
    """The script's bytes and version (content hash); re-read when the file changes."""
    return _load(SCRIPT.stat().st_mtime_ns)


@require_GET
def script(request):
    body, version = script_file()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["ETag"] = f'"{version}"'  # ConditionalGetMiddleware answers If-None-Match with 304
    if request.GET.get("v") == version:
        patch_cache_control(response, public=True, max_age=YEAR, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=DAY, stale_while_revalidate=7 * DAY)
    return response


@require_GET
@login_required(login_url=reverse_lazy("wagtailadmin_login"))
def demo(request):
    """A plain host page (a stand-in for a contact-centre system) embedding the widget."""
    return render(request, "widget/demo.html", {"version": script_file()[1]})
