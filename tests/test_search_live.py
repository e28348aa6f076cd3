"""Search on the live OpenSearch node: Dutch analysis, compounds, typos (and
their second request only when needed), synonyms added
at runtime, autocomplete, filters, public/agent separation, and the outbox
catching up after the node was stopped and started again."""

import json
import os
import subprocess
import time
import uuid

import pytest

from kennis.models import AgentNote, VAC
from pdc.models import Product
from sharing.overrides import set_override
from sharing.resolution import AGENT, PUBLIC, resolve
from tests.factories import make_product, make_vac, regional_curator
from zoeken import indexing, outbox, service
from zoeken.engine import indexing_client
from zoeken.query import search_body
from zoeken.models import IndexTask, Promotion, Synonym

pytestmark = pytest.mark.django_db


def slugs(result):
    return [hit.slug for hit in result.hits]


def top(query, gemeente, n=3, **kwargs):
    return slugs(service.search(query, gemeente, **kwargs))[:n]


def apply_outbox():
    applied, remaining = outbox.process()
    indexing.refresh()
    return applied, remaining


def test_dutch_stemming_and_diacritics(full_demo, live_index):
    roosendaal = full_demo["roosendaal"]
    assert "paspoort" in top("paspoorten", roosendaal)
    assert "hondenbelasting" in top("honden", roosendaal)
    assert "terrasvergunning" in top("terrasje café", roosendaal, n=5)
    assert service.search("paspoorten", roosendaal).backend == "opensearch"


def test_typos_are_tolerated(full_demo, live_index):
    etten = full_demo["etten-leur"]
    for typo, subject in (("paspoord", "paspoort"), ("verhuising doorgeven", "verhuizing"), ("rijbewjis", "rijbewijs")):
        assert service.search(typo.replace(typo, subject), etten).total, "the subject exists"
        assert all(subject in slug for slug in top(typo, etten)), typo


def test_compound_words_match_their_parts_and_the_reverse(full_demo, live_index):
    roosendaal = full_demo["roosendaal"]
    assert "hondenbelasting" in top("honden belasting", roosendaal)
    assert "terrasvergunning" in top("terras vergunning", roosendaal)
    assert "kapvergunning" in top("boomkappen", roosendaal)  # title: Boom kappen
    assert top("trouwkosten", roosendaal)[0] == "trouwen-kosten"  # all parts, not any one of them


def engine_requests(monkeypatch):
    bodies = []
    real = service._engine_request

    def counted(words, alternatives, request, typos=()):
        bodies.append(typos)
        return real(words, alternatives, request, typos)

    monkeypatch.setattr(service, "_engine_request", counted)
    return bodies


def test_typo_tolerance_costs_a_second_request_only_for_a_likely_typo(full_demo, live_index, monkeypatch):
    etten = full_demo["etten-leur"]
    requests = engine_requests(monkeypatch)
    assert top("paspoort verlopen", etten) and requests == [()]
    requests.clear()
    assert any("paspoort" in slug for slug in top("paspoord verlopen", etten))
    assert requests == [(), ["paspoord"]], "fuzzy only for the word that is in no indexed text"
    requests.clear()
    service.search("emigreren naar spanje", etten)
    assert requests == [()], "no indexed word is close to 'spanje': a fuzzy search could not find it either"


def test_synonyms_added_at_runtime_work_without_a_rebuild(full_demo, live_index):
    bergen = full_demo["bergen-op-zoom"]
    assert "evenementenvergunning" not in top("zomerfeestje", bergen, n=10)
    Synonym.objects.create(gemeente=bergen, term="zomerfeestje", synonyms="evenementenvergunning, evenement")
    assert top("zomerfeestje", bergen, n=1)[0].startswith("evenementenvergunning")
    assert "evenementenvergunning" not in top("zomerfeestje", full_demo["roosendaal"], n=10), "a local synonym stays local"


