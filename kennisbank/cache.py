"""The content cache's default backend: Django's FileBasedCache, shared by
every process (gunicorn worker) of one server, that lists its directory to
cull it once per `CULL_EVERY` writes of a process instead of on every write.

Why a shared cache by default: with a cache per process each worker
computes each page once after a content change, so with 4 workers most of
a page's first requests are computed four times (docs/caching.md). Why
not for everything: django-ratelimit needs an atomic increment, which
files do not give; rate limits, Wagtail and the sessions keep the default
cache (CACHES["default"]).

FileBasedCache reads values with pickle: the directory must be this
user's own and writable by nobody else (checked when the cache is first
used), or anyone who can write there could run code in the application."""

import os
import stat

from django.core.cache.backends.filebased import FileBasedCache
from django.core.exceptions import ImproperlyConfigured


class ContentFileCache(FileBasedCache):
    """FileBasedCache with a cheaper cull. Django's lists every file of
    the directory on every set (to count them); here once per CULL_EVERY
    sets of this process (OPTIONS["CULL_EVERY"], default 100), so the
    directory can exceed MAX_ENTRIES by at most that many writes per
    process between culls. Values of old content versions are never read
    again: culling removes them (a random third when over MAX_ENTRIES)."""

    def __init__(self, dir, params):
        options = dict(params.get("OPTIONS") or {})
        self.cull_every = max(1, int(options.pop("CULL_EVERY", 100)))
        super().__init__(dir, {**params, "OPTIONS": options})
        check_private(self._dir)
        self._writes = 0

    def _cull(self):
        self._writes += 1
        if self._writes % self.cull_every == 1 or self.cull_every == 1:
            super()._cull()


def check_private(path):
    """ImproperlyConfigured unless `path` is a directory of this user that
    no one else can write to."""
    info = os.stat(path)
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise ImproperlyConfigured(
            f"The content cache directory {path} must be a directory of this user that no one else can write to "
            "(CONTENT_CACHE_LOCATION, docs/caching.md)."
        )
