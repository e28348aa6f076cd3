"""The daily roll-up of the search log and the contact outcomes: per day,
per gemeente and for the whole region (gemeente empty), what the MI page
counts (stuurinformatie/figures.py reads it for the days it holds).

A day is rolled up once it can no longer change: its last search can be
clicked for zoeken.clicks.MAX_AGE after it was asked, so a day is complete
that long after its end (in the site's time zone). Each day is built in one
transaction (its rows and its RolledUpDay together), so a run that stops
halfway leaves whole days. Run by `manage.py roll_up_mi` (cron, after
midnight) or the task `roll_up_usage`; both only add the days still missing.
Data written into past days afterwards (the demo's and the benchmark's
generator) forgets those days first (`forget`), and so does deleting a
gemeente (the region's rows held its numbers)."""

import datetime

from django.db import transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django_tasks import task

from zoeken.clicks import MAX_AGE
from zoeken.models import SearchQuery

from .figures import Period
from .models import ROLLUP_MODELS, ClickDay, ContactOutcome, OutcomeDay, QueryDay, RolledUpDay, SearchDay

CLICK_WINDOW = datetime.timedelta(seconds=MAX_AGE)
BATCH = 5000


def last_complete_day(now=None):
    """The last day whose searches can no longer be clicked."""
    return timezone.localdate((now or timezone.now()) - CLICK_WINDOW) - datetime.timedelta(days=1)


def first_day():
    firsts = [model.objects.aggregate(first=Min("created_at"))["first"] for model in (SearchQuery, ContactOutcome)]
    firsts = [timezone.localdate(first) for first in firsts if first is not None]
    return min(firsts) if firsts else None


def missing_days(now=None):
    """The complete days with usage (from the first) that are not rolled up yet."""
    first, last = first_day(), last_complete_day(now)
    if first is None or first > last:
        return []
    done = set(RolledUpDay.objects.filter(day__range=(first, last)).values_list("day", flat=True))
    return [day for day in Period(first, last).days if day not in done]


def roll_up(now=None, log=None):
    """Roll up every complete day still missing; returns those days."""
    days = missing_days(now)
    for day in days:
        build_day(day)
        if log:
            log(f"  {day.isoformat()} opgeteld")
    return days


def forget(start=None, end=None):
    """Take days out of the roll-up (all, or start..end), to be built again."""
    days = RolledUpDay.objects.all()
    if start is not None:
        days = days.filter(day__range=(start, end))
    with transaction.atomic():
        for model in ROLLUP_MODELS:
            (model.objects.all() if start is None else model.objects.filter(day__range=(start, end))).delete()
        days.delete()


def forget_all(sender, **kwargs):
    """post_delete of a Gemeente: the region's rows still count it."""
    forget()


@transaction.atomic
def build_day(day):
    period = Period(day, day)
    for model in ROLLUP_MODELS:
        model.objects.filter(day=day).delete()
    searches = period.filter(SearchQuery.objects.all()).order_by()
    zero, clicked = Q(result_count=0), ~Q(clicked="")
    write(SearchDay, day, searches.values("gemeente").annotate(searches=Count("pk"), zero_results=Count("pk", filter=zero)),
          sums=("searches", "zero_results"))
    write(
        QueryDay, day,
        searches.values("gemeente", "normalised").annotate(
            searches=Count("pk"), clicks=Count("pk", filter=clicked), max_results=Max("result_count"),
            zero_results=Count("pk", filter=zero), zero_clicks=Count("pk", filter=zero & clicked),
        ),
        keys=("normalised",), sums=("searches", "clicks", "zero_results", "zero_clicks"), maxima=("max_results",),
    )
    write(ClickDay, day, searches.filter(clicked).values("gemeente", "clicked").annotate(opened=Count("pk")), keys=("clicked",), sums=("opened",))
    outcomes = period.filter(ContactOutcome.objects.all()).order_by()
    write(OutcomeDay, day, outcomes.values("gemeente", "entry_kind", "entry_id", "outcome").annotate(count=Count("pk")),
          keys=("entry_kind", "entry_id", "outcome"), sums=("count",))
    RolledUpDay.objects.update_or_create(day=day)


def write(model, day, grouped, keys=(), sums=(), maxima=()):
    """One row per gemeente (and key) as grouped, and the region's rows: the same added up over the gemeenten."""
    rows, region = [], {}
    for row in grouped:
        values = {name: row[name] for name in (*keys, *sums, *maxima)}
        rows.append(model(day=day, gemeente_id=row["gemeente"], **values))
        total = region.setdefault(tuple(row[name] for name in keys), {**{name: row[name] for name in keys}, **dict.fromkeys((*sums, *maxima), 0)})
        for name in sums:
            total[name] += row[name]
        for name in maxima:
            total[name] = max(total[name], row[name])
    rows += [model(day=day, gemeente=None, **values) for values in region.values()]
    model.objects.bulk_create(rows, batch_size=BATCH)


@task()
def roll_up_usage():
    return len(roll_up())
