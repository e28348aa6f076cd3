"""Resolved content, cached per content version.

Every content change (an entry, an override, an agent note, a variable, a
gemeente's contact details or opening hours, a relation, a taxonomy, a
site…: sharing/effects.py) replaces a token in one of a few
`ContentVersion` rows (slots), in the same transaction as the change: the
token of the changed model (its scope). Cached values are keyed by today's
date (variables take effect on a date) and by the tokens they depend on:
a page or an API answer by all of them, so after any change every process
(each gunicorn worker) computes it afresh at once; what all pages of a
gemeente share (the gemeente with its opening hours, its variables, its
overrides and published summaries of a kind, the row of an entry, the
relations between entries, the house style's images) only by the tokens of the
models it is read from (`remember(..., scopes=...)`), so an edit of a
product recomputes the product and the lists it is in, not the opening
hours. Old values are never read again and expire. Reading the version is
one small query per request (remembered until the request ends).

Each row also has a token for everything (its `token`): writes that name
no model (`bump_content_version()`: migrate, the UPL import, bulk writes)
replace it. A missing slot row is created with a new token for everything
(by a change of everything: all of them), so a model can never be read as
unchanged across a flushed table.

Why slots: a change holds the row lock of the token it replaced until its
transaction ends, so with one row every content write in every process
waited for the one before it. Each thread writes its own slot (threads of
one process get different slots, processes start at a random one), so
concurrent editors rarely wait for each other, and one transaction locks
one row only, whatever the models it changes (no deadlock between slots).

The values live in Django's cache framework (CACHES["content"], see the
README: files shared by a server's processes by default, or Redis or
Memcached). Values that are plain data no caller changes (`immutable=True`:
a page's content, published summaries, relations) are also kept in the
process that read them (`InProcess`, least recently used out), under the
same versioned key: a repeated read costs no file read and no unpickling,
and a change is seen as soon as elsewhere. Every resolved value's key holds
the gemeente and the channel: public and agent values never share a key. (The unresolved row of
a shared entry and a site are the same for every gemeente: see
docs/caching.md.) Nothing that depends on the user, the session or the
CSRF token is cached here.

Writes that bypass model signals (QuerySet.update, bulk_create, raw SQL)
must call `bump_content_version()` themselves (with the models written, or
none for everything). `migrate` bumps it too, so
that values cached by the code before a deploy are never read after it."""

import hashlib
import itertools
import random
import threading
import uuid
from collections import OrderedDict
from contextvars import ContextVar

from django.apps import apps
from django.conf import settings
from django.core.cache import caches
from django.core.signals import request_finished, request_started
from django.db import DatabaseError, transaction
from django.db.models.signals import post_migrate
from django.utils import timezone
from django.utils.connection import ConnectionProxy

from gemeenten.models import Gemeente

from .kinds import get_kind
from .models import ContentVersion, Variable, VariableValue
from .resolution import AGENT, CHANNELS, PUBLIC, resolve_summaries, visible_queryset
from .variables import GemeenteContext

# The content cache (CACHES["content"], kennisbank/settings/base.py): shared
# by a server's processes by default; rate limits keep the default cache.
cache = ConnectionProxy(caches, "content")
SLOTS = 16  # ContentVersion rows that writers spread over (pk 1..SLOTS)
# What a site reads with its gemeente (website/models.py), for the contact
# block and the variables.
GEMEENTE_SELECT_RELATED = ("site",)
GEMEENTE_PREFETCH_RELATED = ("locations__opening_hours", "locations__exceptions")
_slots = itertools.count(random.randrange(SLOTS))
_writer = threading.local()


class InProcess:
    """The immutable values (see `remember`) this process read last, by
    their versioned key: at most `size`, the least recently used out.
    Shared by the process's threads; a value is never changed, only
    replaced."""

    def __init__(self, size):
        self.size, self.values, self.lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.values.get(key)
            if value is not None:
                self.values.move_to_end(key)
            return value

    def set(self, key, value):
        with self.lock:
            self.values[key] = value
            self.values.move_to_end(key)
            while len(self.values) > self.size:
                self.values.popitem(last=False)

    def clear(self):
        with self.lock:
            self.values.clear()


in_process = InProcess(settings.CONTENT_CACHE_PROCESS_ENTRIES)


def clear():
    """Empty the content cache: the shared values and this process's own."""
    cache.clear()
    in_process.clear()


# The version read in the current request ({} until read; None outside a request).
_request_memo = ContextVar("content_version_memo", default=None)
# The digests of the versions this process computed, by rows and scopes:
# the same rows give the same version, so it is not computed per request.
_digests = {}


