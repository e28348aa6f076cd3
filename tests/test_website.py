"""The citizen websites: every page type of every demo gemeente, 404 for what
does not exist there, "was this helpful?", the search page and its click
redirect, one answer on site and API, and no agent content anywhere."""

import io
import re
from html import unescape
from urllib.parse import parse_qsl

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from feedback.models import Feedback
from gemeenten.models import Gemeente, Role
from kennis.models import VAC, AgentNote
from pdc.models import Product
from sharing import cache as content_cache
from sharing.overrides import set_override
from zoeken.models import SearchQuery

from .factories import make_user, regional_curator

HOSTS = {
    "roosendaal": "roosendaal.localhost",
    "bergen-op-zoom": "bergen-op-zoom.localhost",
    "etten-leur": "etten-leur.localhost",
}
LOCAL_PRODUCTS = {
    "roosendaal": "roosendaal-documentenkluis",
    "bergen-op-zoom": "bergen-op-zoom-vastenavend-ontheffing",
    "etten-leur": "etten-leur-blauwe-zone",
}
LOCAL_VACS = {
    "roosendaal": "roosendaal-wouw-servicepunt",
    "bergen-op-zoom": "bergen-op-zoom-vastenavend-afval",
    "etten-leur": "etten-leur-parkeervergunning",
}
CANARY = "KANARIE-INTERN-7f3a"
HOSTILE_QUERIES = [
    "x" * 10_000,
    '" * ( ) \\ ~ ^ OR AND : / [',
    "paspoort 🛂 kwijt 😱",
    "<script>alert(1)</script>",
    "markt paspoort",
    "\x00\x01 nul",
    "' OR 1=1 --",
    "%00%27",
    "ā̧̛̗̮͎͖̼̈́̿͐͘",
    "   ",
]

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(full_demo, db):
    """(get, post) on a gemeente's own hostname."""

    def get(slug, path, **extra):
        return Client().get(path, HTTP_HOST=HOSTS[slug], **extra)

    return get


def html_of(response):
    assert response.status_code == 200, (response.status_code, response.content[:500])
    return response.content.decode()


def assert_accessible_frame(html, name):
    """The frame every page shares: Dutch, skip link to main, landmarks,
    exactly one h1, the gemeente's own name and contact block."""
    assert '<html lang="nl">' in html
    assert '<a class="skip-link" href="#inhoud">' in html and '<main id="inhoud"' in html
    assert "<header" in html and "<footer" in html and 'aria-label="Hoofdmenu"' in html
    assert len(re.findall(r"<h1[ >]", html)) == 1
    assert f"Contact met gemeente {name}" in html
    for other in Gemeente.objects.exclude(name=name):
        assert f"Contact met gemeente {other.name}" not in html


# Every page type of every gemeente ----------------------------------------


@pytest.mark.parametrize("slug", HOSTS)
def test_every_page_type_renders_for_each_gemeente(site, full_demo, slug):
    name = full_demo[slug].name
    pages = [
        "/",
        "/producten/paspoort/",
        f"/producten/{LOCAL_PRODUCTS[slug]}/",
        "/vragen/paspoort-kwijt/",
        f"/vragen/{LOCAL_VACS[slug]}/",
        "/themas/",
        "/themas/burgerzaken/",
        "/levensgebeurtenissen/",
        "/levensgebeurtenissen/kind-krijgen/",
        "/a-z/",
        "/a-z/p/",
        "/zoeken/",
        "/zoeken/?q=paspoort",
        "/zoeken/?q=paspoort&pagina=2",
    ]
    for path in pages:
        html = html_of(site(slug, path))
        assert_accessible_frame(html, name)


@pytest.mark.parametrize("slug", HOSTS)
def test_home_has_search_top_tasks_themes_and_life_events(site, full_demo, slug):
    html = html_of(site(slug, "/"))
    assert f"Welkom bij gemeente {full_demo[slug].name}" in html
    assert 'role="search"' in html and 'action="/zoeken/"' in html and '<label for="zoekterm">' in html
    assert 'href="/producten/' in html  # top tasks
    assert 'href="/themas/burgerzaken/"' in html
    assert 'href="/levensgebeurtenissen/kind-krijgen/"' in html
    assert 'href="/a-z/"' in html


