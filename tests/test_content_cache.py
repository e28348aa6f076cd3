"""The content cache's file backend (kennisbank/cache.py, issue 16): shared
by a server's processes, culled once per CULL_EVERY writes, refused in a
directory that others can write to (values are read with pickle)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from kennisbank.cache import ContentFileCache

BASE_DIR = Path(__file__).resolve().parent.parent


def make(path, **options):
    return ContentFileCache(str(path), {"OPTIONS": options})


def test_values_are_shared_between_instances_of_one_directory(tmp_path):
    first, second = make(tmp_path / "c"), make(tmp_path / "c")
    first.set("key", {"a": [1, 2]})
    assert second.get("key") == {"a": [1, 2]}


def test_the_directory_is_listed_once_per_cull_every_writes(tmp_path, monkeypatch):
    cache = make(tmp_path / "c", CULL_EVERY=10, MAX_ENTRIES=5)
    listed = []
    original = ContentFileCache._list_cache_files
    monkeypatch.setattr(ContentFileCache, "_list_cache_files", lambda self: listed.append(1) or original(self))
    for n in range(25):
        cache.set(f"k{n}", n)
    assert len(listed) == 3  # writes 1, 11 and 21
    assert len(original(cache)) < 25  # over MAX_ENTRIES: culled


def test_a_directory_others_can_write_to_is_refused(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    with pytest.raises(ImproperlyConfigured):
        make(shared)


def test_content_values_live_in_the_content_cache_and_rate_limits_in_the_default():
    from sharing import cache as content

    assert content.cache._alias == "content"
    assert settings.RATELIMIT_USE_CACHE == "default"


@pytest.mark.parametrize(
    "environment, content_backend",
    [
        ({}, "kennisbank.cache.ContentFileCache"),
        ({"CACHE_BACKEND": "django.core.cache.backends.redis.RedisCache"}, "django.core.cache.backends.redis.RedisCache"),
        ({"CONTENT_CACHE_BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "django.core.cache.backends.locmem.LocMemCache"),
    ],
)
def test_the_default_settings_share_content_between_processes(environment, content_backend):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CACHE_", "CONTENT_CACHE_"))}
    code = "import django.conf as c; c.settings.CACHES; print(c.settings.CACHES['content']['BACKEND'], c.settings.CACHES['default']['BACKEND'])"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, **environment, "DJANGO_SETTINGS_MODULE": "kennisbank.settings.base", "PYTHONPATH": str(BASE_DIR)},
        cwd=BASE_DIR, capture_output=True, text=True, check=True,
    ).stdout.split()
    assert out[0] == content_backend
    assert out[1] == environment.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache")
