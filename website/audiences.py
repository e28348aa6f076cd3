"""Audiences on the sites: the switch on an entry's page ("Particulier /
Ondernemer") and the audience filter of search and of the lists (themes,
A–Z), all through the `doelgroep` query parameter (links: they work
without JavaScript; the filtering is done on the server)."""

import hashlib
import re
from urllib.parse import urlencode

from django.utils.translation import get_language, gettext, gettext_noop

from sharing.cache import cached
from sharing.models import Audience
from sharing.resolution import DUTCH, PUBLIC, resolve_many

PARAMETER = "doelgroep"
# The names of the region's audiences (data, sharing migration 0007) that
# the English pages translate (locale/en); a gemeente's own stay as written.
REGION_NAMES = (gettext_noop("Particulier"), gettext_noop("Ondernemer"))
SLUG = re.compile(r"[a-z0-9-]{1,30}")


def requested(request, gemeente):
    """The audience a visitor asked for (its slug), if the gemeente has it; else None."""
    value = request.GET.get(PARAMETER, "")
    return value if SLUG.fullmatch(value) and value in dict(audiences(gemeente)) else None


def audiences(gemeente):
    """[(slug, name)] of the region's audiences and the gemeente's own, in order."""
    return cached(
        gemeente, PUBLIC, "website-audiences", (), lambda: [(a.slug, a.name) for a in Audience.of(gemeente)], scopes={Audience._meta.label_lower}, immutable=True
    )


def switch(entries, kind, resolved):
    """The switch's links ({"slug", "name", "url", "current"}) of a page
    resolved for its audience (`resolved.audience`, None: the general
    text), in the page's language; none when the entry reads the same for everyone. Without an
    audience asked for, the current one is the first whose text is the
    general text."""
    if not resolved.variant_audiences:
        return []
    options = [(slug, name) for slug, name in audiences(entries.gemeente) if slug in resolved.audiences]
    current = resolved.audience or next((slug for slug, _ in options if slug not in resolved.variant_audiences), None)
    url = entries.entry_url(kind, resolved.slug) if entries.language == DUTCH else entries.translated_url(entries.language, kind, resolved.slug)
    return [
        {"slug": slug, "name": name, "lang": lang, "url": f"{url}?{urlencode({PARAMETER: slug})}", "current": slug == current}
        for slug, (name, lang) in ((slug, name_in_language(name)) for slug, name in options)
    ]


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


# Query parameters a list's audience links drop: the audience itself, and the
# page number (another audience has other pages).
DROPPED = {PARAMETER, "pagina", "page"}


def name_in_language(name):
    """(name, lang) of an audience as the page's language shows it: the
    interface translation of a region audience's name ("Ondernemer" →
    "Businesses"), else the name as written (Dutch, lang="nl")."""
    language = get_language() or DUTCH
    translated = gettext(name) if language != DUTCH else name
    return translated, (language if translated != name or language == DUTCH else DUTCH)


def list_filter(entries, request, url, audience, replaced=None):
    """The audience links of a list page (theme, A–Z, search): everyone,
    then each audience of the gemeente; each keeps the page's other query
    parameters and marks the current one. `replaced`: parameters given as
    the page used them instead of as asked (a search's cleaned terms)."""
    replaced = replaced or {}
    kept = [(key, value) for key, values in request.GET.lists() if key not in DROPPED | replaced.keys() for value in values]
    kept += [(key, value) for key, value in replaced.items() if value]
    everyone = gettext("Iedereen")
    choices = [(None, (everyone, get_language() or DUTCH)), *((slug, name_in_language(name)) for slug, name in audiences(entries.gemeente))]
    options = []
    for slug, (name, lang) in choices:
        query = urlencode(kept + ([(PARAMETER, slug)] if slug else []))
        options.append({"slug": slug, "name": name, "lang": lang, "url": f"{url}?{query}" if query else url, "current": slug == audience})
    return options


def for_audience(entries, links, audience):
    """The links (entries of any kind, with `kind` and `id`) whose entry is
    for `audience` in this gemeente: one of its own audiences, or it has
    its own text for it (a variant) — as search's audience filter. All of
    them without an audience."""
    if not audience:
        return list(links)
    by_kind = {}
    for link in links:
        by_kind.setdefault(link.kind, set()).add(link.id)
    kept = {(kind, pk) for kind, ids in by_kind.items() for pk in audience_ids(entries, kind, ids, audience)}
    return [link for link in links if (link.kind, link.id) in kept]


def audience_ids(entries, kind, ids, audience):
    """The ids among `ids` of the kind's entries that resolve for `audience`
    here; cached per content version."""
    ids = sorted(ids)
    digest = hashlib.sha256(",".join(map(str, ids)).encode()).hexdigest()[:24]

    def load():
        queryset = entries.queryset(kind).filter(pk__in=ids)
        return {resolved.id for resolved in resolve_many(queryset, entries.gemeente, channel=PUBLIC, audience=audience)}

    return cached(entries.gemeente, PUBLIC, f"website-audience-{kind}", (audience, digest), load, immutable=True)