def test_product_page_shows_its_sections_with_their_headings(site):
    html = html_of(site("roosendaal", "/producten/paspoort/"))
    for heading in ("Voorwaarden", "Aanvragen", "Wat neemt u mee?", "Kosten"):
        assert f">{heading}</h2>" in html
    assert "€ 84,25" in html  # Roosendaal's fee, from its variables
    assert 'action="/producten/paspoort/terugkoppeling/"' in html and "csrfmiddlewaretoken" in html


def test_roosendaal_passport_has_the_documentenkluis_and_bergen_op_zoom_does_not(site):
    roosendaal = html_of(site("roosendaal", "/producten/paspoort/"))
    bergen = html_of(site("bergen-op-zoom", "/producten/paspoort/"))
    assert "documentenkluis" in roosendaal
    assert "documentenkluis" not in bergen.lower()


def test_a_z_lists_the_gemeentes_products_by_letter(site):
    html = html_of(site("etten-leur", "/a-z/p/"))
    assert 'href="/producten/paspoort/"' in html
    assert 'href="/producten/parkeervergunning/"' not in html  # not offered in Etten-Leur
    assert 'aria-current="page"' in html
    assert 'href="/producten/parkeervergunning/"' in html_of(site("roosendaal", "/a-z/p/"))
    assert site("roosendaal", "/a-z/ij/").status_code == 404


def test_a_z_uses_the_gemeentes_own_title(site, full_demo):
    roosendaal = full_demo["roosendaal"]
    set_override(Product.objects.get(slug="paspoort"), roosendaal, "title_nl", "Reisdocument: paspoort", regional_curator())
    assert 'href="/producten/paspoort/"' in html_of(site("roosendaal", "/a-z/r/"))
    assert 'href="/producten/paspoort/"' not in html_of(site("roosendaal", "/a-z/p/"))
    assert 'href="/producten/paspoort/"' in html_of(site("bergen-op-zoom", "/a-z/p/"))


def test_pages_stay_dutch_whatever_the_browser_asks(site):
    response = site("roosendaal", "/producten/paspoort/", HTTP_ACCEPT_LANGUAGE="en")
    html = html_of(response)
    assert response["Content-Language"] == "nl"
    assert "Burgerzaken" in html and ">Voorwaarden</h2>" in html


# 404 ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "slug, path",
    [
        ("bergen-op-zoom", f"/producten/{LOCAL_PRODUCTS['roosendaal']}/"),
        ("roosendaal", f"/producten/{LOCAL_PRODUCTS['etten-leur']}/"),
        ("etten-leur", f"/vragen/{LOCAL_VACS['bergen-op-zoom']}/"),
        ("roosendaal", "/producten/bestaat-niet/"),
        ("roosendaal", "/vragen/bestaat-niet/"),
        ("roosendaal", "/themas/bestaat-niet/"),
        ("roosendaal", "/levensgebeurtenissen/bestaat-niet/"),
    ],
)
def test_what_does_not_exist_for_this_gemeente_is_a_404(site, slug, path):
    response = site(slug, path)
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()


def test_unpublished_entries_are_404(site):
    Product.objects.filter(slug="paspoort").update(live=False)
    VAC.objects.filter(slug="paspoort-kwijt").update(live=False)
    assert site("roosendaal", "/producten/paspoort/").status_code == 404
    assert site("roosendaal", "/vragen/paspoort-kwijt/").status_code == 404
    assert 'href="/producten/paspoort/"' not in html_of(site("roosendaal", "/a-z/p/"))


def test_another_gemeentes_local_entry_is_never_linked(site):
    for slug in HOSTS:
        pages = "".join(html_of(site(slug, path)) for path in ("/", "/themas/burgerzaken/", "/a-z/r/", "/a-z/b/", "/a-z/e/"))
        for other, local in LOCAL_PRODUCTS.items():
            if other != slug:
                assert f"/producten/{local}/" not in pages


# Agent content never on a public page ----------------------------------------


