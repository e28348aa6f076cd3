"""Search on a two-node OpenSearch cluster with one replica (issue 15):
losing a node leaves search answering from the engine, with the same
results, and writes keep reaching the index. The cluster is started here
(tests/opensearch_cluster.py), from the distribution `make test` already
has; docs/search.md, "The whole country on a cluster", says what this
proves and what it does not."""

import io
import time

import pytest
from django.core.management import call_command

from gemeenten.models import Gemeente
from sharing.resolution import AGENT, PUBLIC
from tests.conftest import live_service_missing, report
from tests.factories import make_product, make_vac
from tests.opensearch_cluster import Cluster, Unavailable
from zoeken import indexing, service
from zoeken.engine import get_client

pytestmark = [pytest.mark.opensearch, pytest.mark.django_db]


@pytest.fixture
def cluster():
    cluster = Cluster()
    try:
        try:
            cluster.start()
        except Unavailable as exc:
            live_service_missing(f"cannot start a two-node OpenSearch cluster: {exc}")
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def on_cluster(cluster, settings):
    """Settings pointing at both nodes, the one that will be lost first (a
    two-node cluster survives only the loss of the node that is not the
    cluster manager, see docs/search.md), one replica."""
    manager = cluster.cluster_manager()
    other = next(node for node in cluster.nodes if node is not manager)
    settings.SEARCH_ENGINE = "opensearch"
    settings.SEARCH_ENGINE_URL = f"{other.url},{manager.url}"
    settings.SEARCH_INDEX_REPLICAS = 1
    return manager


def green(health):
    return health["status"] == "green"


def indexes():
    client = get_client()
    return sorted(name for channel in (PUBLIC, AGENT) for name in indexing.current_indexes(client, channel))


def slugs(result):
    return [hit.slug for hit in result.hits]


def answer(text, gemeente, channel=PUBLIC):
    result = service.search(text, gemeente, channel=channel)
    assert result.backend == "opensearch", f"{text!r} answered from {result.backend}: {result.notice}"
    return slugs(result)


def outbox():
    out = io.StringIO()
    call_command("process_search_outbox", stdout=out)
    indexing.refresh()
    return out.getvalue()


def test_search_answers_and_takes_writes_when_a_node_is_lost(cluster, on_cluster, demo):
    started = time.monotonic()
    roosendaal = Gemeente.objects.get(slug="roosendaal")
    make_product(slug="parkeervergunning-bewoners", title_nl="Parkeervergunning voor bewoners", procedure_nl="<p>Vraag de parkeervergunning online aan.</p>")
    make_product(slug="hondenbelasting", title_nl="Hondenbelasting", procedure_nl="<p>Meld uw hond aan.</p>")
    make_vac(slug="parkeren-bezoek", question_nl="Waar kan mijn bezoek parkeren?", answer_nl="<p>Met een bezoekersvergunning.</p>")
    counts = indexing.rebuild()
    assert counts[PUBLIC] >= 3 * 3, counts  # three entries in each of the three gemeenten
    cluster.wait_for(green, "green after the rebuild")

    # Every index: one primary and one replica, on different nodes.
    names = indexes()
    assert len(names) == 2
    shards = cluster.shards(names)
    for name in names:
        (primary, p_state), (replica, r_state) = shards[name, "p"], shards.get((name, "r"), (None, "no replica"))
        assert (p_state, r_state) == ("STARTED", "STARTED") and {primary, replica} == {"node-1", "node-2"}, shards

    # Lose the node that is not the cluster manager (a two-node cluster
    # cannot elect a new one), holding every primary: the replicas must
    # take over.
    survivor = on_cluster
    victim = next(node for node in cluster.nodes if node is not survivor)
    assert cluster.voting_nodes() == {survivor.name}, "the survivor alone elects the cluster manager"
    cluster.fail_primaries_on(survivor, names)
    cluster.wait_for(green, "green with the primaries moved")
    assert {cluster.shards(names)[name, "p"][0] for name in names} == {victim.name}

    before = answer("parkeervergunning", roosendaal)
    assert before[0] == "parkeervergunning-bewoners"
    agent_before = answer("bezoek parkeren", roosendaal, channel=AGENT)
    assert agent_before[0] == "parkeren-bezoek"

    cluster.lose(victim)
    lost_at = time.monotonic()
    health = cluster.wait_for(lambda h: h["status"] == "yellow" and h["number_of_nodes"] == 1, "yellow with one node")
    to_yellow = time.monotonic() - lost_at
    assert health["unassigned_shards"] == len(names), health
    after = cluster.shards(names)
    assert {after[name, "p"] for name in names} == {(survivor.name, "STARTED")}, "replicas promoted to primary"
    assert {after[name, "r"] for name in names} == {(None, "UNASSIGNED")}

    assert answer("parkeervergunning", roosendaal) == before
    assert answer("bezoek parkeren", roosendaal, channel=AGENT) == agent_before

    # Writes continue: a new entry through the outbox (bulk into the live
    # index) ...
    make_product(slug="kapvergunning", title_nl="Kapvergunning voor een boom", procedure_nl="<p>Vraag een kapvergunning aan.</p>")
    assert "pending 0" in outbox()
    assert answer("kapvergunning", roosendaal)[0] == "kapvergunning"
    # ... and a rebuild (new indexes, whose replicas wait for a second node).
    make_vac(slug="boom-kappen", question_nl="Mag ik een boom kappen?", answer_nl="<p>Soms heeft u een kapvergunning nodig.</p>")
    indexing.rebuild()
    assert set(answer("kapvergunning", roosendaal)[:2]) == {"kapvergunning", "boom-kappen"}
    assert answer("parkeervergunning", roosendaal) == before
    rebuilt = indexes()
    assert rebuilt != names and cluster.health()["status"] == "yellow"
    assert {cluster.shards(rebuilt)[name, "p"] for name in rebuilt} == {(survivor.name, "STARTED")}
    report(f"two-node cluster: yellow {to_yellow:.1f} s after a node was killed; test {time.monotonic() - started:.0f} s after both nodes joined")