def test_promoted_answer_comes_first(full_demo, live_index):
    roosendaal = full_demo["roosendaal"]
    Promotion.objects.create(query="paspoort", entry=VAC.objects.get(slug="paspoort-kwijt"))
    result = service.search("Paspoort", roosendaal)
    assert result.hits[0].slug == "paspoort-kwijt" and result.hits[0].promoted
    assert slugs(result).count("paspoort-kwijt") == 1


def test_autocomplete_while_typing(full_demo, live_index):
    roosendaal = full_demo["roosendaal"]
    for typed, expected in (("pasp", "Paspoort aanvragen"), ("hondenb", "Hondenbelasting"), ("grofv", "Grofvuil")):
        backend, suggestions = service.suggest(typed, roosendaal)
        assert backend == "opensearch"
        assert any(expected.lower() in s["title"].lower() for s in suggestions), (typed, suggestions)


def test_filters_on_type_audience_theme_and_gemeente(full_demo, live_index):
    roosendaal, bergen = full_demo["roosendaal"], full_demo["bergen-op-zoom"]
    assert {hit.kind for hit in service.search("paspoort", roosendaal, kinds=["vac"]).hits} == {"vac"}
    ondernemer = service.search("vergunning", roosendaal, audience="ondernemer", kinds=["product"], page_size=20)
    # For business owners: marked so, or with text of their own (an audience variant).
    assert ondernemer.hits and all(
        "ondernemer" in resolve(Product.objects.get(pk=h.id), roosendaal, channel=PUBLIC).audiences for h in ondernemer.hits
    )
    afval = service.search("ophalen", roosendaal, theme="afval", page_size=20)
    assert afval.hits and all(
        Product.objects.get(pk=h.id).themes.filter(slug="afval").exists()
        if h.kind == "product"
        else VAC.objects.get(pk=h.id).themes.filter(slug="afval").exists()
        for h in afval.hits
    )
    assert "roosendaal-documentenkluis" in top("documentenkluis", roosendaal)
    assert "roosendaal-documentenkluis" not in slugs(service.search("documentenkluis", bergen, page_size=50))


def test_written_entries_rank_above_pages_without_text(full_demo, live_index):
    """Issue 10.5: "bijstand" put two UPL names without text (Bijstand
    zelfstandigen, Bijstand tegenprestatie) first and the written product
    sixth. Their short titles still match best; the written entries (five
    of them match "bijstand") must come first, and the empty pages must
    still be found."""
    written = dict(Product.objects.values_list("pk", "has_content"))
    for gemeente in full_demo.values():
        for channel in (PUBLIC, AGENT):
            result = service.search("bijstand", gemeente, channel=channel, page_size=50)
            assert result.backend == "opensearch"
            hits = [(hit.slug, hit.kind == "vac" or written[hit.id]) for hit in result.hits]
            ranked = [slug for slug, _ in hits]
            assert "bijstand" in ranked[:5], (gemeente.slug, channel, hits[:6])
            assert all(has_content for _, has_content in hits[:5]), (gemeente.slug, channel, hits[:6])
            empty = [ranked.index(slug) for slug, has_content in hits if not has_content]
            assert {"bijstand-zelfstandigen", "bijstand-tegenprestatie"} <= set(ranked), "empty pages are still found"
            assert min(empty) > ranked.index("bijstand")


def test_a_gemeentes_own_text_on_an_empty_page_lifts_it_in_the_index(full_demo, live_index):
    roosendaal, bergen = full_demo["roosendaal"], full_demo["bergen-op-zoom"]
    empty = Product.objects.get(slug="bijstand-zelfstandigen")
    set_override(empty, roosendaal, "description_nl", "<p>Bijstand voor zelfstandigen (Bbz).</p>", regional_curator())
    apply_outbox()
    try:
        assert top("bijstand zelfstandigen", roosendaal, n=1) == ["bijstand-zelfstandigen"]
        # A title naming every query word ranks first with or without text
        # (zoeken/query.py named); on a word it shares with written entries
        # only the gemeente with its own text lifts it.
        here = slugs(service.search("bijstand", roosendaal, page_size=50))
        assert here.index("bijstand-zelfstandigen") < here.index("bijstand-tegenprestatie")
        there = slugs(service.search("bijstand", bergen, page_size=50))
        assert there.index("bijstand-zelfstandigen") > there.index("bijstand")
    finally:
        empty.overrides.filter(gemeente=roosendaal).delete()  # the index outlives the test's transaction
        apply_outbox()


