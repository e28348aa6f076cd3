"""Hostile input to the JSON API (issue 11, points 3 and 7): every
reproduction gets a 4xx in the API's one error shape, never a 5xx, and
nothing is stored; forged search clicks are refused; every answer under
/api/ is JSON that matches the OpenAPI document, errors included. A
hypothesis test fuzzes the POST bodies and query parameters."""

import json
import re

import jsonschema
import pytest
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.test import Client, RequestFactory
from django.urls import reverse
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from api.views import document
from feedback.models import Feedback
from gemeenten.models import Role
from kennisbank import errors
from tests.factories import make_gemeente, make_product, make_user, make_vac
from zoeken.models import SearchQuery

pytestmark = pytest.mark.django_db
DOCUMENT = document()
API = "/api/v1"


@pytest.fixture
def world(settings):
    settings.SEARCH_ENGINE = "none"
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal")
    make_gemeente("Etten-Leur", slug="etten-leur")
    return {
        "roosendaal": roosendaal,
        "passport": make_product(slug="paspoort", title_nl="Paspoort aanvragen", summary_nl="Een paspoort voor reizen"),
        "zone": make_product(slug="blauwe-zone", title_nl="Blauwe zone", summary_nl="Parkeren in het centrum"),
        "vac": make_vac(slug="paspoort-kwijt", question_nl="Paspoort kwijt?"),
    }


# The OpenAPI document as the judge ---------------------------------------------


def operation(path, method):
    """The documented operation of an API address, or None (no such route)."""
    candidates = []
    for template, operations in DOCUMENT["paths"].items():
        pattern = re.sub(r"\\\{[a-z_]+\\\}", "[^/]+", re.escape(API + template))
        if re.fullmatch(pattern, path) and method.lower() in operations:
            candidates.append((template.count("{"), operations[method.lower()]))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def assert_documented(response):
    """JSON, with a documented status (or the default), in its documented shape."""
    request = response.wsgi_request
    assert request.path.startswith("/api/")
    assert response["Content-Type"] == "application/json", (response.status_code, response.content[:300])
    body = json.loads(response.content)
    found = operation(request.path, request.method)
    if found is None:
        spec = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    else:
        spec = found["responses"].get(str(response.status_code)) or found["responses"]["default"]
    schema = spec.get("content", {}).get("application/json", {}).get("schema")
    if schema:
        jsonschema.validate(body, {**schema, "components": DOCUMENT["components"]})
    return body


def assert_error(response, status, *words):
    assert response.status_code == status, (response.status_code, response.content[:300])
    body = assert_documented(response)
    assert set(body) == {"error"} and body["error"]
    for word in words:
        assert word in body["error"]
    return body


def post(client, name, body):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body)
    return client.post(reverse(f"api:{name}"), data, content_type="application/json")


# Point 7: terugkoppeling ---------------------------------------------------------


HOSTILE_FEEDBACK = {
    "entry is a list": '{"gemeente": "roosendaal", "kind": "helpful", "entry": [1]}',
    "entry is text": '{"gemeente": "roosendaal", "kind": "helpful", "entry": "x"}',
    "entry.kind is a list": '{"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": ["product"], "id": 1}}',
    "entry.kind is an object": '{"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": {}, "id": 1}}',
    "entry.id is text": '{"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": "product", "id": "1"}}',
    "entry.id is true": '{"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": "product", "id": true}}',
    "entry.id is 1e30": '{"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": "product", "id": 1e30}}',
    "entry.id is 2**64": '{"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": "product", "id": 18446744073709551616}}',
    "entry.id is Infinity": '{"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": "product", "id": Infinity}}',
    "entry.id is NaN": '{"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": "product", "id": NaN}}',
    "deeply nested": '{"gemeente": "roosendaal", "kind": "helpful", "entry": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "lone surrogate in remark": '{"gemeente": "roosendaal", "kind": "missing", "remark": "\\ud800"}',
    "lone surrogate in gemeente": '{"gemeente": "\\udfff", "kind": "missing"}',
    "lone surrogate as a key": '{"gemeente": "roosendaal", "kind": "missing", "\\ud800": 1}',
    "not UTF-8": b'{"gemeente": "roosendaal", "kind": "missing", "remark": "\xff\xfe"}',
    "NUL in gemeente": '{"gemeente": "roosendaal\\u0000", "kind": "missing"}',
    "gemeente is a list": '{"gemeente": ["roosendaal"], "kind": "missing"}',
    "kind is an object": '{"gemeente": "roosendaal", "kind": {"helpful": 1}}',
    "remark is a number": '{"gemeente": "roosendaal", "kind": "missing", "remark": 12}',
    "query is a list": '{"gemeente": "roosendaal", "kind": "missing", "query": ["a"]}',
    "a list": "[1, 2]",
    "a string": '"x"',
    "null": "null",
    "not JSON": "{",
}


