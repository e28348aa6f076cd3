"""Test settings: the database and search engine still come from the
environment (make test points them at live PostgreSQL and OpenSearch)."""

from .base import *  # noqa: F401,F403

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
SEARCH_INDEX_PREFIX = f"{SEARCH_INDEX_PREFIX}-test"  # noqa: F405
