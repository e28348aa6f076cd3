"""The citizen pages of a gemeente's website: routes of its HomePage
(website/models.py) and the per-site sitemap and robots.txt (website/urls.py).

Server-rendered, Dutch, no JavaScript. Every entry shown is the public
resolution for this gemeente (website/entries.py), of any registered kind
(sharing/kinds.py): a kind's page is its `template` with its
`page_context`. What an entry's page shows of the entry is cached per
gemeente and content version (sharing/cache.py); the page around it
(feedback form with its CSRF token, messages) is rendered for each request,
through Wagtail's own `RoutablePageMixin.render`."""

import datetime
import functools
import html
import re
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from feedback.models import Feedback
from sharing.cache import cached
from sharing.kinds import get_kind, kind_names, kind_of_url_prefix, kinds
from sharing.resolution import PUBLIC, visible_queryset
from kennisbank import throttle
from kennisbank.text import strip_control
from zoeken import service as search_service
from zoeken.clicks import InvalidClick, record_click
from zoeken.models import SearchQuery
from zoeken.spelling import THRESHOLD as SPELLING_THRESHOLD, spelling_suggestion

from . import english, helpful
from . import audiences
from .az import AZ, LETTERS, letter_label, letter_links
from .contact import locations
from .entries import TAXONOMIES, Entries
from .forms import FeedbackForm, RemarkForm

TOP_TASKS = 8
TOP_TASK_CLICK_WINDOW = datetime.timedelta(days=90)
QUERY_MAX_LENGTH = 200
PAGE_SIZE = 10
MAX_PAGE = 100
DIGITS = re.compile(r"[0-9]{1,18}")


