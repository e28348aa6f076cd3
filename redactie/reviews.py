"""Owners and review dates: whose text it is, when it is next due, and
"nog juist" (the owner confirms it without changing it).

A shared entry and a local entry keep their owner and dates on their own
row; a gemeente's local texts (overrides) of a shared entry have a
sharing.models.LocalOwnership row. Both have the same fields (owner,
owner_team, review_date, reviewed_at), so the rest of this module treats
them alike as the entry's *holder* for a gemeente."""

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.log_actions import log

from feedback.models import Feedback
from gemeenten.models import Membership, Role
from sharing.kinds import get_kind, kinds
from sharing.models import LocalOwnership
from sharing.permissions import can_edit_base, can_edit_gemeente

from .models import ReviewCycle

CONFIRM_ACTION = "kennisbank.review.confirm"
DUE_WITHIN_DAYS = 30


class State:
    OVERDUE = "overdue"
    DUE = "due"
    NEVER = "never"
    FLAGGED = "flagged"


STATE_LABELS = {
    State.OVERDUE: "te laat",
    State.DUE: f"binnen {DUE_WITHIN_DAYS} dagen",
    State.NEVER: "nooit gecontroleerd",
    State.FLAGGED: "gemeld",
}


def add_months(day, months):
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def theme_ids(entry):
    return set(entry.themes.values_list("pk", flat=True)) if hasattr(entry, "themes") and entry.pk else set()


def cycle_months(entry):
    """The shortest cycle of the entry's themes, else its kind's, else any kind's, else the default."""
    kind = get_kind(entry).name
    cycles = list(ReviewCycle.objects.filter(Q(theme__in=theme_ids(entry)) | Q(theme__isnull=True, entry_kind__in=[kind, ""])))
    for matches in (lambda c: c.theme_id, lambda c: c.entry_kind == kind, lambda c: True):
        months = [c.months for c in cycles if matches(c)]
        if months:
            return min(months)
    return ReviewCycle.DEFAULT_MONTHS


def next_review_date(entry, today=None):
    return add_months(today or timezone.localdate(), cycle_months(entry))


def review_state(review_date, reviewed_at, open_flags=0, today=None):
    """The states of one text on a day: overdue, due within 30 days, never
    reviewed, flagged (any of them, or none)."""
    today = today or timezone.localdate()
    states = set()
    if review_date is not None and review_date < today:
        states.add(State.OVERDUE)
    elif review_date is not None and review_date <= today + timedelta(days=DUE_WITHIN_DAYS):
        states.add(State.DUE)
    if reviewed_at is None:
        states.add(State.NEVER)
    if open_flags:
        states.add(State.FLAGGED)
    return states


def holder(entry, gemeente=None):
    """What holds the owner and dates of the text `gemeente` shows of `entry`
    (its local texts' LocalOwnership, unsaved when there is none yet), or
    the entry itself (a shared entry for the region, a local entry)."""
    if gemeente is None or entry.gemeente_id is not None:
        return entry
    found = LocalOwnership.objects.filter(entry_kind=get_kind(entry).name, entry_id=entry.pk, gemeente=gemeente).first()
    return found or LocalOwnership(entry_kind=get_kind(entry).name, entry_id=entry.pk, gemeente=gemeente)


def is_owner(user, item):
    return bool(item.owner_id == user.pk or (item.owner_team_id and item.owner_team.members.filter(pk=user.pk).exists()))


def may_review(user, entry, gemeente=None):
    """The curators of that text, or its owner (a person or a member of its
    team); a municipal curator only their own gemeente's texts."""
    if gemeente is None and entry.gemeente_id is None:
        allowed = can_edit_base(user)
    else:
        allowed = can_edit_gemeente(user, gemeente or entry.gemeente)
    return allowed or is_owner(user, holder(entry, gemeente))


def mark_reviewed(entry, gemeente=None, today=None):
    """Set "reviewed now" and the next date; returns the next date."""
    next_date = next_review_date(entry, today)
    item = holder(entry, gemeente)
    now = timezone.now()
    if item is entry:
        # Not a content change: no revision, no new version for the channels.
        type(entry)._default_manager.filter(pk=entry.pk).update(reviewed_at=now, review_date=next_date)
        entry.reviewed_at, entry.review_date = now, next_date
    else:
        item.reviewed_at, item.review_date = now, next_date
        item.save()
    return next_date


def confirm(entry, gemeente, user):
    """"Nog juist": one click, logged in the entry's history."""
    next_date = mark_reviewed(entry, gemeente)
    data = {"gemeente": gemeente.slug if gemeente else None, "review_date": next_date.isoformat()}
    log(instance=entry, action=CONFIRM_ACTION, user=user, data=data)
    return next_date


# Changes set the next date too ----------------------------------------------------------


def entry_published(sender, instance, **kwargs):
    """A published change of a shared or local entry counts as a review."""
    mark_reviewed(instance)


