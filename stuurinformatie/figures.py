"""The figures of the management information, each one aggregate query
(or a few) over the logs: searches (zoeken.SearchQuery), contact outcomes
(ContactOutcome), citizens' and agents' feedback (feedback.Feedback), the
entries' review dates and the kinds' handling levels.

A scope is one gemeente or the whole region (`gemeente` None); a period is
whole days, both ends included, in the site's time zone.

The search log and the contact outcomes are read from the daily roll-up
(models.SearchDay and the like, filled by stuurinformatie/rollup.py) for
the days it holds, and from the log itself for the others (today, and
yesterday while its searches can still be clicked), then added up: the
figures are the same as from the log alone (tests/test_stuurinformatie_rollup.py).
Ties in a ranking are broken by the text in code-point order."""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import Length, TruncDate
from django.utils import timezone

from feedback.models import Feedback, load_entries
from gemeenten.models import Gemeente
from pdc.models import Theme
from sharing.kinds import get_kind, kinds
from sharing.models import LocalOwnership
from sharing.scope import shared_or_own
from zoeken.models import SearchQuery
from zoeken.reports import MIN_LENGTH, is_noise

from .models import OUTCOMES, RESOLVED, ClickDay, ContactOutcome, OutcomeDay, QueryDay, RolledUpDay, SearchDay

TOP = 10
ENTRY_ROWS = 25
NO_THEME = "(zonder thema)"
AGES = ("jonger dan 7 dagen", "7 tot 30 dagen", "30 dagen of ouder")
CHUNK = 500  # keys per IN (…) when looking up roll-up rows


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date  # included

    @property
    def days(self):
        return [self.start + datetime.timedelta(days=n) for n in range((self.end - self.start).days + 1)]

    def q(self, column="created_at"):
        tz = timezone.get_current_timezone()
        start = datetime.datetime.combine(self.start, datetime.time(), tz)
        end = datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(), tz)
        return Q(**{f"{column}__gte": start, f"{column}__lt": end})

    def filter(self, queryset, column="created_at"):
        return queryset.filter(self.q(column))


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


@dataclass(frozen=True)
class Sources:
    """The runs of days of a period read from the roll-up, and those read from the log."""

    rolled: tuple
    live: tuple

    def log(self, queryset):
        return queryset.filter(any_of(run.q() for run in self.live)) if self.live else queryset.none()

    def rollup(self, model, scope):
        rows = model.objects.filter(gemeente=scope.gemeente)  # gemeente None: the region's rows
        return rows.filter(any_of(Q(day__range=(run.start, run.end)) for run in self.rolled)) if self.rolled else rows.none()


def any_of(conditions):
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined


def sources(period):
    rolled = set(RolledUpDay.objects.filter(day__range=(period.start, period.end)).values_list("day", flat=True))
    runs = {True: [], False: []}
    previous = None
    for day in period.days:
        in_rollup = day in rolled
        if previous is in_rollup:
            runs[in_rollup][-1][1] = day
        else:
            runs[in_rollup].append([day, day])
        previous = in_rollup
    return Sources(tuple(Period(*run) for run in runs[True]), tuple(Period(*run) for run in runs[False]))


def leaders(grouped, measure, n):
    """The rows of a grouped queryset whose `measure` is at least the n-th
    largest (ties at the edge included): no row outside them can rank in
    the top n after adding a few live days, unless the live days have it too."""
    edge = list(grouped.order_by(f"-{measure}").values_list(measure, flat=True)[n - 1 : n])
    return grouped.filter(**{f"{measure}__gte": edge[0]}) if edge else grouped


def rolled_rows(grouped, key, measure, n, live_keys):
    """The candidates of the top n from the roll-up: its leaders, and its rows for the keys the live days have."""
    rows = {row[key]: row for row in leaders(grouped, measure, n)}
    live_keys = sorted(set(live_keys) - set(rows))
    for start in range(0, len(live_keys), CHUNK):
        rows |= {row[key]: row for row in grouped.filter(**{f"{key}__in": live_keys[start : start + CHUNK]})}
    return rows.values()


def rate(part, whole):
    """A percentage with one decimal, or None when there is nothing to divide."""
    return round(100 * part / whole, 1) if whole else None


# Searches ---------------------------------------------------------------------------


def searches(scope, period):
    return period.filter(scope.filter(SearchQuery.objects.all()))


def searches_per_day(scope, period):
    """[(day, searches, zero-result searches)] for every day of the period."""
    src = sources(period)
    found = {day: (n, zero) for day, n, zero in src.rollup(SearchDay, scope).values_list("day", "searches", "zero_results")}
    rows = (
        src.log(scope.filter(SearchQuery.objects.all())).annotate(day=TruncDate("created_at")).values("day")
        .annotate(total=Count("pk"), zero=Count("pk", filter=Q(result_count=0))).order_by()
    )
    found |= {row["day"]: (row["total"], row["zero"]) for row in rows}
    return [(day, *found.get(day, (0, 0))) for day in period.days]


def search_totals(scope, period):
    return totals_of_days(searches_per_day(scope, period))


