"""Test settings: the database and search engine still come from the
environment (make test points them at live PostgreSQL and OpenSearch)."""

import tempfile

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SEARCH_INDEX_PREFIX = f"{SEARCH_INDEX_PREFIX}-test"  # noqa: F405
# Uploads (the demo's logos) go to a scratch folder, not the checkout's
# media/, and are served so browser tests see them.
MEDIA_ROOT = Path(tempfile.gettempdir()) / "kennisbank-test-media"  # noqa: F405
SERVE_MEDIA = True
# The suite shares two cores with PostgreSQL, OpenSearch and Elasticsearch:
# a search that takes longer than production's 2 s there is a slow machine,
# not the engine being down. Tests of the fallback stop the node instead.
SEARCH_ENGINE_TIMEOUT = float(os.environ.get("SEARCH_ENGINE_TIMEOUT", "10"))  # noqa: F405

# A third entry kind that exists only in the tests (tests/nieuws): every
# test runs with it, so every channel must serve a kind it does not know.
INSTALLED_APPS = [*INSTALLED_APPS, "tests.nieuws"]  # noqa: F405

# The broken-link check may request the tests' own local HTTP server (and
# nothing else private); production never allows an address here.
KWALITEIT_LINKCHECK_ALLOWED_ADDRESSES = ("127.0.0.1",)
KWALITEIT_LINKCHECK_INTERVAL = 0

# The content cache in each test process's memory, in the same store as the
# default cache (one LocMemCache location): tests/conftest.py empties both
# with one clear(), and parallel test runs never share values.
CACHES["content"] = dict(CACHES["default"])  # noqa: F405
