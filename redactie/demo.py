"""The demo's owners and review dates: two teams, an owner on every entry
and on the gemeenten' local texts, and review dates relative to today so
that Herzien shows some overdue, some due within 30 days and some reviewed.
Idempotent (same day, same state); called by `load_demo`."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from gemeenten.models import Gemeente
from sharing.kinds import kinds
from sharing.models import LocalOwnership, Team

REGIONAL_TEAM = "Team Burgerzaken"
LOCAL_TEAM = "Team Dienstverlening"
TEAM_GEMEENTE = "roosendaal"


def user(username):
    return get_user_model().objects.filter(username=username).first()


def ensure_teams():
    """(regional team, Roosendaal's team) with the demo curators as members."""
    regional, _ = Team.objects.get_or_create(name=REGIONAL_TEAM, gemeente=None, defaults={"email": "burgerzaken@kennisbank.example"})
    regional.members.add(*filter(None, [user("regio")]))
    gemeente = Gemeente.objects.get(slug=TEAM_GEMEENTE)
    local, _ = Team.objects.get_or_create(name=LOCAL_TEAM, gemeente=gemeente)
    local.members.add(*filter(None, [user(f"redactie-{gemeente.slug}")]))
    return regional, local


def dates(number, today):
    """(review date, reviewed at) of the number-th text: one in eight
    overdue, one in eight due within 30 days, one in eight never reviewed,
    the rest reviewed and due later in the year."""
    slot = number % 8
    if slot == 0:
        return today - datetime.timedelta(days=3 + number % 40), moment(today, -380)
    if slot == 1:
        return today + datetime.timedelta(days=2 + number % 27), moment(today, -340)
    if slot == 2:
        return today + datetime.timedelta(days=60 + number % 200), None
    review_date = today + datetime.timedelta(days=40 + number % 300)
    return review_date, moment(today, (review_date - today).days - 365)


def moment(today, days):
    return timezone.make_aware(datetime.datetime.combine(today + datetime.timedelta(days=days), datetime.time(10, 0)))


def set_entry_owners(regional, local_teams, today):
    """Shared entries: the regional team and/or `regio`; a gemeente's own
    entries: its curator (and team)."""
    regio, count = user("regio"), 0
    for kind in kinds():
        for number, entry in enumerate(kind.model.objects.order_by("slug", "pk").select_related("gemeente")):
            review_date, reviewed_at = dates(number, today)
            if entry.gemeente_id is None:
                owner, team = (regio, regional) if number % 3 == 0 else (None, regional) if number % 3 == 1 else (regio, None)
            else:
                owner, team = user(f"redactie-{entry.gemeente.slug}"), local_teams.get(entry.gemeente_id)
            kind.model.objects.filter(pk=entry.pk).update(owner=owner, owner_team=team, review_date=review_date, reviewed_at=reviewed_at)
            count += 1
    return count


def set_local_owners(local_teams, today):
    """The owner of each gemeente's local texts (overrides) of a shared entry."""
    count = 0
    for kind in kinds():
        overridden = kind.override_model.objects.values_list("entry_id", "gemeente_id").distinct().order_by("gemeente_id", "entry_id")
        gemeenten = {g.pk: g for g in Gemeente.objects.all()}
        for number, (entry_id, gemeente_id) in enumerate(overridden):
            review_date, reviewed_at = dates(number, today)
            LocalOwnership.objects.update_or_create(
                entry_kind=kind.name,
                entry_id=entry_id,
                gemeente_id=gemeente_id,
                defaults={
                    "owner": user(f"redactie-{gemeenten[gemeente_id].slug}"),
                    "owner_team": local_teams.get(gemeente_id),
                    "review_date": review_date,
                    "reviewed_at": reviewed_at,
                },
            )
            count += 1
    return count


def load(log=print, today=None):
    today = today or timezone.localdate()
    regional, local = ensure_teams()
    local_teams = {local.gemeente_id: local}
    entries = set_entry_owners(regional, local_teams, today)
    local_texts = set_local_owners(local_teams, today)
    log(f"  owners and review dates: {entries} entries, {local_texts} gemeenten' local texts; teams {regional}, {local}")
