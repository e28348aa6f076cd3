"""The JSON search endpoints on the database backend (the embedded
default): bad input never breaks them, agent search needs an agent,
every query is logged, clicks are recorded, the OpenAPI document covers
every route. The report lists zero-result queries with fix-it links."""

import re

import pytest
from django.urls import reverse

from api.urls import urlpatterns

from gemeenten.models import Role
from tests.factories import make_gemeente, make_product, make_user, municipal_curator, regional_curator
from zoeken import outbox, service, spelling
from zoeken.models import IndexTask, SearchQuery, Synonym
from zoeken.text import MAX_QUERY_WORDS, NO_WORDS, ONLY_COMMON_WORDS

pytestmark = pytest.mark.django_db
HOSTILE_QUERIES = [
    "",
    " ",
    "x" * 10_000,
    "🙂👍 paspoort ☃ ẞ ß",
    '" * ( ) \\ ~ ^ OR AND : / [',
    "paspoort AND (rijbewijs OR",
    "'; DROP TABLE pdc_product; --",
    "1 OR 1=1",
    "\x00\x1f<script>alert(1)</script>",
    "{{ leges.paspoort }}",
    "*" * 500,
]


@pytest.fixture
def roosendaal(settings):
    settings.SEARCH_ENGINE = "none"
    gemeente = make_gemeente("Roosendaal", slug="roosendaal")
    make_product(slug="paspoort", title_nl="Paspoort aanvragen", summary_nl="Een paspoort voor reizen", keywords="reisdocument")
    make_product(slug="kluis", title_nl="Documentenkluis", summary_nl="Paspoort ophalen", gemeente=gemeente)
    return gemeente


def search_url(gemeente="roosendaal", agent=False):
    return reverse("api:agent-search" if agent else "api:search", args=[gemeente])


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_query_gets_a_valid_response(client, roosendaal, query):
    response = client.get(search_url(), {"q": query})
    if len(query) > 500:  # too long: a clear error (414 when the address is over API_MAX_URL_LENGTH)
        assert response.status_code in (400, 414) and "te lang" in response.json()["error"]
        return
    assert response.status_code == 200
    body = response.json()
    assert body["backend"] in ("database", "none") and isinstance(body["hits"], list)
    assert "<script>" not in response.content.decode()


def test_results_answer_from_the_database_and_say_so(client, roosendaal):
    body = client.get(search_url(), {"q": "paspoorten", "channel": "site"}).json()  # the client cannot choose the channel
    assert body["backend"] == "database"
    assert [hit["slug"] for hit in body["hits"]][:2] == ["paspoort", "kluis"]
    assert "<mark>" in body["hits"][0]["snippet"] or body["hits"][0]["snippet"] == ""
    log = SearchQuery.objects.get(pk=body["log_id"])
    assert (log.origin, log.result_count, log.gemeente) == ("api", body["total"], roosendaal)


def test_local_entries_stay_in_their_own_gemeente(client, roosendaal):
    make_gemeente("Bergen op Zoom", slug="bergen-op-zoom")
    body = client.get(search_url("bergen-op-zoom"), {"q": "paspoort"}).json()
    assert [hit["slug"] for hit in body["hits"]] == ["paspoort"]


NOTHING_TO_SEARCH = [
    ("de het een wat hoe", ONLY_COMMON_WORDS),
    ("Wanneer waarom? Welke!", ONLY_COMMON_WORDS),
    ("a b c", ONLY_COMMON_WORDS),
    ('" * ( ) \\ ~ ^ : / [ ?!', NO_WORDS),
    ("🙂👍 ☃", NO_WORDS),
    ("... --- ??? ___", NO_WORDS),
]


@pytest.mark.parametrize("agent", [False, True])
@pytest.mark.parametrize("query,notice", NOTHING_TO_SEARCH)
def test_a_query_with_nothing_to_search_for_says_so_without_searching(client, roosendaal, monkeypatch, query, notice, agent):
    """Only stop words, single letters or punctuation: a clear notice and no
    search at all (no engine or database request, no spelling check), so it
    costs less than a normal query."""

    def no_search(*args, **kwargs):
        raise AssertionError("searched for a query with nothing to search for")

    monkeypatch.setattr(service, "_ranked", no_search)
    monkeypatch.setattr(spelling, "words_of", no_search)
    if agent:
        client.force_login(make_user(Role.AGENT, roosendaal))
    response = client.get(search_url(agent=agent), {"q": query})
    body = response.json()
    assert response.status_code == 200
    assert (body["backend"], body["total"], body["hits"], body["suggestion"]) == ("none", 0, [], "")
    assert body["notice"] == notice
    assert SearchQuery.objects.get(pk=body["log_id"]).result_count == 0  # still logged for the report