def dutch(view):
    """The websites are Dutch whatever the browser asks: render in nl."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with translation.override("nl"):
            response = view(*args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        response.headers["Content-Language"] = "nl"
        return response

    return wrapped


def page_response(page, request, template, context, status=200):
    """The page through Wagtail's RoutablePageMixin.render: the page's own
    context (page, gemeente) with the site navigation and `context`."""
    entries = context.pop("entries", None) or Entries(page, request, page.gemeente_for(request))
    response = page.render(request, template=template, context_overrides={"nav": navigation(entries), **context})
    response.status_code = status
    return response


def navigation(entries):
    return {
        "home": entries.root,
        "a_z": entries.url("a_z"),
        "themes": entries.url("themes"),
        "life_events": entries.url("life_events"),
        "search": entries.url("search"),
        "contact": entries.url("contact"),
    }


def kind_of(prefix):
    """The kind whose pages are at /<prefix>/…; Http404 for any other prefix."""
    try:
        return kind_of_url_prefix(prefix)
    except KeyError:
        raise Http404("Deze pagina bestaat niet.") from None


def taxonomy_kinds(field):
    """The kinds with this taxonomy field (themes, life events)."""
    return [kind for kind in kinds() if field in kind.taxonomy_fields]


def taxonomy_model(field):
    found = taxonomy_kinds(field)
    return found[0].model._meta.get_field(field).related_model if found else None


def taxonomies_in_use(field, gemeente):
    """Themes or life events with at least one public entry of this gemeente."""
    condition = None
    for kind in taxonomy_kinds(field):
        relation = kind.model._meta.get_field(field)
        public = visible_queryset(kind.model, gemeente).filter(kind.public_filter())
        found = Q(**{f"{relation.related_query_name()}__in": public})
        condition = found if condition is None else condition | found
    if condition is None:
        return []
    return list(taxonomy_model(field).objects.filter(condition).distinct().order_by("name"))


# Home ---------------------------------------------------------------------


@dutch
def home(page, request):
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    return page_response(
        page,
        request,
        "website/home_page.html",
        {
            "entries": entries,
            "top_tasks": entries.links(top_tasks(page, entries)),
            "themes": taxonomies_in_use("themes", gemeente),
            "life_events": taxonomies_in_use("life_events", gemeente),
            "alternates": english.home_alternates(request, entries),
        },
    )


def top_tasks(page, entries):
    """The editors' choice (the home page's "toptaken"); else the entries
    (of the kinds that can be top tasks) most opened from this site's search
    in the last 90 days; else none (never an arbitrary choice such as the
    first entries by title)."""
    top_kinds = [kind for kind in kinds() if kind.top_tasks]
    chosen = [summary for kind in top_kinds for summary in entries.summaries_of(kind.name, kind.chosen_top_tasks(page))]
    if chosen or not top_kinds:
        return chosen[:TOP_TASKS]
    since = timezone.now() - TOP_TASK_CLICK_WINDOW
    prefixes = Q()
    for kind in top_kinds:
        prefixes |= Q(clicked__startswith=f"{kind.name}:")
    clicked = (
        SearchQuery.objects.filter(prefixes, gemeente=entries.gemeente, origin="site", created_at__gte=since)
        .values("clicked")
        .annotate(clicks=Count("id"))
        .order_by("-clicks", "clicked")[: TOP_TASKS * 2]
    )
    picks = [row["clicked"].split(":", 1) for row in clicked]
    picks = [(name, int(pk)) for name, pk in picks if DIGITS.fullmatch(pk)]
    found = {}
    for kind in top_kinds:
        for summary in entries.summaries_of(kind.name, [pk for name, pk in picks if name == kind.name]):
            found[kind.name, summary.id] = summary
    return [found[pick] for pick in picks if pick in found][:TOP_TASKS]


# The pages of entries (every kind) ----------------------------------------


@dutch
def entry(page, request, kind, slug, feedback_form=None, status=200):
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    try:
        audience = audiences.requested(request, gemeente)
        content = cached(gemeente, PUBLIC, f"website-{kind.name}", (entries.root, slug, audience or ""), lambda: entry_content(entries, kind, slug, audience), immutable=True)
    except Http404:
        return withdrawn(page, request, entries, kind.name, slug)
    return page_response(
        page,
        request,
        kind.template,
        {
            "entries": entries,
            **content,
            "feedback": helpful.section(request, kind.name, content["entry"].id, feedback_form),
            "feedback_url": entries.feedback_url(kind.name, slug),
            "audience_switch": audiences.switch(entries, kind.name, content["entry"]),
            "fragment": entries.fragment(kind.name, slug, audience),
            "alternates": english.alternates(
                request, entries.entry_url(kind.name, slug), {code: entries.translated_url(code, kind.name, slug) for code in content.get("translations", ())}
            )
            if content.get("translations")
            else [],
        },
        status=status,
    )


def entry_content(entries, kind, slug, audience=None):
    """What an entry's page shows of the entry (the same for every visitor;
    cached per content version): its sections and the kind's own context.
    Http404 when it does not exist for this gemeente."""
    entry, resolved = entries.one(kind.name, slug=slug)
    resolved = resolved.for_audience(audience)  # the page of one audience (?doelgroep=…): its variant text
    return {
        "entry": resolved,
        "crumbs": [],
        "sections": resolved.sections,
        "translations": english.translations_of(entries, kind, entry),  # the English page and the language switch
        **kind.page_context(entries, resolved, entry),
    }


def withdrawn(page, request, entries, kind, slug):
    """An entry this gemeente does not offer: a page in the house style
    that says so, with what to do instead. 410 Gone and noindex: the
    address is known and deliberately empty here, unlike a mistyped one
    (404). Anything else that does not exist here stays a 404."""
    found = cached(entries.gemeente, PUBLIC, "website-withdrawn", (kind, slug), lambda: entries.withdrawn(kind, slug), immutable=True)
    if found is None:
        raise Http404("Deze pagina bestaat niet voor deze gemeente.")
    response = page_response(
        page, request, "website/withdrawn_page.html", {"entries": entries, "withdrawn": found, "crumbs": []}, status=410
    )
    response["X-Robots-Tag"] = "noindex"
    return response


@dutch
def contact(page, request):
    """How to reach the gemeente and make an appointment, with its
    locations and opening hours."""
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    by_appointment = [link for kind in kinds() for link in entries.links(entries.published(kind.name, kind.appointment_ids()))]
    return page_response(
        page,
        request,
        "website/contact_page.html",
        {"entries": entries, "crumbs": [], "locations": locations(gemeente), "by_appointment": by_appointment},
    )


@dutch
def feedback(page, request, kind, slug):
    """POST 'was this helpful?': a Feedback for the curators, then back to
    the page with a thank-you (Post/Redirect/Get)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    found, _ = entries.one(kind.name, slug=slug)
    form = FeedbackForm(request.POST)
    view = functools.partial(entry, kind=kind)
    if throttle.exceeded(request, throttle.FEEDBACK):
        form.is_valid()
        form.add_error(None, "U heeft veel reacties achter elkaar gestuurd. Wacht een minuut en probeer het dan opnieuw.")
        return view(page, request, slug=slug, feedback_form=form, status=429)
    back = HttpResponseRedirect(f"{entries.entry_url(kind.name, slug)}#terugkoppeling", status=303)
    given = helpful.answer(request, kind.name, found.pk)
    if given is not None:
        if helpful.awaits_remark(given) and "antwoord" not in request.POST:
            return remark(request, view, page, slug, kind.name, found, given) or back
        return back  # answered before (another tab, the back button): no second Feedback
    if not form.is_valid():
        return view(page, request, slug=slug, feedback_form=form, status=400)
    created = Feedback.objects.create(
        gemeente=gemeente, kind=form.kind, origin=Feedback.Origin.SITE, remark=form.cleaned_data["opmerking"], entry=found
    )
    helpful.remember(request, kind.name, found.pk, {"id": created.pk, "kind": created.kind, "remark": bool(created.remark)})
    return back


