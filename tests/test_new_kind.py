"""A third kind in one app and one registration (tests/nieuws): without a
line changed elsewhere it is resolved per gemeente, published on each
gemeente's site, in the API and in search (the database fallback and the
live engine), and its agent-only text and one gemeente's override stay
where they belong — the leak crawl of tests/test_leaks.py reads it too."""

import pytest
from django.test import Client
from django.urls import reverse

from gemeenten.models import Gemeente, Role
from sharing.kinds import get_kind, kinds
from sharing.overrides import set_override
from sharing.resolution import AGENT, PUBLIC, resolve
from tests.factories import make_user, regional_curator
from tests.nieuws.models import NewsItem
from zoeken import service

pytestmark = pytest.mark.django_db
AGENT_CANARY = "nieuwsagent3302"
BERGEN_CANARY = "nieuwsbergen9124"


@pytest.fixture
def news(demo):
    gemeenten = {g.slug: g for g in Gemeente.objects.all()}
    item = NewsItem(
        slug="zaterdag-open",
        title="Stadswinkel ook op zaterdag open",
        summary="Vanaf januari ruimer open.",
        body="<p>De stadswinkel is vanaf januari ook op zaterdagochtend open.</p>",
        agent_hint=f"Zeg erbij dat het een proef is. {AGENT_CANARY}",
        keywords="openingstijden, stadswinkel",
        live=True,
    )
    item.save()
    bergen = gemeenten["bergen-op-zoom"]
    set_override(item, bergen, "body", f"<p>In Bergen op Zoom ook op zondag open. {BERGEN_CANARY}</p>", regional_curator())
    return item, bergen, gemeenten["roosendaal"]


def test_the_kind_is_registered_by_its_app_alone():
    kind = get_kind("nieuws")
    assert kind in kinds() and kind.model is NewsItem and get_kind(NewsItem) is kind


def test_resolution_per_gemeente_and_channel(news):
    item, bergen, roosendaal = news
    public_bergen, public_roosendaal = resolve(item, bergen, channel=PUBLIC), resolve(item, roosendaal, channel=PUBLIC)
    assert BERGEN_CANARY in public_bergen.body_html and public_bergen.overridden == {"body"}
    assert "zaterdagochtend" in public_roosendaal.body_html and BERGEN_CANARY not in public_roosendaal.body_html
    assert public_bergen.title == "Stadswinkel ook op zaterdag open"
    assert [s.name for s in public_bergen.sections] == ["body"]
    assert public_bergen.agent_fields == {} and "agent_hint" not in public_bergen.fields
    assert AGENT_CANARY in resolve(item, roosendaal, channel=AGENT).agent_fields["agent_hint"]


def test_a_page_on_each_gemeentes_site(news):
    item, bergen, roosendaal = news
    client = Client()
    bergen_page = client.get("/nieuws/zaterdag-open/", HTTP_HOST=bergen.site.hostname)
    roosendaal_page = client.get("/nieuws/zaterdag-open/", HTTP_HOST=roosendaal.site.hostname)
    assert bergen_page.status_code == roosendaal_page.status_code == 200
    assert BERGEN_CANARY in bergen_page.content.decode() and BERGEN_CANARY not in roosendaal_page.content.decode()
    for page in (bergen_page, roosendaal_page):
        assert "Stadswinkel ook op zaterdag open" in page.content.decode() and AGENT_CANARY not in page.content.decode()
    sitemap = client.get("/sitemap.xml", HTTP_HOST=roosendaal.site.hostname).content.decode()
    assert "/nieuws/zaterdag-open/" in sitemap


def test_the_api_lists_and_details_it_public_and_agent(news):
    item, bergen, roosendaal = news
    client = Client()
    listed = client.get(reverse("api:list", args=["roosendaal", "nieuws"])).json()
    assert [r["slug"] for r in listed["results"]] == ["zaterdag-open"] and listed["results"][0]["kind"] == "nieuws"
    detail = client.get(reverse("api:detail", args=["bergen-op-zoom", "nieuws", "zaterdag-open"]))
    assert detail.status_code == 200 and BERGEN_CANARY in detail.json()["answer"]
    assert AGENT_CANARY not in detail.content.decode()
    client.force_login(make_user(Role.AGENT, roosendaal))
    agent = client.get(reverse("api:agent-detail", args=["roosendaal", "nieuws", "zaterdag-open"]))
    assert agent.status_code == 200 and AGENT_CANARY in agent.content.decode()


def test_search_finds_it_on_the_database_fallback(news, settings):
    settings.SEARCH_ENGINE = "none"
    item, bergen, roosendaal = news
    result = service.search("stadswinkel zaterdag", roosendaal)
    assert [(h.kind, h.slug) for h in result.hits][:1] == [("nieuws", "zaterdag-open")]
    assert result.hits[0].url.endswith("/nieuws/zaterdag-open/")
    assert not service.search(AGENT_CANARY, roosendaal).hits


def test_search_finds_it_on_the_live_engine(news, opensearch):
    from zoeken import indexing

    item, bergen, roosendaal = news
    try:
        indexing.rebuild()
        indexing.refresh()
        service.breaker.success()
        result = service.search("stadswinkel zaterdag", bergen)
        assert result.backend == "opensearch"
        assert [(h.kind, h.slug) for h in result.hits][:1] == [("nieuws", "zaterdag-open")]
        assert not service.search(AGENT_CANARY, bergen).hits, "agent-only text is in no public document"
        assert service.search(AGENT_CANARY, bergen, channel=AGENT).hits, "but in the agent index"
        assert not service.search(BERGEN_CANARY, roosendaal).hits, "Bergen's override is Bergen's"
    finally:
        for channel in ("public", "agent"):
            for name in indexing.current_indexes(opensearch, channel):
                opensearch.indices.delete(index=name, ignore_unavailable=True)


def test_the_leak_crawl_reads_it_and_finds_nothing_out_of_place(news):
    from tests.factories import make_product
    from tests.test_leaks import public_surface

    item, bergen, roosendaal = news
    make_product(slug="paspoort")  # the Samenwerkende Catalogi feed needs one product
    client = Client()
    read_news = set()
    for gemeente in (bergen, roosendaal):
        for where, text in public_surface(client, gemeente):
            assert AGENT_CANARY not in text, f"agent-only text of the new kind on {gemeente.slug}: {where}"
            if gemeente != bergen:
                assert BERGEN_CANARY not in text, f"Bergen's override on {gemeente.slug}: {where}"
            if "zaterdag-open" in text or "zaterdag-open" in where:
                read_news.add((gemeente.slug, where.split()[0]))
    assert {("bergen-op-zoom", "sitemap"), ("bergen-op-zoom", "/nieuws/zaterdag-open/"), ("roosendaal", "api")} <= read_news, read_news
