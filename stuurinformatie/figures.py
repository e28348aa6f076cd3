"""The figures of the management information, each one aggregate query
(or a few) over the logs: searches (zoeken.SearchQuery), contact outcomes
(ContactOutcome), citizens' and agents' feedback (feedback.Feedback), the
entries' review dates and the kinds' handling levels.

A scope is one gemeente or the whole region (`gemeente` None); a period is
whole days, both ends included, in the site's time zone."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from feedback.models import Feedback, load_entries
from gemeenten.models import Gemeente
from pdc.models import Theme
from sharing.kinds import get_kind, kinds
from sharing.models import LocalOwnership
from zoeken.models import SearchQuery
from zoeken.reports import top_queries

from .models import OUTCOMES, RESOLVED, ContactOutcome

TOP = 10
ENTRY_ROWS = 25
NO_THEME = "(zonder thema)"
AGES = ("jonger dan 7 dagen", "7 tot 30 dagen", "30 dagen of ouder")


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    @property
    def days(self):
        return [self.start + datetime.timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def filter(self, queryset, column="created_at"):
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time(), tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(), tz)
        return queryset.filter(**{f"{column}__gte": start, f"{column}__lt": end})


@dataclass(frozen=True)
class Scope:
    gemeente: Gemeente | None = None  # None: the region

    @property
    def name(self):
        return self.gemeente.name if self.gemeente else "de regio"

    def filter(self, queryset):
        return queryset if self.gemeente is None else queryset.filter(gemeente=self.gemeente)

    def gemeente_ids(self):
        return [self.gemeente.pk] if self.gemeente else list(Gemeente.objects.values_list("pk", flat=True))


def rate(part, whole):
    """A percentage with one decimal, or None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


# Searches ---------------------------------------------------------------------------


def searches(scope, period):
    return period.filter(scope.filter(SearchQuery.objects.all()))


def searches_per_day(scope, period):
    """[(day, searches, zero-result searches)] for every day of the period."""
    rows = (
        searches(scope, period).annotate(day=TruncDate("created_at")).values("day")
        .annotate(total=Count("pk"), zero=Count("pk", filter=Q(result_count=0))).order_by()
    )
    found = {row["day"]: (row["total"], row["zero"]) for row in rows}
    return [(day, *found.get(day, (0, 0))) for day in period.days]


def search_totals(scope, period):
    totals = searches(scope, period).aggregate(total=Count("pk"), zero=Count("pk", filter=Q(result_count=0)))
    return {**totals, "zero_rate": rate(totals["zero"], totals["total"])}


def totals_of_days(per_day):
    """search_totals from searches_per_day, without another pass over the log."""
    total, zero = sum(n for _, n, _ in per_day), sum(z for _, _, z in per_day)
    return {"total": total, "zero": zero, "zero_rate": rate(zero, total)}


def top_questions(scope, period):
    return top_queries(searches(scope, period), limit=TOP)


def top_zero_queries(scope, period):
    return top_queries(searches(scope, period).filter(result_count=0), limit=TOP)


# Answers and contact outcomes --------------------------------------------------------


def outcomes(scope, period):
    return period.filter(scope.filter(ContactOutcome.objects.all()))


def outcome_counts(scope, period):
    """{outcome: count} over every outcome (zero where none), and the
    first-contact resolution: resolved ÷ all contact outcomes."""
    counts = Counter(dict(outcomes(scope, period).values_list("outcome").annotate(n=Count("pk")).order_by()))
    contacts = sum(counts[o] for o in OUTCOMES)
    resolved = sum(counts[o] for o in RESOLVED)
    return {
        "counts": [(o.label, counts[o]) for o in ContactOutcome.Outcome],
        "contacts": contacts,
        "fcr": rate(resolved, contacts),
    }


