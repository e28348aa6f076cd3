"""The Elasticsearch client path (elasticsearch-py) on a live Elasticsearch node.

`scripts/with-services.sh` starts Elasticsearch's integ-test zip from Maven
Central next to OpenSearch and exports ELASTICSEARCH_URL. That zip holds the
core modules only (no analysis-common, no mapper-extras), so these tests build
the index with SEARCH_ANALYSIS=standard: the same fields and queries, without
Dutch stemming, diacritic folding or compounds. OpenSearch stays the main
engine of the suite (SEARCH_ENGINE); the settings are overridden for this
module only, with an index prefix of its own.

Under KENNISBANK_REQUIRE_LIVE=1 (make test, CI) a missing or unreachable node
fails these tests; elsewhere they skip with the reason."""

import json
import os
import uuid

import pytest
from django.test import override_settings

from kennis.models import AgentNote
from pdc.models import Product
from sharing.overrides import set_override
from sharing.resolution import AGENT, PUBLIC
from tests.conftest import live_service_missing, report
from tests.factories import make_product, make_vac, regional_curator
from tests.test_search_relevance import QUERIES, REQUIRED_HIT_RATE, hit_rate, is_compound
from zoeken import indexing, mappings, outbox, service
from zoeken.models import Synonym
from zoeken.text import normalise

pytestmark = pytest.mark.django_db
live = pytest.mark.elasticsearch

# Analysis that every Elasticsearch/OpenSearch server has without modules.
CORE_ANALYZER_TYPES = {"standard", "custom"}
CORE_FILTER_TYPES = {"shingle"}
CORE_BUILTIN_FILTERS = {"lowercase"}


def field_names(properties):
    """{field: sorted sub-field names}: what the queries may refer to."""
    names = {}
    for name, field in properties.items():
        definition = field.to_dict()
        names[name] = sorted(definition.get("fields", {}))
        if definition["type"] == "search_as_you_type":
            names[name] = ["_2gram", "_3gram"]  # built by the engine
    return names


@pytest.mark.parametrize("channel", [PUBLIC, AGENT])
def test_standard_analysis_uses_core_analysis_only_and_the_same_fields(channel):
    body = mappings.index_body(channel, "standard")
    analysis = body["settings"]["analysis"]
    assert set(analysis) <= {"analyzer", "filter"}, "no custom tokenizers or char filters"
    for name, analyzer in analysis["analyzer"].items():
        assert analyzer["type"] in CORE_ANALYZER_TYPES, name
        if analyzer["type"] == "custom":
            assert analyzer["tokenizer"] == "standard", name
            assert set(analyzer["filter"]) <= CORE_BUILTIN_FILTERS | set(analysis["filter"]), name
    assert {f["type"] for f in analysis["filter"].values()} <= CORE_FILTER_TYPES
    assert "search_as_you_type" not in json.dumps(body["mappings"])
    # zoeken/query.py refers to title.exact, title.prefix, suggest._2gram, ...:
    # both modes must offer the same fields and sub-fields.
    assert field_names(mappings.properties(channel, "standard")) == field_names(mappings.properties(channel, "dutch"))


def test_an_unknown_analysis_mode_is_refused(settings):
    settings.SEARCH_ANALYSIS = "klingon"
    with pytest.raises(mappings.UnknownAnalysisMode, match="SEARCH_ANALYSIS"):
        mappings.index_body(PUBLIC)


@pytest.fixture(scope="module")
def es_settings():
    """The settings pointed at the live Elasticsearch node for this module,
    checked before the demo is loaded, so a missing node is reported at once."""
    url = os.environ.get("ELASTICSEARCH_URL")
    if not url:
        live_service_missing("ELASTICSEARCH_URL is not set (scripts/with-services.sh starts Elasticsearch and sets it)")
    overrides = override_settings(
        SEARCH_ENGINE="elasticsearch",
        SEARCH_ENGINE_URL=url,
        SEARCH_ANALYSIS="standard",
        SEARCH_INDEX_PREFIX="kennisbank-test-es",
        # These tests check the client path, not latency (bench/ does that on
        # OpenSearch): a slow answer on a busy machine must not turn into a
        # database fallback.
        SEARCH_ENGINE_TIMEOUT=15,
    )
    overrides.enable()
    try:
        from elasticsearch import Elasticsearch

        from zoeken.engine import get_client

        client = get_client()
        assert isinstance(client, Elasticsearch), "SEARCH_ENGINE=elasticsearch selects elasticsearch-py"
        try:
            # Not client.info(): GET / lives in the rest-root module, which the integ-test zip lacks.
            health = client.cluster.health(wait_for_status="yellow", timeout="5s")
        except Exception as exc:
            live_service_missing(f"Elasticsearch at {url} is not reachable: {exc!r}")
        yield {"client": client, "health": health}
    finally:
        overrides.disable()
        # Failures here must not send the OpenSearch tests to the database.
        service.breaker.success()
        outbox.breaker.success()


