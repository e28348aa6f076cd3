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

    # The popup leaves no session behind: the next sign-in asks for the password again …
    assert 'name="password"' in client.get(SIGN_IN, {"origin": HOST}).content.decode()
    # … unless the agent is signed in to the app already: then the token comes at once.
    client.force_login(agent)
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


# --- signing in to the app itself: agents land on the widget -----------------


def sign_in(client, user, next_url=None):
    url = "/admin/login/" + (f"?next={next_url}" if next_url else "")
    return client.post(url, {"username": user.username, "password": "x"})


def test_an_agent_lands_on_the_widget_and_a_curator_on_the_dashboard(client, agent):
    from tests.factories import municipal_curator, regional_curator

    assert sign_in(client, agent)["Location"] == "/widget/"
    client.logout()
    assert sign_in(client, agent, "/admin/")["Location"] == "/widget/", "/admin/ sends to the login with next=/admin/"
    assert client.get("/admin/login/")["Location"] == "/widget/", "signed in already"
    client.logout()
    assert sign_in(client, agent, "/admin/snippets/")["Location"] == "/admin/snippets/", "an explicit target is kept"
    client.logout()
    assert sign_in(client, agent, "https://evil.example/")["Location"] == "/widget/"
    client.logout()
    for curator in (regional_curator(), municipal_curator(agent.memberships.get().gemeente)):
        assert sign_in(client, curator)["Location"] == "/admin/"
        client.logout()
    # An agent who is also a curator works in the admin.
    from gemeenten.models import Membership

    Membership.objects.create(user=agent, role=Role.MUNICIPAL_CURATOR, gemeente=agent.memberships.get().gemeente)
    assert sign_in(client, agent)["Location"] == "/admin/"


def test_the_admin_shows_agents_the_way_to_the_widget(client, agent):
    client.force_login(agent)
    page = client.get("/admin/").content.decode()
    assert "Naar de kenniswidget" in page, "a dashboard panel for agents"
    assert '"Kenniswidget"' in page and '"/widget/"' in page.replace("\\u002F", "/"), "a menu item"
    client.force_login(make_user(Role.MUNICIPAL_CURATOR, agent.memberships.get().gemeente))
    page = client.get("/admin/").content.decode()
    assert "Naar de kenniswidget" not in page and '"Kenniswidget"' in page


# --- "Afmelden" in the browser ----------------------------------------------

from tests.test_widget import other_origin, signed_in_page, world  # noqa: E402,F401  (fixtures)


def stored_token(page):
    return page.evaluate(
        "() => { const key = Object.keys(sessionStorage).find((k) => k.startsWith('kennis-widget:token:'));"
        " return key ? sessionStorage.getItem(key) : null; }"
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_afmelden_on_a_host_page_revokes_the_widgets_token(browser, world, other_origin, settings, client):
    settings.CORS_ALLOWED_ORIGINS = [other_origin]
    page = browser.new_context(locale="nl-NL").new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{other_origin}/werkplek")
    widget = page.locator("kennis-widget")
    with page.expect_popup() as opened:
        widget.locator("#login").click()
    popup = opened.value
    popup.wait_for_load_state()
    popup.fill("#id_username", world["agent"].username)
    popup.fill("#id_password", "x")
    with popup.expect_event("close"):
        popup.click("button[type=submit]")
    page.wait_for_selector("kennis-widget[data-ready]", state="attached")
    token = stored_token(page)
    assert token and api_status(client, token) == 200

    widget.get_by_role("button", name="Afmelden").click()
    widget.locator("#login").wait_for()
    assert widget.locator("#q").is_hidden() and widget.get_by_role("button", name="Afmelden").is_hidden()
    assert stored_token(page) is None
    assert not WidgetToken.objects.exists() and api_status(client, token) == 401

    # Signing in again asks for the password: the popup left no session behind.
    with page.expect_popup() as opened:
        widget.locator("#login").click()
    opened.value.wait_for_selector("#id_password")
    page.context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_afmelden_on_the_apps_own_page_ends_the_session(browser, world, client):
    elsewhere, _ = WidgetToken.objects.issue(world["agent"], HOST)
    page = signed_in_page(browser, world)
    widget = page.locator("kennis-widget")
    widget.get_by_role("button", name="Afmelden").click()
    login = widget.locator("#login")
    login.wait_for()
    assert "/admin/login/?next=" in login.get_attribute("href")
    assert api_status(client, elsewhere) == 401, "signing out ends the user's other widget sign-ins too"
    page.goto(f"{world['url']}/widget/demo/")
    assert "/admin/login/" in page.url, "the session has ended"
    page.context.close()


def api_status(client, token):
    return client.get("/api/v1/agent/gemeenten", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