def remark(request, view, page, slug, kind, entry, given):
    """The remark after 'Nee', added to that Feedback; left empty, nothing
    is added. Either way the form is not asked again. The page with the
    error when the remark is too long, else None."""
    form = RemarkForm(request.POST)
    if not form.is_valid():
        return view(page, request, slug=slug, feedback_form=form, status=400)
    if form.cleaned_data["opmerking"]:
        Feedback.objects.about(entry).filter(pk=given["id"]).update(remark=form.cleaned_data["opmerking"])
    helpful.remember(request, kind, entry.pk, {**given, "remark": True})
    return None


# Themes, life events, A–Z ---------------------------------------------


@dutch
def taxonomy_index(page, request, field):
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    route = TAXONOMIES[field]["route"]
    items = [{"name": item.name, "url": entries.url(route, item.slug)} for item in taxonomies_in_use(field, gemeente)]
    return page_response(
        page,
        request,
        "website/taxonomy_index_page.html",
        {
            "entries": entries,
            "title": TAXONOMIES[field]["title"],
            "items": items,
            "taxonomy": field,
            "alternates": english.list_alternates(request, entries, entries.url("themes"), "themes") if field == "themes" else [],
        },
    )


@dutch
def taxonomy(page, request, field, slug):
    model = taxonomy_model(field)
    item = model.objects.filter(slug=slug).first() if model else None
    if item is None:
        raise Http404("Onbekend onderwerp.")
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    lists = [
        {
            "heading": kind.list_heading or kind.label_plural,
            "anchor": f"{kind.url_prefix}-kop",
            "links": entries.list(kind.name, **{field: item}),
            "with_summary": kind.list_with_summary,
        }
        for kind in taxonomy_kinds(field)
    ]
    lists = [found for found in lists if found["links"]]
    if not lists:
        raise Http404("Geen onderwerpen voor deze gemeente.")
    listed = {(link.kind, link.id) for found in lists for link in found["links"]}
    audience = audiences.requested(request, gemeente)
    for found in lists:
        found["links"] = audiences.for_audience(entries, found["links"], audience)
    url = entries.url(TAXONOMIES[field]["route"], item.slug)
    return page_response(
        page,
        request,
        "website/taxonomy_page.html",
        {
            "entries": entries,
            "item": item,
            "taxonomy": field,
            "crumbs": [{"title": TAXONOMIES[field]["title"], "url": entries.url(TAXONOMIES[field]["index_route"])}],
            "lists": [found for found in lists if found["links"]],
            "audience": audience,
            "audience_filter": audiences.list_filter(entries, request, url, audience),
            "alternates": english.theme_alternates(request, entries, item, listed) if field == "themes" else [],
        },
    )


@dutch
def a_z(page, request, letter):
    if letter is not None and letter not in LETTERS:
        raise Http404("Onbekende letter.")
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    az = AZ(entries)
    current = letter or az.first_present()
    audience = audiences.requested(request, gemeente)
    url = entries.url("a_z_letter", letter) if letter else entries.url("a_z")
    return page_response(
        page,
        request,
        "website/a_z_page.html",
        {
            "entries": entries,
            "letters": letter_links({key for key, present in az.letters if present}, current, lambda key: entries.url("a_z_letter", key), audience),
            "letter_label": letter_label(current),
            "items": audiences.for_audience(entries, az.items(current), audience),
            "audience": audience,
            "audience_filter": audiences.list_filter(entries, request, url, audience),
            "alternates": english.az_alternates(request, entries, url, letter),
        },
    )


# Search -------------------------------------------------------------------


def clean_query(text):
    text = strip_control(text)
    return " ".join(text.split())[:QUERY_MAX_LENGTH]


def page_number(value):
    try:
        return max(1, min(int(value), MAX_PAGE))
    except (TypeError, ValueError):
        return 1


MARK = re.compile(r"(</?mark>)")


