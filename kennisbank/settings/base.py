"""Settings shared by every environment.

Everything that differs between installations comes from environment
variables (see README, "Configuration"); the defaults here are the safe,
embedded demo set-up: SQLite and database search.
"""

import hashlib
import os
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF, UNSAFE_INLINE

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,.localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "modeltranslation",  # nl/en columns for the SDG fields; must precede the admin apps
    # Our apps, one concern each.
    "gemeenten",  # municipalities: the tenants
    "sharing",  # shared base entries, per-gemeente overrides, municipal variables
    "themes",  # house styles and site templates
    "kennis",  # VACs and agent notes
    "pdc",  # products and the UPL
    "zoeken",  # search
    "api",  # the JSON API and its OpenAPI document
    "feedback",  # "was this helpful?" and answers flagged by agents
    "kwaliteit",  # content quality: readability in the editor and a report, the broken-link check
    "voorstellen",  # suggestions by back-office experts (personal links) and agents, the curators' queue
    "stuurinformatie",  # management information: contact outcomes, MI page with charts
    "redactie",  # the curators' admin: work queue, admin search, read-only shared entries; before wagtail.admin (dashboard template)
    "website",  # the municipal websites: page types and routes
    "widget",  # the agent knowledge widget: one script (web component) and its demo host page
    "fixtures",  # our own demo data and its loader
    "corsheaders",  # the JSON API for widget host pages on other origins
    "axes",  # locks sign-ins out after repeated wrong passwords
    "csp",  # Content-Security-Policy (kennisbank/content_security.py)
    "django_tasks_db",  # the database task backend and its worker (TASKS below)
    # Wagtail
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",  # the citizen pages are routes of each gemeente's HomePage
    "wagtail.contrib.redirects",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    # Django
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Early, so every response gets the policy and templates get the nonce.
    "kennisbank.content_security.ContentSecurityPolicyMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "redactie.middleware.DutchAdminMiddleware",  # after LocaleMiddleware: the admin in Dutch for every browser
    "django.middleware.common.CommonMiddleware",
    # ETag from the content and 304 on If-None-Match / If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # (Widget tokens are checked by the API itself: api/auth.py.)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last: turns a locked-out sign-in into the lockout answer.
    "axes.middleware.AxesMiddleware",
]
# SERVER_TIMING=1: a `Server-Timing: app;dur=<ms>` header on every response,
# measured around all other middleware (bench/pages.py reads it). Off by
# default: it tells every client how long each request took.
SERVER_TIMING = env_bool("SERVER_TIMING", False)
if SERVER_TIMING:
    MIDDLEWARE.insert(0, "kennisbank.middleware.ServerTimingMiddleware")

# Host pages on other origins that may embed the agent widget (a
# contact-centre system, e.g. https://kcc.example.nl): the JSON API answers
# them (CORS) and the widget signs in there with a token (widget/models.py).
CORS_ALLOWED_ORIGINS = env_list("WIDGET_ALLOWED_ORIGINS")
CORS_URLS_REGEX = r"^/api/v1/.*$"
WIDGET_TOKEN_HOURS = int(os.environ.get("WIDGET_TOKEN_HOURS", "10"))

# Per-client limits ("count/period", django-ratelimit) on anonymous writes
# and on search logging (kennisbank/throttle.py): feedback from the API and
# the websites' "was dit nuttig?" form together, clicks on search results,
# logged searches (past the limit a search still answers, unlogged). Counted
# in the default cache: per process with the local-memory cache.
RATE_LIMITS = {
    "feedback": os.environ.get("RATE_LIMIT_FEEDBACK", "10/m"),
    "search-click": os.environ.get("RATE_LIMIT_SEARCH_CLICK", "30/m"),
    "search-log": os.environ.get("RATE_LIMIT_SEARCH_LOG", "120/m"),
    "suggestion": os.environ.get("RATE_LIMIT_SUGGESTION", "20/h"),
    "contact-outcome": os.environ.get("RATE_LIMIT_CONTACT_OUTCOME", "60/m"),
}
# The client's address as sign-in lockouts see it (TRUSTED_PROXY_COUNT below).
RATELIMIT_IP_META_KEY = "kennisbank.throttle.client_ip"
RATELIMIT_FAIL_OPEN = True  # a cache that is down must not refuse every write
# Longer API addresses get a JSON 414 (the q parameter is at most 500 characters).
API_MAX_URL_LENGTH = int(os.environ.get("API_MAX_URL_LENGTH", "4000"))
CSRF_FAILURE_VIEW = "kennisbank.errors.csrf_failure"