def test_no_agent_only_content_on_any_page(site, full_demo):
    product, vac = Product.objects.get(slug="paspoort"), VAC.objects.get(slug="paspoort-kwijt")
    AgentNote.objects.create(kind="intake", title=f"Intake {CANARY}", body=f"<p>{CANARY}</p>", product=product)
    AgentNote.objects.create(kind="routing", title=CANARY, body=f"<p>{CANARY}</p>", vac=vac, gemeente=full_demo["roosendaal"])
    VAC.objects.filter(pk=vac.pk).update(internal_explanation=f"<p>{CANARY}</p>")
    set_override(product, full_demo["roosendaal"], "handling_level", "doorverwijzen", regional_curator())
    for slug in HOSTS:
        for path in ("/producten/paspoort/", "/vragen/paspoort-kwijt/", "/zoeken/?q=paspoort", "/zoeken/?q=intake", "/a-z/p/", "/"):
            html = html_of(site(slug, path))
            assert CANARY not in html, (slug, path)
            assert "doorverwijzen" not in html and "Intake" not in html


# One answer on every channel --------------------------------------------------


@pytest.mark.parametrize("slug", HOSTS)
def test_answer_html_is_the_apis(site, client, slug):
    for collection, entry_slug, route in (("producten", "paspoort", "producten"), ("vacs", "paspoort-kwijt", "vragen")):
        api = client.get(reverse("api:detail", args=[slug, collection, entry_slug])).json()
        html = html_of(site(slug, f"/{route}/{entry_slug}/"))
        if collection == "producten":
            assert api["sections"]
            for section in api["sections"]:
                assert section["html"] in html
        else:
            assert api["answer"] and api["answer"] in html


@pytest.mark.parametrize("slug", HOSTS)
@pytest.mark.parametrize("audience", [None, "burger", "ondernemer"])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_one_answer_per_audience_and_language_on_the_site_the_widget_api_and_the_public_api(site, client, full_demo, slug, audience, language):
    # The demo's passport has a business variant in Dutch; Roosendaal has its
    # own business summary; in English it has no variant (the general text).
    query = {"audience": audience} if audience else {}
    if language != "nl":
        query["language"] = language
    public = client.get(reverse("api:detail", args=[slug, "producten", "paspoort"]), query).json()
    client.force_login(make_user(Role.AGENT, full_demo[slug]))
    widget = client.get(reverse("api:agent-detail", args=[slug, "producten", "paspoort"]), query).json()
    path = ("" if language == "nl" else f"/{language}") + "/producten/paspoort/"
    html = html_of(site(slug, path + (f"?doelgroep={audience}" if audience else "")))
    assert public["audience"] == widget["audience"] == audience
    assert public["language"] == widget["language"] == language
    assert public["fallback"] == widget["fallback"] and ("procedure" in public["fallback"]) is (language == "en" and slug == "roosendaal")
    assert public["url"].endswith(path)
    assert public["summary"] == widget["summary"] and escape(public["summary"]) in html
    assert public["sections"] == widget["sections"]
    for section in public["sections"]:
        assert section["html"] in html
    business = "tweede paspoort" in public["summary"]
    assert business is (audience == "ondernemer" and language == "nl")
    assert ("Ondernemersloket" in public["summary"]) is (audience == "ondernemer" and slug == "roosendaal" and language == "nl")
    assert ("passport" in public["summary"]) is (language == "en")


def test_an_entry_without_text_in_a_language_is_a_404_in_it_on_the_site_and_the_api(site, client, full_demo):
    dutch_only = next(p for p in Product.objects.filter(gemeente=None, live=True).exclude(summary_nl="") if not p.title_en)
    assert client.get(reverse("api:detail", args=["roosendaal", "producten", dutch_only.slug])).status_code == 200
    response = client.get(reverse("api:detail", args=["roosendaal", "producten", dutch_only.slug]), {"language": "en"})
    assert response.status_code == 404 and "Dutch" in response.json()["error"]
    assert site("roosendaal", f"/en/producten/{dutch_only.slug}/").status_code == 404
    assert client.get(reverse("api:detail", args=["roosendaal", "producten", "paspoort"]), {"language": "xx"}).status_code == 400


# Was this helpful? ------------------------------------------------------------


def feedback_section(response):
    html = html_of(response)
    return html[html.index('id="terugkoppeling"'):html.index("</section>", html.index('id="terugkoppeling"'))]


