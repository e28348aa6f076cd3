"""The generic part of the objecttype exports: records in the JSON shapes
that KISS-like agent desktops read (shared/data/objecttypes), built by a
kind's `objecttype_records` hook (sharing/kinds.py) from the agent
resolution of one gemeente (its overrides, variables and local entries;
agent-only text included).

Each result looks like an object of the Objects API, which such desktops
read today: `{"url", "uuid", "record": {"data", "startAt", "registrationAt"}}`,
where `data` is the objecttype's record. Only that shape is borrowed; the
Objects API's filters and objecttype URLs are not implemented.

Links (`url`, links between records) are the absolute addresses of the
entries' agent details in this API. The `uuid` is derived, stable as long
as the gemeente's slug and the entry are:
uuid5(KENNISARTIKEL_NAMESPACE, "<gemeente slug>/<kind>/<id>")."""

import uuid
from urllib.parse import urljoin

from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from sharing.kinds import get_kind

# Fixed for good: changing it changes every record's uuid.
KENNISARTIKEL_NAMESPACE = uuid.UUID("5df38684-411d-4c99-b9b8-d8fcc370b05c")


def api_url(base, gemeente, resolved):
    """The absolute address of the entry's agent detail."""
    collection = get_kind(resolved.kind).api_collection
    return urljoin(base, reverse("api:agent-detail", args=[gemeente.slug, collection, resolved.slug]))


def trefwoorden(resolved):
    return [{"trefwoord": keyword} for keyword in resolved.keywords]


def notes_html(resolved):
    """The agent notes as HTML (their bodies are sanitised rich text)."""
    return str(format_html_join("", "<h3>{}: {}</h3>{}", ((n.kind_label, n.title, mark_safe(n.body)) for n in resolved.notes)))


def object_uuid(gemeente, resolved):
    return str(uuid.uuid5(KENNISARTIKEL_NAMESPACE, f"{gemeente.slug}/{resolved.kind}/{resolved.id}"))


def publication_dates(entries):
    """{id: the date the entry was first published (or created)}."""
    rows = entries.values_list("pk", "first_published_at", "created_at")
    return {pk: timezone.localdate(first or created).isoformat() for pk, first, created in rows}


def as_object(resolved, data, gemeente, base, published):
    return {
        "url": api_url(base, gemeente, resolved),
        "uuid": object_uuid(gemeente, resolved),
        "record": {"data": data, "startAt": published, "registrationAt": timezone.localdate(resolved.modified).isoformat()},
    }
