"""Issue 10.17: the search report ("Zoekvragen") leaves out noise (one-off,
too short and unreadable queries) and a curator can hide a query from
their gemeente's report ("verbergen") and show it again."""

import pytest
from django.urls import reverse

from zoeken.models import HiddenQuery, SearchQuery
from zoeken.reports import is_noise
from zoeken.text import normalise

from .admin_pages import visible_text
from .factories import make_gemeente, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db


def asked(gemeente, query, times=1, results=0):
    for _ in range(times):
        SearchQuery.objects.create(
            gemeente=gemeente, origin="site", query=query, normalised=normalise(query), result_count=results, backend="database"
        )


@pytest.fixture
def gemeenten():
    roosendaal, etten = make_gemeente("Roosendaal", slug="roosendaal"), make_gemeente("Etten-Leur", slug="etten-leur")
    for gemeente in (roosendaal, etten):
        asked(gemeente, "klompendans", times=3)
        asked(gemeente, "Jan Jansen", times=2)  # a name: the curator hides it
    asked(roosendaal, "paspoort", times=5, results=4)
    asked(roosendaal, "eenmalig gezocht")
    for noise in ("a", "12345", "asdfghjkl", "zzzz", "xkcdq"):
        asked(roosendaal, noise, times=4)
    return roosendaal, etten


def zero_result_queries(response):
    return [row["normalised"] for row in response.context["zero"]]


def test_noise_stays_out_of_the_zero_result_list(client, gemeenten):
    client.force_login(municipal_curator(gemeenten[0]))
    response = client.get(reverse("zoeken_report"), {"gemeente": "roosendaal"})
    assert zero_result_queries(response) == ["klompendans", "jan jansen"]
    everything = client.get(reverse("zoeken_report"), {"gemeente": "roosendaal", "min": "1", "ruis": "1"})
    assert {"a", "12345", "asdfghjkl", "eenmalig gezocht"} <= set(zero_result_queries(everything))


@pytest.mark.parametrize("query", ["a", "ab", "12345", "!!!", "aaaa", "asdfghjkl", "qwerty", "sdfsdf", "x" * 40])
def test_unreadable_queries_are_noise(query):
    assert is_noise(normalise(query))


@pytest.mark.parametrize("query", ["bsn", "wmo", "paspoort", "uittreksel brp", "herfststorm", "afvalstoffenheffing", "id kaart"])
def test_real_questions_are_not_noise(query):
    assert not is_noise(normalise(query))


def test_curator_hides_a_query_for_their_gemeente_and_shows_it_again(client, gemeenten):
    roosendaal, etten = gemeenten
    client.force_login(municipal_curator(roosendaal))
    report = reverse("zoeken_report")
    page = client.get(report, {"gemeente": "roosendaal"})
    assert "Verbergen" in visible_text(page)

    response = client.post(reverse("zoeken_report_hide"), {"gemeente": "roosendaal", "query": "Jan Jansen", "min": "2", "days": "30"})
    assert response.status_code == 302 and response.url.startswith(f"{report}?gemeente=roosendaal")
    page = client.get(response.url)
    assert zero_result_queries(page) == ["klompendans"]
    assert "jan jansen" in [row["normalised"] for row in page.context["hidden"].values("normalised")]
    assert "Weer tonen" in visible_text(page)

    client.force_login(regional_curator())
    assert "jan jansen" in zero_result_queries(client.get(report, {"gemeente": "etten-leur"})), "hidden for Roosendaal only"

    client.force_login(municipal_curator(roosendaal))
    client.post(reverse("zoeken_report_hide"), {"gemeente": "roosendaal", "query": "jan jansen", "action": "show"})
    assert "jan jansen" in zero_result_queries(client.get(report, {"gemeente": "roosendaal"}))
    assert not HiddenQuery.objects.exists()


def test_a_curator_cannot_hide_queries_of_another_gemeente(client, gemeenten):
    roosendaal, _ = gemeenten
    client.force_login(municipal_curator(roosendaal))
    response = client.post(reverse("zoeken_report_hide"), {"gemeente": "etten-leur", "query": "klompendans"})
    assert response.status_code in (302, 403) and not HiddenQuery.objects.exists()
    assert client.get(reverse("zoeken_report_hide")).status_code == 405
