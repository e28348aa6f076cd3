"""Per-client rate limits (issue 11, point 4): feedback from the API and the
websites' "was dit nuttig?" form, search clicks and search logging. Over the
limit a write gets 429 with a Dutch message (JSON on the API, the page with
the message on the websites) and stores nothing; a search still answers but
is not logged. The tests lower the limits through the settings fixture (per
hour, so no window rolls over mid-test)."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from feedback.models import Feedback
from gemeenten.models import Role
from pdc.models import Product
from tests.factories import make_gemeente, make_product, make_user
from zoeken.models import SearchQuery

pytestmark = pytest.mark.django_db
SLOW_DOWN = "te veel verzoeken"


@pytest.fixture
def limits(settings):
    def set_limit(group, rate):
        settings.RATE_LIMITS = {**settings.RATE_LIMITS, group: rate}

    return set_limit


@pytest.fixture
def world(settings):
    settings.SEARCH_ENGINE = "none"
    gemeente = make_gemeente("Roosendaal", slug="roosendaal")
    return {"gemeente": gemeente, "passport": make_product(slug="paspoort", title_nl="Paspoort aanvragen")}


def helpful(client, world, **extra):
    body = {"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": "product", "id": world["passport"].pk}}
    return client.post(reverse("api:feedback"), body, content_type="application/json", **extra)


def assert_too_many(response):
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json" and response["Retry-After"]
    assert SLOW_DOWN in response.json()["error"].lower()


def test_api_feedback_is_limited_per_client(client, world, limits):
    limits("feedback", "3/h")
    assert [helpful(client, world).status_code for _ in range(3)] == [201, 201, 201]
    assert_too_many(helpful(client, world))
    assert Feedback.objects.count() == 3
    assert helpful(client, world, REMOTE_ADDR="192.0.2.7").status_code == 201, "another client has its own budget"


def test_signed_in_agents_are_counted_per_account(world, limits):
    """The agents of one contact centre share an address: one agent's flags
    do not use up another's."""
    limits("feedback", "2/h")
    first, second = Client(), Client()
    first.force_login(make_user(Role.AGENT, world["gemeente"]))
    second.force_login(make_user(Role.AGENT, world["gemeente"]))
    assert [helpful(first, world).status_code for _ in range(2)] == [201, 201]
    assert_too_many(helpful(first, world))
    assert helpful(second, world).status_code == 201


def test_behind_the_proxy_clients_are_told_apart_by_forwarded_for(world, limits, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    limits("feedback", "1/h")
    client = Client(REMOTE_ADDR="10.0.0.1")  # the proxy
    assert helpful(client, world, HTTP_X_FORWARDED_FOR="198.51.100.1").status_code == 201
    assert_too_many(helpful(client, world, HTTP_X_FORWARDED_FOR="198.51.100.1"))
    assert helpful(client, world, HTTP_X_FORWARDED_FOR="198.51.100.2").status_code == 201
    # Not an address: counted as the proxy's own, never a server error.
    assert helpful(client, world, HTTP_X_FORWARDED_FOR="not-an-ip").status_code == 201
    assert_too_many(helpful(client, world, HTTP_X_FORWARDED_FOR="garbage, <script>"))


def test_search_clicks_are_limited(client, world, limits):
    limits("search-click", "2/h")
    url = reverse("api:search-click")
    responses = []
    for _ in range(3):
        result = client.get(reverse("api:search", args=["roosendaal"]), {"q": "paspoort"}).json()
        click = {"token": result["click_token"], "kind": "product", "id": world["passport"].pk}
        responses.append(client.post(url, click, content_type="application/json"))
    assert [r.status_code for r in responses[:2]] == [200, 200]
    assert_too_many(responses[2])
    assert SearchQuery.objects.exclude(clicked="").count() == 2


@pytest.mark.parametrize("name", ["search", "agent-search"])
def test_searches_past_the_limit_answer_but_are_not_logged(client, world, limits, name):
    limits("search-log", "2/h")
    client.force_login(make_user(Role.AGENT, world["gemeente"]))
    bodies = [client.get(reverse(f"api:{name}", args=["roosendaal"]), {"q": "paspoort"}).json() for _ in range(4)]
    assert [len(body["hits"]) for body in bodies] == [1, 1, 1, 1]
    assert [body["log_id"] is not None for body in bodies] == [True, True, False, False]
    assert bodies[-1]["click_token"] is None
    assert SearchQuery.objects.count() == 2


# The websites ------------------------------------------------------------------

HOST = "roosendaal.localhost"


def test_website_feedback_form_is_limited_with_a_page_that_says_so(full_demo, limits):
    """Each post from a fresh session (one answer per visitor and page),
    all from one address."""
    limits("feedback", "2/h")
    url = "/producten/paspoort/terugkoppeling/"
    assert [Client().post(url, {"antwoord": "ja"}, HTTP_HOST=HOST).status_code for _ in range(2)] == [303, 303]
    response = Client().post(url, {"antwoord": "nee"}, HTTP_HOST=HOST)
    assert response.status_code == 429 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Uw reactie is niet verstuurd" in html and "Wacht een minuut" in html
    assert Feedback.objects.count() == 2
    api = {"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": "product", "id": Product.objects.get(slug="paspoort").pk}}
    assert_too_many(Client().post(reverse("api:feedback"), api, content_type="application/json"))  # one budget for both


def test_website_search_past_the_limit_answers_without_logging_or_click_tokens(full_demo, client, limits):
    limits("search-log", "1/h")
    first = client.get("/zoeken/", {"q": "paspoort"}, HTTP_HOST=HOST).content.decode()
    second = client.get("/zoeken/", {"q": "paspoort"}, HTTP_HOST=HOST)
    assert second.status_code == 200 and 'href="/zoeken/klik/?kind=product&amp;id=' in second.content.decode()
    assert "&amp;t=" in first and "&amp;t=" not in second.content.decode()
    assert SearchQuery.objects.filter(origin="site").count() == 1


def test_website_clicks_past_the_limit_still_go_to_the_entry(full_demo, client, limits):
    limits("search-click", "1/h")
    links = []
    for _ in range(2):
        html = client.get("/zoeken/", {"q": "paspoort"}, HTTP_HOST=HOST).content.decode()
        links.append(re.search(r'href="(/zoeken/klik/\?kind=product[^"]+)"', html).group(1).replace("&amp;", "&"))
    responses = [client.get(link, HTTP_HOST=HOST) for link in links]
    assert [r.status_code for r in responses] == [302, 302]
    assert SearchQuery.objects.exclude(clicked="").count() == 1
