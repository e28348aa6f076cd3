"""Local development and the demo: debug on, a fixed insecure key."""

from .base import *  # noqa: F401,F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or "django-insecure-demo-only-never-use-in-production"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