def test_a_promoted_answer_still_answers_a_stop_word_query(client, roosendaal):
    from zoeken.models import Promotion

    product = make_product(slug="openingstijden", title_nl="Openingstijden")
    Promotion.objects.create(query="wanneer", kind="product", entry_id=product.pk)
    body = client.get(search_url(), {"q": "Wanneer?"}).json()
    assert [hit["slug"] for hit in body["hits"]] == ["openingstijden"] and body["notice"] == ""


@pytest.mark.parametrize(
    "text",
    [
        "paspoort " * 1111 + "x",  # 10,000 characters
        ("hoe vraag ik een nieuw paspoort aan voor mijn kind als wij gaan verhuizen naar het buitenland " * 110)[:10_000],
        " ".join(f"woord{n}" for n in range(2000))[:10_000],
    ],
)
def test_a_pasted_text_is_searched_by_a_few_words(roosendaal, monkeypatch, text):
    """The website passes up to 200 characters; the service searches each
    word once and at most MAX_QUERY_WORDS of them, so a pasted text costs
    the engine no more than a long question."""
    searched = []
    monkeypatch.setattr(service, "_ranked", lambda words, alternatives, request: searched.append(words) or ("database", 0, [], ""))
    service.search(text, roosendaal)
    (words,) = searched
    assert 1 <= len(words.split()) <= MAX_QUERY_WORDS and len(set(words.split())) == len(words.split())