# Sign-in (the Wagtail admin and the widget's popup) through django-axes:
# after LOGIN_FAILURE_LIMIT wrong passwords for one account, or from one
# client address, within LOGIN_COOLOFF_MINUTES, signing in is refused (even
# with the right password) until that many minutes pass without a new try.
# Behind TRUSTED_PROXY_COUNT proxies the client address comes from
# X-Forwarded-For (kennisbank/security.py); set it to the number of proxies
# that append to that header, or every client shares the proxy's address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "10"))
AXES_COOLOFF_TIME = timedelta(minutes=float(os.environ.get("LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # per account and per client, each on its own
AXES_LOCKOUT_CALLABLE = "kennisbank.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kennisbank.security.client_ip"
AXES_ENABLE_ADMIN = False  # no django.contrib.admin here
TRUSTED_PROXY_COUNT = int(os.environ.get("TRUSTED_PROXY_COUNT", "0"))

# Content-Security-Policy on every page: our own origin only; scripts and
# <style> blocks from files or carrying the response's nonce
# ({{ request.csp_nonce }}); no inline event handlers or style attributes.
# The widget on another site's page falls under that site's policy
# (widget/README.md). CSP_REPORT_URI: where browsers report violations.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        # Wagtail's preview frames our own pages. Host pages embed the widget
        # with a script tag, not a frame, so they need no place here.
        "frame-ancestors": [SELF],
        "report-uri": env_list("CSP_REPORT_URI") or None,
    },
}
# Directives that differ by path (first matching prefix; content_security.py).
CONTENT_SECURITY_POLICY_PATHS = [
    # The widget's sign-in popup asks for a password: never inside a frame.
    ("/widget/aanmelden/", {"frame-ancestors": [NONE]}),
    # Wagtail's sign-in pages have no inline code: the strict policy.
    ("/admin/login/", {}),
    ("/admin/password_reset/", {}),
    # The rest of Wagtail 8's admin still writes inline <script> (form widgets
    # start themselves: initDateChooser(…), new SnippetChooser(…)) and inline
    # styles (wagtail/wagtail#1288), which a nonce cannot cover: the widgets
    # render without the request. So the admin, and only the admin, allows
    # inline scripts and styles (a nonce next to 'unsafe-inline' would switch
    # it off). blob: shows images before upload; the dashboard asks
    # releases.wagtail.org whether a new Wagtail is out.
    ("/admin/", {
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "connect-src": [SELF, "https://releases.wagtail.org"],
    }),
]

ROOT_URLCONF = "kennisbank.urls"
WSGI_APPLICATION = "kennisbank.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

# DATABASE_URL, e.g. postgres://user:pass@host:5432/kennisbank; SQLite by default.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
# PostgreSQL: a bounded pool of connections per process (Django's psycopg
# pool). A server that runs a thread per request (runserver, gthread) would
# otherwise open a connection per thread and keep it CONN_MAX_AGE seconds
# after the thread is gone, until PostgreSQL refuses new ones. A request
# waits up to DATABASE_POOL_TIMEOUT seconds for a free connection. Keep
# processes × DATABASE_POOL_MAX_SIZE below the server's max_connections.
# DATABASE_POOL=0 (e.g. behind PgBouncer) uses DATABASE_CONN_MAX_AGE instead.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps the connections, not Django
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "2")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "10")),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Django's cache: resolved entries and page content per content version
# (sharing/cache.py), Wagtail's site lookup. Local memory per process by
# default; to share it between processes (gunicorn workers, servers) point
# it at Redis or Memcached, e.g.
#   CACHE_BACKEND=django.core.cache.backends.redis.RedisCache CACHE_LOCATION=redis://127.0.0.1:6379/1
#   CACHE_BACKEND=django.core.cache.backends.memcached.PyMemcacheCache CACHE_LOCATION=127.0.0.1:11211
# (those need the `redis` or `pymemcache` package). See docs/caching.md.
CACHE_BACKEND = os.environ.get("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache")
CACHES = {
    "default": {
        "BACKEND": CACHE_BACKEND,
        "LOCATION": os.environ.get("CACHE_LOCATION", "kennisbank"),
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kennisbank"),
    }
}
if CACHE_BACKEND.endswith(".LocMemCache"):
    # Values are a few kB each: at most some tens of MB in each process.
    CACHES["default"]["OPTIONS"] = {"MAX_ENTRIES": int(os.environ.get("CACHE_MAX_ENTRIES", "10000"))}
