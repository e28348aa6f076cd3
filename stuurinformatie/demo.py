"""Clearly synthetic usage data so the management information shows
something: searches (logged with backend "synthetisch"), contact outcomes,
"was this helpful?" and agents' flags (their remarks start with
"[synthetisch]"),
spread over the past weeks. Used by `manage.py load_mi_demo` and by
bench/mi.py at scale. Deterministic for a seed."""

import datetime
import random
from contextlib import contextmanager

from django.utils import timezone

from feedback.models import Feedback
from sharing.kinds import kinds
from sharing.resolution import visible_queryset
from zoeken.models import SearchQuery

from . import rollup
from .models import OUTCOMES, ContactOutcome

SYNTHETIC = "synthetisch"
MARK = f"[{SYNTHETIC}]"
BATCH = 10_000
# Questions the demo content has no answer for: the zero-result list.
UNANSWERED = (
    "hondenbelasting kwijtschelding", "parkeervergunning bezoekers", "zwerfkat gevonden", "subsidie zonnepanelen",
    "boom omgewaaid", "lantaarnpaal kapot", "huwelijk in het bos", "speeltuin aanvragen",
)
# How often each contact outcome is recorded: most answered at first contact.
OUTCOME_WEIGHTS = {
    ContactOutcome.Outcome.ANSWERED: 70,
    ContactOutcome.Outcome.TRANSFERRED: 12,
    ContactOutcome.Outcome.TRANSFER_FAILED: 3,
    ContactOutcome.Outcome.CALLBACK: 8,
    ContactOutcome.Outcome.REFERRED: 7,
}


@contextmanager
def own_timestamps(*models):
    """Let bulk_create keep the created_at we set (it is auto_now_add)."""
    fields = [model._meta.get_field("created_at") for model in models]
    for field in fields:
        field.auto_now_add = False
    try:
        yield
    finally:
        for field in fields:
            field.auto_now_add = True


def answers(gemeente):
    """([(kind name, id, a query that finds it)] of the entries this gemeente
    sees, the popular ones among them): people mostly look for and open
    written answers of every kind, rarely the empty names of the national
    product list."""
    found, written = [], []
    for kind in kinds():
        for entry in visible_queryset(kind.model, gemeente).order_by("-has_content", "pk")[:200]:
            found.append((kind.name, entry.pk, str(entry).lower()[:80]))
            if entry.has_content:
                written.append(found[-1])
    return found, written[::3] or found[:1]


def moment(rng, day):
    """A time during office hours on `day` (a date), in the site's time zone, in the past."""
    tz = timezone.get_current_timezone()
    at = datetime.datetime.combine(day, datetime.time(rng.randint(8, 17), rng.randint(0, 59), rng.randint(0, 59)), tz)
    return min(at, timezone.now() - datetime.timedelta(seconds=rng.randint(60, 3600)))  # today: never later than now


def search_rows(rng, gemeente, day, count, known, popular):
    """`count` searches of one day: mostly for known answers (a few opened), some finding nothing."""
    for _ in range(count):
        at = moment(rng, day)
        if rng.random() < 0.12:
            query = rng.choice(UNANSWERED)
            yield SearchQuery(gemeente=gemeente, origin="widget", query=query, normalised=query, result_count=0, backend=SYNTHETIC, created_at=at)
            continue
        name, pk, query = rng.choice(popular if rng.random() < 0.6 else known)
        clicked = f"{name}:{pk}" if rng.random() < 0.5 else ""
        yield SearchQuery(
            gemeente=gemeente, origin=rng.choice(("widget", "site")), query=query, normalised=query, result_count=rng.randint(1, 30),
            backend=SYNTHETIC, created_at=at, clicked=clicked, clicked_at=at if clicked else None,
        )