def outcomes_per_entry(scope, period):
    """{(kind name, id): {"contacts", "resolved", "copied"}} of every entry with an outcome."""
    rows = (
        outcomes(scope, period).values_list("entry_kind", "entry_id")
        .annotate(
            contacts=Count("pk", filter=Q(outcome__in=OUTCOMES)),
            resolved=Count("pk", filter=Q(outcome__in=RESOLVED)),
            copied=Count("pk", filter=Q(outcome=ContactOutcome.Outcome.COPIED)),
        ).order_by()
    )
    return {(name, pk): {"contacts": c, "resolved": r, "copied": cp} for name, pk, c, r, cp in rows}


def entry_label(found, reference):
    entry = found.get(reference)
    kind = get_kind(reference[0]).label if entry is not None else reference[0]
    return (str(entry) if entry is not None else f"(verwijderd: {reference[0]} {reference[1]})"), kind


def fcr_per_entry(per_entry):
    """The entries with the most contact outcomes: their first-contact resolution."""
    ranked = sorted((item for item in per_entry.items() if item[1]["contacts"]), key=lambda item: (-item[1]["contacts"], item[0]))[:ENTRY_ROWS]
    found = load_entries(ref for ref, _ in ranked)
    rows = []
    for reference, n in ranked:
        title, kind = entry_label(found, reference)
        rows.append({"title": title, "kind": kind, "contacts": n["contacts"], "resolved": n["resolved"], "fcr": rate(n["resolved"], n["contacts"])})
    return rows


def theme_relation(kind):
    """The kind's many-to-many to the themes, or None."""
    for name in kind.taxonomy_fields:
        field = kind.model._meta.get_field(name)
        if field.related_model is Theme:
            return field
    return None


def fcr_per_theme(per_entry):
    """First-contact resolution per theme; an entry in several themes counts in each."""
    totals = defaultdict(Counter)
    themed = set()
    names = dict(Theme.objects.values_list("pk", "name"))
    for kind in kinds():
        field = theme_relation(kind)
        ids = [pk for (name, pk) in per_entry if name == kind.name]
        if field is None or not ids:
            continue
        through = field.remote_field.through
        source, target = field.m2m_column_name(), field.m2m_reverse_name()
        for entry_id, theme_id in through.objects.filter(**{f"{source}__in": ids}).values_list(source, target):
            totals[names[theme_id]].update(per_entry[(kind.name, entry_id)])
            themed.add((kind.name, entry_id))
    for reference, n in per_entry.items():
        if reference not in themed:
            totals[NO_THEME].update(n)
    rows = [{"theme": theme, "contacts": n["contacts"], "resolved": n["resolved"], "fcr": rate(n["resolved"], n["contacts"])} for theme, n in totals.items() if n["contacts"]]
    return sorted(rows, key=lambda row: (-row["contacts"], row["theme"]))


def most_used_answers(scope, period, per_entry):
    """Answers by use: opened from a search, copied, an outcome recorded."""
    clicks = (
        searches(scope, period).exclude(clicked="").values_list("clicked").annotate(n=Count("pk")).order_by("-n")[: ENTRY_ROWS * 2]
    )
    uses = defaultdict(Counter)
    for clicked, n in clicks:
        name, _, pk = clicked.partition(":")
        if pk.isdigit():
            uses[(name, int(pk))]["opened"] += n
    for reference, n in per_entry.items():
        uses[reference].update({"copied": n["copied"], "contacts": n["contacts"]})
    ranked = sorted(uses.items(), key=lambda item: (-sum(item[1].values()), item[0]))[:TOP]
    found = load_entries(ref for ref, _ in ranked)
    rows = []
    for reference, n in ranked:
        title, kind = entry_label(found, reference)
        rows.append({"title": title, "kind": kind, "opened": n["opened"], "copied": n["copied"], "contacts": n["contacts"], "total": sum(n.values())})
    return rows


# Feedback ------------------------------------------------------------------------------


def feedback(scope, period):
    return period.filter(scope.filter(Feedback.objects.all()))


def answered_helpful(scope, period):
    return feedback(scope, period).filter(kind__in=(Feedback.Kind.HELPFUL, Feedback.Kind.NOT_HELPFUL))


