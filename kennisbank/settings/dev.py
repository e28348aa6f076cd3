"""Local development and the demo: a fixed insecure key. Debug pages only
with DEBUG=1, so the demo answers as the sites do in production (the Dutch
404 and 500 pages, the withdrawn-product page with its own status)."""

from .base import *  # noqa: F401,F403
from .base import MIDDLEWARE, env_bool

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = SECRET_KEY or "django-insecure-demo-only-never-use-in-production"  # noqa: F405
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

# runserver serves static files only under DEBUG: WhiteNoise serves them
# straight from the apps' folders (no collectstatic), and Django the uploads.
_after_security = MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1
MIDDLEWARE = MIDDLEWARE[:_after_security] + ["whitenoise.middleware.WhiteNoiseMiddleware"] + MIDDLEWARE[_after_security:]
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
SERVE_MEDIA = env_bool("SERVE_MEDIA", True)