def test_not_offered_entries_are_public_nowhere_but_agents_see_them(full_demo, live_index):
    etten = full_demo["etten-leur"]
    assert "parkeervergunning" not in slugs(service.search("parkeervergunning", etten, page_size=50))
    agent = service.search("parkeervergunning", etten, channel=AGENT)
    permit = next(hit for hit in agent.hits if hit.slug == "parkeervergunning")
    assert permit.offered is False


def all_documents(client, channel):
    response = client.search(index=indexing.alias(channel), body={"query": {"match_all": {}}, "size": 10000})
    return [hit["_source"] for hit in response["hits"]["hits"]]


def test_agent_only_text_is_in_no_public_document_or_response(full_demo, live_index):
    canary = f"kanarie{uuid.uuid4().hex[:10]}"
    vac = make_vac(question_nl="Wanneer wordt de kerstboom opgehaald?", internal_explanation=f"<p>{canary} uitleg</p>")
    product = make_product(title_nl="Kerstboominzameling", summary_nl="Kerstbomen ophalen", handling_level="doorverwijzen")
    for kind, entry in (("intake", product), ("routing", product), ("work_instruction", vac), ("front_office", vac)):
        AgentNote.objects.create(kind=kind, title=f"{canary} {kind}", body=f"<p>{canary} body</p>", **{entry._meta.model_name: entry})
    AgentNote.objects.create(kind="routing", title="Lokaal", body=f"<p>{canary} lokaal</p>", vac=vac, gemeente=full_demo["roosendaal"])
    apply_outbox()

    agent_text = json.dumps(all_documents(live_index, AGENT))
    assert canary in agent_text, "the canary reached the agent index (the test would prove nothing otherwise)"
    public = all_documents(live_index, PUBLIC)
    assert public and canary not in json.dumps(public)
    assert not any("agent_text" in document or "handling_level" in document for document in public)
    for gemeente in full_demo.values():
        for query in (canary, f"{canary} kerstboom", "kerstboom"):
            assert canary not in json.dumps(service.search(query, gemeente).as_dict()["hits"])
            assert canary not in json.dumps(service.suggest(query, gemeente))
        assert service.search(canary, gemeente, channel=AGENT).total >= 1