def test_feedback_nee_then_an_optional_remark_once_then_only_thanks(full_demo):
    browser = Client(enforce_csrf_checks=True)
    host = HOSTS["roosendaal"]

    def page():
        return feedback_section(browser.get("/producten/paspoort/", HTTP_HOST=host))

    def post(data):
        token = browser.cookies["csrftoken"].value
        return browser.post("/producten/paspoort/terugkoppeling/", {"csrfmiddlewaretoken": token, **data}, HTTP_HOST=host)

    question = page()
    assert 'value="ja"' in question and 'value="nee"' in question and "<textarea" not in question
    response = post({"antwoord": "nee"})
    assert response.status_code == 303
    assert response["Location"] == "/producten/paspoort/#terugkoppeling"
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.origin, feedback.gemeente, feedback.entry_kind, feedback.entry.slug, feedback.remark) == (
        "not_helpful", "site", full_demo["roosendaal"], "product", "paspoort", "",
    )

    remark = page()
    assert 'role="status"' in remark and "Bedankt voor uw reactie." in remark
    assert '<textarea id="opmerking" name="opmerking"' in remark
    assert 'name="antwoord"' not in remark  # the Ja/Nee form is gone
    assert post({"antwoord": "ja"}).status_code == 303  # the old form, from another tab
    assert Feedback.objects.count() == 1

    assert post({"opmerking": "De kosten \x00kloppen niet"}).status_code == 303
    feedback.refresh_from_db()
    assert (feedback.kind, feedback.remark) == ("not_helpful", "De kosten kloppen niet")

    thanks = page()
    assert "Bedankt. Wij gebruiken uw reactie" in thanks
    assert "<form" not in thanks  # only the thank-you, also after a reload
    assert "<form" not in page()
    post({"opmerking": "Nog een keer"})
    feedback.refresh_from_db()
    assert feedback.remark == "De kosten kloppen niet" and Feedback.objects.count() == 1

    # Another visitor is asked.
    assert 'value="nee"' in feedback_section(Client().get("/producten/paspoort/", HTTP_HOST=host))


def test_feedback_ja_shows_only_the_thanks(full_demo, client):
    host = HOSTS["bergen-op-zoom"]
    client.post("/producten/paspoort/terugkoppeling/", {"antwoord": "ja"}, HTTP_HOST=host)
    section = feedback_section(client.get("/producten/paspoort/", HTTP_HOST=host))
    assert "Bedankt voor uw reactie." in section and "<form" not in section
    client.post("/producten/paspoort/terugkoppeling/", {"antwoord": "nee"}, HTTP_HOST=host)
    assert list(Feedback.objects.values_list("kind", flat=True)) == ["helpful"]
    # Another page is still asked.
    assert 'value="ja"' in feedback_section(client.get("/producten/rijbewijs/", HTTP_HOST=host))


def test_feedback_remark_that_is_too_long_is_shown_with_the_error(full_demo, client):
    host = HOSTS["etten-leur"]
    client.post("/vragen/paspoort-kwijt/terugkoppeling/", {"antwoord": "nee"}, HTTP_HOST=host)
    too_long = client.post("/vragen/paspoort-kwijt/terugkoppeling/", {"opmerking": "x" * 2001}, HTTP_HOST=host)
    assert too_long.status_code == 400
    html = too_long.content.decode()
    assert 'aria-invalid="true"' in html and "Uw opmerking is te lang" in html
    assert Feedback.objects.get().remark == ""
    client.post("/vragen/paspoort-kwijt/terugkoppeling/", {"opmerking": ""}, HTTP_HOST=host)  # left empty: done
    assert "<form" not in feedback_section(client.get("/vragen/paspoort-kwijt/", HTTP_HOST=host))
    assert Feedback.objects.get().remark == ""


def test_feedback_on_a_vac(full_demo, client):
    response = client.post("/vragen/paspoort-kwijt/terugkoppeling/", {"antwoord": "ja"}, HTTP_HOST=HOSTS["etten-leur"])
    assert response.status_code == 303 and response["Location"] == "/vragen/paspoort-kwijt/#terugkoppeling"
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.entry_kind, feedback.entry.slug, feedback.gemeente.slug, feedback.remark) == (
        "helpful", "vac", "paspoort-kwijt", "etten-leur", "",
    )