def content_version(scopes=None):
    """The current content version (a string of the tokens and the date),
    or None when no version row exists (then nothing is cached). With
    `scopes` (a sorted tuple of model labels), the version of what is read
    from those models only: it changes with a change of one of them, or of
    everything."""
    memo = _request_memo.get()
    if memo is None:
        memo = {}
    elif scopes in memo:
        return memo[scopes]
    if "rows" not in memo:
        found = ContentVersion.objects.order_by("pk").values_list("token", "scopes")
        memo["rows"] = tuple((token, tuple(sorted((scoped or {}).items()))) for token, scoped in found)
    rows = memo["rows"]
    if not rows:
        return None
    digest = _digests.get((rows, scopes))
    if digest is None:
        digest = _digest_of(rows, scopes)
        if len(_digests) >= 4096:  # old versions: never asked for again
            _digests.clear()
        _digests[rows, scopes] = digest
    memo[scopes] = version = f"{digest}-{timezone.localdate():%Y%m%d}"
    return version


def _digest_of(rows, scopes):
    tokens = [token for token, _ in rows]
    for _, scoped in rows:
        scoped = dict(scoped)
        labels = sorted(scoped) if scopes is None else scopes
        tokens += [f"{label}={scoped.get(label, '')};" for label in labels]
    return _digest(tokens)


def bump_content_version(*models):
    """A new version of these models (model classes or labels), or of
    everything when none is given: every value cached from them becomes
    unreachable. One row (this thread's slot) is written."""
    slot = _writer_slot()
    token, now = uuid.uuid4().hex, timezone.now()
    short = token[:12]  # a model's token: one of many in the row
    labels = {model if isinstance(model, str) else model._meta.label_lower for model in models}
    with transaction.atomic(savepoint=False):
        scoped = ContentVersion.objects.select_for_update().filter(pk=slot).values_list("scopes", flat=True).first()
        if scoped is None:  # a new row: a new version of everything
            # A change of everything creates every missing slot (migrate
            # does, so a model's first change in a slot is not a change of
            # everything); a model's change only its own, so that it never
            # waits for another writer's new slot rows.
            if labels:
                ContentVersion.objects.update_or_create(pk=slot, defaults={"token": uuid.uuid4().hex, "changed_at": now})
            else:
                _create_slots(now)
            scoped = {}
        if labels:
            ContentVersion.objects.filter(pk=slot).update(scopes={**scoped, **dict.fromkeys(labels, short)}, changed_at=now)
        else:
            ContentVersion.objects.filter(pk=slot).update(token=token, changed_at=now)
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def _create_slots(now):
    """Every missing slot row, each with a new token of everything."""
    existing = set(ContentVersion.objects.values_list("pk", flat=True))
    rows = [ContentVersion(pk=n, token=uuid.uuid4().hex, changed_at=now) for n in range(1, SLOTS + 1) if n not in existing]
    ContentVersion.objects.bulk_create(rows, ignore_conflicts=True)


def _writer_slot():
    """This thread's slot: the same for every change of its transactions."""
    slot = getattr(_writer, "slot", None)
    if slot is None:
        slot = _writer.slot = next(_slots) % SLOTS + 1
    return slot


def _digest(tokens):
    return hashlib.sha256("".join(tokens).encode()).hexdigest()[:32]


def scopes_of(model, lookups=()):
    """The labels of `model` and of every model that these lookups (as in
    select_related and prefetch_related, "locations__opening_hours") read,
    many-to-many tables included: the scopes of a value read that way."""
    labels = {model._meta.label_lower}
    for lookup in lookups:
        current = model
        for name in getattr(lookup, "prefetch_through", lookup).split("__"):
            field = current._meta.get_field(name)
            if field.many_to_many:  # the forward field or its reverse relation
                labels.add((getattr(field, "through", None) or field.remote_field.through)._meta.label_lower)
            current = field.related_model
            labels.add(current._meta.label_lower)
    return labels


def cached(gemeente, channel, name, parts, compute, scopes=None, immutable=False):
    """compute(), remembered for this gemeente, channel and content
    version under `name` and `parts` (a tuple of strings and numbers that
    identify the value, such as a slug). Exceptions are not cached.
    `scopes`, `immutable`: as for `remember`."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    return remember(f"{name}:{gemeente.pk}:{channel}", parts, compute, scopes=scopes, immutable=immutable)


def gemeente_scopes():
    """What a gemeente as its site reads it is read from: the gemeente with
    its site, locations, opening hours and exceptions."""
    return scopes_of(Gemeente, (*GEMEENTE_SELECT_RELATED, *GEMEENTE_PREFETCH_RELATED))


def gemeente_context(gemeente, channel=PUBLIC):
    """The gemeente's variables (GemeenteContext) as the channel reads them:
    the agent channel also has the later values agents see already (agents
    first, sharing/scheduling.py)."""
    agents = channel == AGENT
    return remember(f"variables:{gemeente.pk}:{channel}", (), lambda: GemeenteContext.load(gemeente, agents=agents), scopes=context_scopes())


def context_scopes():
    return {*gemeente_scopes(), Variable._meta.label_lower, VariableValue._meta.label_lower}


def published_summaries(model, gemeente):
    """{id: ResolvedSummary} of every entry of this kind that the gemeente
    publishes (the public channel: live, shared or its own, active, offered
    here). Related lists and link lists are read from it. Agents see the
    same title and summary of these entries (neither is agent-only), so
    their related lists are read from it too; nothing agent-only is in it.
    Read from the kind's entries and overrides and the gemeente's
    variables: another kind's change keeps it."""
    kind = get_kind(model)

    def compute():
        # resolve_summaries leaves out what the gemeente does not offer (its
        # own "offered" override first), exactly as published_queryset does.
        public = visible_queryset(model, gemeente).filter(kind.public_filter())
        return {s.id: s for s in resolve_summaries(public, gemeente, channel=PUBLIC, context=gemeente_context(gemeente))}

    return remember(
        f"published-summaries:{gemeente.pk}:{kind.name}",
        (),
        compute,
        scopes={model._meta.label_lower, kind.override_model._meta.label_lower, *context_scopes()},
        immutable=True,
    )