@pytest.mark.parametrize("body", HOSTILE_FEEDBACK.values(), ids=HOSTILE_FEEDBACK.keys())
def test_hostile_feedback_is_a_400_and_stores_nothing(client, world, body):
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))  # so "missing" would be allowed
    assert_error(post(client, "feedback", body), 400)
    assert not Feedback.objects.exists()


def test_over_long_feedback_is_refused_not_cut(client, world):
    entry = {"kind": "product", "id": world["passport"].pk}
    megabyte = {"gemeente": "roosendaal", "kind": "not_helpful", "entry": entry, "remark": "x" * 1_000_000}
    assert_error(post(client, "feedback", megabyte), 400, "remark", "te lang", "2000")
    long_query = {"gemeente": "roosendaal", "kind": "helpful", "entry": entry, "query": "q" * 501}
    assert_error(post(client, "feedback", long_query), 400, "query", "500")
    too_big = {**megabyte, "remark": "x" * 3_000_000}  # over Django's DATA_UPLOAD_MAX_MEMORY_SIZE
    assert_error(post(client, "feedback", too_big), 400, "te groot")
    assert not Feedback.objects.exists()
    response = post(client, "feedback", {**megabyte, "remark": "x" * 2000})
    assert response.status_code == 201 and assert_documented(response)["id"]
    assert Feedback.objects.get().remark == "x" * 2000


# Point 7: zoekkliks -----------------------------------------------------------


def search(client, query="paspoort", **params):
    response = client.get(reverse("api:search", args=["roosendaal"]), {"q": query, **params})
    return assert_documented(response)


HOSTILE_CLICKS = {
    "log_id Infinity": '{"log_id": Infinity, "kind": "product", "id": 1}',
    "id Infinity": '{"token": "TOKEN", "kind": "product", "id": Infinity}',
    "NUL in kind": '{"token": "TOKEN", "kind": "product\\u0000", "id": 1}',
    "empty kind, id 0 (stored as :0)": '{"token": "TOKEN", "kind": "", "id": 0}',
    "id 1e30": '{"token": "TOKEN", "kind": "product", "id": 1e30}',
    "id as text": '{"token": "TOKEN", "kind": "product", "id": "1"}',
    "id negative": '{"token": "TOKEN", "kind": "product", "id": -1}',
    "kind agentnote": '{"token": "TOKEN", "kind": "agentnote", "id": 1}',
    "no token": '{"log_id": 1, "kind": "product", "id": 1}',
    "token is a number": '{"token": 12, "kind": "product", "id": 1}',
    "forged token": '{"token": "WzEsWyJwcm9kdWN0OjEiXV0:1abcde:forged", "kind": "product", "id": 1}',
    "token with a surrogate": '{"token": "\\ud800", "kind": "product", "id": 1}',
    "deeply nested": '{"token": ' + "[" * 100_000 + "]" * 100_000 + "}",
    "a list": "[]",
}


@pytest.mark.parametrize("body", HOSTILE_CLICKS.values(), ids=HOSTILE_CLICKS.keys())
def test_hostile_clicks_are_a_400_and_store_nothing(client, world, body):
    result = search(client)
    body = body.replace("TOKEN", result["click_token"]).replace('"id": 1}', f'"id": {world["passport"].pk}}}')
    assert_error(post(client, "search-click", body), 400)
    assert not SearchQuery.objects.exclude(clicked="").exists()


def test_page_number_overflow_is_a_400(client, world):
    huge = "100000000000000000000"
    assert_error(client.get(reverse("api:list", args=["roosendaal", "producten"]), {"page": huge}), 400, "page")
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    for name, args in (("agent-list", ["roosendaal", "vacs"]), ("agent-objecttype-vac", ["roosendaal"])):
        assert_error(client.get(reverse(f"api:{name}", args=args), {"page": huge}), 400, "page")
    for name in ("search", "agent-search"):  # search clamps the page to the last it serves
        response = client.get(reverse(f"api:{name}", args=["roosendaal"]), {"q": "paspoort", "page": huge, "page_size": huge})
        assert response.status_code == 200 and assert_documented(response)["hits"] == []


# Point 3: forged clicks -------------------------------------------------------