def test_feedback_needs_csrf_a_choice_and_an_existing_entry(full_demo, client):
    host = HOSTS["roosendaal"]
    assert Client(enforce_csrf_checks=True).post("/producten/paspoort/terugkoppeling/", {"antwoord": "ja"}, HTTP_HOST=host).status_code == 403
    invalid = client.post("/producten/paspoort/terugkoppeling/", {"antwoord": "misschien"}, HTTP_HOST=host)
    assert invalid.status_code == 400 and "Kies Ja of Nee" in invalid.content.decode()
    too_long = client.post("/producten/paspoort/terugkoppeling/", {"antwoord": "ja", "opmerking": "x" * 2001}, HTTP_HOST=host)
    assert too_long.status_code == 400 and "Uw opmerking is te lang" in too_long.content.decode()
    assert client.get("/producten/paspoort/terugkoppeling/", HTTP_HOST=host).status_code == 405
    not_here = client.post("/producten/parkeervergunning/terugkoppeling/", {"antwoord": "ja"}, HTTP_HOST=HOSTS["etten-leur"])
    assert not_here.status_code == 404
    foreign = client.post(f"/producten/{LOCAL_PRODUCTS['roosendaal']}/terugkoppeling/", {"antwoord": "ja"}, HTTP_HOST=HOSTS["bergen-op-zoom"])
    assert foreign.status_code == 404
    assert not Feedback.objects.exists()


# Search page and click redirect ------------------------------------------------


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_search_page_survives_hostile_queries(site, query):
    response = site("bergen-op-zoom", "/zoeken/", data={"q": query})
    html = html_of(response)
    assert "<script>alert(1)</script>" not in html


def click_links(client, host, query):
    """{(kind, id): the query parameters of its click link} on a search page."""
    html = html_of(client.get("/zoeken/", {"q": query}, HTTP_HOST=host))
    links = {}
    for href in re.findall(r'href="/zoeken/klik/\?([^"]+)"', html):
        params = dict(parse_qsl(unescape(href)))
        links.setdefault((params["kind"], int(params["id"])), params)
    return links


def test_search_page_highlights_and_links_through_the_click_redirect(site):
    html = html_of(site("bergen-op-zoom", "/zoeken/?q=grofvuil+ophalen"))
    assert "<mark>" in html
    log = SearchQuery.objects.filter(gemeente__slug="bergen-op-zoom", origin="site").latest("pk")
    assert 'href="/zoeken/klik/?kind=' in html and "&amp;t=" in html
    assert log.result_count > 0


def test_search_page_offers_suggestions(site):
    html = html_of(site("roosendaal", "/zoeken/?q=psapoort+verlopen"))
    assert 'Bedoelde u: <a href="/zoeken/?q=paspoort+verlopen">paspoort verlopen</a>?' in html
    assert "Bedoelde u" not in html_of(site("roosendaal", "/zoeken/?q=paspoort"))


def test_search_snippets_keep_only_mark():
    from website.views import safe_snippet

    assert safe_snippet("a <mark>paspoort</mark> &amp; b") == "a <mark>paspoort</mark> &amp; b"
    assert safe_snippet("<script>x</script><mark>y") == "&lt;script&gt;x&lt;/script&gt;<mark>y</mark>"
    assert safe_snippet("&lt;b&gt; <img src=x onerror=alert(1)>") == "&lt;b&gt; &lt;img src=x onerror=alert(1)&gt;"
    assert safe_snippet("<<mark>mark</mark>>x</mark>") == "&lt;<mark>mark</mark>&gt;x"


def test_click_redirect_records_the_click_once_and_goes_to_the_entry(full_demo, client):
    host = HOSTS["roosendaal"]
    links = click_links(client, host, "paspoort")
    log = SearchQuery.objects.filter(origin="site").latest("pk")
    product = Product.objects.get(slug="paspoort")
    vac = VAC.objects.get(slug="paspoort-kwijt")
    response = client.get("/zoeken/klik/", links["product", product.pk], HTTP_HOST=host)
    assert response.status_code == 302 and response["Location"] == "/producten/paspoort/"
    log.refresh_from_db()
    assert log.clicked == f"product:{product.pk}" and log.clicked_at
    client.get("/zoeken/klik/", links["vac", vac.pk], HTTP_HOST=host)
    log.refresh_from_db()
    assert log.clicked == f"product:{product.pk}"  # only the first click counts


