"""Resolved content, cached per content version.

Every content change (an entry, an override, an agent note, a variable, a
gemeente's contact details or opening hours, a relation, a taxonomy, a
site…: sharing/effects.py) replaces the token of one of a few
`ContentVersion` rows (slots), in the same transaction as the change.
Cached values are keyed by all the slots' tokens and today's date
(variables take effect on a date), so after a change every process (each
gunicorn worker) computes afresh at once; old entries are never read again
and expire. Reading the version is one small query per request (remembered
until the request ends).

Why slots: a change holds the row lock of the token it replaced until its
transaction ends, so with one row every content write in every process
waited for the one before it. Each thread writes its own slot (threads of
one process get different slots, processes start at a random one), so
concurrent editors rarely wait for each other, and one transaction locks
one row only (no deadlock between slots).

The values live in Django's cache framework (CACHES, see the README:
local memory per process by default, Redis or Memcached to share them
between processes). Every resolved value's key holds the gemeente and the
channel: public and agent values never share a key. (The unresolved row of
a shared entry and a site are the same for every gemeente: see
docs/caching.md.) Nothing that depends on the user, the session or the
CSRF token is cached here.

Writes that bypass model signals (QuerySet.update, bulk_create, raw SQL)
must call `bump_content_version()` themselves. `migrate` bumps it too, so
that values cached by the code before a deploy are never read after it."""

import hashlib
import itertools
import random
import threading
import uuid
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import DatabaseError
from django.db.models.signals import post_migrate
from django.utils import timezone

from .models import ContentVersion
from .resolution import CHANNELS, PUBLIC, entry_kind, published_queryset, resolve_summaries
from .variables import GemeenteContext

SLOTS = 16  # ContentVersion rows that writers spread over (pk 1..SLOTS)
_slots = itertools.count(random.randrange(SLOTS))
_writer = threading.local()

# The version read in the current request ({} until read; None outside a request).
_request_memo = ContextVar("content_version_memo", default=None)


def content_version():
    """The current content version (token and date), or None when the
    version row is missing (then nothing is cached)."""
    memo = _request_memo.get()
    if memo is not None and "version" in memo:
        return memo["version"]
    tokens = list(ContentVersion.objects.order_by("pk").values_list("token", flat=True))
    version = f"{_digest(tokens)}-{timezone.localdate():%Y%m%d}" if tokens else None
    if memo is not None:
        memo["version"] = version
    return version


def bump_content_version():
    """A new version: every cached value becomes unreachable."""
    slot = _writer_slot()
    values = {"token": uuid.uuid4().hex, "changed_at": timezone.now()}
    if not ContentVersion.objects.filter(pk=slot).update(**values):
        ContentVersion.objects.update_or_create(pk=slot, defaults=values)
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def _writer_slot():
    """This thread's slot: the same for every change of its transactions."""
    slot = getattr(_writer, "slot", None)
    if slot is None:
        slot = _writer.slot = next(_slots) % SLOTS + 1
    return slot


def _digest(tokens):
    return hashlib.sha256("".join(tokens).encode()).hexdigest()[:32]


def cached(gemeente, channel, name, parts, compute):
    """compute(), remembered for this gemeente, channel and content
    version under `name` and `parts` (a tuple of strings and numbers that
    identify the value, such as a slug). Exceptions are not cached."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return remember(f"{name}:{gemeente.pk}:{channel}", parts, compute)


def gemeente_context(gemeente):
    """The gemeente's variables (GemeenteContext), the same for both
    channels: they hold no agent-only content."""
    return remember(f"variables:{gemeente.pk}", (), lambda: GemeenteContext.load(gemeente))


def published_summaries(model, gemeente):
    """{id: ResolvedSummary} of every entry of this kind that the gemeente
    publishes (the public channel: live, shared or its own, active, offered
    here). Related lists and link lists are read from it. Agents see the
    same title and summary of these entries (neither is agent-only), so
    their related lists are read from it too; nothing agent-only is in it."""
    return remember(
        f"published-summaries:{gemeente.pk}:{entry_kind(model)}",
        (),
        lambda: {s.id: s for s in resolve_summaries(published_queryset(model, gemeente, PUBLIC), gemeente, channel=PUBLIC, context=gemeente_context(gemeente))},
    )


def shared_entry(model, slug):
    """The shared (regional) entry with this slug as resolution reads it:
    the row with its taxonomies, UPL and department, not yet resolved. It is
    the same for every gemeente (each gemeente's overrides, notes and
    variables are read when it is resolved, and resolution decides whether
    it exists there), so it is remembered once per content version for all
    of them. None for a local entry or an unknown slug."""
    return remember(
        f"shared-entry:{model._meta.label_lower}",
        (slug,),
        lambda: model.objects.filter(slug=slug, gemeente__isnull=True)
        .select_related(*model.resolution_select_related)
        .prefetch_related(*model.resolution_prefetch_related)
        .first(),
    )


def remember(name, parts, compute):
    """compute(), remembered for this content version under `name` and
    `parts`. For values that are the same on every channel (a gemeente and
    its opening hours, its variables); `name` or `parts` identify the
    gemeente. Resolved entries go through `cached`. None (nothing found) is
    not remembered: unknown slugs in URLs fill no cache."""
    version = content_version()
    if version is None:
        return compute()
    key = _key(version, name, parts)
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, settings.CONTENT_CACHE_TIMEOUT)
    return value


def _key(version, name, parts):
    # Parts come from URLs (slugs): hashed, so that every key is short and
    # valid for Memcached too.
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    return f"content:{version}:{name}:{digest}"


# Signals ------------------------------------------------------------------
# Content changes bump the version through sharing/effects.py.


def migrated(**kwargs):
    try:
        bump_content_version()
    except DatabaseError:  # a partial migrate without this app's table
        pass


def _request_started(**kwargs):
    _request_memo.set({})


def _request_finished(**kwargs):
    _request_memo.set(None)


def connect():
    post_migrate.connect(migrated, sender=apps.get_app_config("sharing"), dispatch_uid="sharing-content-version-migrate")
    request_started.connect(_request_started, dispatch_uid="sharing-content-version-request-started")
    request_finished.connect(_request_finished, dispatch_uid="sharing-content-version-request-finished")
