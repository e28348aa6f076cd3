"""The one check of the gemeente in an API address: it exists, and on the
agent channel the signed-in user (api/auth.py) answers for it."""

from ninja.errors import HttpError

from gemeenten.models import Gemeente
from sharing.cache import remember
from sharing.permissions import can_read_agent_content
from sharing.resolution import AGENT


def gemeente_for(request, slug, channel):
    """The gemeente of `slug`, or HttpError 404; 403 on the agent channel
    for a user who does not answer for it."""
    found = remember("api-gemeente", (slug,), lambda: Gemeente.objects.select_related("site").filter(slug=slug).first())
    if found is None:
        raise HttpError(404, f"unknown gemeente {slug!r}")
    if channel == AGENT and not can_read_agent_content(request.user, found):
        raise HttpError(403, f"you do not answer for {found.name}")
    return found