def test_click_redirect_refuses_foreign_urls_and_entries(full_demo, client):
    host = HOSTS["bergen-op-zoom"]
    passport = Product.objects.get(slug="paspoort")
    for evil in ({"url": "https://evil.example/"}, {"next": "//evil.example/"}, {"redirect": "javascript:alert(1)"}):
        response = client.get("/zoeken/klik/", {"kind": "product", "id": passport.pk, **evil}, HTTP_HOST=host)
        assert response.status_code == 302 and response["Location"] == "/producten/paspoort/"
    local = Product.objects.get(slug=LOCAL_PRODUCTS["roosendaal"])
    not_offered = Product.objects.get(slug="parkeervergunning")
    for params, on in (
        ({"kind": "product", "id": local.pk}, host),
        ({"kind": "product", "id": not_offered.pk}, HOSTS["etten-leur"]),
        ({"kind": "agentnote", "id": 1}, host),
        ({"kind": "product", "id": "https://evil.example/"}, host),
        ({"kind": "product", "id": "²"}, host),
        ({"kind": "product", "id": str(10**20)}, host),
        ({"kind": "product", "id": f"{passport.pk}/../"}, host),
        ({"url": "https://evil.example/"}, host),
    ):
        assert client.get("/zoeken/klik/", params, HTTP_HOST=on).status_code == 404


def test_a_click_cannot_touch_another_gemeentes_log(full_demo, client):
    passport = Product.objects.get(slug="paspoort")
    link = click_links(client, HOSTS["roosendaal"], "paspoort")["product", passport.pk]
    log = SearchQuery.objects.filter(origin="site").latest("pk")
    client.get("/zoeken/klik/", link, HTTP_HOST=HOSTS["etten-leur"])
    log.refresh_from_db()
    assert log.clicked == ""


def test_a_click_counts_only_for_a_result_of_its_own_search(full_demo, client):
    """The forgeries of issue 11.3: another log's id, an entry the search did
    not show, a token of the API; none of them moves the top tasks."""
    host = HOSTS["etten-leur"]
    zone = Product.objects.get(slug="etten-leur-blauwe-zone")
    link = click_links(client, host, "paspoort")
    log = SearchQuery.objects.filter(origin="site").latest("pk")
    token = next(iter(link.values()))["t"]
    api_token = client.get(reverse("api:search", args=["etten-leur"]), {"q": "blauwe zone"}).json()["click_token"]
    for params in (
        {"log": log.pk, "kind": "product", "id": zone.pk},  # the old, forgeable form
        {"t": token, "kind": "product", "id": zone.pk},  # not among this search's results
        {"t": token[:-2] + "xx", "kind": "product", "id": zone.pk},
        {"t": api_token, "kind": "product", "id": zone.pk},  # an API search: not this site's channel
    ):
        assert client.get("/zoeken/klik/", params, HTTP_HOST=host).status_code == 302
    assert not SearchQuery.objects.exclude(clicked="").exists()


def test_top_tasks_follow_the_clicks(full_demo, client):
    from pdc.models import HomePageTopTask

    host = HOSTS["etten-leur"]
    HomePageTopTask.objects.filter(page_id=full_demo["etten-leur"].site.root_page_id).delete()  # no editors' choice
    product = Product.objects.get(slug="etten-leur-blauwe-zone")
    for _ in range(3):
        client.get("/zoeken/klik/", click_links(client, host, "blauwe zone")["product", product.pk], HTTP_HOST=host)
    html = html_of(client.get("/", HTTP_HOST=host))
    tiles = html.split('class="tiles"', 1)[1].split("</ul>", 1)[0]
    assert tiles.index("/producten/etten-leur-blauwe-zone/") < tiles.index("</li>")


# Fast: no N+1 -----------------------------------------------------------------


def test_product_page_queries_do_not_grow_with_related_entries(full_demo, client):
    host = HOSTS["roosendaal"]

    def computed():
        """Queries and HTML of the page computed afresh, not from the cache."""
        content_cache.clear()
        with CaptureQueriesContext(connection) as captured:
            html = html_of(client.get("/producten/paspoort/", HTTP_HOST=host))
        return len(captured), html

    few, _ = computed()
    passport = Product.objects.get(slug="paspoort")
    for vac in VAC.objects.filter(gemeente__isnull=True)[:40]:
        vac.related_products.add(passport)
        vac.save()
    passport.related_products.add(*Product.objects.exclude(pk=passport.pk).filter(gemeente__isnull=True)[:40])
    passport.save()
    many, html = computed()
    assert html.count('href="/vragen/') >= 40
    assert many <= few <= 30


