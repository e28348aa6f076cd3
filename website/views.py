"""The citizen pages of a gemeente's website: routes of its HomePage
(website/models.py) and the per-site sitemap and robots.txt (website/urls.py).

Server-rendered, Dutch, no JavaScript. Every product and VAC shown is the
public resolution for this gemeente (website/entries.py). What a product
or VAC page shows of the entry is cached per gemeente and content version
(sharing/cache.py); the page around it (feedback form with its CSRF token,
messages) is rendered for each request."""

import datetime
import functools
import html
import re
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import Http404, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from feedback.models import Feedback
from kennis.models import VAC
from pdc.models import DigiD, LifeEvent, Product, Theme
from pdc.sections import sections
from sharing.cache import cached, remember
from sharing.resolution import PUBLIC, visible_queryset
from kennisbank import throttle
from kennisbank.text import is_http_url, strip_control
from zoeken import service as search_service
from zoeken.clicks import InvalidClick, record_click
from zoeken.models import SearchQuery
from zoeken.spelling import THRESHOLD as SPELLING_THRESHOLD, spelling_suggestion

from . import helpful
from .az import AZ, LETTERS
from .contact import locations
from .entries import MODELS, Entries
from .forms import FeedbackForm, RemarkForm

TOP_TASKS = 8
TOP_TASK_CLICK_WINDOW = datetime.timedelta(days=90)
QUERY_MAX_LENGTH = 200
PAGE_SIZE = 10
MAX_PAGE = 100
DIGITS = re.compile(r"[0-9]{1,18}")
SECTION_ANCHORS = {
    "description": "wat-is-het",
    "conditions": "voorwaarden",
    "procedure": "aanvragen",
    "required_documents": "meenemen",
    "costs": "kosten",
    "lead_time": "termijn",
    "objection": "bezwaar",
    "no_response": "geen-reactie",
}
TAXONOMIES = {
    # kind: (model, route of the index, route of one, index title, products filter, vacs filter)
    "theme": (Theme, "themes", "theme", "Thema's", "themes", "themes"),
    "life_event": (LifeEvent, "life_events", "life_event", "Levensgebeurtenissen", "life_events", None),
}


