"""The content endpoints of the JSON API: public resolution only on public
endpoints, agent content for agents of that gemeente, pagination, caching
headers, and feedback rules."""

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
    assert list(Feedback.objects.order_by("pk").values_list("kind", "channel")) == [
        ("helpful", "site"), ("wrong", "widget"), ("missing", "widget")
    ]
