"""The search report: what people ask per gemeente, and what finds nothing,
with one-click links to add a synonym or promote an answer.

Noise stays out of the lists: queries asked fewer times than the chosen
minimum, queries that are too short or unreadable (no letters, keyboard
mashing), and queries a curator hid for the gemeente."""

import re
from datetime import timedelta
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.db.models.functions import Length
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from gemeenten.models import Gemeente
from sharing.permissions import can_edit_gemeente, editable_gemeente_ids

from .models import HiddenQuery, SearchQuery
from .text import normalise

PERIODS = (7, 30, 90, 365)
MINIMUM_COUNTS = (1, 2, 3, 5, 10)
DEFAULT_MINIMUM = 2
ROWS = 25
MIN_LENGTH = 3
MAX_WORD_LENGTH = 30
VOWELLESS_WORD = re.compile(r"^[^aeiouy\d]{5,}$")
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
KEYBOARD_RUNS = {row[i : i + 4] for row in KEYBOARD_ROWS for i in range(len(row) - 3)}


def is_noise(normalised):
    """Too short, no letters, one repeated character, an overlong word, a
    long word without vowels ("xkcdq") or keyboard mashing ("asdfgh"): not
    a question anyone can answer."""
    letters = normalised.replace(" ", "")
    if len(letters) < MIN_LENGTH or not re.search(r"[^\W\d_]", letters) or len(set(letters)) <= 1:
        return True
    return any(_is_noise_word(word) for word in normalised.split())


def _is_noise_word(word):
    if len(word) > MAX_WORD_LENGTH or VOWELLESS_WORD.match(word):
        return True
    return any(word[i : i + 4] in KEYBOARD_RUNS for i in range(len(word) - 3))


def report_gemeenten(user):
    ids = editable_gemeente_ids(user)
    gemeenten = Gemeente.objects.order_by("name")
    return list(gemeenten if ids is None else gemeenten.filter(pk__in=ids))


def top_queries(queries, minimum=1, include_noise=False, limit=ROWS):
    if not include_noise:
        queries = queries.annotate(length=Length("normalised")).filter(length__gte=MIN_LENGTH)
    rows = (
        queries.values("normalised")
        .annotate(count=Count("pk"), clicks=Count("pk", filter=~Q(clicked="")), results=Max("result_count"))
        .filter(count__gte=minimum)
        .order_by("-count", "normalised")
    )
    if include_noise:
        return list(rows[:limit])
    # Noise is judged in Python; read enough rows that it cannot empty the list.
    return [row for row in rows[: limit * 10] if not is_noise(row["normalised"])][:limit]


def _choice(params, name, choices, default):
    value = params.get(name, "")
    return int(value) if value.isdigit() and int(value) in choices else default


def _report_options(params):
    """The report's period, minimum count and noise switch from a query string."""
    return {
        "days": _choice(params, "days", PERIODS, 30),
        "min": _choice(params, "min", MINIMUM_COUNTS, DEFAULT_MINIMUM),
        "ruis": 1 if params.get("ruis") == "1" else 0,
    }


def search_report(request):
    gemeenten = report_gemeenten(request.user)
    if not gemeenten:
        raise PermissionDenied
    gemeente = next((g for g in gemeenten if g.slug == request.GET.get("gemeente")), gemeenten[0])
    options = _report_options(request.GET)
    days, minimum, include_noise = options["days"], options["min"], bool(options["ruis"])
    hidden = HiddenQuery.objects.filter(gemeente=gemeente)
    asked = SearchQuery.objects.filter(gemeente=gemeente, created_at__gte=timezone.now() - timedelta(days=days))
    queries = asked.exclude(normalised__in=hidden.values("normalised"))
    return TemplateResponse(
        request,
        "zoeken/report.html",
        {
            "gemeenten": gemeenten,
            "gemeente": gemeente,
            "days": days,
            "periods": PERIODS,
            "minimum": minimum,
            "minimum_counts": MINIMUM_COUNTS,
            "include_noise": include_noise,
            "total": asked.count(),
            "zero_total": asked.filter(result_count=0).count(),
            "top": top_queries(queries, minimum, include_noise),
            "zero": top_queries(queries.filter(result_count=0), minimum, include_noise),
            "hidden": hidden,
            "options": options,
        },
    )


@require_POST
def hide_query(request):
    """Hide a query from one gemeente's report ("verbergen"), or show it again."""
    gemeente = get_object_or_404(Gemeente, slug=request.POST.get("gemeente", ""))
    if not can_edit_gemeente(request.user, gemeente):
        raise PermissionDenied
    query = normalise(request.POST.get("query", ""))
    if query and request.POST.get("action") == "show":
        HiddenQuery.objects.filter(gemeente=gemeente, normalised=query).delete()
        messages.success(request, f"“{query}” staat weer in het rapport van {gemeente}.")
    elif query:
        HiddenQuery.objects.get_or_create(gemeente=gemeente, normalised=query, defaults={"hidden_by": request.user})
        messages.success(request, f"“{query}” is verborgen in het rapport van {gemeente}.")
    back = {"gemeente": gemeente.slug, **_report_options(request.POST)}
    return redirect(f"{reverse('zoeken_report')}?{urlencode(back)}")
