"""The contact block of a gemeente's site: phone, e-mail, address and its
locations with opening hours and upcoming exceptions, all from Gemeente."""

import datetime
import re
from dataclasses import dataclass, field

from django.utils import timezone

from gemeenten.models import WEEKDAYS

EXCEPTIONS_AHEAD = datetime.timedelta(days=42)


@dataclass
class Day:
    name: str
    hours: str


@dataclass
class LocationHours:
    name: str
    address: str
    days: list = field(default_factory=list)
    exceptions: list = field(default_factory=list)


def _span(opens, closes):
    return f"{opens:%H.%M}–{closes:%H.%M} uur"


def opening_days(location):
    """Weekdays in order, several time slots of one day joined by 'en'."""
    slots = {}
    for hours in sorted(location.opening_hours.all(), key=lambda h: (h.weekday, h.opens)):
        slots.setdefault(hours.weekday, []).append(_span(hours.opens, hours.closes))
    return [Day(WEEKDAYS[day], " en ".join(spans)) for day, spans in sorted(slots.items())]


def upcoming_exceptions(location, today):
    found = []
    for exception in sorted(location.exceptions.all(), key=lambda e: e.date):
        if today <= exception.date <= today + EXCEPTIONS_AHEAD:
            hours = "gesloten" if exception.closed or not (exception.opens and exception.closes) else _span(exception.opens, exception.closes)
            label = f"{WEEKDAYS[exception.date.weekday()]} {exception.date.day} {MONTHS[exception.date.month - 1]}"
            found.append(Day(f"{label}{f' ({exception.reason})' if exception.reason else ''}", hours))
    return found


MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]


def locations(gemeente, today=None):
    today = today or timezone.localdate()
    return [
        LocationHours(
            name=location.name,
            address=location.address,
            days=opening_days(location),
            exceptions=upcoming_exceptions(location, today),
        )
        for location in gemeente.locations.all()
    ]


def phone_href(phone):
    """tel: link of a phone number such as '14 0165' (digits and + only)."""
    digits = re.sub(r"[^\d+]", "", phone or "")
    return f"tel:{digits}" if digits else ""