# A fourth municipality needs no code ----------------------------------------------


def test_a_fourth_municipality_gets_its_whole_site_from_data(full_demo, client):
    call_command(
        "add_gemeente", name="Moerdijk", cbs_code="1709", hostname="moerdijk.localhost", port=80,
        colour="#00529b", phone="14 0168", stdout=io.StringIO(),
    )
    host = "moerdijk.localhost"
    home = html_of(client.get("/", HTTP_HOST=host))
    assert "Welkom bij gemeente Moerdijk" in home and "--huiskleur: #00529b" in home
    product = html_of(client.get("/producten/paspoort/", HTTP_HOST=host))
    assert "Paspoort aanvragen" in product and "Contact met gemeente Moerdijk" in product
    assert "14 0168" in product
    assert "Roosendaal" not in product and "documentenkluis" not in product
    search = html_of(client.get("/zoeken/?q=paspoort", HTTP_HOST=host))
    assert "Contact met gemeente Moerdijk" in search and "Paspoort aanvragen" in search
    assert client.get(f"/producten/{LOCAL_PRODUCTS['roosendaal']}/", HTTP_HOST=host).status_code == 404


def test_add_gemeente_refuses_a_house_colour_white_text_cannot_be_read_on(full_demo):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="contrast"):
        call_command("add_gemeente", name="Zundert", cbs_code="0879", hostname="zundert.localhost", colour="#ffd700", stdout=io.StringIO())


# House style as data ----------------------------------------------------------------


def test_house_style_links_and_footer_text_are_data(full_demo, client):
    from themes.models import HouseStyle

    style = HouseStyle.objects.get(site=full_demo["bergen-op-zoom"].site)
    style.header_links = [("link", {"label": "Afspraak maken", "url": "https://afspraak.example/"})]
    style.footer_links = [("link", {"label": "Privacyverklaring", "url": "/privacy/"})]
    style.footer_text = "Bereikbaar op werkdagen."
    style.save()
    html = html_of(client.get("/", HTTP_HOST=HOSTS["bergen-op-zoom"]))
    assert '<a href="https://afspraak.example/">Afspraak maken</a>' in html
    assert '<a href="/privacy/">Privacyverklaring</a>' in html and "Bereikbaar op werkdagen." in html
    assert "Afspraak maken" not in html_of(client.get("/", HTTP_HOST=HOSTS["roosendaal"]))


def test_contact_block_shows_locations_and_opening_hours(site):
    html = html_of(site("roosendaal", "/"))
    assert "Stadskantoor Roosendaal" in html and "Servicepunt Wouw" in html
    assert "08.30–17.00 uur en 17.30–20.00 uur" in html  # Thursday evening
    assert 'href="tel:140165"' in html and 'href="mailto:info@roosendaal.example"' in html


def test_top_tasks_are_the_editors_choice_when_set(full_demo, client):
    from pdc.models import HomePageTopTask
    from website.models import HomePage

    home = HomePage.objects.get(pk=full_demo["bergen-op-zoom"].site.root_page_id)
    home.top_tasks.all().delete()
    chosen = ["rijbewijs", "paspoort", LOCAL_PRODUCTS["roosendaal"], "bergen-op-zoom-vastenavend-ontheffing"]
    for order, slug in enumerate(chosen):
        HomePageTopTask.objects.create(page=home, product=Product.objects.get(slug=slug), sort_order=order)
    html = html_of(client.get("/", HTTP_HOST=HOSTS["bergen-op-zoom"]))
    tiles = re.findall(r'<li><a href="(/producten/[^"]+)">', html.split('class="tiles"', 1)[1].split("</ul>", 1)[0])
    # In the editors' order; another gemeente's local product is left out.
    assert tiles == ["/producten/rijbewijs/", "/producten/paspoort/", "/producten/bergen-op-zoom-vastenavend-ontheffing/"]
