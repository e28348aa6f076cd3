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

Besides the entries' pages, /en/ has the lists in English: search
(/en/search/), A–Z (/en/a-z/) and the themes (/en/themes/): they list only
the entries with English text (a theme's name in Dutch where it has no
English one, marked lang="nl"), with the audience filter of the Dutch
lists. Life events and contact stay Dutch pages, and the links to them say
so (hreflang="nl")."""

import dataclasses
import functools
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext

from kennisbank.text import fold
from sharing.cache import cached
from sharing.kinds import get_kind, kinds
from sharing.resolution import DUTCH, PUBLIC, has_title_in, published_queryset, resolve, resolve_summaries

from . import audiences
from .entries import TAXONOMIES, Entries, first_letter, sort_key

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


def translated_summaries(gemeente, kind, language):
    """Summaries (in `language`) of the kind's entries the gemeente publishes
    that have a title in `language`, by title; cached per content version."""

    def load():
        found = resolve_summaries(published_queryset(kind.model, gemeente), gemeente, channel=PUBLIC, language=language)
        return sorted((s for s in found if has_title_in(s, language)), key=lambda s: sort_key(s.title))

    return cached(gemeente, PUBLIC, f"website-translated-{kind.name}", (language,), load, immutable=True)


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


def has_pages(gemeente, language):
    """Whether the gemeente has any page in `language` (then /<language>/ exists)."""
    return any(translated_summaries(gemeente, kind, language) for kind in kinds())


def navigation(entries):
    """The English pages' menu: their own home, A–Z, themes and search; the
    Dutch pages for the rest (`hreflang`: the language of those)."""
    language = entries.language
    return {
        "home": entries.translated_url(language),
        "a_z": entries.url(TRANSLATED_ROUTES["a_z"], language),
        "themes": entries.url(TRANSLATED_ROUTES["themes"], language),
        "life_events": entries.url("life_events"),
        "search": entries.url(TRANSLATED_ROUTES["search"], language),
        "contact": entries.url("contact"),
        "hreflang": DUTCH,
        "translated": True,  # A–Z, themes and search are in the page's language
        "dutch_a_z": entries.url("a_z"),
    }


# The lists in a language besides Dutch: routes of website/models.HomePage,
# and the Dutch route each is a version of.
TRANSLATED_ROUTES = {
    "search": "translated_search",
    "a_z": "translated_a_z",
    "a_z_letter": "translated_a_z_letter",
    "themes": "translated_themes",
    "theme": "translated_theme",
}


def az_alternates(request, entries, dutch_url, letter):
    """The language versions of a Dutch A–Z page: the same letter in each
    language the gemeente has pages in, or that language's A–Z where the
    letter has no entries in it."""
    translated = {}
    for language in TRANSLATIONS:
        if not has_pages(entries.gemeente, language):
            continue
        letters = {first_letter(s.title) for s in listed(entries.gemeente, language, az=True)}
        if letter and letter in letters:
            translated[language] = entries.url(TRANSLATED_ROUTES["a_z_letter"], language, letter)
        else:
            translated[language] = entries.url(TRANSLATED_ROUTES["a_z"], language)
    return alternates(request, dutch_url, translated) if translated else []


def list_alternates(request, entries, dutch_url, route, *args):
    """The language versions of a Dutch list page (themes): the same list in
    each language the gemeente has pages in."""
    translated = {
        language: entries.url(TRANSLATED_ROUTES[route], language, *args) for language in TRANSLATIONS if has_pages(entries.gemeente, language)
    }
    return alternates(request, dutch_url, translated) if translated else []


def theme_alternates(request, entries, item, listed):
    """A Dutch theme page's language versions: where one of the entries it
    lists (`listed`: {(kind, id)}) has text in that language."""
    dutch_url = entries.url(TAXONOMIES["themes"]["route"], item.slug)
    translated = {
        language: entries.url(TRANSLATED_ROUTES["theme"], language, item.slug)
        for language in TRANSLATIONS
        if any((s.kind, s.id) in listed for kind in theme_kinds() for s in translated_summaries(entries.gemeente, kind, language))
    }
    return alternates(request, dutch_url, translated) if translated else []


def with_query(url, query):
    return f"{url}?{urlencode({'q': query})}" if query else url


def search_alternates(request, entries, query):
    """The language versions of a search (Dutch, and each language the gemeente has pages in)."""
    translated = {
        language: with_query(entries.url(TRANSLATED_ROUTES["search"], language), query)
        for language in TRANSLATIONS
        if has_pages(entries.gemeente, language)
    }
    return alternates(request, with_query(entries.url("search"), query), translated) if translated else []


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
    audience = audiences.requested(request, gemeente)
    content = cached(
        gemeente, PUBLIC, f"website-{kind.name}-{language}", (entries.root, slug, audience or ""), lambda: entry_content(entries, kind, slug, audience),
        immutable=True,
    )
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
            "audience_switch": audiences.switch(entries, kind.name, content["entry"]),
            "fragment": entries.fragment(kind.name, slug, audience),
            "alternates": alternates(request, dutch_url, {language: entries.translated_url(language, kind.name, slug)}),
        },
    )


def entry_content(entries, kind, slug, audience=None):
    """What the English page shows of the entry, for `audience` where asked
    (cached per content version); Http404 when the entry has no English
    title for this gemeente."""
    entry, resolved = entries.one(kind.name, slug=slug)
    if not has_title_in(resolved, entries.language):
        raise Http404("Deze pagina bestaat niet in deze taal.")
    resolved = resolved.for_audience(audience)
    return {"entry": resolved, "sections": resolved.sections, **kind.page_context(entries, resolved, entry)}


# The lists in English: search, A–Z, themes ---------------------------------


def listed(gemeente, language, az=False):
    """Summaries in `language` of the entries with text in it (those of
    the A–Z's kinds with `az`), by title."""
    chosen = [kind for kind in kinds() if kind.az_listed or not az]
    found = [s for kind in chosen for s in translated_summaries(gemeente, kind, language)]
    return sorted(found, key=lambda s: sort_key(s.title))


def link(entries, summary):
    """A list item in `language`: the summary only where it is in that language."""
    return dataclasses.replace(
        entries.link(summary),
        summary="" if "summary" in summary.fallback else summary.summary,
        url=entries.translated_url(entries.language, summary.kind, summary.slug),
    )


def kind_label(name):
    return gettext(get_kind(name).label)


def with_pages(page, request, language):
    """The gemeente and its Entries in `language`; Http404 when it has no pages in it."""
    gemeente = page.gemeente_for(request)
    if not has_pages(gemeente, language):
        raise Http404("Deze gemeente heeft geen pagina's in deze taal.")
    return gemeente, Entries(page, request, gemeente, language=language)


MAX_HITS = 50


def matches(summary, words):
    """How well a summary matches every word of a query (prefixes of its
    words, folded): 0 when it does not; title words count double."""
    title, text = fold(summary.title).split(), fold(summary.summary if "summary" not in summary.fallback else "").split()
    points = 0
    for word in words:
        in_title = any(token.startswith(word) for token in title)
        if not in_title and not any(token.startswith(word) for token in text):
            return 0
        points += 2 if in_title else 1
    return points


@in_language
def search(page, request, language):
    """Search in the English texts: the titles and summaries of the entries
    with English text (the search engine indexes the Dutch text), with the
    audience filter. Not logged: the search figures are of Dutch searches."""
    from .views import clean_query  # the views import this module

    gemeente, entries = with_pages(page, request, language)
    query = clean_query(request.GET.get("q", ""))
    audience = audiences.requested(request, gemeente)
    hits = []
    if query:
        words = [fold(word).strip(".,;:!?'\"()") for word in query.split()]
        words = [word for word in words if word]
        scored = [(matches(s, words), s) for s in listed(gemeente, language)] if words else []
        ranked = sorted((item for item in scored if item[0]), key=lambda item: (-item[0], sort_key(item[1].title)))
        hits = audiences.for_audience(entries, [link(entries, s) for _, s in ranked], audience)[:MAX_HITS]
    url = entries.url(TRANSLATED_ROUTES["search"], language)
    return render(
        page,
        request,
        entries,
        "website/translated_search_page.html",
        {
            "query": query,
            "hits": [{"link": hit, "kind_label": kind_label(hit.kind)} for hit in hits],
            "audience": audience,
            "audience_filter": audiences.list_filter(entries, request, url, audience, replaced={"q": query}) if query else [],
            "dutch_search": with_query(entries.url("search"), query),
            "alternates": search_alternates(request, entries, query),
        },
    )


@in_language
def a_z(page, request, language, letter):
    from .az import LETTERS, letter_links

    if letter is not None and letter not in LETTERS:
        raise Http404("Onbekende letter.")
    gemeente, entries = with_pages(page, request, language)
    found = listed(gemeente, language, az=True)
    by_letter = {}
    for summary in found:
        by_letter.setdefault(first_letter(summary.title), []).append(summary)
    current = letter or next((key for key in LETTERS if key in by_letter), "a")
    audience = audiences.requested(request, gemeente)
    url = entries.url(TRANSLATED_ROUTES["a_z_letter"], language, letter) if letter else entries.url(TRANSLATED_ROUTES["a_z"], language)
    dutch_url = entries.url("a_z_letter", letter) if letter else entries.url("a_z")
    label = gettext("0–9") if current == "0-9" else current.upper()
    return render(
        page,
        request,
        entries,
        "website/translated_a_z_page.html",
        {
            "letters": letter_links(set(by_letter), current, lambda key: entries.url(TRANSLATED_ROUTES["a_z_letter"], language, key), audience),
            "letter_label": label,
            "items": audiences.for_audience(entries, [link(entries, s) for s in by_letter.get(current, [])], audience),
            "audience": audience,
            "audience_filter": audiences.list_filter(entries, request, url, audience),
            "alternates": alternates(request, dutch_url, {language: url}),
        },
    )


def theme_kinds():
    return [kind for kind in kinds() if "themes" in kind.taxonomy_fields]


def taxonomy_ids(kind, field, item):
    """{entry id} of the kind's entries with this theme (one query)."""
    return set(kind.model.objects.filter(**{field: item}).values_list("pk", flat=True))


def theme_name(item, language):
    """(name, lang) of a theme in `language`: its translation, else its Dutch name."""
    translated = getattr(item, f"name_{language}", "") or ""
    return (translated, language) if translated else (getattr(item, f"name_{DUTCH}", "") or item.name, DUTCH)


def theme_model():
    """The themes' model (that of the first kind with themes), or None."""
    found = theme_kinds()
    return found[0].model._meta.get_field("themes").related_model if found else None


def themes_with_pages(gemeente, language):
    """The themes that have entries with text in `language` here (one query)."""
    model = theme_model()
    if model is None:
        return []
    condition = Q(pk__in=[])
    for kind in theme_kinds():
        ids = [s.id for s in translated_summaries(gemeente, kind, language)]
        condition |= Q(**{f"{kind.model._meta.get_field('themes').related_query_name()}__in": ids})
    return list(model.objects.filter(condition).distinct())


@in_language
def themes(page, request, language):
    gemeente, entries = with_pages(page, request, language)
    found = themes_with_pages(gemeente, language)
    items = sorted(
        ({"name": name, "lang": lang, "url": entries.url(TRANSLATED_ROUTES["theme"], language, item.slug)} for item in found for name, lang in [theme_name(item, language)]),
        key=lambda item: sort_key(item["name"]),
    )
    return render(
        page,
        request,
        entries,
        "website/translated_themes_page.html",
        {"items": items, "alternates": alternates(request, entries.url("themes"), {language: entries.url(TRANSLATED_ROUTES["themes"], language)})},
    )


@in_language
def theme(page, request, language, slug):
    gemeente, entries = with_pages(page, request, language)
    model = theme_model()
    item = model.objects.filter(slug=slug).first() if model else None
    if item is None:
        raise Http404("Onbekend onderwerp.")
    lists = []
    for kind in theme_kinds():
        ids = taxonomy_ids(kind, "themes", item)
        links = [link(entries, s) for s in translated_summaries(gemeente, kind, language) if s.id in ids]
        if links:
            lists.append({"heading": gettext(kind.list_heading or kind.label_plural), "anchor": f"{kind.url_prefix}-kop", "links": links})
    if not lists:
        raise Http404("Dit onderwerp heeft geen pagina's in deze taal.")
    audience = audiences.requested(request, gemeente)
    for found in lists:
        found["links"] = audiences.for_audience(entries, found["links"], audience)
    url = entries.url(TRANSLATED_ROUTES["theme"], language, slug)
    name, lang = theme_name(item, language)
    return render(
        page,
        request,
        entries,
        "website/translated_theme_page.html",
        {
            "item": item,
            "name": name,
            "name_lang": lang,
            "lists": [found for found in lists if found["links"]],
            "audience": audience,
            "audience_filter": audiences.list_filter(entries, request, url, audience),
            "alternates": alternates(request, entries.url(TAXONOMIES["themes"]["route"], slug), {language: url}),
        },
    )