@pytest.fixture(scope="module")
def es_index(es_settings, full_demo, django_db_blocker):
    """Fresh public and agent indexes of the full demo on Elasticsearch,
    deleted after the module."""
    client = es_settings["client"]
    service.breaker.success()
    with django_db_blocker.unblock():
        counts = indexing.rebuild()
        service.search("paspoort", full_demo["roosendaal"])  # warm up the new index
    yield {**es_settings, "counts": counts}
    for channel in (PUBLIC, AGENT):
        for name in indexing.current_indexes(client, channel):
            client.indices.delete(index=name, ignore_unavailable=True)


@pytest.fixture
def es(es_index):
    service.breaker.success()
    return es_index["client"]


def slugs(result):
    return [hit.slug for hit in result.hits]


def top(query, gemeente, n=3, **kwargs):
    result = service.search(query, gemeente, **kwargs)
    assert result.backend == "elasticsearch", (result.backend, result.notice)
    return slugs(result)[:n]


def apply_outbox():
    applied, remaining = outbox.process()
    indexing.refresh()
    return applied, remaining


def all_documents(client, channel):
    response = client.search(index=indexing.alias(channel), body={"query": {"match_all": {}}, "size": 10000})
    return [hit["_source"] for hit in response["hits"]["hits"]]


@live
def test_the_index_is_built_on_elasticsearch_with_standard_analysis(es, es_index):
    assert es_index["health"]["status"] in ("green", "yellow")
    assert es_index["counts"][PUBLIC] > 1000 and es_index["counts"][AGENT] >= es_index["counts"][PUBLIC]
    (name,) = indexing.current_indexes(es, PUBLIC)
    assert name.startswith("kennisbank-test-es-public-"), "its own prefix: no collision with the OpenSearch indexes"
    analysis = es.indices.get_settings(index=name)[name]["settings"]["index"]["analysis"]
    assert "kb_plain_dutch" in analysis["analyzer"] and "kb_dutch" not in analysis["analyzer"]
    tokens = es.indices.analyze(index=name, body={"field": "title", "text": "De paspoorten van het café"})["tokens"]
    # What standard mode cannot do: no stemming, no folding (Dutch stop words are core).
    assert [token["token"] for token in tokens] == ["paspoorten", "café"]


@live
def test_an_exact_title_word_finds_the_entry(es, full_demo):
    roosendaal = full_demo["roosendaal"]
    assert top("paspoort", roosendaal)[0].startswith("paspoort")
    assert "hondenbelasting" in top("hondenbelasting", roosendaal)
    assert "rijbewijs" in " ".join(top("rijbewijs verlengen", roosendaal))


@live
def test_typos_still_match_through_fuzziness(es, full_demo):
    assert any("paspoort" in slug for slug in top("paspoord", full_demo["etten-leur"]))


@live
def test_gemeente_and_type_filters(es, full_demo):
    roosendaal, bergen = full_demo["roosendaal"], full_demo["bergen-op-zoom"]
    assert "roosendaal-documentenkluis" in top("documentenkluis", roosendaal)
    assert "roosendaal-documentenkluis" not in top("documentenkluis", bergen, n=50, page_size=50)
    result = service.search("paspoort", roosendaal, kinds=["vac"])
    assert result.hits and {hit.kind for hit in result.hits} == {"vac"}


@live
def test_agent_channel_sees_entries_the_public_does_not(es, full_demo):
    etten = full_demo["etten-leur"]
    assert "parkeervergunning" not in top("parkeervergunning", etten, n=50, page_size=50)
    agent = service.search("parkeervergunning", etten, channel=AGENT)
    assert agent.backend == "elasticsearch"
    assert next(hit for hit in agent.hits if hit.slug == "parkeervergunning").offered is False


