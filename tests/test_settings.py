"""Configuration comes from the environment, with safe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parent.parent
CLEAN_ENV_KEYS = ("SECRET_KEY", "DEBUG", "DATABASE_URL", "ALLOWED_HOSTS", "SEARCH_ENGINE", "SERVER_TIMING")


def run_python(code, settings_module, **env_overrides):
    env = {k: v for k, v in os.environ.items() if k not in CLEAN_ENV_KEYS}
    env.update(DJANGO_SETTINGS_MODULE=settings_module, **env_overrides)
    return subprocess.run(
        [sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_secret_key():
    result = run_python("import django; django.setup()", "kennisbank.settings.production")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_passes_deploy_checks():
    result = run_python(
        "import django; django.setup();"
        "from django.core.management import call_command;"
        "call_command('check', deploy=True, fail_level='WARNING')",
        "kennisbank.settings.production",
        SECRET_KEY="a-long-random-production-key-" + "x7Qp2Lm9" * 6,
        ALLOWED_HOSTS="roosendaal.example.nl,bergenopzoom.example.nl",
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout + result.stderr


def test_debug_is_off_unless_set():
    code = "from django.conf import settings; print(settings.DEBUG)"
    assert run_python(code, "kennisbank.settings.base").stdout.strip() == "False"
    assert run_python(code, "kennisbank.settings.base", DEBUG="1").stdout.strip() == "True"


def test_database_and_search_engine_come_from_the_environment():
    code = (
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['ENGINE'], settings.DATABASES['default']['NAME'],"
        " settings.SEARCH_ENGINE, settings.SEARCH_ENGINE_URL)"
    )
    default = run_python(code, "kennisbank.settings.dev").stdout.split()
    assert default[0] == "django.db.backends.sqlite3"
    assert default[2] == "none"
    configured = run_python(
        code,
        "kennisbank.settings.dev",
        DATABASE_URL="postgres://kb:secret@db.example:5432/kennisbank",
        SEARCH_ENGINE="opensearch",
        SEARCH_ENGINE_URL="http://search.example:9200",
    ).stdout.split()
    assert configured == [
        "django.db.backends.postgresql",
        "kennisbank",
        "opensearch",
        "http://search.example:9200",
    ]


def test_unknown_search_engine_kind_is_a_clear_error(settings):
    from zoeken.engine import EngineNotConfigured, engine_kind

    settings.SEARCH_ENGINE = "solr"
    with pytest.raises(EngineNotConfigured, match="solr"):
        engine_kind()


def test_server_timing_only_when_enabled():
    code = "from django.conf import settings; print(settings.MIDDLEWARE[0])"
    timing = "kennisbank.middleware.ServerTimingMiddleware"
    assert run_python(code, "kennisbank.settings.dev").stdout.strip() != timing
    assert run_python(code, "kennisbank.settings.dev", SERVER_TIMING="1").stdout.strip() == timing
    # Production keeps WhiteNoise right after the security middleware either way.
    code = "from django.conf import settings; m = settings.MIDDLEWARE; print(m.index('whitenoise.middleware.WhiteNoiseMiddleware') - m.index('django.middleware.security.SecurityMiddleware'))"
    for enabled in ("0", "1"):
        result = run_python(code, "kennisbank.settings.production", SECRET_KEY="x" * 50, SERVER_TIMING=enabled)
        assert result.stdout.strip() == "1", result.stderr


@pytest.mark.django_db
def test_server_timing_header(client, settings):
    settings.MIDDLEWARE = ["kennisbank.middleware.ServerTimingMiddleware", *settings.MIDDLEWARE]
    response = client.get("/api/v1/gemeenten")
    assert response.status_code == 200
    name, duration = response["Server-Timing"].split(";dur=")
    assert name == "app" and float(duration) >= 0