class Node:
    """Stops and starts the OpenSearch node of this test run (with-services.sh)."""

    def __init__(self):
        self.home = os.environ.get("OPENSEARCH_HOME")
        self.pidfile = os.path.join(self.home or "", "opensearch.pid")

    def stop(self):
        pid = int(open(self.pidfile).read())
        os.kill(pid, 15)
        for _ in range(60):
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                return
            time.sleep(0.5)
        raise AssertionError("OpenSearch did not stop")

    def start(self, client):
        user = os.environ.get("OPENSEARCH_USER", "root")
        command = [f"{self.home}/bin/opensearch", "-d", "-p", self.pidfile]
        if user != "root" and os.geteuid() == 0:
            command = ["runuser", "-u", user, "--", *command]
        # The daemon keeps inherited pipes open: give it no pipes to wait on.
        subprocess.run(command, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(180):
            try:
                if client.cluster.health()["status"] in ("yellow", "green"):
                    return self.warm_up()
            except Exception:
                pass
            time.sleep(1)
        raise AssertionError("OpenSearch did not come back")

    @staticmethod
    def warm_up():
        """The restarted JVM runs its first full query slower than a search
        may take (SEARCH_ENGINE_TIMEOUT): run one with the indexing timeout."""
        body = search_body("paspoort", [], "roosendaal", channel=AGENT)
        for channel in (PUBLIC, AGENT):
            indexing_client().search(index=indexing.alias(channel), body=body)


@pytest.fixture
def node(live_index):
    if not os.environ.get("OPENSEARCH_HOME"):
        from tests.conftest import live_service_missing

        live_service_missing("OPENSEARCH_HOME is not set (the node is not ours to stop)")
    node = Node()
    yield node
    try:
        live_index.info()
    except Exception:
        node.start(live_index)


def test_outbox_catches_up_after_the_engine_was_stopped_and_started(full_demo, live_index, node):
    passport = Product.objects.get(slug="paspoort")
    curator = regional_curator()
    apply_outbox()
    node.stop()
    word_one, word_two = f"stempel{uuid.uuid4().hex[:6]}", f"zegel{uuid.uuid4().hex[:6]}"
    passport.summary_nl = f"{passport.summary_nl} {word_one}"
    passport.save()
    set_override(passport, full_demo["roosendaal"], "summary_nl", f"Roosendaal {word_two}", curator)

    applied, remaining = outbox.process()
    assert applied == 0 and remaining >= 2
    assert IndexTask.objects.pending().first().last_error
    while_down = service.search("paspoort", full_demo["roosendaal"])
    assert while_down.backend == "database" and while_down.notice and "paspoort" in slugs(while_down)

    node.start(live_index)
    service.breaker.success()
    applied, remaining = apply_outbox()
    assert applied >= 2 and remaining == 0
    assert top(word_one, full_demo["bergen-op-zoom"], n=1) == ["paspoort"], "a base edit re-indexes every gemeente"
    assert top(word_one, full_demo["etten-leur"], n=1) == ["paspoort"]
    assert top(word_two, full_demo["roosendaal"], n=1) == ["paspoort"], "the later override was applied after the base edit"
    assert word_one not in json.dumps(service.search(word_two, full_demo["roosendaal"]).as_dict())


def test_rebuild_swaps_the_alias_and_keeps_search_answering(full_demo, live_index):
    before = indexing.current_indexes(live_index, PUBLIC)
    counts = indexing.rebuild()
    after = indexing.current_indexes(live_index, PUBLIC)
    assert counts[PUBLIC] > 1000 and after != before and len(after) == 1
    assert not any(live_index.indices.exists(index=name) for name in before)
    assert service.search("paspoort", full_demo["roosendaal"]).backend == "opensearch"


def test_a_rebuild_that_fails_halfway_leaves_the_old_indexes_in_use_and_nothing_behind(full_demo, live_index, monkeypatch):
    before = {channel: indexing.current_indexes(live_index, channel) for channel in (PUBLIC, AGENT)}
    all_before = set(live_index.indices.get(index=f"{indexing.alias(PUBLIC)}*,{indexing.alias(AGENT)}*"))
    real_documents_across = indexing.documents_across

    def failing_in_the_agent_channel(model, entries, gemeenten, channel, contexts=None):
        if channel == AGENT:
            raise RuntimeError("engine rejected the agent documents")
        return real_documents_across(model, entries, gemeenten, channel, contexts)

    monkeypatch.setattr(indexing, "documents_across", failing_in_the_agent_channel)
    with pytest.raises(RuntimeError):
        indexing.rebuild()

    assert {channel: indexing.current_indexes(live_index, channel) for channel in (PUBLIC, AGENT)} == before
    assert set(live_index.indices.get(index=f"{indexing.alias(PUBLIC)}*,{indexing.alias(AGENT)}*")) == all_before
    assert service.search("paspoort", full_demo["roosendaal"]).backend == "opensearch"


def test_a_gemeentes_indexed_ids_are_read_page_by_page(full_demo, live_index):
    """A gemeente-wide re-index deletes what is no longer there; it must see
    every indexed document, however many (not only the first page)."""
    gemeente = full_demo["roosendaal"]
    at_once = indexing._indexed_ids(live_index, PUBLIC, gemeente, page_size=10_000)
    assert len(at_once) > 100
    assert indexing._indexed_ids(live_index, PUBLIC, gemeente, page_size=7) == at_once