@live
def test_top3_hit_rate_with_standard_analysis(es, full_demo):
    """Core analysis has no decompounder: the compound class is reported,
    not held to the floor (as for the database fallback)."""
    cases = [case for case in QUERIES if not is_compound(case)]
    rate, misses = hit_rate(full_demo, "elasticsearch", cases)
    report(f"relevance, Elasticsearch (SEARCH_ANALYSIS=standard): top-3 hit rate {rate:.1%} over {len(cases)} queries")
    compounds = [case for case in QUERIES if is_compound(case)]
    compound_rate, _ = hit_rate(full_demo, "elasticsearch", compounds)
    report(f"relevance, Elasticsearch (SEARCH_ANALYSIS=standard), compound words: top-3 hit rate {compound_rate:.1%} over {len(compounds)} queries")
    assert rate >= REQUIRED_HIT_RATE, "\n".join(misses)


@live
def test_agent_only_text_is_in_no_public_document_or_response(es, full_demo):
    canary = f"kanarie{uuid.uuid4().hex[:10]}"
    vac = make_vac(question_nl="Wanneer wordt de kerstboom opgehaald?", internal_explanation=f"<p>{canary} uitleg</p>")
    product = make_product(title_nl="Kerstboominzameling", summary_nl="Kerstbomen ophalen", handling_level="doorverwijzen")
    AgentNote.objects.create(kind="intake", title=f"{canary} intake", body=f"<p>{canary} body</p>", product=product)
    AgentNote.objects.create(kind="routing", title="Lokaal", body=f"<p>{canary} lokaal</p>", vac=vac, gemeente=full_demo["roosendaal"])
    apply_outbox()

    assert canary in json.dumps(all_documents(es, AGENT)), "the canary reached the agent index"
    public = all_documents(es, PUBLIC)
    assert public and canary not in json.dumps(public)
    assert not any("agent_text" in document for document in public)
    roosendaal = full_demo["roosendaal"]
    for query in (canary, f"{canary} kerstboom", "kerstboom"):
        assert canary not in json.dumps(service.search(query, roosendaal).as_dict()["hits"])
        assert canary not in json.dumps(service.suggest(query, roosendaal))
    assert service.search(canary, roosendaal, channel=AGENT).total >= 1


@live
def test_an_edit_reaches_the_index_through_the_outbox(es, full_demo):
    passport = Product.objects.get(slug="paspoort")
    word_one, word_two = f"stempel{uuid.uuid4().hex[:6]}", f"zegel{uuid.uuid4().hex[:6]}"
    assert not top(word_one, full_demo["roosendaal"])
    passport.summary_nl = f"{passport.summary_nl} {word_one}"
    passport.save()
    set_override(passport, full_demo["roosendaal"], "summary_nl", f"Roosendaal {word_two}", regional_curator())
    applied, remaining = apply_outbox()
    assert applied >= 2 and remaining == 0
    assert top(word_one, full_demo["bergen-op-zoom"], n=1) == ["paspoort"], "a base edit re-indexes every gemeente"
    assert top(word_two, full_demo["roosendaal"], n=1) == ["paspoort"]
    assert not top(word_two, full_demo["etten-leur"]), "the override stays local"


@live
def test_synonyms_apply_at_query_time(es, full_demo):
    bergen = full_demo["bergen-op-zoom"]
    assert "evenementenvergunning" not in top("zomerfeestje", bergen, n=10)
    Synonym.objects.create(gemeente=bergen, term="zomerfeestje", synonyms="evenementenvergunning, evenement")
    assert top("zomerfeestje", bergen, n=1)[0].startswith("evenementenvergunning")
    assert "evenementenvergunning" not in top("zomerfeestje", full_demo["roosendaal"], n=10)


@live
def test_autocomplete_on_prefixes_of_words(es, full_demo):
    """Works on word prefixes and word pairs; without the search_as_you_type
    field (mapper-extras) all matches of a single prefix score the same, so
    the order among them is the index order, not relevance."""
    roosendaal = full_demo["roosendaal"]
    for typed, expected in (("pasp", "paspoort aanvragen"), ("hondenb", "hondenbelasting"), ("grofv", "grofvuil")):
        backend, suggestions = service.suggest(typed, roosendaal, size=50)
        assert backend == "elasticsearch"
        assert any(expected in s["title"].lower() for s in suggestions), (typed, suggestions)
        assert all(any(word.startswith(typed) for word in normalise(s["title"]).replace("-", " ").split()) for s in suggestions), suggestions
    backend, suggestions = service.suggest("paspoort aan", roosendaal)
    assert suggestions[0]["title"] == "Paspoort aanvragen", "word pairs (shingles) rank the continued title first"