def test_a_click_needs_the_token_of_the_search_that_showed_the_result(client, world):
    passport, zone = world["passport"], world["zone"]
    result = search(client)
    assert (passport.pk, "product") in {(hit["id"], hit["kind"]) for hit in result["hits"]}
    assert zone.pk not in {hit["id"] for hit in result["hits"]}
    old_style = {"log_id": result["log_id"], "kind": "product", "id": zone.pk}
    assert_error(post(client, "search-click", old_style), 400, "token")
    not_a_result = {"token": result["click_token"], "kind": "product", "id": zone.pk}
    assert_error(post(client, "search-click", not_a_result), 400, "resultaat")
    tampered = {"token": result["click_token"][:-3] + "abc", "kind": "product", "id": passport.pk}
    assert_error(post(client, "search-click", tampered), 400, "token")
    assert not SearchQuery.objects.exclude(clicked="").exists()

    click = {"token": result["click_token"], "kind": "product", "id": passport.pk}
    assert assert_documented(post(client, "search-click", click)) == {"recorded": True}
    assert assert_documented(post(client, "search-click", click)) == {"recorded": False}, "once per search"
    other = {"token": result["click_token"], "kind": "vac", "id": world["vac"].pk}
    assert post(client, "search-click", other).json() == {"recorded": False}
    assert list(SearchQuery.objects.exclude(clicked="").values_list("clicked", flat=True)) == [f"product:{passport.pk}"]


def test_the_server_decides_the_origin_of_a_search(client, world):
    """channel=site was accepted from anyone, and site clicks drive the
    websites' top tasks; now the public API logs "api", the agent API
    "widget", whatever the request says."""
    public = search(client, channel="site", origin="site")
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    agent = assert_documented(client.get(reverse("api:agent-search", args=["roosendaal"]), {"q": "paspoort", "channel": "site", "origin": "site"}))
    assert SearchQuery.objects.get(pk=public["log_id"]).origin == "api"
    assert SearchQuery.objects.get(pk=agent["log_id"]).origin == "widget"
    assert not SearchQuery.objects.filter(origin="site").exists()


def test_a_token_of_another_gemeente_or_query_does_not_extend_to_a_further_page(client, world):
    for number in range(12):
        make_product(slug=f"paspoort-{number}", title_nl=f"Paspoort variant {number}")
    first = search(client, page_size=5)
    second = search(client, page=2, page_size=5, click_token=first["click_token"])
    assert second["click_token"] != first["click_token"]
    hit = second["hits"][0]
    click = {"token": second["click_token"], "kind": hit["kind"], "id": hit["id"]}
    assert post(client, "search-click", click).json() == {"recorded": True}
    assert SearchQuery.objects.get(pk=first["log_id"]).clicked == f"{hit['kind']}:{hit['id']}"
    other_query = search(client, "blauwe zone", page=2, page_size=5, click_token=first["click_token"])
    assert other_query["click_token"] is None
    elsewhere = client.get(reverse("api:search", args=["etten-leur"]), {"q": "paspoort", "page": 2, "page_size": 5, "click_token": first["click_token"]})
    assert assert_documented(elsewhere)["click_token"] is None


# Point 7: router-level errors are JSON too -------------------------------------


@pytest.mark.parametrize("method", ["get", "post", "put", "delete"])
@pytest.mark.parametrize("path", ["/api/v1/nope", "/api/v1/gemeenten/roosendaal/zoeken/extra", "/api/v2/gemeenten", "/api/", "/api/v1/gemeenten/a b/zoeken"])
def test_unknown_api_addresses_are_a_json_404(world, method, path):
    client = Client(enforce_csrf_checks=True)
    assert_error(getattr(client, method)(path), 404)


def test_a_wrong_method_is_a_json_405_not_a_csrf_page(world):
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("api:gemeenten"), {"x": "y"})
    assert_error(response, 405, "GET")
    assert response["Allow"] == "GET"
    response = client.get(reverse("api:search-click"))
    assert_error(response, 405, "POST")
    assert response["Allow"] == "POST"


def test_an_over_long_address_is_a_json_414(client, world, settings):
    url = reverse("api:search", args=["roosendaal"])
    assert_error(client.get(url, {"q": "paspoort", "pad": "x" * settings.API_MAX_URL_LENGTH}), 414, "te lang")
    assert_error(client.get(url, {"q": "x" * 501}), 400, "te lang")


def test_csrf_failure_under_api_is_json(world):
    """No API route needs a CSRF token (GETs and JSON-only POSTs are exempt);
    should one ever, its failure is JSON too: CSRF_FAILURE_VIEW."""
    factory = RequestFactory()

    def protected_view(request):
        return HttpResponse("ok")

    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    for path, is_json in (("/api/v1/gemeenten", True), ("/admin/", False)):
        request = factory.post(path, {"a": "b"})
        request._dont_enforce_csrf_checks = False
        response = middleware.process_view(request, protected_view, (), {})
        assert response.status_code == 403
        assert (response["Content-Type"] == "application/json") is is_json
        if is_json:
            assert json.loads(response.content)["error"]


