"""Brute-force protection (django-axes) on both sign-ins: the Wagtail admin's
login and the widget's popup. Wrong passwords are counted per account and
per client; at the limit signing in is refused, the right password included,
with a Dutch message and 429, until the cool-off has passed."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from gemeenten.models import Role
from kennisbank.security import client_ip
from tests.factories import make_gemeente, make_user, municipal_curator
from widget.models import WidgetToken

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/"
HOST = "https://kcc.example.nl"
POPUP = f"/widget/aanmelden/?origin={HOST}"
LOCKED = "Te veel mislukte pogingen; probeer het over"


@pytest.fixture
def limit(settings):
    settings.CORS_ALLOWED_ORIGINS = [HOST]
    return settings.AXES_FAILURE_LIMIT


@pytest.fixture
def curator():
    return municipal_curator(make_gemeente("Roosendaal"))


@pytest.fixture
def agent():
    return make_user(Role.AGENT, make_gemeente("Etten-Leur"))


def sign_in(client, url, username, password, ip="203.0.113.7"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip)


def is_admin_session(client):
    return client.get("/admin/").status_code == 200


def test_the_admin_locks_an_account_out_after_the_limit(client, limit, curator, settings):
    for attempt in range(limit - 1):
        response = sign_in(client, ADMIN_LOGIN, curator.username, f"wrong-{attempt}")
        assert response.status_code == 200 and LOCKED not in response.content.decode()
    locked = sign_in(client, ADMIN_LOGIN, curator.username, "wrong-last")
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    assert locked.status_code == 429
    assert f"{LOCKED} {minutes} minuten opnieuw" in locked.content.decode()
    assert 'name="password"' in locked.content.decode(), "the login form is shown again"

    right = sign_in(client, ADMIN_LOGIN, curator.username, "x")
    assert right.status_code == 429 and LOCKED in right.content.decode()
    assert not is_admin_session(client)


def test_the_popup_locks_out_and_hands_over_no_token(client, limit, agent):
    for attempt in range(limit):
        response = sign_in(client, POPUP, agent.username, f"wrong-{attempt}")
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert response["Cross-Origin-Opener-Policy"] == "unsafe-none", "still the popup's page"

    right = sign_in(client, POPUP, agent.username, "x")
    assert right.status_code == 429 and LOCKED in right.content.decode()
    assert 'id="handover"' not in right.content.decode()
    assert not WidgetToken.objects.exists()


def test_failures_count_per_account_across_clients(client, limit, curator):
    """Spreading the guesses over many addresses does not help."""
    for attempt in range(limit):
        sign_in(client, ADMIN_LOGIN, curator.username, "wrong", ip=f"198.51.100.{attempt + 1}")
    assert sign_in(client, ADMIN_LOGIN, curator.username, "x", ip="192.0.2.99").status_code == 429


def test_failures_count_per_client_across_accounts(client, limit, curator, agent):
    """Trying one password on many accounts from one address does not
    help either; the account itself still opens from another address."""
    for attempt in range(limit):
        sign_in(client, POPUP, f"guess{attempt}", "wrong", ip="203.0.113.50")
    assert sign_in(client, POPUP, agent.username, "x", ip="203.0.113.50").status_code == 429
    assert sign_in(client, ADMIN_LOGIN, curator.username, "x", ip="203.0.113.50").status_code == 429

    assert sign_in(client, ADMIN_LOGIN, curator.username, "x", ip="192.0.2.1").status_code == 302
    assert is_admin_session(client)


def test_the_lockout_ends_after_the_cool_off(client, limit, curator, settings):
    for attempt in range(limit):
        sign_in(client, ADMIN_LOGIN, curator.username, "wrong")
    cool_off = settings.AXES_COOLOFF_TIME
    almost = timezone.now() + cool_off - timedelta(minutes=1)
    with time_machine.travel(almost):
        assert sign_in(client, ADMIN_LOGIN, curator.username, "x").status_code == 429
    # That refused try started the cool-off again.
    with time_machine.travel(almost + cool_off - timedelta(minutes=1)):
        assert sign_in(client, ADMIN_LOGIN, curator.username, "x").status_code == 429
    with time_machine.travel(almost + 2 * cool_off):
        assert sign_in(client, ADMIN_LOGIN, curator.username, "x").status_code == 302
        assert is_admin_session(client)


def test_the_limit_and_cool_off_come_from_the_environment(monkeypatch):
    import importlib

    import kennisbank.settings.base as base

    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "3")
    monkeypatch.setenv("LOGIN_COOLOFF_MINUTES", "1")
    try:
        reloaded = importlib.reload(base)
        assert reloaded.AXES_FAILURE_LIMIT == 3 and reloaded.AXES_COOLOFF_TIME == timedelta(minutes=1)
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_the_client_address_behind_a_proxy(rf, settings):
    forwarded = {"HTTP_X_FORWARDED_FOR": "10.9.9.9, 203.0.113.7", "REMOTE_ADDR": "10.0.0.2"}
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(rf.get("/", **forwarded)) == "10.0.0.2", "no proxy: the header is the client's own"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(rf.get("/", **forwarded)) == "203.0.113.7", "what the proxy saw, not what the client wrote"
    assert client_ip(rf.get("/", REMOTE_ADDR="10.0.0.2")) == "10.0.0.2"
