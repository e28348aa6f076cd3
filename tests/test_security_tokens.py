"""Widget tokens end before their shift does: signing out of the app
revokes all of the user's tokens, the widget's "Afmelden" its own (or the
session), and curators revoke them in the admin, each within their scope
(regional: all; municipal: their gemeente's agents; everyone: their own)."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from api.views import document
from gemeenten.models import Membership, Role
from tests.factories import make_gemeente, make_user, municipal_curator, regional_curator
from widget.models import WidgetToken

pytestmark = pytest.mark.django_db

HOST = "https://kcc.example.nl"
SIGN_OUT = "/api/v1/agent/afmelden"
LISTING = "/admin/widgetaanmeldingen/"


@pytest.fixture
def roosendaal():
    return make_gemeente("Roosendaal")


@pytest.fixture
def etten():
    return make_gemeente("Etten-Leur")


def bearer(token):
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


def api_works(client, token):
    return client.get("/api/v1/agent/gemeenten", **bearer(token)).status_code == 200


def post_json(client, url, **extra):
    return client.post(url, data=json.dumps({}), content_type="application/json", **extra)


def test_signing_out_of_the_admin_revokes_the_users_tokens(client, roosendaal):
    agent, colleague = make_user(Role.AGENT, roosendaal), make_user(Role.AGENT, roosendaal)
    first, _ = WidgetToken.objects.issue(agent, HOST)
    second, _ = WidgetToken.objects.issue(agent, "https://other.example.nl")
    theirs, _ = WidgetToken.objects.issue(colleague, HOST)
    assert client.post("/admin/login/", {"username": agent.username, "password": "x"}).status_code == 302
    assert api_works(client, first)

    assert client.post("/admin/logout/").status_code == 302
    assert not api_works(client, first) and not api_works(client, second)
    assert list(WidgetToken.objects.values_list("user", flat=True)) == [colleague.pk]
    assert api_works(client, theirs)


def test_afmelden_with_a_token_revokes_that_token_only(client, roosendaal):
    agent = make_user(Role.AGENT, roosendaal)
    mine, _ = WidgetToken.objects.issue(agent, HOST)
    elsewhere, _ = WidgetToken.objects.issue(agent, "https://other.example.nl")
    response = post_json(client, SIGN_OUT, **bearer(mine))
    assert response.status_code == 200 and response.json() == {"afgemeld": True}
    assert not api_works(client, mine) and api_works(client, elsewhere)
    assert post_json(client, SIGN_OUT, **bearer(mine)).status_code == 401, "a revoked token stays revoked"


def test_afmelden_with_the_session_ends_it_and_every_token(client, roosendaal):
    agent = make_user(Role.AGENT, roosendaal)
    token, _ = WidgetToken.objects.issue(agent, HOST)
    client.force_login(agent)
    assert client.get("/api/v1/agent/gemeenten").status_code == 200
    assert client.post(SIGN_OUT, data="{}", content_type="text/plain").status_code == 415, "JSON only (no CSRF token)"
    assert post_json(client, SIGN_OUT).status_code == 200
    assert client.get("/api/v1/agent/gemeenten").status_code == 401
    assert not api_works(client, token)
    assert post_json(client, SIGN_OUT).status_code == 401


def test_afmelden_is_documented():
    operation = document()["paths"]["/agent/afmelden"]["post"]
    assert {"200", "401", "415"} <= set(operation["responses"])


def test_a_token_notes_when_it_was_last_used(client, roosendaal):
    token, row = WidgetToken.objects.issue(make_user(Role.AGENT, roosendaal), HOST)
    assert row.last_used_at is None
    assert api_works(client, token)
    row.refresh_from_db()
    assert timezone.now() - row.last_used_at < timedelta(seconds=5)


# --- the admin listing, each role within its scope -------------------------


@pytest.fixture
def tokens(roosendaal, etten):
    """One token each: a Roosendaal agent, an Etten-Leur agent, an agent of
    every gemeente and a Roosendaal curator (who uses the widget too)."""
    users = {
        "roosendaal-agent": make_user(Role.AGENT, roosendaal),
        "etten-agent": make_user(Role.AGENT, etten),
        "regional-agent": make_user(Role.AGENT),
        "roosendaal-curator": municipal_curator(roosendaal),
    }
    return {name: WidgetToken.objects.issue(user, HOST)[1] for name, user in users.items()}


def listed(client):
    response = client.get(LISTING)
    assert response.status_code == 200
    html = response.content.decode()
    return {token.pk for token in WidgetToken.objects.all() if f"/admin/widgetaanmeldingen/{token.pk}/intrekken/" in html}


def revoke(client, token):
    return client.post(f"{LISTING}{token.pk}/intrekken/")


def test_a_regional_curator_sees_and_revokes_every_token(client, tokens):
    client.force_login(regional_curator())
    assert listed(client) == {token.pk for token in tokens.values()}
    response = revoke(client, tokens["etten-agent"])
    assert response.status_code == 302
    assert not WidgetToken.objects.filter(pk=tokens["etten-agent"].pk).exists()


def test_a_municipal_curator_revokes_only_their_gemeentes_agents(client, tokens):
    curator = tokens["roosendaal-curator"].user
    client.force_login(curator)
    assert listed(client) == {tokens["roosendaal-agent"].pk, tokens["roosendaal-curator"].pk}

    for foreign in ("etten-agent", "regional-agent"):
        assert client.get(f"{LISTING}{tokens[foreign].pk}/intrekken/").status_code == 404
        assert revoke(client, tokens[foreign]).status_code == 404
        assert WidgetToken.objects.filter(pk=tokens[foreign].pk).exists()

    assert client.get(f"{LISTING}{tokens['roosendaal-agent'].pk}/intrekken/").status_code == 200
    assert revoke(client, tokens["roosendaal-agent"]).status_code == 302
    assert not WidgetToken.objects.filter(pk=tokens["roosendaal-agent"].pk).exists()


def test_an_agent_sees_and_revokes_only_their_own(client, tokens, roosendaal):
    agent = tokens["roosendaal-agent"].user
    second = WidgetToken.objects.issue(agent, "https://other.example.nl")[1]
    client.force_login(agent)
    assert listed(client) == {tokens["roosendaal-agent"].pk, second.pk}
    assert revoke(client, tokens["roosendaal-curator"]).status_code == 404
    assert revoke(client, second).status_code == 302
    assert set(WidgetToken.objects.filter(user=agent)) == {tokens["roosendaal-agent"]}


def test_a_curator_who_is_also_an_agent_elsewhere_sees_no_more(client, tokens, etten):
    curator = tokens["roosendaal-curator"].user
    Membership.objects.create(user=curator, role=Role.AGENT, gemeente=etten)
    client.force_login(curator)
    assert tokens["etten-agent"].pk not in listed(client)


def test_the_listing_is_in_the_settings_menu_and_makes_no_tokens(client, tokens):
    client.force_login(tokens["roosendaal-agent"].user)
    dashboard = client.get("/admin/").content.decode()
    assert "Widgetaanmeldingen" in dashboard
    html = client.get(LISTING).content.decode()
    for column in ("Gebruiker", "Aangemaakt", "Verloopt", "Laatst gebruikt"):
        assert column.lower() in html.lower()
    assert "/admin/widgetaanmeldingen/add/" not in html