def test_a_server_error_under_api_is_json(world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("database on fire")

    monkeypatch.setattr("api.views.Gemeente.objects.select_related", broken)
    response = Client(raise_request_exception=False).get(reverse("api:gemeenten"))
    assert_error(response, 500)
    assert "fire" not in response.content.decode()


@pytest.mark.parametrize("handler", [errors.bad_request, errors.permission_denied, errors.page_not_found])
def test_error_handlers_answer_json_under_api_only(handler, world):
    factory = RequestFactory()
    api = handler(factory.get("/api/v1/x"), Exception("x"))
    site = handler(factory.get("/producten/x/"), Exception("x"))
    assert api["Content-Type"] == "application/json" and json.loads(api.content)["error"]
    assert site["Content-Type"].startswith("text/html")


# Fuzzing: no 5xx, always the documented JSON -----------------------------------

scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=8)


def maybe(strategy):
    return strategy | json_values


feedback_bodies = st.fixed_dictionaries(
    {},
    optional={
        "gemeente": maybe(st.sampled_from(["roosendaal", "etten-leur", "atlantis"])),
        "kind": maybe(st.sampled_from(Feedback.Kind.values)),
        "entry": maybe(st.fixed_dictionaries({}, optional={"kind": maybe(st.sampled_from(["product", "vac"])), "id": maybe(st.integers(-2, 10**20))})),
        "remark": maybe(st.text(max_size=30)),
        "query": maybe(st.text(max_size=30)),
    },
)
click_bodies = st.fixed_dictionaries(
    {},
    optional={
        "token": maybe(st.sampled_from(["TOKEN", "TOKEN:x", ""])),
        "kind": maybe(st.sampled_from(["product", "vac"])),
        "id": maybe(st.integers(-2, 10**20)),
        "log_id": json_values,
    },
)
raw_bodies = st.binary(max_size=60) | st.text(max_size=60).map(lambda text: text.encode("utf-8", "surrogatepass"))


def agent(world):
    if "agent" not in world:
        world["agent"] = make_user(Role.AGENT, world["roosendaal"])
    return world["agent"]


def dumped(value):
    return json.dumps(value, allow_nan=True).encode()


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    endpoint=st.sampled_from(["feedback", "search-click"]),
    body=st.one_of(feedback_bodies.map(dumped), click_bodies.map(dumped), raw_bodies),
    signed_in=st.booleans(),
)
def test_fuzzed_post_bodies_never_break_the_api(world, settings, endpoint, body, signed_in):
    settings.RATE_LIMITS = {group: "100000/m" for group in settings.RATE_LIMITS}
    client = Client()
    if signed_in:
        client.force_login(agent(world))
    token = search(client)["click_token"]
    response = client.post(reverse(f"api:{endpoint}"), body.replace(b"TOKEN", token.encode()), content_type="application/json")
    assert response.status_code < 500
    assert_documented(response)


PARAMETERS = ["q", "type", "audience", "theme", "page", "page_size", "click_token", "channel", "x"]
parameter_values = st.text(max_size=30) | st.integers(-5, 10**25).map(str) | st.sampled_from(["product,vac", "burger", "1", "0", "-1", "1e3", "NaN", "٣"])
GET_ENDPOINTS = [
    ("search", ["roosendaal"]),
    ("agent-search", ["roosendaal"]),
    ("suggest", ["roosendaal"]),
    ("list", ["roosendaal", "producten"]),
    ("agent-list", ["roosendaal", "vacs"]),
    ("detail", ["roosendaal", "producten", "paspoort"]),
    ("themes", ["roosendaal"]),
    ("agent-top", ["roosendaal"]),
    ("agent-objecttype-kennisartikel", ["roosendaal"]),
    ("gemeenten", []),
]


@hsettings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    endpoint=st.sampled_from(GET_ENDPOINTS),
    params=st.dictionaries(st.sampled_from(PARAMETERS), parameter_values, max_size=4),
    signed_in=st.booleans(),
)
def test_fuzzed_query_parameters_never_break_the_api(world, settings, endpoint, params, signed_in):
    settings.RATE_LIMITS = {group: "100000/m" for group in settings.RATE_LIMITS}
    client = Client()
    if signed_in:
        client.force_login(agent(world))
    name, args = endpoint
    response = client.get(reverse(f"api:{name}", args=args), params)
    assert response.status_code < 500
    assert_documented(response)
