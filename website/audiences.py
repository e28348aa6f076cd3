"""Audiences on the sites: the switch on an entry's page ("Particulier /
Ondernemer") and the audience filter of search, both through the
`doelgroep` query parameter (links: they work without JavaScript)."""

import re
from urllib.parse import urlencode

from sharing.cache import cached
from sharing.models import Audience
from sharing.resolution import PUBLIC

PARAMETER = "doelgroep"
SLUG = re.compile(r"[a-z0-9-]{1,30}")


def requested(request, gemeente):
    """The audience a visitor asked for (its slug), if the gemeente has it; else None."""
    value = request.GET.get(PARAMETER, "")
    return value if SLUG.fullmatch(value) and value in dict(audiences(gemeente)) else None


def audiences(gemeente):
    """[(slug, name)] of the region's audiences and the gemeente's own, in order."""
    return cached(
        gemeente, PUBLIC, "website-audiences", (), lambda: [(a.slug, a.name) for a in Audience.of(gemeente)], scopes={Audience._meta.label_lower}
    )


def switch(entries, kind, resolved):
    """The switch's links ({"slug", "name", "url", "current"}) of a page
    resolved for its audience (`resolved.audience`, None: the general
    text); none when the entry reads the same for everyone. Without an
    audience asked for, the current one is the first whose text is the
    general text."""
    if not resolved.variant_audiences:
        return []
    options = [(slug, name) for slug, name in audiences(entries.gemeente) if slug in resolved.audiences]
    current = resolved.audience or next((slug for slug, _ in options if slug not in resolved.variant_audiences), None)
    url = entries.entry_url(kind, resolved.slug)
    return [{"slug": slug, "name": name, "url": f"{url}?{urlencode({PARAMETER: slug})}", "current": slug == current} for slug, name in options]


def search_filter(entries, query, audience):
    """The search page's audience links: everyone, then each audience."""
    url = entries.url("search")
    choices = [(None, "Iedereen"), *audiences(entries.gemeente)]
    return [
        {
            "name": name,
            "url": f"{url}?{urlencode({'q': query, **({PARAMETER: slug} if slug else {})})}",
            "current": slug == audience,
        }
        for slug, name in choices
    ]
