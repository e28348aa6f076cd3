"""The agent knowledge widget: one script (a web component talking only to
the JSON API) and the pages that embed it: the agent's workspace (where an
agent lands after signing in) and a demo contact-centre page.

The script is read from widget/static/widget/kennis-widget.js (so it is also
collected as a static file) and served minified (rjsmin: comments and
indentation out, the source in the repository keeps them) at a stable URL for
the one `<script>` tag: cached for a day and revalidated with its ETag; requested
with `?v=<version>` (the content hash) it is cached for a year, immutable."""

import hashlib
from functools import lru_cache
from pathlib import Path

import rjsmin
from django.contrib.auth.decorators import login_required
from django.core.validators import slug_re
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET
from wagtail.admin.views import account

from gemeenten.models import Role

SCRIPT = Path(__file__).resolve().parent / "static" / "widget" / "kennis-widget.js"
DAY, YEAR = 24 * 3600, 365 * 24 * 3600


@lru_cache(maxsize=4)
def _load(mtime_ns):
    body = rjsmin.jsmin(SCRIPT.read_text(encoding="utf-8")).encode()
    return body, hashlib.sha256(body).hexdigest()[:16]


def script_file():
    """The served script's bytes and version (content hash); re-read when the file changes."""
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


def _host_page(request, template):
    """A page embedding the widget; `?gemeente=<slug>` presets the gemeente
    it answers for (as a contact-centre system would from the line called)."""
    preset = request.GET.get("gemeente", "")
    context = {"version": script_file()[1], "gemeente": preset if slug_re.fullmatch(preset) else ""}
    return render(request, template, context)


@require_GET
@login_required(login_url=reverse_lazy("wagtailadmin_login"))
def workspace(request):
    """The agent's own page: the widget, full width. Agents land here after signing in."""
    return _host_page(request, "widget/workspace.html")


@require_GET
@login_required(login_url=reverse_lazy("wagtailadmin_login"))
def demo(request):
    """A plain host page (a stand-in for a contact-centre system) embedding the widget."""
    return _host_page(request, "widget/demo.html")


def lands_on_widget(user):
    """Agents without a curator role work in the widget, not in the admin."""
    if not user.is_authenticated or user.is_superuser:
        return False
    roles = set(user.memberships.values_list("role", flat=True))
    return Role.AGENT in roles and not roles & {Role.REGIONAL_CURATOR, Role.MUNICIPAL_CURATOR}


class LoginView(account.LoginView):
    """Wagtail's sign-in, except that an agent lands on the widget instead of
    the (for them empty) admin dashboard, also when sent here from /admin/."""

    def get_success_url(self):
        target = self.get_redirect_url()
        if target in ("", reverse("wagtailadmin_home")) and lands_on_widget(self.request.user):
            return reverse("widget:workspace")
        return target or reverse("wagtailadmin_home")