def dutch(view):
    """The websites are Dutch whatever the browser asks: render in nl."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with translation.override("nl"):
            response = view(*args, **kwargs)
        response.headers["Content-Language"] = "nl"
        return response

    return wrapped


def page_response(page, request, template, context, status=200):
    gemeente = page.gemeente_for(request)
    full = page.get_context(request)
    entries = context.pop("entries", None) or Entries(page, request, gemeente)
    full.update(nav=navigation(entries), gemeente=gemeente, **context)
    return render(request, template, full, status=status)


def navigation(entries):
    return {
        "home": entries.root,
        "a_z": entries.url("a_z"),
        "themes": entries.url("themes"),
        "life_events": entries.url("life_events"),
        "search": entries.url("search"),
        "contact": entries.url("contact"),
    }


def taxonomies_in_use(model, gemeente, products_field, vacs_field):
    """Themes or life events with at least one visible entry of this gemeente."""
    condition = Q(**{f"{products_field}__in": visible_queryset(Product, gemeente)})
    if vacs_field:
        condition |= Q(**{f"{vacs_field}__in": visible_queryset(VAC, gemeente).filter(status="actief")})
    return list(model.objects.filter(condition).distinct().order_by("name"))


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
            "themes": taxonomies_in_use(Theme, gemeente, "products", "vacs"),
            "life_events": taxonomies_in_use(LifeEvent, gemeente, "products", None),
        },
    )


def top_tasks(page, entries):
    """The editors' choice (the home page's "toptaken"); else the products
    most opened from this site's search in the last 90 days; else none
    (never an arbitrary choice such as the first products by title)."""
    chosen = list(page.top_tasks.values_list("product_id", flat=True))
    if chosen:
        return entries.summaries_of("product", chosen)[:TOP_TASKS]
    since = timezone.now() - TOP_TASK_CLICK_WINDOW
    clicked = (
        SearchQuery.objects.filter(gemeente=entries.gemeente, channel="site", clicked__startswith="product:", created_at__gte=since)
        .values("clicked")
        .annotate(clicks=Count("id"))
        .order_by("-clicks", "clicked")[: TOP_TASKS * 2]
    )
    ids = [int(row["clicked"][8:]) for row in clicked if DIGITS.fullmatch(row["clicked"][8:])]
    return entries.summaries_of("product", ids)[:TOP_TASKS]


# Products and VACs ------------------------------------------------------


@dutch
def product(page, request, slug, feedback_form=None, status=200):
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    try:
        content = cached(gemeente, PUBLIC, "website-product", (entries.root, slug), lambda: product_content(entries, slug))
    except Http404:
        return withdrawn(page, request, entries, "product", slug)
    return page_response(
        page,
        request,
        "website/product_page.html",
        {
            "entries": entries,
            **content,
            "feedback": helpful.section(request, "product", content["entry"].id, feedback_form),
            "feedback_url": entries.url("product_feedback", slug),
        },
        status=status,
    )


def product_content(entries, slug):
    """What a product page shows of the product (the same for every
    visitor; cached per content version): Http404 when it does not exist
    for this gemeente."""
    resolved, related_products = entries.one_with_related("product", slug, "related_products")
    fields = resolved.fields
    return {
        "entry": resolved,
        "crumbs": [{"title": "Producten A–Z", "url": entries.url("a_z")}],
        "sections": [
            {"name": name, "anchor": SECTION_ANCHORS.get(name, name), "heading": heading, "html": content}
            for name, heading, content in sections(resolved)
        ],
        "tasks": task_links(entries, fields),
        "related_products": entries.links(related_products),
        "related_vacs": entries.list("vac", related_products=resolved.id),
        "themes": taxonomy_links(entries, Theme, "theme", fields.get("themes", [])),
        "life_events": taxonomy_links(entries, LifeEvent, "life_event", fields.get("life_events", [])),
    }


def task_links(entries, fields):
    """The buttons of "Direct regelen", each with the text of what it does:
    the online application (with the DigiD level it needs) and making an
    appointment (the gemeente's own link, else its contact page)."""
    tasks = []
    online = safe_url(fields.get("online_application_url", ""))
    digid = dict(DigiD.choices).get(fields.get("digid")) if fields.get("digid") not in (None, DigiD.GEEN) else ""
    if online:
        tasks.append(
            {"label": "Online aanvragen met DigiD" if digid else "Online aanvragen", "url": online, "hint": f"U logt in met {digid}." if digid else ""}
        )
    appointment = safe_url(fields.get("appointment_url", ""))
    if appointment or fields.get("appointment_required") or fields.get("bookable_online"):
        tasks.append(
            {
                "label": "Afspraak maken",
                "url": appointment or f"{entries.url('contact')}#afspraak",
                "hint": "Hiervoor maakt u eerst een afspraak." if fields.get("appointment_required") else "",
            }
        )
    return tasks


def withdrawn(page, request, entries, kind, slug):
    """A product or VAC this gemeente does not offer: a page in the house
    style that says so, with what to do instead. 410 Gone and noindex: the
    address is known and deliberately empty here, unlike a mistyped one
    (404). Anything else that does not exist here stays a 404."""
    found = cached(entries.gemeente, PUBLIC, "website-withdrawn", (kind, slug), lambda: entries.withdrawn(kind, slug))
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
    by_appointment = entries.links(entries.published("product", Product.objects.filter(appointment_required=True).values_list("pk", flat=True)))
    return page_response(
        page,
        request,
        "website/contact_page.html",
        {"entries": entries, "crumbs": [], "locations": locations(gemeente), "by_appointment": by_appointment},
    )


@dutch
def vac(page, request, slug, feedback_form=None, status=200):
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    try:
        content = cached(gemeente, PUBLIC, "website-vac", (entries.root, slug), lambda: vac_content(entries, slug))
    except Http404:
        return withdrawn(page, request, entries, "vac", slug)
    return page_response(
        page,
        request,
        "website/vac_page.html",
        {
            "entries": entries,
            **content,
            "feedback": helpful.section(request, "vac", content["entry"].id, feedback_form),
            "feedback_url": entries.url("vac_feedback", slug),
        },
        status=status,
    )


def vac_content(entries, slug):
    """What a VAC page shows of the VAC (cached like product_content)."""
    resolved, related_vacs = entries.one_with_related("vac", slug, "related_vacs")
    return {
        "entry": resolved,
        "crumbs": [],
        "answer": resolved["answer"],
        "related_products": entries.list("product", vacs=resolved.id),
        "related_vacs": entries.links(related_vacs),
        "themes": taxonomy_links(entries, Theme, "theme", resolved.fields.get("themes", [])),
    }


def taxonomy_links(entries, model, route, names):
    if not names:
        return []
    # Every theme or life event with its slug: a small table, read once per
    # gemeente and content version.
    everything = remember(
        f"taxonomy-links:{entries.gemeente.pk}:{model._meta.label_lower}", (), lambda: [(item.name, item.slug) for item in model.objects.order_by("name")]
    )
    return [{"name": name, "url": entries.url(route, slug)} for name, slug in everything if name in names]


def safe_url(url):
    """Only http(s) addresses become links (an override is free text)."""
    return url if is_http_url(url) else ""


@dutch
def feedback(page, request, kind, slug):
    """POST 'was this helpful?': a Feedback for the curators, then back to
    the page with a thank-you (Post/Redirect/Get)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    entry, _ = entries.one(kind, slug=slug)
    form = FeedbackForm(request.POST)
    view = product if kind == "product" else vac
    if throttle.exceeded(request, throttle.FEEDBACK):
        form.is_valid()
        form.add_error(None, "U heeft veel reacties achter elkaar gestuurd. Wacht een minuut en probeer het dan opnieuw.")
        return view(page, request, slug, feedback_form=form, status=429)
    back = HttpResponseRedirect(f"{entries.entry_url(kind, slug)}#terugkoppeling", status=303)
    given = helpful.answer(request, kind, entry.pk)
    if given is not None:
        if helpful.awaits_remark(given) and "antwoord" not in request.POST:
            return remark(request, view, page, slug, kind, entry, given) or back
        return back  # answered before (another tab, the back button): no second Feedback
    if not form.is_valid():
        return view(page, request, slug, feedback_form=form, status=400)
    created = Feedback.objects.create(
        gemeente=gemeente, kind=form.kind, channel=Feedback.Channel.SITE, remark=form.cleaned_data["opmerking"], entry=entry
    )
    helpful.remember(request, kind, entry.pk, {"id": created.pk, "kind": created.kind, "remark": bool(created.remark)})
    return back


def remark(request, view, page, slug, kind, entry, given):
    """The remark after 'Nee', added to that Feedback; left empty, nothing
    is added. Either way the form is not asked again. The page with the
    error when the remark is too long, else None."""
    form = RemarkForm(request.POST)
    if not form.is_valid():
        return view(page, request, slug, feedback_form=form, status=400)
    if form.cleaned_data["opmerking"]:
        Feedback.objects.about(entry).filter(pk=given["id"]).update(remark=form.cleaned_data["opmerking"])
    helpful.remember(request, kind, entry.pk, {**given, "remark": True})
    return None


# Themes, life events, A–Z ---------------------------------------------


@dutch
def taxonomy_index(page, request, kind):
    model, index_route, route, title, products_field, vacs_field = TAXONOMIES[kind]
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    items = [
        {"name": item.name, "url": entries.url(route, item.slug)}
        for item in taxonomies_in_use(model, gemeente, "products", "vacs" if vacs_field else None)
    ]
    return page_response(
        page, request, "website/taxonomy_index_page.html", {"entries": entries, "title": title, "items": items, "kind": kind}
    )


@dutch
def taxonomy(page, request, kind, slug):
    model, index_route, route, index_title, products_field, vacs_field = TAXONOMIES[kind]
    item = model.objects.filter(slug=slug).first()
    if item is None:
        raise Http404("Onbekend onderwerp.")
    gemeente = page.gemeente_for(request)
    entries = Entries(page, request, gemeente)
    products = entries.list("product", **{products_field: item})
    vacs = entries.list("vac", **{vacs_field: item}) if vacs_field else []
    if not products and not vacs:
        raise Http404("Geen onderwerpen voor deze gemeente.")
    return page_response(
        page,
        request,
        "website/taxonomy_page.html",
        {
            "entries": entries,
            "item": item,
            "kind": kind,
            "crumbs": [{"title": index_title, "url": entries.url(index_route)}],
            "products": products,
            "vacs": vacs,
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
    return page_response(
        page,
        request,
        "website/a_z_page.html",
        {
            "entries": entries,
            "letters": [
                {"letter": key, "label": "0–9" if key == "0-9" else key.upper(), "present": present, "url": entries.url("a_z_letter", key), "current": key == current}
                for key, present in az.letters
            ],
            "letter_label": "0–9" if current == "0-9" else current.upper(),
            "products": az.products(current),
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
    number = page_number(request.GET.get("pagina") or request.GET.get("page"))
    result, hits, suggestions, pages, corrected = None, [], [], {}, ""
    if query:
        origin = None if throttle.exceeded(request, throttle.SEARCH_LOG) else "site"  # past the limit: answered, not logged
        result = search_service.search(query, gemeente, channel="public", page=number, page_size=PAGE_SIZE, origin=origin)
        hits = [search_hit(entries, hit, result.click_token) for hit in result.hits if hit.kind in MODELS]
        engine = result.backend not in ("database", "none")
        if engine or len(hits) < 3:
            suggestions = search_suggestions(entries, query, exclude={(h["kind"], h["id"]) for h in hits})
        if result.total <= SPELLING_THRESHOLD:
            corrected = spelling_suggestion(entries.gemeente, query)
        pages = pagination(entries, query, result)
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
        "kind_label": "Product" if hit.kind == "product" else "Vraag en antwoord",
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
        if key[0] not in MODELS or key in seen or not isinstance(key[1], int):
            continue
        seen.add(key)
        found.append({"title": item.get("title", ""), "url": click_url(entries, key[0], key[1], None)})
    return found[:8]


def pagination(entries, query, result):
    last = min(MAX_PAGE, max(1, -(-result.total // result.page_size)))
    base = entries.url("search")

    def link(number):
        return f"{base}?{urlencode({'q': query, 'pagina': number})}"

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
    if kind not in MODELS or not DIGITS.fullmatch(entry_id):
        raise Http404("Onbekend resultaat.")
    with translation.override("nl"):
        entry, _ = entries.one(kind, pk=int(entry_id))  # exists for this gemeente on the public channel
    token = request.GET.get("t")
    if token and not throttle.exceeded(request, throttle.SEARCH_CLICK):
        try:
            record_click(token, kind, entry.pk, channels=("site",), gemeente=gemeente)
        except InvalidClick:
            pass  # not a result of a search on this site: go to the entry, count nothing
    response = HttpResponseRedirect(entries.entry_url(kind, entry.slug))
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