def safe_snippet(snippet):
    """The snippet's text escaped exactly once, with only balanced <mark>
    elements as markup (the engine and the database both send escaped text
    with <mark>; anything else is shown as text)."""
    out, open_marks = [], 0
    for piece in MARK.split(snippet or ""):
        if piece == "<mark>":
            if not open_marks:
                out.append(piece)
            open_marks += 1
        elif piece == "</mark>":
            if open_marks == 1:
                out.append(piece)
            open_marks = max(0, open_marks - 1)
        else:
            out.append(html.escape(html.unescape(piece), quote=False))
    if open_marks:
        out.append("</mark>")
    return mark_safe("".join(out))


@dutch
def search(page, request):
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    query = clean_query(request.GET.get("q", ""))
    audience = audiences.requested(request, gemeente)
    number = page_number(request.GET.get("pagina") or request.GET.get("page"))
    result, hits, suggestions, pages, corrected = None, [], [], {}, ""
    if query:
        origin = None if throttle.exceeded(request, throttle.SEARCH_LOG) else "site"  # past the limit: answered, not logged
        result = search_service.search(query, gemeente, channel="public", audience=audience, page=number, page_size=PAGE_SIZE, origin=origin)
        hits = [search_hit(entries, hit, result.click_token) for hit in result.hits if hit.kind in kind_names()]
        engine = result.backend not in ("database", "none")
        if engine or len(hits) < 3:
            suggestions = search_suggestions(entries, query, exclude={(h["kind"], h["id"]) for h in hits})
        if result.total <= SPELLING_THRESHOLD:
            corrected = spelling_suggestion(entries.gemeente, query)
        pages = pagination(entries, query, result, audience)
    return page_response(
        page,
        request,
        "website/search_page.html",
        {
            "entries": entries,
            "query": query,
            "result": result,
            "hits": hits,
            "suggestions": suggestions,
            "corrected": {"query": corrected, "url": f"{entries.url('search')}?{urlencode({'q': corrected})}"} if corrected else None,
            "pages": pages,
            "audience": audience,
            "audience_filter": audiences.search_filter(entries, query, audience) if query else [],
            "alternates": english.search_alternates(request, entries, query),
            "first_number": (result.page - 1) * result.page_size + 1 if result else 1,
        },
    )


def click_url(entries, kind, entry_id, token):
    params = {"kind": kind, "id": entry_id}
    if token:
        params["t"] = token  # the search's click token (zoeken/clicks.py)
    return f"{entries.url('search_click')}?{urlencode(params)}"


def search_hit(entries, hit, token):
    return {
        "kind": hit.kind,
        "id": hit.id,
        "kind_label": get_kind(hit.kind).label,
        "title": hit.title,
        "url": click_url(entries, hit.kind, hit.id, token),
        "snippet": safe_snippet(hit.snippet),
        "summary": hit.summary,
        "promoted": hit.promoted,
    }


def search_suggestions(entries, query, exclude=()):
    """'Misschien zoekt u': titles that complete the query (public entries
    only), linked through the click redirect."""
    try:
        _, items = search_service.suggest(query, entries.gemeente)
    except Exception:  # suggestions are a nicety: never break the page
        return []
    found, seen = [], set(exclude)
    for item in items:
        key = (item.get("kind"), item.get("id"))
        if key[0] not in kind_names() or key in seen or not isinstance(key[1], int):
            continue
        seen.add(key)
        found.append({"title": item.get("title", ""), "url": click_url(entries, key[0], key[1], None)})
    return found[:8]


def pagination(entries, query, result, audience=None):
    last = min(MAX_PAGE, max(1, -(-result.total // result.page_size)))
    base = entries.url("search")

    def link(number):
        return f"{base}?{urlencode({'q': query, **({audiences.PARAMETER: audience} if audience else {}), 'pagina': number})}"

    return {
        "first": link(1),
        "previous": link(result.page - 1) if result.page > 1 else "",
        "next": link(result.page + 1) if result.page < last else "",
        "current": result.page,
        "last": last,
    }


def search_click(page, request):
    """Record which result a searcher opened, then go to that entry on this
    site. The target is always built from kind and id here, never taken
    from the request (no open redirect)."""
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    kind, entry_id = request.GET.get("kind", ""), request.GET.get("id", "")
    if kind not in kind_names() or not DIGITS.fullmatch(entry_id):
        raise Http404("Onbekend resultaat.")
    with translation.override("nl"):
        entry, _ = entries.one(kind, pk=int(entry_id))  # exists for this gemeente on the public channel
    token = request.GET.get("t")
    if token and not throttle.exceeded(request, throttle.SEARCH_CLICK):
        try:
            record_click(token, kind, entry.pk, origins=("site",), gemeente=gemeente)
        except InvalidClick:
            pass  # not a result of a search on this site: go to the entry, count nothing
    response = HttpResponseRedirect(entries.entry_url(kind, entry.slug))
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