def shared_entry(model, slug):
    """The shared (regional) entry with this slug as resolution reads it:
    the row with its taxonomies, UPL and department, not yet resolved. It is
    the same for every gemeente (each gemeente's overrides, notes and
    variables are read when it is resolved, and resolution decides whether
    it exists there), so it is remembered once for all of them, per version
    of what it is read from. None for a local entry or an unknown slug."""
    return remember(_entry_name(model, None), (slug,), lambda: _entry_row(model.objects.filter(gemeente__isnull=True), slug), scopes=entry_scopes(model))


def visible_entry(model, slug, gemeente):
    """The entry with this slug that the gemeente can see (shared, or its
    own local one) as resolution reads it, in one pass: remembered with the
    shared rows (see shared_entry) or, a local one, for this gemeente. None
    for an unknown slug or another gemeente's entry (nothing remembered)."""
    scopes = entry_scopes(model)
    keys = {owner: _key_for(_entry_name(model, owner), (slug,), scopes) for owner in (None, gemeente)}
    if keys[None] is None:
        return _entry_row(visible_queryset(model, gemeente), slug)
    found = cache.get_many(keys.values())
    entry = found.get(keys[None]) or found.get(keys[gemeente])
    if entry is None:
        entry = _entry_row(visible_queryset(model, gemeente), slug)
        if entry is not None:
            cache.set(keys[gemeente if entry.gemeente_id else None], entry, settings.CONTENT_CACHE_TIMEOUT)
    return entry


def entry_scopes(model):
    return scopes_of(model, (*model.resolution_select_related, *model.resolution_prefetch_related))


def _entry_name(model, owner):
    label = model._meta.label_lower
    return f"shared-entry:{label}" if owner is None else f"local-entry:{label}:{owner.pk}"


def _entry_row(queryset, slug):
    model = queryset.model
    return queryset.filter(slug=slug).select_related(*model.resolution_select_related).prefetch_related(*model.resolution_prefetch_related).first()


def remember(name, parts, compute, scopes=None, immutable=False):
    """compute(), remembered for this content version under `name` and
    `parts`. For values that are the same on every channel (a gemeente and
    its opening hours, its variables); `name` or `parts` identify the
    gemeente. Resolved entries go through `cached`. None (nothing found) is
    not remembered: unknown slugs in URLs fill no cache. `scopes`: the
    labels of every model the value is read from, when that is all it
    depends on (see scopes_of); None: it depends on every content change.
    `immutable`: the value is plain data that no caller changes, or model
    instances with everything read from them loaded (a lazily loaded
    relation would be kept past its own changes): every reader in this
    process then shares one copy (`in_process`)."""
    key = _key_for(name, parts, scopes)
    if key is None:
        return compute()
    value = in_process.get(key) if immutable else None
    if value is not None:
        return value
    value = cache.get(key)
    if value is None:
        value = compute()
        if value is not None:
            cache.set(key, value, settings.CONTENT_CACHE_TIMEOUT)
    if immutable and value is not None:
        in_process.set(key, value)
    return value


def _key_for(name, parts, scopes):
    """The key of a value in the current version; None without a version."""
    version = content_version(None if scopes is None else tuple(sorted(scopes)))
    return None if version is None else _key(version, name, parts)


def _key(version, name, parts):
    # Parts come from URLs (slugs): hashed, so that every key is short and
    # valid for Memcached too.
    digest = hashlib.sha256(repr(tuple(parts)).encode()).hexdigest()[:32]
    return f"content:{version}:{name}:{digest}"


# Signals ------------------------------------------------------------------
# Content changes bump the version through sharing/effects.py.


def migrated(**kwargs):
    """A new version of everything, with every slot row: a slot created
    later by a model's change would be a change of everything (the
    migration creates slot 1 only, and this thread's slot may be it)."""
    try:
        with transaction.atomic():
            _create_slots(timezone.now())
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
