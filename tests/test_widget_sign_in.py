"""Signing the widget in on a host page of another origin: the popup's
login, the token it hands over (only to allowed origins), what the token
opens (the JSON API as that agent, nothing else) and the CORS answers."""

import json
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from gemeenten.models import Role
from tests.factories import make_gemeente, make_user
from widget.models import WidgetToken

pytestmark = pytest.mark.django_db

HOST = "https://kcc.example.nl"
SIGN_IN = "/widget/aanmelden/"


@pytest.fixture
def allowed(settings):
    settings.CORS_ALLOWED_ORIGINS = [HOST]


@pytest.fixture
def agent():
    return make_user(Role.AGENT, make_gemeente("Roosendaal"))


def handed_over(response):
    match = re.search(r'<script id="handover" type="application/json">(.*?)</script>', response.content.decode(), re.S)
    assert match, "the page hands a token over"
    return json.loads(match.group(1))


def test_an_origin_that_is_not_allowed_gets_no_token(client, allowed, agent):
    client.force_login(agent)
    for origin in ("https://evil.example", "", f"{HOST}.evil.example"):
        response = client.get(SIGN_IN, {"origin": origin})
        assert response.status_code == 400 and "WIDGET_ALLOWED_ORIGINS" in response.content.decode()
    assert not WidgetToken.objects.exists()


def test_signing_in_in_the_popup_hands_a_token_to_the_host_origin_only(client, allowed, agent):
    form = client.get(SIGN_IN, {"origin": HOST})
    assert form.status_code == 200 and 'name="password"' in form.content.decode()
    assert form["Cross-Origin-Opener-Policy"] == "unsafe-none", "the popup keeps its opener"
    wrong = client.post(f"{SIGN_IN}?origin={HOST}", {"username": agent.username, "password": "wrong"})
    assert wrong.status_code == 200 and 'class="err"' in wrong.content.decode() and not WidgetToken.objects.exists()

    response = client.post(f"{SIGN_IN}?origin={HOST}", {"username": agent.username, "password": "x"})
    handover = handed_over(response)
    assert handover["origin"] == HOST and handover["message"]["type"] == "kennis-widget-token"
    assert "no-cache" in response["Cache-Control"]
    row = WidgetToken.objects.get()
    assert row.user == agent and row.origin == HOST and handover["message"]["token"] not in row.key_hash

    # Signed in already (the session on the app's origin): the token comes at once.
    again = handed_over(client.get(SIGN_IN, {"origin": HOST}))
    assert again["message"]["token"] != handover["message"]["token"]


def test_a_token_opens_the_agent_api_and_nothing_else(client, allowed, agent):
    token, row = WidgetToken.objects.issue(agent, HOST)
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    response = client.get("/api/v1/agent/gemeenten", **bearer)
    assert response.status_code == 200 and [g["name"] for g in response.json()["results"]] == ["Roosendaal"]
    assert client.get("/admin/", **bearer).status_code == 302, "the admin wants a real sign-in"
    assert client.get("/widget/demo/", **bearer).status_code == 302

    assert client.get("/api/v1/agent/gemeenten", HTTP_AUTHORIZATION="Bearer not-a-token").status_code == 401
    agent.is_active = False
    agent.save()
    assert client.get("/api/v1/agent/gemeenten", **bearer).status_code == 401
    agent.is_active = True
    agent.save()
    row.expires_at = timezone.now() - timedelta(seconds=1)
    row.save()
    assert client.get("/api/v1/agent/gemeenten", **bearer).status_code == 401
    WidgetToken.objects.issue(agent, HOST)
    assert not WidgetToken.objects.filter(pk=row.pk).exists(), "issuing a token clears the expired ones"


def test_the_api_answers_allowed_origins_only(client, allowed):
    preflight = client.options(
        "/api/v1/agent/gemeenten",
        HTTP_ORIGIN=HOST,
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="authorization",
    )
    assert preflight["Access-Control-Allow-Origin"] == HOST
    assert "authorization" in preflight["Access-Control-Allow-Headers"].lower()
    other = client.get("/api/v1/gemeenten", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in other
    page = client.get("/widget/demo/", HTTP_ORIGIN=HOST)
    assert "Access-Control-Allow-Origin" not in page, "only the JSON API is shared"