@pytest.mark.parametrize("agent", [False, True])
@pytest.mark.parametrize("length,status", [(501, 400), (10_000, 414)])
def test_a_very_long_query_is_refused_clearly_without_searching(client, roosendaal, monkeypatch, length, status, agent):
    monkeypatch.setattr(service, "search", lambda *args, **kwargs: pytest.fail("searched"))
    if agent:
        client.force_login(make_user(Role.AGENT, roosendaal))
    response = client.get(search_url(agent=agent), {"q": "paspoort " * (length // 9) + "x" * (length % 9)})
    assert response.status_code == status and "te lang" in response.json()["error"]


@pytest.mark.parametrize(
    "params",
    [{"page": "x"}, {"page": "0"}, {"page_size": "-1"}, {"type": "page"}, {"audience": "fax"}, {"theme": "a b"}, {"q": "x" * 501}],
)
def test_invalid_parameters_get_a_clear_400(client, roosendaal, params):
    response = client.get(search_url(), {"q": "paspoort", **params})
    assert response.status_code == 400 and response.json()["error"]


def test_unknown_gemeente_is_a_404(client, roosendaal):
    assert client.get(search_url("atlantis"), {"q": "paspoort"}).status_code == 404


def test_agent_search_needs_an_agent_of_that_gemeente(client, roosendaal):
    assert client.get(search_url(agent=True), {"q": "paspoort"}).status_code == 401
    client.force_login(make_user(Role.AGENT, make_gemeente("Elders")))
    assert client.get(search_url(agent=True), {"q": "paspoort"}).status_code == 403
    client.force_login(make_user(Role.AGENT, roosendaal))
    assert client.get(search_url(agent=True), {"q": "paspoort"}).json()["total"] == 2


def test_synonyms_and_suggestions_on_the_database_path(client, roosendaal):
    assert client.get(search_url(), {"q": "reispas"}).json()["total"] == 0
    Synonym.objects.create(term="reispas", synonyms="paspoort")
    assert client.get(search_url(), {"q": "reispas"}).json()["hits"][0]["slug"] == "paspoort"
    suggestions = client.get(reverse("api:suggest", args=["roosendaal"]), {"q": "pasp"}).json()["suggestions"]
    assert "Paspoort aanvragen" in [s["title"] for s in suggestions]


def test_a_synonym_applies_wherever_its_words_stand_in_the_query(roosendaal):
    from django.core.exceptions import ValidationError

    from zoeken.service import synonyms_for

    Synonym.objects.create(term="gba uittreksel", synonyms="uittreksel brp")
    Synonym.objects.create(term="gba", synonyms="brp", gemeente=make_gemeente("Elders"))
    assert synonyms_for("gba uittreksel", roosendaal) == ["uittreksel brp"]
    assert synonyms_for("kosten gba uittreksel aanvragen", roosendaal) == ["kosten uittreksel brp aanvragen"]
    assert synonyms_for("gba", roosendaal) == [], "another gemeente's synonym does not apply"
    with pytest.raises(ValidationError):
        Synonym(term="een twee drie vier vijf zes zeven", synonyms="x").full_clean()


def test_a_click_is_recorded_once(client, roosendaal):
    body = client.get(search_url(), {"q": "paspoort"}).json()
    hit = body["hits"][0]
    click = {"token": body["click_token"], "kind": hit["kind"], "id": hit["id"]}
    url = reverse("api:search-click")
    assert client.post(url, click, content_type="application/json").json() == {"recorded": True}
    assert client.post(url, click, content_type="application/json").json() == {"recorded": False}
    assert SearchQuery.objects.get(pk=body["log_id"]).clicked == f"product:{hit['id']}"
    assert client.post(url, "not json", content_type="application/json").status_code == 400


def test_openapi_documents_every_api_route(client):
    document = client.get(reverse("api:openapi")).json()
    assert document["openapi"].startswith("3.")
    # Every route but ninja's root (which only answers 404: it names the API's base address).
    routes = {"/" + re.sub(r"<\w+:(\w+)>", r"{\1}", str(p.pattern)) for p in urlpatterns if p.name != "api-root"}
    assert routes == set(document["paths"])


def test_no_outbox_without_an_engine(roosendaal):
    make_product(title_nl="Nog een product")
    assert not IndexTask.objects.exists()
    assert not outbox.indexing_enabled()


def test_changes_are_queued_in_order_when_an_engine_is_configured(settings, roosendaal):
    settings.SEARCH_ENGINE = "opensearch"
    product = make_product(title_nl="Kapvergunning")
    product.summary_nl = "Bomen kappen"
    product.save()
    tasks = list(IndexTask.objects.pending())
    assert [(t.entry_type, t.entry_id) for t in tasks] == [("pdc.product", product.pk)] * 2


def test_gemeente_and_variable_changes_reach_the_index(settings, roosendaal):
    from sharing.models import Variable

    settings.SEARCH_ENGINE = "opensearch"
    with outbox.deferred():
        roosendaal.name = "Roosendaal (Nispen)"
        roosendaal.save()
        Variable.objects.create(key="tarief.test", label="Test", fallback="€ 1,00")
    tasks = [(t.gemeente_id, t.entry_id) for t in IndexTask.objects.pending()]
    assert tasks == [(roosendaal.pk, None), (None, None)], "the gemeente re-indexed, then every gemeente"


def test_report_lists_zero_result_queries_with_fix_links(client, roosendaal):
    client.get(search_url(), {"q": "klompendans"})
    client.get(search_url(), {"q": "klompendans"})  # the report lists queries asked at least twice
    client.get(search_url(), {"q": "paspoort"})
    client.force_login(municipal_curator(roosendaal))
    page = client.get(reverse("zoeken_report"), {"gemeente": "roosendaal"}).content.decode()
    assert "klompendans" in page and "Synoniem toevoegen" in page
    assert "?term=klompendans" in page and "?query=klompendans" in page
    other = make_gemeente("Elders", slug="elders")
    client.get(search_url("elders"), {"q": "geheimewens"})
    client.get(search_url("elders"), {"q": "geheimewens"})
    foreign = client.get(reverse("zoeken_report"), {"gemeente": other.slug}).content.decode()
    assert "geheimewens" not in foreign, "a curator of Roosendaal gets Roosendaal's report, never another's"


def test_municipal_curator_cannot_add_a_shared_synonym(client, roosendaal):
    client.force_login(municipal_curator(roosendaal))
    url = reverse("wagtailsnippets_zoeken_synonym:add")
    assert "klompendans" in client.get(url, {"term": "klompendans"}).content.decode()
    client.post(url, {"term": "klompendans", "synonyms": "evenement", "gemeente": ""})
    assert not Synonym.objects.filter(term="klompendans", gemeente=None).exists()
    client.post(url, {"term": "klompendans", "synonyms": "evenement", "gemeente": roosendaal.pk})
    assert Synonym.objects.filter(term="klompendans", gemeente=roosendaal).exists()
    client.force_login(regional_curator())
    client.post(url, {"term": "kermis", "synonyms": "evenement", "gemeente": ""})
    assert Synonym.objects.filter(term="kermis", gemeente=None).exists()