def outcome_rows(rng, gemeente, day, count, known, fcr):
    """Contact outcomes of one day; each entry has its own first-contact rate around `fcr`."""
    weights = [OUTCOME_WEIGHTS[o] for o in OUTCOMES]
    for _ in range(count):
        name, pk, _query = rng.choice(known)
        entry_rate = min(0.98, max(0.3, fcr + (pk % 7 - 3) * 0.05))
        if rng.random() < 0.3:
            outcome = ContactOutcome.Outcome.COPIED
        elif rng.random() < entry_rate:
            outcome = ContactOutcome.Outcome.ANSWERED
        else:
            outcome = rng.choices(OUTCOMES[1:], weights[1:])[0]
        yield ContactOutcome(gemeente=gemeente, entry_kind=name, entry_id=pk, outcome=outcome, created_at=moment(rng, day))


def feedback_rows(rng, gemeente, day, known):
    for _ in range(rng.randint(2, 6)):
        name, pk, _query = rng.choice(known)
        kind = Feedback.Kind.HELPFUL if rng.random() < 0.75 else Feedback.Kind.NOT_HELPFUL
        yield Feedback(gemeente=gemeente, entry_kind=name, entry_id=pk, kind=kind, origin=Feedback.Origin.SITE, remark=MARK, created_at=moment(rng, day))
    if rng.random() < 0.3:
        name, pk, _query = rng.choice(known)
        yield Feedback(
            gemeente=gemeente, entry_kind=name, entry_id=pk, kind=Feedback.Kind.WRONG, origin=Feedback.Origin.WIDGET,
            remark=f"{MARK} Voorbeeldmelding: klopt dit bedrag nog?", created_at=moment(rng, day),
            status=rng.choice((Feedback.Status.NEW, Feedback.Status.IN_PROGRESS, Feedback.Status.FIXED)),
        )


def generate(gemeenten, days, searches_per_day, outcomes_per_day, seed=13, log=None, feedback=True):
    """Synthetic usage of the past `days` days for each gemeente, written
    with bulk_create in batches of BATCH; returns the counts written. Those
    days leave the daily roll-up (they changed): `rollup.roll_up()` adds them again."""
    rng = random.Random(seed)
    today = timezone.localdate()
    written = {"searches": 0, "outcomes": 0, "feedback": 0}
    buffers = {SearchQuery: [], ContactOutcome: [], Feedback: []}
    keys = {SearchQuery: "searches", ContactOutcome: "outcomes", Feedback: "feedback"}

    def flush(model, force=False):
        rows = buffers[model]
        if rows and (force or len(rows) >= BATCH):
            model.objects.bulk_create(rows, batch_size=BATCH)
            written[keys[model]] += len(rows)
            rows.clear()
            if log and model is SearchQuery:
                log(f"  {written['searches']:,} zoekvragen, {written['outcomes']:,} contactuitkomsten geschreven")

    with own_timestamps(SearchQuery, ContactOutcome, Feedback):
        for number, gemeente in enumerate(gemeenten):
            known, popular = answers(gemeente)
            if not known:
                continue
            fcr = 0.62 + 0.25 * (number % 4) / 3  # the gemeenten differ, some above the 80% target
            for back in range(days):
                day = today - datetime.timedelta(days=back)
                weekend = day.weekday() >= 5
                factor = 0.3 if weekend else rng.uniform(0.8, 1.2)
                buffers[SearchQuery].extend(search_rows(rng, gemeente, day, int(searches_per_day * factor), known, popular))
                buffers[ContactOutcome].extend(outcome_rows(rng, gemeente, day, int(outcomes_per_day * factor), known, fcr))
                if feedback:
                    buffers[Feedback].extend(feedback_rows(rng, gemeente, day, known))
                for model in buffers:
                    flush(model)
        for model in buffers:
            flush(model, force=True)
    rollup.forget(today - datetime.timedelta(days=days - 1), today)
    return written


def clear():
    """Remove what `generate` wrote (the contact outcomes all: the demo has no others) and the roll-up."""
    rollup.forget()
    SearchQuery.objects.filter(backend=SYNTHETIC).delete()
    Feedback.objects.filter(remark__startswith=MARK).delete()
    ContactOutcome.objects.all().delete()