def totals_of_days(per_day):
    """search_totals from searches_per_day, without another pass over the log."""
    total, zero = sum(n for _, n, _ in per_day), sum(z for _, _, z in per_day)
    return {"total": total, "zero": zero, "zero_rate": rate(zero, total)}


def top_questions(scope, period):
    return ranked_queries(scope, period, zero=False)


def top_zero_queries(scope, period):
    return ranked_queries(scope, period, zero=True)


def ranked_queries(scope, period, zero, limit=None):
    """As zoeken.reports.top_queries (the search report's noise filter):
    [{"normalised", "count", "clicks", "results"}] of the period's searches,
    of those that found nothing if `zero`, most asked first."""
    limit = limit or TOP
    src = sources(period)
    live = src.log(scope.filter(SearchQuery.objects.all()))
    if zero:
        live = live.filter(result_count=0)
    live = (
        live.annotate(length=Length("normalised")).filter(length__gte=MIN_LENGTH).values("normalised")
        .annotate(count=Count("pk"), clicks=Count("pk", filter=~Q(clicked="")), results=Max("result_count")).order_by()
    )
    live = {row["normalised"]: row for row in live}
    count, clicks = ("zero_results", "zero_clicks") if zero else ("searches", "clicks")
    rolled = src.rollup(QueryDay, scope).filter(**{f"{count}__gt": 0}).annotate(length=Length("normalised")).filter(length__gte=MIN_LENGTH)
    rolled = rolled.values("normalised").annotate(count=Sum(count), clicks=Sum(clicks), results=Max("max_results")).order_by()
    merged = {}
    for row in [*rolled_rows(rolled, "normalised", "count", limit * 10, live), *live.values()]:
        total = merged.setdefault(row["normalised"], {"normalised": row["normalised"], "count": 0, "clicks": 0, "results": 0})
        total["count"] += row["count"]
        total["clicks"] += row["clicks"]
        total["results"] = 0 if zero else max(total["results"], row["results"])
    ranked = sorted(merged.values(), key=lambda row: (-row["count"], row["normalised"]))[: limit * 10]
    # Noise is judged in Python, as in the search report, over ten times the rows shown.
    return [row for row in ranked if not is_noise(row["normalised"])][:limit]


# Answers and contact outcomes --------------------------------------------------------


def outcome_counts(scope, period):
    """{outcome: count} over every outcome (zero where none), and the
    first-contact resolution: resolved ÷ all contact outcomes."""
    src = sources(period)
    counts = Counter(dict(src.rollup(OutcomeDay, scope).values_list("outcome").annotate(n=Sum("count")).order_by()))
    counts.update(dict(src.log(scope.filter(ContactOutcome.objects.all())).values_list("outcome").annotate(n=Count("pk")).order_by()))
    contacts = sum(counts[o] for o in OUTCOMES)
    resolved = sum(counts[o] for o in RESOLVED)
    return {
        "counts": [(o.label, counts[o]) for o in ContactOutcome.Outcome],
        "contacts": contacts,
        "fcr": rate(resolved, contacts),
    }


def outcomes_per_entry(scope, period):
    """{(kind name, id): {"contacts", "resolved", "copied"}} of every entry with an outcome."""
    src = sources(period)
    groups = {"contacts": Q(outcome__in=OUTCOMES), "resolved": Q(outcome__in=RESOLVED), "copied": Q(outcome=ContactOutcome.Outcome.COPIED)}
    rolled = src.rollup(OutcomeDay, scope).values_list("entry_kind", "entry_id").annotate(
        **{name: Sum("count", filter=condition, default=0) for name, condition in groups.items()}
    )
    live = src.log(scope.filter(ContactOutcome.objects.all())).values_list("entry_kind", "entry_id").annotate(
        **{name: Count("pk", filter=condition) for name, condition in groups.items()}
    )
    found = defaultdict(Counter)
    for name, pk, contacts, resolved, copied in [*rolled.order_by(), *live.order_by()]:
        found[(name, pk)].update({"contacts": contacts, "resolved": resolved, "copied": copied})
    return {reference: {key: n[key] for key in groups} for reference, n in found.items()}


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
    uses = defaultdict(Counter)
    for clicked, n in opened_answers(scope, period, ENTRY_ROWS * 2):
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


def opened_answers(scope, period, limit):
    """[(clicked "kind:id", searches that opened it)], the most opened first."""
    src = sources(period)
    live = src.log(scope.filter(SearchQuery.objects.exclude(clicked=""))).values("clicked").annotate(n=Count("pk")).order_by()
    live = {row["clicked"]: row["n"] for row in live}
    rolled = src.rollup(ClickDay, scope).values("clicked").annotate(n=Sum("opened")).order_by()
    merged = Counter(live)
    merged.update({row["clicked"]: row["n"] for row in rolled_rows(rolled, "clicked", "n", limit, live)})
    return sorted(merged.items(), key=lambda item: (-item[1], item[0]))[:limit]


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
            entries = entries.filter(shared_or_own(scope.gemeente))
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