# The content cache (sharing/cache.py: resolved entries, page content,
# API bodies): shared by the processes of a server by default (files in a
# private directory, kennisbank/cache.py), so after a content change a
# page is computed once, not once per gunicorn worker. With CACHE_BACKEND
# set to Redis or Memcached the content goes there too, unless
# CONTENT_CACHE_BACKEND says otherwise. Rate limits (RATELIMIT_USE_CACHE),
# Wagtail and the sessions keep the default cache: django-ratelimit needs
# an atomic increment, which files do not give. See docs/caching.md.
CONTENT_CACHE_BACKEND = os.environ.get(
    "CONTENT_CACHE_BACKEND", "kennisbank.cache.ContentFileCache" if CACHE_BACKEND.endswith(".LocMemCache") else CACHE_BACKEND
)
if CONTENT_CACHE_BACKEND == CACHE_BACKEND and "CONTENT_CACHE_LOCATION" not in os.environ:
    CACHES["content"] = dict(CACHES["default"])
else:
    CACHES["content"] = {
        "BACKEND": CONTENT_CACHE_BACKEND,
        "LOCATION": os.environ.get(
            "CONTENT_CACHE_LOCATION",
            str(Path(tempfile.gettempdir()) / f"kennisbank-content-{hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]}-{os.getuid()}"),
        ),
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "kennisbank"),
    }
    if CONTENT_CACHE_BACKEND.endswith((".LocMemCache", ".FileBasedCache", ".ContentFileCache")):
        # Files: values are 1-30 kB each, so some hundreds of MB at most.
        CACHES["content"]["OPTIONS"] = {"MAX_ENTRIES": int(os.environ.get("CONTENT_CACHE_MAX_ENTRIES", os.environ.get("CACHE_MAX_ENTRIES", "10000")))}
