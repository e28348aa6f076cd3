"""The English pages of a gemeente's site: /en/ lists the entries that have
English text for this gemeente, /en/<kind.url_prefix>/<slug>/ is an entry's
page in English (issue 14, for the SDG). An entry has English text when its
title resolves in English for this gemeente (`sharing.resolution`, with its
rules: a local English override wins, a local Dutch text outranks the
shared translation); every other field without English is shown in Dutch,
marked "Only available in Dutch" and `lang="nl"`. The interface strings
come from Django's translation framework (locale/en, with the Dutch
strings as msgids); the Dutch pages link to the English page and back
(language switch, hreflang alternates).

The English pages list and link to entries only: themes, A–Z, search and
contact stay Dutch pages, and the links to them say so (hreflang="nl")."""

import functools

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext

from sharing.cache import cached
from sharing.kinds import get_kind, kinds
from sharing.resolution import DUTCH, PUBLIC, published_queryset, resolve, resolve_summaries

from .entries import Entries, sort_key

# The languages besides Dutch that have pages (a regex alternation for the routes).
TRANSLATIONS = tuple(code for code, _ in settings.LANGUAGES if code != DUTCH)
LANGUAGES = "|".join(TRANSLATIONS)
NAMES = {code: name for code, name in settings.LANGUAGES}  # each in its own language: "English", "Nederlands"


def in_language(view):
    """Render the view in the language of the route, say so in Content-Language."""

    @functools.wraps(view)
    def wrapped(page, request, language, *args, **kwargs):
        with translation.override(language):
            response = view(page, request, language, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response.headers["Content-Language"] = language
        return response

    return wrapped


def has_title_in(resolved, language):
    """Whether a resolved entry or summary has its title in `language` (a
    kind without translations never has)."""
    kind = get_kind(resolved.kind)
    if kind.title_field not in kind.model.translated_fields:
        return False
    return bool(resolved.title) and resolved.language == language and kind.title_field not in resolved.fallback


def translated_summaries(gemeente, kind, language):
    """Summaries (in `language`) of the kind's entries the gemeente publishes
    that have a title in `language`, by title; cached per content version."""

    def load():
        found = resolve_summaries(published_queryset(kind.model, gemeente), gemeente, channel=PUBLIC, language=language)
        return sorted((s for s in found if has_title_in(s, language)), key=lambda s: sort_key(s.title))

    return cached(gemeente, PUBLIC, f"website-translated-{kind.name}", (language,), load)


def translations_of(entries, kind, entry):
    """[language] of the translations an entry has for this gemeente (its
    Dutch page links to them). Resolved from the entry and overrides the
    Dutch page already read: no query."""
    overrides = entries.public_overrides(kind.name).get(entry.pk, {})
    found = []
    for language in TRANSLATIONS:
        resolved = resolve(entry, entries.gemeente, channel=PUBLIC, language=language, fallback=False, context=entries.context, overrides=overrides)
        if resolved is not None and has_title_in(resolved, language):
            found.append(language)
    return found


def alternates(request, dutch_url, translated):
    """The page's language versions: hreflang links and the language switch.
    `translated`: {language: url} of the versions besides Dutch."""
    versions = {DUTCH: dutch_url, **translated}
    return [
        {"code": code, "name": NAMES[code], "url": url, "absolute": request.build_absolute_uri(url)}
        for code, url in versions.items()
    ]


def home_alternates(request, entries):
    """The Dutch home page's language versions: with the home page of each
    language in which the gemeente has pages."""
    translated = {
        language: entries.translated_url(language)
        for language in TRANSLATIONS
        if any(translated_summaries(entries.gemeente, kind, language) for kind in kinds())
    }
    return alternates(request, entries.root, translated) if translated else []


def navigation(entries):
    """The English pages' menu: their own home, the Dutch pages for the rest."""
    return {
        "home": entries.translated_url(entries.language),
        "a_z": entries.url("a_z"),
        "themes": entries.url("themes"),
        "life_events": entries.url("life_events"),
        "search": entries.url("search"),
        "contact": entries.url("contact"),
        "hreflang": DUTCH,
    }


def render(page, request, entries, template, context):
    response = page.render(
        request, template=template, context_overrides={"nav": navigation(entries), "page_language": entries.language, **context}
    )
    return response


@in_language
def home(page, request, language):
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente, language=language)
    lists = [
        {
            "heading": gettext(kind.list_heading or kind.label_plural),
            "anchor": f"{kind.url_prefix}-kop",
            "links": [{"title": s.title, "summary": s.summary, "summary_in_dutch": "summary" in s.fallback, "url": entries.translated_url(language, kind.name, s.slug)} for s in found],
        }
        for kind in kinds()
        if (found := translated_summaries(gemeente, kind, language))
    ]
    if not lists:
        raise Http404("Deze gemeente heeft geen pagina's in deze taal.")
    return render(
        page,
        request,
        entries,
        "website/translated_home_page.html",
        {"lists": lists, "alternates": alternates(request, entries.root, {language: entries.translated_url(language)})},
    )


@in_language
def entry(page, request, language, kind, slug):
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente, language=language)
    content = cached(gemeente, PUBLIC, f"website-{kind.name}-{language}", (entries.root, slug), lambda: entry_content(entries, kind, slug))
    dutch_url = entries.entry_url(kind.name, slug)
    return render(
        page,
        request,
        entries,
        kind.template,
        {
            **content,
            "crumbs": [],
            "feedback": None,  # "was this helpful?" is asked on the Dutch page
            "alternates": alternates(request, dutch_url, {language: entries.translated_url(language, kind.name, slug)}),
        },
    )


def entry_content(entries, kind, slug):
    """What the English page shows of the entry (cached per content version);
    Http404 when the entry has no English title for this gemeente."""
    entry, resolved = entries.one(kind.name, slug=slug)
    if not has_title_in(resolved, entries.language):
        raise Http404("Deze pagina bestaat niet in deze taal.")
    return {"entry": resolved, "sections": resolved.sections, **kind.page_context(entries, resolved, entry)}
