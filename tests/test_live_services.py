"""The production parts are real: PostgreSQL and a live OpenSearch node."""

import uuid

import pytest
from django.db import connection

from .conftest import live_service_missing

DUTCH_INDEX_SETTINGS = {
    "settings": {
        "number_of_shards": 1,
        "number_of_replicas": 0,
        "analysis": {
            "filter": {"dutch_stemmer": {"type": "stemmer", "language": "dutch"}},
            "analyzer": {
                "nl": {
                    "type": "custom",
                    "tokenizer": "standard",
                    "filter": ["lowercase", "asciifolding", "dutch_stemmer"],
                }
            },
        },
    },
    "mappings": {"properties": {"title": {"type": "text", "analyzer": "nl"}}},
}


@pytest.mark.postgres
@pytest.mark.django_db
def test_suite_runs_on_postgresql_when_live_services_are_required():
    if connection.vendor != "postgresql":
        live_service_missing(f"the suite runs on {connection.vendor}, not PostgreSQL")
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        assert int(cursor.fetchone()[0].split(".")[0]) >= 13


@pytest.fixture
def dutch_index(opensearch):
    name = f"kennisbank-test-dutch-{uuid.uuid4().hex[:8]}"
    opensearch.indices.create(index=name, body=DUTCH_INDEX_SETTINGS)
    yield name
    opensearch.indices.delete(index=name)


@pytest.mark.opensearch
def test_opensearch_stems_dutch_and_folds_diacritics(opensearch, dutch_index):
    titles = ["Paspoort aanvragen", "Rijbewijs verlengen", "Terrasvergunning voor uw café"]
    for number, title in enumerate(titles):
        opensearch.index(index=dutch_index, id=str(number), body={"title": title})
    opensearch.indices.refresh(index=dutch_index)

    def titles_matching(query):
        hits = opensearch.search(index=dutch_index, body={"query": {"match": {"title": query}}})
        return [hit["_source"]["title"] for hit in hits["hits"]["hits"]]

    # plural → singular stem, inflected verb → stem, no diacritics → café
    assert titles_matching("paspoorten") == ["Paspoort aanvragen"]
    assert titles_matching("aanvraag") == ["Paspoort aanvragen"]
    assert titles_matching("verlenging rijbewijzen") == ["Rijbewijs verlengen"]
    assert titles_matching("cafe") == ["Terrasvergunning voor uw café"]


@pytest.mark.opensearch
def test_opensearch_is_a_real_node(opensearch):
    info = opensearch.info()
    assert info["version"]["distribution"] == "opensearch"
    assert int(info["version"]["number"].split(".")[0]) >= 3
    tokens = opensearch.indices.analyze(body={"analyzer": "dutch", "text": "gemeentelijke belastingen"})
    assert [t["token"] for t in tokens["tokens"]] == ["gemeent", "belast"]


@pytest.mark.opensearch
@pytest.mark.django_db
def test_health_reports_the_live_engine(client, opensearch):
    body = client.get("/health/").json()
    assert body["search_engine"]["reachable"] is True
    assert body["search_engine"]["detail"].startswith("opensearch 3.")