RATELIMIT_USE_CACHE = "default"
# Seconds a cached resolution is kept; a content change makes it unreachable at once.
CONTENT_CACHE_TIMEOUT = int(os.environ.get("CACHE_TIMEOUT", "3600"))
# Values each process also keeps itself, unpickled (sharing.cache.InProcess):
# a page's content, published summaries, relations; some kB to some 100 kB each.
CONTENT_CACHE_PROCESS_ENTRIES = int(os.environ.get("CONTENT_CACHE_PROCESS_ENTRIES", "256"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
# The sites' interface strings are written in Dutch (the msgids); locale/en
# translates them for the English pages under /en/. The .mo is committed:
# after editing the .po run `manage.py compilemessages` (docs/english.md).
LOCALE_PATHS = [BASE_DIR / "locale"]
MODELTRANSLATION_DEFAULT_LANGUAGE = "nl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("nl",)
TRANSLATION_LABELS = {"en": "Engels"}
# Admin labels of translated fields: "Titel" for Dutch, "Titel (Engels)" for
# the translation (modeltranslation's default is "Titel [nl]").
MODELTRANSLATION_BUILD_LOCALIZED_VERBOSE_NAME = lambda verbose_name, language: (  # noqa: E731
    verbose_name if language == LANGUAGE_CODE else f"{verbose_name} ({TRANSLATION_LABELS.get(language, language)})"
)
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploaded files (logos, favicons) served by Django itself at MEDIA_URL: the
# demo does; in production the web server or proxy in front serves MEDIA_ROOT.
SERVE_MEDIA = env_bool("SERVE_MEDIA", DEBUG)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor posts many fields for rich content models.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000

WAGTAIL_SITE_NAME = "Kennisbank & PDC"
WAGTAIL_I18N_ENABLED = False
# One Dutch admin (with Wagtail's "je"); no English in the account's language choice.
WAGTAILADMIN_PERMITTED_LANGUAGES = [("nl", "Nederlands")]
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://localhost:8000")
# No avatars from gravatar.com: the admin's Content-Security-Policy loads
# images from this site only (and editors' e-mail hashes stay here).
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "txt", "xlsx"]
# Logos and favicons of the house styles may be SVG.
WAGTAILIMAGES_EXTENSIONS = ["gif", "jpg", "jpeg", "png", "webp", "svg"]

# The admin's own search (finding entries to edit) always uses the database,
# so editors keep working when the search engine is down. Public and agent
# search go through zoeken, which talks to the engine configured below.
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Search engine for zoeken: "opensearch", "elasticsearch" or "none"
# ("none" = answer from the database, the embedded default).
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "none").strip().lower()
SEARCH_ENGINE_URL = os.environ.get("SEARCH_ENGINE_URL", "http://127.0.0.1:9200")
SEARCH_INDEX_PREFIX = os.environ.get("SEARCH_INDEX_PREFIX", "kennisbank")
SEARCH_ENGINE_TIMEOUT = float(os.environ.get("SEARCH_ENGINE_TIMEOUT", "2"))
# Indexing (rebuild, outbox) sends large bulk requests and creates indexes:
# it may wait longer than a user's search does.
SEARCH_INDEX_TIMEOUT = float(os.environ.get("SEARCH_INDEX_TIMEOUT", "30"))
# Index analysis: "dutch" (stemming, diacritic folding, compounds; needs the
# engine's analysis-common module) or "standard" (core analysis only, for an
# engine without it, such as Elasticsearch's integ-test zip). Rebuild the index
# after changing it. See docs/search.md.
SEARCH_ANALYSIS = os.environ.get("SEARCH_ANALYSIS", "dutch").strip().lower()
# Replica copies of each index's shard: 0 on a single node (a replica could
# never be placed there), 1 on a cluster, so losing a node loses no index.
# Applies to indexes created by the next rebuild. See docs/search.md.
SEARCH_INDEX_REPLICAS = int(os.environ.get("SEARCH_INDEX_REPLICAS", "0"))

# Background work on django-tasks: Wagtail's reference-index updates and the
# search outbox's drain (docs/decisions/0001-background-work.md). The
# immediate backend runs a task in the process that enqueues it, right after
# the commit: the demo and the tests need no extra process. Production
# defaults to the database backend, whose worker (`manage.py task_worker`)
# runs them outside the editors' requests.
# The broken-link check (kwaliteit/links.py): seconds per request, seconds
# between two requests (the rate), links per run. It never requests private,
# loopback or link-local addresses; KWALITEIT_LINKCHECK_ALLOWED_ADDRESSES
# lets the tests' local server through and is empty everywhere else.
# E-mail to experts (status of their suggestions) and owners (digest of what is due and flagged).
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "kennisbank@localhost")

KWALITEIT_LINKCHECK_TIMEOUT = float(os.environ.get("LINKCHECK_TIMEOUT", "10"))
KWALITEIT_LINKCHECK_INTERVAL = float(os.environ.get("LINKCHECK_INTERVAL", "1"))
KWALITEIT_LINKCHECK_BATCH = int(os.environ.get("LINKCHECK_BATCH", "500"))
KWALITEIT_LINKCHECK_ALLOWED_ADDRESSES = ()

TASKS = {
    "default": {"BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")},
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail's background tasks log every run at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail": {"level": "WARNING"},
        # The engine clients log every request at INFO.
        "opensearch": {"level": "WARNING"},
        "elastic_transport": {"level": "WARNING"},
        # django-axes: every start and sign-in at INFO; failures and lockouts at WARNING.
        "axes": {"level": "WARNING"},
    },
}