def override_saved(sender, instance, created=False, update_fields=None, raw=False, **kwargs):
    """A gemeente's changed local text counts as a review of its local texts
    (not the flag that the shared text changed under it)."""
    if raw or (update_fields is not None and set(update_fields) <= {"base_changed"}):
        return
    mark_reviewed(instance.entry, instance.gemeente)


def delete_ownership_on_entry(sender, instance, **kwargs):
    try:
        kind = get_kind(sender)
    except KeyError:
        return
    LocalOwnership.objects.filter(entry_kind=kind.name, entry_id=instance.pk).delete()


# The report ---------------------------------------------------------------------------


@dataclass
class ReviewItem:
    entry: object
    gemeente: object  # None: the region's shared text
    owner: object
    owner_team: object
    review_date: date | None
    reviewed_at: object
    open_flags: int = 0
    states: set = field(default_factory=set)

    @property
    def kind(self):
        return get_kind(self.entry)

    @property
    def owner_display(self):
        names = [str(o) for o in (self.owner, self.owner_team) if o]
        if names:
            return " · ".join(names)
        return f"kennisregisseurs {self.gemeente}" if self.gemeente else "regionale kennisregisseurs"

    @property
    def state_labels(self):
        return [STATE_LABELS[s] for s in (State.OVERDUE, State.DUE, State.NEVER, State.FLAGGED) if s in self.states]


def open_flag_counts(gemeente):
    """{(kind name, entry id): open flags} on the texts of the gemeente (None: on shared text anywhere)."""
    flags = Feedback.objects.open().flags().about_entries()
    flags = flags.filter(route=Feedback.Route.SHARED) if gemeente is None else flags.filter(gemeente=gemeente, route=Feedback.Route.LOCAL)
    return {(k, i): n for k, i, n in flags.values_list("entry_kind", "entry_id").annotate(n=Count("pk")).values_list("entry_kind", "entry_id", "n")}


def filtered(queryset, theme=None, department=None):
    model = queryset.model
    if theme is not None and hasattr(model, "themes"):
        queryset = queryset.filter(themes=theme)
    elif theme is not None:
        return queryset.none()
    if department is not None:
        relations = [f.name for f in model._meta.get_fields() if f.is_relation and f.related_model is type(department)]
        if not relations:
            return queryset.none()
        condition = Q()
        for name in relations:
            condition |= Q(**{name: department})
        queryset = queryset.filter(condition)
    return queryset.distinct()


def review_items(gemeente=None, today=None, theme=None, department=None):
    """Every text with its owner, dates and states: the region's shared
    entries (gemeente None), or a gemeente's local entries and the shared
    entries it has local texts of."""
    today = today or timezone.localdate()
    flags = open_flag_counts(gemeente)
    items = []
    for kind in kinds():
        model = kind.model
        live = model._default_manager.filter(live=True).select_related("owner", "owner_team")
        if gemeente is None:
            entries = [(entry, entry) for entry in filtered(live.filter(gemeente__isnull=True), theme, department)]
        else:
            local = [(entry, entry) for entry in filtered(live.filter(gemeente=gemeente), theme, department)]
            overridden = kind.override_model.objects.filter(gemeente=gemeente).values("entry_id")
            shared = filtered(live.filter(gemeente__isnull=True, pk__in=overridden), theme, department)
            rows = {
                row.entry_id: row
                for row in LocalOwnership.objects.filter(gemeente=gemeente, entry_kind=kind.name).select_related("owner", "owner_team")
            }
            empty = LocalOwnership(gemeente=gemeente)
            entries = local + [(entry, rows.get(entry.pk, empty)) for entry in shared]
        for entry, item in entries:
            count = flags.get((kind.name, entry.pk), 0)
            items.append(
                ReviewItem(
                    entry=entry,
                    gemeente=gemeente,
                    owner=item.owner,
                    owner_team=item.owner_team,
                    review_date=item.review_date,
                    reviewed_at=item.reviewed_at,
                    open_flags=count,
                    states=review_state(item.review_date, item.reviewed_at, count, today),
                )
            )
    return sorted(items, key=lambda i: (i.review_date is None, i.review_date or today, str(i.entry).lower()))


def owned_by(items, user):
    return [i for i in items if i.owner == user or (i.owner_team is not None and i.owner_team.members.filter(pk=user.pk).exists())]


def summary(items):
    return {state: sum(state in i.states for i in items) for state in (State.OVERDUE, State.DUE, State.NEVER, State.FLAGGED)}


def curators(gemeente=None):
    """Who handles a text without an owner: the gemeente's curators, or the regional ones."""
    if gemeente is None:
        memberships = Membership.objects.filter(role=Role.REGIONAL_CURATOR)
    else:
        memberships = Membership.objects.filter(role=Role.MUNICIPAL_CURATOR, gemeente=gemeente)
    return [m.user for m in memberships.select_related("user")]
