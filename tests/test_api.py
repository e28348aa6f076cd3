"""The content endpoints of the JSON API: public resolution only on public
endpoints, agent content for agents of that gemeente, pagination, caching
headers, and feedback rules."""

import json

import pytest
from django.urls import reverse

from feedback.models import Feedback
from gemeenten.models import Role
from kennis.models import AgentNote
from sharing.overrides import set_override
from tests.factories import make_gemeente, make_product, make_user, make_vac, regional_curator

pytestmark = pytest.mark.django_db
SECRET = "interne-aantekening-xyz"


@pytest.fixture
def world():
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal")
    bergen = make_gemeente("Bergen op Zoom", slug="bergen-op-zoom")
    passport = make_product(slug="paspoort", title_nl="Paspoort aanvragen", handling_level="intake")
    vac = make_vac(slug="paspoort-kwijt", question_nl="Paspoort kwijt?", internal_explanation=f"<p>{SECRET}</p>")
    AgentNote.objects.create(kind="intake", title=f"Intake {SECRET}", body="<p>Vraag naar de reisdatum</p>", product=passport)
    local = make_product(slug="kluis", title_nl="Documentenkluis", gemeente=roosendaal)
    set_override(passport, roosendaal, "procedure_nl", "<p>Kom naar het Stadskantoor.</p>", regional_curator())
    for number in range(25):
        make_product(slug=f"product-{number:02d}", title_nl=f"Product {number}")
    return {"roosendaal": roosendaal, "bergen": bergen, "passport": passport, "vac": vac, "local": local}


def get(client, name, *args, **params):
    return client.get(reverse(f"api:{name}", args=args), params)


def test_detail_is_the_gemeentes_resolution(client, world):
    roosendaal = get(client, "detail", "roosendaal", "producten", "paspoort").json()
    bergen = get(client, "detail", "bergen-op-zoom", "producten", "paspoort").json()
    assert "Stadskantoor" in roosendaal["answer"] and "Stadskantoor" not in bergen["answer"]
    assert [s["name"] for s in roosendaal["sections"]] == ["procedure"]


def test_public_endpoints_never_carry_agent_content(client, world):
    for args in (("roosendaal", "producten", "paspoort"), ("roosendaal", "vacs", "paspoort-kwijt")):
        response = get(client, "detail", *args)
        assert SECRET not in response.content.decode()
        assert not {"notes", "internal_explanation", "handling_level"} & set(response.json())


def test_agent_endpoints_add_agent_content_for_agents_of_that_gemeente(client, world):
    url_args = ("roosendaal", "producten", "paspoort")
    assert get(client, "agent-detail", *url_args).status_code == 401
    client.force_login(make_user(Role.AGENT, world["bergen"]))
    assert get(client, "agent-detail", *url_args).status_code == 403
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    body = get(client, "agent-detail", *url_args).json()
    assert body["handling_level"] == "intake" and SECRET in body["notes"][0]["title"]
    assert SECRET in get(client, "agent-detail", "roosendaal", "vacs", "paspoort-kwijt").json()["internal_explanation"]
    assert [g["slug"] for g in get(client, "agent-gemeenten").json()["results"]] == ["roosendaal"]


def test_local_entries_only_in_their_own_gemeente(client, world):
    assert get(client, "detail", "roosendaal", "producten", "kluis").status_code == 200
    assert get(client, "detail", "bergen-op-zoom", "producten", "kluis").status_code == 404
    slugs = {item["slug"] for page in (1, 2) for item in get(client, "list", "bergen-op-zoom", "producten", page=page).json()["results"]}
    assert "kluis" not in slugs and "paspoort" in slugs


def test_pagination(client, world):
    first = get(client, "list", "roosendaal", "producten", page_size=10).json()
    assert first["count"] == 27 and len(first["results"]) == 10 and first["next"] == 2
    last = get(client, "list", "roosendaal", "producten", page_size=10, page=3).json()
    assert len(last["results"]) == 7 and last["next"] is None
    assert get(client, "list", "roosendaal", "producten", page_size=1000).status_code == 400
    assert get(client, "list", "roosendaal", "producten", page="x").status_code == 400


