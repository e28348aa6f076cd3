"""Issue 15: "Bedoelde u …?" and completion in the API (public and agent,
per gemeente, nothing agent-only in public) and in the widget."""

import uuid

import pytest
from django.urls import reverse

from gemeenten.models import Role
from kennis.models import VACStatus
from tests.factories import make_gemeente, make_product, make_user, make_vac
from tests.test_widget import signed_in_page, world  # noqa: F401 (fixture)


@pytest.fixture
def entries(settings):
    settings.SEARCH_ENGINE = "none"  # the database fallback; the engine path is in tests/test_search_live.py style runs
    roosendaal, bergen = make_gemeente("Roosendaal"), make_gemeente("Bergen op Zoom")
    make_product(slug="paspoort", title_nl="Paspoort aanvragen")
    make_vac(slug="intern", question_nl="Paspoortfraude melden bij de marechaussee", status=VACStatus.NON_ACTIEF)
    make_product(slug="grofvuil", title_nl="Grofvuil ophalen", gemeente=bergen)
    return {"roosendaal": roosendaal, "bergen": bergen}


def completions(client, gemeente, q, agent=False):
    name = "api:agent-suggest" if agent else "api:suggest"
    response = client.get(reverse(name, kwargs={"gemeente": gemeente.slug}), {"q": q})
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["suggestions"]]


def suggestion(client, gemeente, q, agent=False):
    name = "api:agent-search" if agent else "api:search"
    response = client.get(reverse(name, kwargs={"gemeente": gemeente.slug}), {"q": q})
    assert response.status_code == 200, response.content
    return response.json()["suggestion"]


@pytest.mark.django_db
def test_public_completion_never_shows_an_agent_only_entry(client, entries):
    titles = completions(client, entries["roosendaal"], "paspoort")
    assert "Paspoort aanvragen" in titles
    assert not any("marechaussee" in title for title in titles)
    # Nor does the public "Bedoelde u" use its words.
    assert suggestion(client, entries["roosendaal"], "marechausee") == ""


@pytest.mark.django_db
def test_agent_completion_and_suggestion_include_agent_only_entries(client, entries):
    client.force_login(make_user(Role.AGENT, entries["roosendaal"]))
    titles = completions(client, entries["roosendaal"], "paspoort", agent=True)
    assert {"Paspoort aanvragen", "Paspoortfraude melden bij de marechaussee"} <= set(titles)
    assert suggestion(client, entries["roosendaal"], "marechausee", agent=True) == "marechaussee"


@pytest.mark.django_db
def test_completion_and_suggestion_are_per_gemeente(client, entries):
    assert completions(client, entries["bergen"], "grofv") == ["Grofvuil ophalen"]
    assert completions(client, entries["roosendaal"], "grofv") == []
    assert suggestion(client, entries["bergen"], "grofvul") == "grofvuil"
    assert suggestion(client, entries["roosendaal"], "grofvul") == ""


@pytest.mark.django_db
def test_agent_completion_requires_an_agent_of_that_gemeente(client, entries):
    url = reverse("api:agent-suggest", kwargs={"gemeente": entries["roosendaal"].slug})
    assert client.get(url, {"q": "pas"}).status_code in (401, 403)
    client.force_login(make_user(Role.AGENT, entries["bergen"]))
    assert client.get(url, {"q": "pas"}).status_code in (403, 404)
    assert client.get(url, {"q": "x" * 501}).status_code in (400, 403, 404)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_widget_completes_and_offers_did_you_mean(browser, world):  # noqa: F811
    page = signed_in_page(browser, world)
    widget = page.locator("kennis-widget")
    widget.locator("#gemeente").select_option("roosendaal")
    search = widget.locator("#q")
    search.click()
    search.press_sequentially("paspo")
    complete = widget.get_by_role("group", name="Aanvullen")
    complete.get_by_role("button", name="Paspoort kwijt, wat nu?").wait_for()
    complete.get_by_role("button", name="Paspoort kwijt, wat nu?").click()
    assert search.input_value() == "Paspoort kwijt, wat nu?"
    widget.locator("[role=option]", has_text="Paspoort kwijt").first.wait_for()

    search.fill("")
    search.press_sequentially("paspoot")
    did_you_mean = widget.locator("#did-you-mean")
    did_you_mean.wait_for()
    assert "Bedoelde u" in did_you_mean.inner_text()
    did_you_mean.get_by_role("button", name="paspoort").click()
    assert search.input_value() == "paspoort"
    did_you_mean.wait_for(state="hidden")  # the corrected search answered, with nothing to correct
    widget.locator("[role=option]", has_text="Paspoort aanvragen").wait_for()


def misspelled(word):
    return word[:5] + word[6:]  # one letter left out


@pytest.mark.django_db
def test_engine_suggesters_per_gemeente_and_channel(full_demo, live_index, monkeypatch):
    """On OpenSearch: the phrase suggester answers "Bedoelde u" (the
    database is not asked), completion and suggestion come from the
    channel's own index and this gemeente's documents only."""
    from sharing.resolution import AGENT, PUBLIC
    from zoeken import indexing, outbox, service, spelling

    def no_database(*args):
        raise AssertionError("the engine answers, not the database")

    monkeypatch.setattr(spelling, "database_suggestion", no_database)
    roosendaal, etten = full_demo["roosendaal"], full_demo["etten-leur"]
    assert spelling.spelling_suggestion(roosendaal, "paspoord aanvragen") == "paspoort aanvragen"

    internal = f"zwerfkat{uuid.uuid4().hex[:8]}"
    local = f"kermis{uuid.uuid4().hex[:8]}"
    make_vac(question_nl=f"{internal.capitalize()} melden", status=VACStatus.NON_ACTIEF)
    make_product(title_nl=f"{local.capitalize()} aanvragen", gemeente=roosendaal)
    outbox.process()
    indexing.refresh()

    backend, items = service.suggest(internal[:10], roosendaal, channel=AGENT)
    assert backend == "opensearch" and any(internal in item["title"].lower() for item in items)
    assert spelling.spelling_suggestion(roosendaal, misspelled(internal), AGENT) == internal
    assert not any(internal in item["title"].lower() for item in service.suggest(internal[:10], roosendaal, channel=PUBLIC)[1])
    assert internal not in spelling.spelling_suggestion(roosendaal, misspelled(internal), PUBLIC)

    assert any(local in item["title"].lower() for item in service.suggest(local[:9], roosendaal)[1])
    assert spelling.spelling_suggestion(roosendaal, misspelled(local)) == local
    assert not any(local in item["title"].lower() for item in service.suggest(local[:9], etten)[1])
    assert local not in spelling.spelling_suggestion(etten, misspelled(local))