def helpfulness_totals(scope, period):
    totals = answered_helpful(scope, period).aggregate(
        helpful=Count("pk", filter=Q(kind=Feedback.Kind.HELPFUL)), not_helpful=Count("pk", filter=Q(kind=Feedback.Kind.NOT_HELPFUL))
    )
    return {**totals, "share": rate(totals["helpful"], totals["helpful"] + totals["not_helpful"])}


def helpfulness(scope, period):
    """Citizens' "was this helpful?": totals and the entries most often not helpful."""
    asked = answered_helpful(scope, period)
    totals = helpfulness_totals(scope, period)
    worst = (
        asked.about_entries().values_list("entry_kind", "entry_id")
        .annotate(helpful=Count("pk", filter=Q(kind=Feedback.Kind.HELPFUL)), not_helpful=Count("pk", filter=Q(kind=Feedback.Kind.NOT_HELPFUL)))
        .filter(not_helpful__gt=0).order_by("-not_helpful", "entry_kind", "entry_id")[:TOP]
    )
    worst = list(worst)
    found = load_entries((name, pk) for name, pk, *_ in worst)
    rows = []
    for name, pk, helpful, not_helpful in worst:
        title, kind = entry_label(found, (name, pk))
        rows.append({"title": title, "kind": kind, "helpful": helpful, "not_helpful": not_helpful, "share": rate(helpful, helpful + not_helpful)})
    return {**totals, "entries": rows}


def flags(scope, period):
    """Flags received in the period, by status and by age (from today)."""
    now = timezone.now()
    labels = dict(Feedback.Status.choices)
    # Age buckets as conditional counts: [0,7), [7,30), [30,∞) days.
    young, middle = now - datetime.timedelta(days=7), now - datetime.timedelta(days=30)
    buckets = {
        "age0": Count("pk", filter=Q(created_at__gt=young)),
        "age1": Count("pk", filter=Q(created_at__lte=young, created_at__gt=middle)),
        "age2": Count("pk", filter=Q(created_at__lte=middle)),
    }
    rows = feedback(scope, period).filter(kind__in=Feedback.FLAG_KINDS).values("status").annotate(total=Count("pk"), **buckets).order_by()
    order = list(labels)
    rows = sorted(rows, key=lambda row: order.index(row["status"]) if row["status"] in order else len(order))
    return [{"status": labels.get(row["status"], row["status"]), "total": row["total"], "ages": [row[f"age{n}"] for n in range(len(AGES))]} for row in rows]


# Knowledge: freshness and coverage ---------------------------------------------------------


def freshness(scope):
    """Per kind: live entries the scope sees with a review date still to come
    (on time), one past (overdue), and none."""
    today = timezone.localdate()
    rows = []
    for kind in kinds():
        entries = kind.model.objects.filter(live=True)
        if scope.gemeente is not None:
            entries = entries.filter(Q(gemeente=None) | Q(gemeente=scope.gemeente))
        n = entries.aggregate(**review_counts(today))
        rows.append({"kind": kind.label_plural, **n, "on_time_share": rate(n["on_time"], n["total"])})
    local = scope.filter(LocalOwnership.objects.all()).aggregate(**review_counts(today))
    rows.append({"kind": "Lokale teksten (afwijkingen)", **local, "on_time_share": rate(local["on_time"], local["total"])})
    return rows


def review_counts(today):
    return {
        "total": Count("pk"),
        "on_time": Count("pk", filter=Q(review_date__gte=today)),
        "overdue": Count("pk", filter=Q(review_date__lt=today)),
        "never": Count("pk", filter=Q(review_date=None)),
    }


def coverage(scope):
    """Per kind with a handling level: [(kind label, [level labels], [(gemeente, [counts])])]."""
    gemeenten = dict(Gemeente.objects.filter(pk__in=scope.gemeente_ids()).values_list("pk", "name"))
    result = []
    for kind in kinds():
        levels = kind.handling_levels(list(gemeenten))
        if levels is None:
            continue
        labels = list(next(iter(levels.values()), {}))
        rows = sorted((gemeenten[pk], [counts[label] for label in labels]) for pk, counts in levels.items())
        result.append({"kind": kind.label_plural, "levels": labels, "rows": rows})
    return result