def test_etag_and_last_modified(client, world):
    response = get(client, "detail", "roosendaal", "producten", "paspoort")
    assert response["ETag"] and response["Last-Modified"] and "max-age=60" in response["Cache-Control"]
    again = client.get(response.wsgi_request.path, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_feedback_from_citizens_and_flags_from_agents(client, world):
    url = reverse("api:feedback")
    entry = {"kind": "product", "id": world["passport"].pk}
    helpful = {"gemeente": "roosendaal", "kind": "helpful", "entry": entry}
    assert client.post(url, helpful, content_type="application/json").status_code == 201
    wrong = {"gemeente": "roosendaal", "kind": "wrong", "entry": entry, "remark": "Leges kloppen niet\x00"}
    assert client.post(url, wrong, content_type="application/json").status_code == 401
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    assert client.post(url, wrong, content_type="application/json").status_code == 201
    missing = {"gemeente": "roosendaal", "kind": "missing", "query": "zwerfkat"}
    assert client.post(url, missing, content_type="application/json").status_code == 201
    foreign = {"gemeente": "bergen-op-zoom", "kind": "helpful", "entry": {"kind": "product", "id": world["local"].pk}}
    assert client.post(url, foreign, content_type="application/json").status_code == 400
    assert client.post(url, "{", content_type="application/json").status_code == 400
    # The session cannot be used by a form or a "simple" request from another site.
    as_form = client.post(url, {"gemeente": "roosendaal", "kind": "missing", "query": "via een formulier"})
    as_text = client.post(url, json.dumps(missing), content_type="text/plain")
    assert as_form.status_code == as_text.status_code == 415
    assert list(Feedback.objects.order_by("pk").values_list("kind", "origin")) == [
        ("helpful", "site"), ("wrong", "widget"), ("missing", "widget")
    ]


@pytest.fixture
def related_world(world):
    """Around the passport: an explicit relation (a VAC naming it), entries
    sharing its theme (one per gemeente's own, one not offered in
    Roosendaal, one unpublished, an inactive VAC) and a local title."""
    from pdc.models import Theme

    curator = regional_curator()
    theme = Theme.objects.create(name="Burgerzaken", slug="burgerzaken")

    def with_theme(entry):
        entry.themes.set([theme])
        entry.save()
        return entry

    passport, roosendaal, bergen = world["passport"], world["roosendaal"], world["bergen"]
    with_theme(passport)
    world["vac"].related_products.set([passport])
    world["vac"].save()
    with_theme(world["local"])  # Roosendaal's own Documentenkluis
    bergen_local = with_theme(make_product(slug="bergen-balie", title_nl="Balie Bergen", gemeente=bergen))
    identity = with_theme(make_product(slug="id-kaart", title_nl="Identiteitskaart aanvragen"))
    set_override(identity, roosendaal, "title_nl", "ID-kaart in Roosendaal", curator)
    parking = with_theme(make_product(slug="parkeren", title_nl="Parkeervergunning"))
    set_override(parking, roosendaal, "offered", False, curator)
    with_theme(make_product(slug="concept", title_nl="Nog niet gepubliceerd", live=False))
    with_theme(make_vac(slug="oud", question_nl="Oude vraag", status="non-actief"))
    return {**world, "bergen_local": bergen_local, "identity": identity, "parking": parking}


SUMMARY_KEYS = {"kind", "id", "slug", "title", "summary", "url", "local", "offered"}


def related_of(client, name, gemeente, collection="producten", slug="paspoort"):
    response = get(client, name, gemeente, collection, slug)
    assert response.status_code == 200
    return response.json()["related"]


def test_detail_carries_related_entries_of_that_gemeente_and_channel(client, related_world):
    client.force_login(make_user(Role.AGENT, related_world["roosendaal"]))
    for name in ("detail", "agent-detail"):
        related = related_of(client, name, "roosendaal")
        # The editors' explicit relation first, then the shared theme; Roosendaal's
        # own local entry and Roosendaal's title of the identity card.
        assert [(r["kind"], r["slug"]) for r in related] == [("vac", "paspoort-kwijt"), ("product", "kluis"), ("product", "id-kaart")]
        assert related[2]["title"] == "ID-kaart in Roosendaal" and related[1]["local"] is True
        assert all(set(r) == SUMMARY_KEYS and r["offered"] is True for r in related)
        assert all(r["url"].startswith("http") or r["url"].startswith("/") for r in related)
    # The agent-only text of the related VAC stays out of both details.
    public = get(client, "detail", "roosendaal", "producten", "paspoort").content.decode()
    agent_detail = get(client, "agent-detail", "roosendaal", "producten", "paspoort").json()
    assert SECRET not in public and SECRET not in str(agent_detail["related"])


def test_related_never_holds_other_gemeenten_or_not_offered_entries(client, related_world):
    client.force_login(make_user(Role.AGENT, related_world["bergen"]))
    for name in ("detail", "agent-detail"):
        bergen = [r["slug"] for r in related_of(client, name, "bergen-op-zoom")]
        # Bergen's own local entry and the parking permit (offered there), not
        # Roosendaal's local entry, and the base title of the identity card.
        assert bergen == ["paspoort-kwijt", "bergen-balie", "id-kaart", "parkeren"]
        assert "Identiteitskaart aanvragen" in str(related_of(client, name, "bergen-op-zoom"))
    client.force_login(make_user(Role.AGENT, related_world["roosendaal"]))
    for name in ("detail", "agent-detail"):
        roosendaal = {r["slug"] for r in related_of(client, name, "roosendaal")}
        # Not offered in Roosendaal, Bergen's local entry, unpublished, inactive: never.
        assert not roosendaal & {"parkeren", "bergen-balie", "concept", "oud"}
    # Related both ways: the VAC lists the product that it names.
    assert [r["slug"] for r in related_of(client, "agent-detail", "roosendaal", "vacs", "paspoort-kwijt")] == ["paspoort"]


def test_related_is_a_handful(client, related_world):
    from pdc.models import Theme

    theme = Theme.objects.get(slug="burgerzaken")
    for number in range(8):
        product = make_product(slug=f"extra-{number}", title_nl=f"Extra {number}")
        product.themes.set([theme])
        product.save()
    assert len(related_of(client, "detail", "roosendaal")) == 5


def test_summaries_say_whether_the_gemeente_offers_it(client, related_world):
    client.force_login(make_user(Role.AGENT, related_world["roosendaal"]))
    agent = {r["slug"]: r for page in (1, 2) for r in get(client, "agent-list", "roosendaal", "producten", page=page).json()["results"]}
    public = {r["slug"]: r for page in (1, 2) for r in get(client, "list", "roosendaal", "producten", page=page).json()["results"]}
    assert agent["parkeren"]["offered"] is False and agent["paspoort"]["offered"] is True
    assert "parkeren" not in public and all(r["offered"] is True for r in public.values())
    assert get(client, "agent-detail", "roosendaal", "producten", "parkeren").json()["offered"] is False
    bergen_agent = make_user(Role.AGENT, related_world["bergen"])
    client.force_login(bergen_agent)
    assert get(client, "agent-detail", "bergen-op-zoom", "producten", "parkeren").json()["offered"] is True


# The API on django-ninja: the generated document, one error shape, bearer auth --

# Every operation of the hand-written document the generated one replaced.
OPERATIONS_BEFORE_NINJA = {
    ("get", "/openapi.json"), ("get", "/gemeenten"), ("get", "/gemeenten/{gemeente}/zoeken"),
    ("get", "/gemeenten/{gemeente}/suggesties"), ("get", "/gemeenten/{gemeente}/themas"),
    ("get", "/gemeenten/{gemeente}/{collection}"), ("get", "/gemeenten/{gemeente}/{collection}/{slug}"),
    ("get", "/agent/gemeenten"), ("post", "/agent/afmelden"), ("get", "/agent/gemeenten/{gemeente}/zoeken"),
    ("get", "/agent/gemeenten/{gemeente}/top"), ("get", "/agent/gemeenten/{gemeente}/objecttypes/vac"),
    ("get", "/agent/gemeenten/{gemeente}/objecttypes/kennisartikel"), ("get", "/agent/gemeenten/{gemeente}/{collection}"),
    ("get", "/agent/gemeenten/{gemeente}/{collection}/{slug}"), ("post", "/terugkoppeling"), ("post", "/zoekkliks"),
}


def test_the_generated_document_has_every_operation_of_the_old_one(client):
    document = client.get(reverse("api:openapi"), HTTP_HOST="localhost").json()
    assert document["servers"] == [{"url": "http://localhost/api/v1/"}]
    operations = {(method, path) for path, methods in document["paths"].items() for method in methods}
    assert OPERATIONS_BEFORE_NINJA <= operations
    for method, path in operations:
        operation = document["paths"][path][method]
        assert operation["responses"]["default"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        agent = path.startswith("/agent/")
        schemes = [next(iter(s), None) for s in operation["security"]]
        # Agent operations need the session or a widget token; the others take them and anonymous clients.
        assert schemes == (["WidgetTokenAuth", "SessionAuth"] if agent else ["WidgetTokenAuth", "SessionAuth", None]), path
    assert document["components"]["securitySchemes"]["WidgetTokenAuth"] == {"type": "http", "scheme": "bearer"}
    collection = document["paths"]["/gemeenten/{gemeente}/{collection}"]["get"]["parameters"][1]
    assert set(collection["schema"]["enum"]) >= {"producten", "vacs"}
    assert "suggestion" in document["components"]["schemas"]["SearchResult"]["required"]


def test_bedoelde_u_in_the_search_response(client, world, settings):
    settings.SEARCH_ENGINE = "none"
    url = reverse("api:search", args=["roosendaal"])
    misspelt = client.get(url, {"q": "paspoorr aanvragen"}).json()
    assert misspelt["suggestion"] == "paspoort aanvragen"
    assert client.get(url, {"q": "paspoort"}).json()["suggestion"] == "", "nothing to correct"
    # Per gemeente: Roosendaal's local entry gives words to Roosendaal only.
    assert client.get(url, {"q": "documentenkluiz"}).json()["suggestion"] == "documentenkluis"
    elsewhere = client.get(reverse("api:search", args=["bergen-op-zoom"]), {"q": "documentenkluiz"}).json()
    assert elsewhere["suggestion"] == ""


def test_every_error_has_the_one_shape(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "feedback": "1/h"}
    helpful = {"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": "product", "id": world["passport"].pk}}
    client.post(reverse("api:feedback"), helpful, content_type="application/json")
    responses = {
        400: get(client, "list", "roosendaal", "producten", page="x"),
        401: get(client, "agent-detail", "roosendaal", "producten", "paspoort"),
        404: get(client, "detail", "atlantis", "producten", "paspoort"),
        405: client.delete(reverse("api:gemeenten")),
        414: client.get(reverse("api:gemeenten"), {"x": "y" * 5000}),
        415: client.post(reverse("api:feedback"), "{}", content_type="text/plain"),
        429: client.post(reverse("api:feedback"), helpful, content_type="application/json"),
    }
    client.force_login(make_user(Role.AGENT, world["bergen"]))
    responses[403] = get(client, "agent-detail", "roosendaal", "producten", "paspoort")
    responses[404.1] = get(client, "agent-detail", "bergen-op-zoom", "producten", "bestaat-niet")
    responses[404.2] = client.get("/api/v1/gemeenten/roosendaal/nergens/iets/meer")
    for status, response in responses.items():
        assert response.status_code == int(status), (status, response.content[:200])
        assert response["Content-Type"] == "application/json"
        body = response.json()
        assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"], status
    assert "page" in responses[400].json()["error"]


def test_bearer_tokens_through_the_framework(client, world):
    from widget.models import WidgetToken

    token, row = WidgetToken.objects.issue(make_user(Role.AGENT, world["roosendaal"]), "https://kcc.example.nl")
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    detail = reverse("api:agent-detail", args=["roosendaal", "producten", "paspoort"])
    assert client.get(detail, **bearer).json()["handling_level"] == "intake"
    assert client.get(reverse("api:agent-detail", args=["bergen-op-zoom", "producten", "paspoort"]), **bearer).status_code == 403
    refused = client.get(detail, HTTP_AUTHORIZATION="Bearer nep")
    assert refused.status_code == 401 and "sign in again" in refused.json()["error"]
    # A token that is not valid is refused on public operations too (the widget then signs in again) …
    assert client.get(reverse("api:detail", args=["roosendaal", "producten", "paspoort"]), HTTP_AUTHORIZATION="Bearer nep").status_code == 401
    # … and a revoked one is refused everywhere.
    row.delete()
    assert client.get(detail, **bearer).status_code == 401
    assert client.get(reverse("api:gemeenten"), **bearer).status_code == 401
    assert client.get(detail, HTTP_AUTHORIZATION="Basic eDp5").status_code == 401, "only bearer tokens and the session"


def test_feedback_takes_only_registered_kinds(client, world):
    url = reverse("api:feedback")
    for kind in ("agentnote", "Product", "producten", ""):
        body = {"gemeente": "roosendaal", "kind": "helpful", "entry": {"kind": kind, "id": world["passport"].pk}}
        response = client.post(url, body, content_type="application/json")
        assert response.status_code == 400 and "entry" in response.json()["error"]
    assert not Feedback.objects.exists()
