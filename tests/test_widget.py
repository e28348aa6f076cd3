"""The agent knowledge widget: the script (one file, small, cacheable), its
demo host page (signed in), and the whole widget in Debian's Chromium
against a live server: search as you type, open, agent notes, copy, switch
municipality, flag wrong and missing answers, keyboard-only use."""

import json
import re

import pytest
import rjsmin
from django.urls import reverse

from feedback.models import Feedback
from gemeenten.models import Membership, Role
from tests.conftest import axe_source
from tests.factories import make_gemeente, make_user
from widget.views import SCRIPT

SCRIPT_TAG = '<script src="/widget/kennis-widget.js"></script>'
SCRIPT_BUDGET = 50_000  # bytes served, uncompressed (issue 5's goal; served minified)


# --- the script and the demo page (Django test client) ---------------------


@pytest.mark.django_db
def test_script_is_javascript_small_and_cacheable(client):
    response = client.get("/widget/kennis-widget.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    body = response.content
    assert len(body) < SCRIPT_BUDGET, f"the widget script is {len(body)} bytes; the budget is {SCRIPT_BUDGET}"
    assert body == rjsmin.jsmin(SCRIPT.read_text(encoding="utf-8")).encode(), "the source, minified"
    assert b'customElements.define("kennis-widget"' in body and b"attachShadow" in body
    assert "max-age=86400" in response["Cache-Control"] and "public" in response["Cache-Control"]
    etag = response["ETag"]
    assert client.get("/widget/kennis-widget.js", HTTP_IF_NONE_MATCH=etag).status_code == 304
    versioned = client.get("/widget/kennis-widget.js", {"v": etag.strip('"')})
    assert "immutable" in versioned["Cache-Control"] and "max-age=31536000" in versioned["Cache-Control"]


def test_script_talks_only_to_the_json_api():
    source = SCRIPT.read_text(encoding="utf-8")
    # Every request goes through request() on the API base; no other URLs, no frameworks.
    assert source.count("fetch(") == 1 and "/api/v1/" in source
    assert not re.search(r"\b(import|require)\s*\(", source)
    for endpoint in ("agent/gemeenten", "/zoeken?", "/top", "zoekkliks", "terugkoppeling"):
        assert endpoint in source


@pytest.mark.django_db
def test_demo_page_requires_login_and_embeds_the_script(client):
    response = client.get(reverse("widget:demo"))
    assert response.status_code == 302
    assert response["Location"] == "/admin/login/?next=/widget/demo/"
    client.force_login(make_user(Role.AGENT, make_gemeente()))
    response = client.get(reverse("widget:demo"))
    assert response.status_code == 200
    html = response.content.decode()
    assert SCRIPT_TAG in html and "<kennis-widget></kennis-widget>" in html


@pytest.mark.django_db
def test_agent_detail_carries_the_key_facts_and_documents_every_field(client):
    from api.views import document
    from tests.factories import make_product, make_vac

    gemeente = make_gemeente("Roosendaal", slug="roosendaal")
    make_product(
        slug="paspoort", costs_nl="<p>€ 84,00</p>", lead_time_nl="<p>5 werkdagen</p>", required_documents_nl="<p>Pasfoto</p>",
        handling_level="intake", appointment_required=True, online_application_url="https://example.nl/aanvraag", digid="midden",
    )
    make_vac(slug="paspoort-kwijt")
    client.force_login(make_user(Role.AGENT, gemeente))
    detail = client.get(reverse("api:agent-detail", args=["roosendaal", "producten", "paspoort"])).json()
    facts = {fact["name"]: fact for fact in detail["key_facts"]}
    assert list(facts) == ["handling_level", "costs", "lead_time", "required_documents", "appointment", "online_application"]
    assert facts["costs"]["html"] == "<p>€ 84,00</p>" and facts["appointment"]["html"] == "nodig"
    assert facts["online_application"]["html"] == '<a href="https://example.nl/aanvraag">Aanvraagformulier</a> (DigiD midden)'
    vac = client.get(reverse("api:agent-detail", args=["roosendaal", "vacs", "paspoort-kwijt"])).json()
    assert vac["key_facts"] == []
    public = client.get(reverse("api:detail", args=["roosendaal", "producten", "paspoort"])).json()
    assert "key_facts" not in public and "handling_level" not in public, "the handling level is for agents only"

    schemas = document()["components"]["schemas"]
    documented = set(schemas["Entry"]["properties"]) | set(schemas["Summary"]["properties"])
    for body in (detail, vac):
        assert set(body) <= documented, f"undocumented fields: {set(body) - documented}"
    key_fact = schemas["Entry"]["properties"]["key_facts"]["items"]["$ref"].rpartition("/")[2]
    assert set(schemas[key_fact]["properties"]) == set(detail["key_facts"][0])


@pytest.mark.django_db
def test_agent_gemeenten_says_which_are_the_agents_own(client):
    from api.views import document

    roosendaal, etten = make_gemeente("Roosendaal", slug="roosendaal"), make_gemeente("Etten-Leur", slug="etten-leur")
    agent = make_user(Role.AGENT)  # every gemeente …
    Membership.objects.create(user=agent, role=Role.AGENT, gemeente=etten)  # … and its own line
    client.force_login(agent)
    results = client.get(reverse("api:agent-gemeenten")).json()["results"]
    assert [(g["slug"], g["own"]) for g in results] == [("etten-leur", True), ("roosendaal", False)]
    schemas = document()["components"]["schemas"]
    item = schemas[schemas["AgentGemeenten"]["properties"]["results"]["items"]["$ref"].rpartition("/")[2]]["properties"]
    assert set(results[0]) == set(item)


@pytest.mark.django_db
def test_search_pages_follow_on_and_only_the_first_is_logged(client, settings):
    from tests.factories import make_vac
    from zoeken.models import SearchQuery

    settings.SEARCH_ENGINE = "none"
    gemeente = make_gemeente("Roosendaal", slug="roosendaal")
    for n in range(12):
        make_vac(slug=f"afvalpas-{n}", question_nl=f"Afvalpas vraag {n}")
    client.force_login(make_user(Role.AGENT, gemeente))
    url = reverse("api:agent-search", args=["roosendaal"])
    first = client.get(url, {"q": "afvalpas", "page_size": 8}).json()
    second = client.get(url, {"q": "afvalpas", "page_size": 8, "page": 2}).json()
    assert (first["total"], len(first["hits"]), len(second["hits"])) == (12, 8, 4)
    ids = [hit["id"] for hit in first["hits"] + second["hits"]]
    assert len(set(ids)) == 12
    assert first["log_id"] and second["log_id"] is None
    assert SearchQuery.objects.count() == 1


@pytest.mark.django_db
def test_workspace_page_requires_login_and_takes_a_gemeente_preset(client):
    response = client.get(reverse("widget:workspace"))
    assert response.status_code == 302 and response["Location"] == "/admin/login/?next=/widget/"
    client.force_login(make_user(Role.AGENT, make_gemeente()))
    html = client.get(reverse("widget:workspace"), {"gemeente": "etten-leur"}).content.decode()
    assert '<kennis-widget gemeente="etten-leur"></kennis-widget>' in html and "/widget/kennis-widget.js" in html
    html = client.get(reverse("widget:demo"), {"gemeente": '"><script>x</script>'}).content.decode()
    assert "<kennis-widget></kennis-widget>" in html and "<script>x" not in html


# --- in the browser ----------------------------------------------------------



@pytest.fixture
def world(settings, live_server):
    """Two municipalities the agent answers for, a third it does not; a
    shared passport product with a Bergen op Zoom override, agent notes
    (shared and local), a VAC, a Bergen op Zoom local product."""
    from kennis.models import VAC, AgentNote
    from zoeken.models import SearchQuery
    from sharing.overrides import set_override
    from tests.factories import make_product, make_vac, regional_curator
    from website.provisioning import provision_gemeente

    settings.SEARCH_ENGINE = "none"  # deterministic: answered from the database
    port = int(live_server.url.rsplit(":", 1)[1])
    # The overrides below are the world as it is, not a change under review:
    # direct publication (new gemeenten default to four eyes, tests/test_four_eyes.py).
    direct = {"port": port, "publication": "direct"}
    roosendaal = provision_gemeente(name="Roosendaal", slug="roosendaal", cbs_code="1674", hostname="roosendaal.localhost", **direct)
    bergen = provision_gemeente(name="Bergen op Zoom", slug="bergen-op-zoom", cbs_code="0748", hostname="bergen-op-zoom.localhost", **direct)
    etten = provision_gemeente(name="Etten-Leur", slug="etten-leur", cbs_code="0777", hostname="etten-leur.localhost", **direct)
    curator = regional_curator()
    passport = make_product(
        slug="paspoort",
        title_nl="Paspoort aanvragen",
        summary_nl="U vraagt een paspoort aan bij de gemeente waar u woont.",
        procedure_nl="<p>Maak een afspraak bij de balie Burgerzaken.</p>",
        costs_nl="<p>Een paspoort kost € 84,00.</p>",
        lead_time_nl="<p>Na 5 werkdagen kunt u het paspoort ophalen.</p>",
        required_documents_nl="<ul><li>Uw oude paspoort</li><li>Een pasfoto</li></ul>",
        # A long public text, as the real passport entry has: the agent's part must come before it.
        description_nl="".join(f"<p>Alinea {n} over reizen, geldigheid en vingerafdrukken.</p>" for n in range(60)),
        appointment_required=True,
        bookable_online=True,
        handling_level="intake",
    )
    set_override(passport, bergen, "procedure_nl", "<p>Kom zonder afspraak naar het Stadhuis aan de Grote Markt.</p>", curator)
    AgentNote.objects.create(kind="intake", title="Vraag eerst", body="<ul><li>Vraag naar de reisdatum.</li><li>Is het oude paspoort nog geldig?</li></ul>", product=passport)
    AgentNote.objects.create(kind="routing", title="Spoed", body="<p>Spoedaanvraag: doorverbinden met Burgerzaken Roosendaal, toestel 1234.</p>", product=passport, gemeente=roosendaal)
    make_vac(
        slug="paspoort-kwijt",
        question_nl="Paspoort kwijt, wat nu?",
        answer_nl="<p>Doe aangifte van vermissing bij de gemeente.</p>",
        internal_explanation="<p>Bij diefstal eerst naar de politie verwijzen.</p>",
    )
    make_product(slug="grofvuil-bergen", title_nl="Grofvuil ophalen", summary_nl="Laat grofvuil ophalen in Bergen op Zoom.",
                 procedure_nl="<p>Bel de milieustraat Bergen op Zoom.</p>", gemeente=bergen)
    parking = make_product(slug="parkeervergunning", title_nl="Parkeervergunning bewoners", procedure_nl="<p>Vraag de vergunning online aan.</p>")
    set_override(parking, roosendaal, "offered", False, curator)
    vac = VAC.objects.get(slug="paspoort-kwijt")
    vac.related_products.set([passport])  # the editors' relation: the widget shows it under "Gerelateerd"
    vac.save()
    SearchQuery.objects.create(gemeente=roosendaal, origin="widget", query="kwijt", normalised="kwijt", result_count=1, backend="database", clicked=f"vac:{vac.pk}")
    agent = make_user(Role.AGENT, roosendaal)
    Membership.objects.create(user=agent, role=Role.AGENT, gemeente=bergen)
    return {"roosendaal": roosendaal, "bergen": bergen, "etten": etten, "passport": passport, "agent": agent, "url": live_server.url}


def signed_in_page(browser, world, **context_options):
    context = browser.new_context(locale="nl-NL", **context_options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{world['url']}/widget/demo/")
    assert "/admin/login/?next=/widget/demo/" in page.url
    page.fill("#id_username", world["agent"].username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{world['url']}/widget/demo/")
    page.wait_for_selector("kennis-widget[data-ready]", state="attached")
    return page


def widget_focus(page):
    """The id of the focused element inside the widget's shadow root (or None)."""
    return page.evaluate(
        "() => { const w = document.querySelector('kennis-widget');"
        " return document.activeElement === w && w.shadowRoot.activeElement ? w.shadowRoot.activeElement.id || w.shadowRoot.activeElement.tagName : null; }"
    )


def option_titles(page):
    return [t.strip() for t in page.locator("kennis-widget [role=option] .t").all_inner_texts()]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_widget_end_to_end(browser, world):
    from zoeken.models import SearchQuery

    page = signed_in_page(browser, world)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=world["url"])
    widget = page.locator("kennis-widget")
    select = widget.locator("#gemeente")
    # Only the gemeenten this agent answers for.
    assert select.locator("option").all_inner_texts() == ["Bergen op Zoom", "Roosendaal"]
    select.select_option("roosendaal")

    # With an empty box: the top questions of this gemeente (nothing opened recently yet).
    widget.get_by_role("group", name="Veelgevraagd in Roosendaal").locator("[role=option]", has_text="Paspoort kwijt").wait_for()
    assert widget.get_by_role("group", name="Recent geopend").count() == 0

    # Search as you type: results under the keystrokes.
    search = widget.locator("#q")
    search.press_sequentially("paspo", delay=40)
    page.wait_for_function("() => document.querySelector('kennis-widget').shadowRoot.querySelectorAll('[role=option]').length >= 2")
    titles = option_titles(page)
    assert any(t.startswith("Paspoort aanvragen") for t in titles) and any(t.startswith("Paspoort kwijt") for t in titles)
    assert "resultaten" in widget.locator("#count").inner_text()
    assert "Bron: database" in widget.locator("#notice").inner_text()
    expect_status(page, "resultaten voor paspo")

    # Arrow down to the passport product and open it with Enter.
    target = next(i for i, t in enumerate(titles) if t.startswith("Paspoort aanvragen"))
    for _ in range(target + 1):
        search.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant") == f"option-{target}"
    search.press("Enter")
    entry = widget.locator("#entry")
    entry.locator("h2", has_text="Paspoort aanvragen").wait_for()
    assert widget_focus(page) == "entry-title"
    agent_block = entry.locator(".agent")
    assert "Alleen voor KCC-medewerkers" in agent_block.inner_text()
    assert "Vraag naar de reisdatum." in agent_block.locator("[data-kind=intake]").inner_text()
    assert "toestel 1234" in agent_block.locator("[data-kind=routing]").inner_text()
    facts = entry.locator(".facts")
    assert facts.locator("[data-fact=handling_level]").inner_text() == "intake"
    assert "€ 84,00" in facts.locator("[data-fact=costs]").inner_text()
    # The full public text is folded away below; one click opens it (and it stays open).
    full = entry.locator("details.full")
    assert full.get_attribute("open") is None and entry.locator("[data-section=procedure]").is_hidden()
    full.locator("summary").click()
    public = entry.locator(".public").inner_text()
    assert "Maak een afspraak bij de balie Burgerzaken." in public and "€ 84,00" in public
    assert "Vraag naar de reisdatum" not in public
    # The click was recorded for the search analytics.
    wait_until(lambda: SearchQuery.objects.filter(clicked=f"product:{world['passport'].pk}").exists())
    # Related entries come with the answer (the detail's `related`), no search on the title.
    entry.locator(".related button", has_text="Paspoort kwijt").wait_for()
    assert not SearchQuery.objects.filter(query="Paspoort aanvragen").exists()

    # Copy the answer as plain text.
    entry.locator("[data-action=copy]").click()
    entry.get_by_text("Antwoord gekopieerd.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "Aanvragen\nMaak een afspraak bij de balie Burgerzaken." in copied
    assert "Kosten\nEen paspoort kost € 84,00." in copied
    assert "reisdatum" not in copied and "<p>" not in copied

    # Flag the answer as wrong, with a remark.
    entry.locator("[data-action=flag]").click()
    entry.locator("#flag-remark").fill("De leges zijn per 1 januari € 85,00.")
    entry.get_by_role("button", name="Melding versturen").click()
    entry.get_by_text("Bedankt. Uw melding staat bij de kennisregisseur.").wait_for()
    flagged = Feedback.objects.get(kind="wrong")
    assert (flagged.gemeente, flagged.entry, flagged.origin) == (world["roosendaal"], world["passport"], "widget")
    assert flagged.remark == "De leges zijn per 1 januari € 85,00." and flagged.user == world["agent"]

    # An entry this gemeente does not offer says so, for the agent only.
    search.fill("parkeervergunning")
    option = widget.locator("[role=option]", has_text="Parkeervergunning bewoners")
    assert "niet aangeboden" in option.inner_text()
    option.click()
    entry.locator(".warn").get_by_text("Niet aangeboden in Roosendaal.").wait_for()
    search.fill("paspoort")
    widget.locator("[role=option]", has_text="Paspoort aanvragen").click()
    entry.locator("h2", has_text="Paspoort aanvragen").wait_for()

    # Switch municipality with the answer open: Bergen op Zoom's own procedure, no Roosendaal-only note.
    select.select_option("bergen-op-zoom")
    entry.get_by_text("Kom zonder afspraak naar het Stadhuis aan de Grote Markt.").wait_for()
    assert "balie Burgerzaken" not in entry.locator(".public").inner_text()
    assert entry.locator("[data-kind=routing]").count() == 0
    assert page.evaluate("() => localStorage.getItem('kennis-widget:gemeente')") == '"bergen-op-zoom"'

    # Bergen op Zoom's local entry is found there, and not in Roosendaal.
    search.fill("grofvuil")
    widget.locator("[role=option]", has_text="Grofvuil ophalen").wait_for()
    assert "lokaal" in widget.locator("[role=option]", has_text="Grofvuil ophalen").inner_text()
    select.select_option("roosendaal")
    widget.get_by_text("Geen resultaten voor “grofvuil”.").wait_for()

    # Report the missing answer, with the query.
    widget.locator("#missing-open").click()
    widget.locator("#missing-remark").fill("Beller vraagt wanneer grofvuil wordt opgehaald.")
    widget.locator("#missing-form").get_by_role("button", name="Melding versturen").click()
    # (The live region announces the same text: wait for the visible message itself.)
    widget.locator("#missing-ok", has_text="Bedankt. Gemeld dat een antwoord op “grofvuil” ontbreekt.").wait_for()
    missing = Feedback.objects.get(kind="missing")
    assert (missing.gemeente, missing.query, missing.remark) == (world["roosendaal"], "grofvuil", "Beller vraagt wanneer grofvuil wordt opgehaald.")

    # An empty box shows recent (this gemeente) and top questions.
    search.fill("")
    widget.get_by_role("group", name="Recent geopend").locator("[role=option]", has_text="Paspoort aanvragen").wait_for()
    widget.get_by_role("group", name="Veelgevraagd in Roosendaal").locator("[role=option]", has_text="Paspoort kwijt").wait_for()
    # The widget remembers the municipality on the next visit.
    page.reload()
    page.wait_for_selector("kennis-widget[data-ready]", state="attached")
    assert select.input_value() == "roosendaal"

    # A related entry opens in place.
    search.fill("paspoort")
    widget.locator("[role=option]", has_text="Paspoort aanvragen").click()
    entry.locator(".related button", has_text="Paspoort kwijt").click()
    entry.locator("h2", has_text="Paspoort kwijt, wat nu?").wait_for()
    assert "Bij diefstal eerst naar de politie verwijzen." in entry.locator(".agent").inner_text()
    page.context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_widget_keyboard_only(browser, world):
    page = signed_in_page(browser, world)
    widget = page.locator("kennis-widget")
    widget.locator("#gemeente").select_option("roosendaal")

    # "/" in another field of the host page is just typed there.
    page.locator("#note").focus()
    page.keyboard.type("a/b")
    assert page.locator("#note").input_value() == "a/b"
    assert widget_focus(page) is None

    # Elsewhere "/" jumps to the search box.
    page.evaluate("() => document.activeElement.blur()")
    page.keyboard.press("/")
    assert widget_focus(page) == "q"
    page.keyboard.type("paspoort")
    page.wait_for_function("() => document.querySelector('kennis-widget').shadowRoot.querySelectorAll('[role=option]').length >= 2")
    search = widget.locator("#q")
    assert search.get_attribute("role") == "combobox" and search.get_attribute("aria-expanded") == "true"
    assert search.input_value() == "paspoort"
    expect_status(page, "resultaten voor paspoort")

    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant") == "option-1"
    page.keyboard.press("ArrowUp")
    assert search.get_attribute("aria-activedescendant") == "option-0"
    assert widget.locator("#option-0").get_attribute("aria-selected") == "true"
    first = option_titles(page)[0]
    assert axe_problems(page) == []
    page.keyboard.press("Enter")
    heading = widget.locator("#entry h2")
    heading.wait_for()
    assert first.startswith(heading.inner_text())
    assert widget_focus(page) == "entry-title"
    assert axe_problems(page) == []

    # Tab reaches the actions; Esc goes back to the results, where we were.
    for _ in range(4):
        page.keyboard.press("Tab")
        if widget_focus(page) == "BUTTON" and page.evaluate("() => document.querySelector('kennis-widget').shadowRoot.activeElement.dataset.action") == "copy":
            break
    else:
        pytest.fail("Tab did not reach the copy button")
    page.keyboard.press("Escape")
    assert widget_focus(page) == "q"
    assert widget.locator("#entry").is_hidden() and search.get_attribute("aria-activedescendant") == "option-0"

    # Enter without choosing opens the first result, also when typed faster than the search.
    page.keyboard.press("Escape")
    assert search.input_value() == ""
    page.keyboard.type("kwijt")
    page.keyboard.press("Enter")
    widget.locator("#entry h2", has_text="Paspoort kwijt, wat nu?").wait_for()
    assert "Bij diefstal eerst naar de politie verwijzen." in widget.locator("#entry .agent").inner_text()
    page.keyboard.press("Escape")

    # Esc clears the box; the recent questions are options for the arrows too.
    page.keyboard.press("Escape")
    widget.get_by_role("group", name="Recent geopend").wait_for()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    widget.locator("#entry h2", has_text="Paspoort kwijt, wat nu?").wait_for()
    page.keyboard.press("Escape")
    assert widget_focus(page) == "q"
    page.context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_widget_login_link_notice_and_untrusted_text(browser, world):
    """Not signed in: a "Log in" link back to this page. Signed in, a
    notice when the search engine is down, and titles are text, not HTML."""
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    host = f"{world['url']}/een/andere/pagina/?contact=42"
    page.route(host, lambda route: route.fulfill(content_type="text/html", body=f"<!doctype html><title>Host</title><kennis-widget></kennis-widget>{SCRIPT_TAG}"))
    page.goto(host)
    login = page.locator("kennis-widget #login")
    login.wait_for()
    assert login.get_attribute("href") == f"{world['url']}/admin/login/?next=%2Feen%2Fandere%2Fpagina%2F%3Fcontact%3D42"
    assert page.locator("kennis-widget #q").is_hidden()
    context.close()

    page = signed_in_page(browser, world)
    page.evaluate("() => { window.__pwned = false; }")
    fake = {
        "query": "paspoort", "backend": "database", "total": 1, "page": 1, "page_size": 8, "took_ms": 1, "log_id": None,
        "notice": "De zoekmachine is niet bereikbaar; dit zijn resultaten uit de database.",
        "hits": [{"kind": "vac", "id": 1, "slug": "x", "title": "<img src=x onerror=\"window.__pwned=true\">", "url": "",
                  "snippet": "Een <mark>paspoort</mark>", "summary": "", "offered": False, "local": False, "promoted": False}],
    }
    page.route("**/api/v1/agent/gemeenten/*/zoeken?*", lambda route: route.fulfill(content_type="application/json", body=json.dumps(fake)))
    page.locator("kennis-widget #q").fill("paspoort")
    widget = page.locator("kennis-widget")
    widget.locator("#notice", has_text=fake["notice"]).wait_for()
    expect_status(page, fake["notice"])
    option = widget.locator("[role=option]")
    assert '<img src=x onerror="window.__pwned=true">' in option.inner_text()
    assert "niet aangeboden" in option.inner_text() and option.locator("mark").inner_text() == "paspoort"
    assert page.evaluate("() => window.__pwned") is False
    page.context.close()


@pytest.fixture
def other_origin(world):
    """A contact-centre page on another origin (127.0.0.1, where the live
    server is localhost) that embeds the widget with one script tag."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    body = (f'<!doctype html><html lang="nl"><title>KCC</title><main><kennis-widget></kennis-widget></main>'
            f'<script src="{world["url"]}/widget/kennis-widget.js"></script></html>').encode()

    class HostPage(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), HostPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_widget_on_a_host_page_of_another_origin_signs_in_in_a_popup(browser, world, other_origin, settings):
    from urllib.parse import quote

    from widget.models import WidgetToken
    from zoeken.models import SearchQuery

    settings.CORS_ALLOWED_ORIGINS = [other_origin]
    page = browser.new_context(locale="nl-NL").new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{other_origin}/werkplek")
    widget = page.locator("kennis-widget")
    login = widget.locator("#login")
    login.wait_for()
    assert login.get_attribute("href") == f"{world['url']}/widget/aanmelden/?origin={quote(other_origin, safe='')}"

    with page.expect_popup() as opened:
        login.click()
    popup = opened.value
    popup.wait_for_load_state()
    assert axe_problems(popup) == []
    popup.fill("#id_username", world["agent"].username)
    popup.fill("#id_password", "x")
    with popup.expect_event("close"):
        popup.click("button[type=submit]")
    page.wait_for_selector("kennis-widget[data-ready]", state="attached")
    assert widget.locator("#gemeente option").all_inner_texts() == ["Bergen op Zoom", "Roosendaal"]
    assert WidgetToken.objects.get().origin == other_origin

    # Agent content over the API with the token alone: the popup's session cookie goes.
    page.context.clear_cookies()
    widget.locator("#gemeente").select_option("roosendaal")
    widget.locator("#q").press_sequentially("paspoort", delay=30)
    widget.locator("[role=option]", has_text="Paspoort aanvragen").click()
    widget.locator("#entry .agent [data-kind=intake]", has_text="Vraag naar de reisdatum.").wait_for()
    wait_until(lambda: SearchQuery.objects.exclude(clicked="").filter(query="paspoort").exists())
    entry = widget.locator("#entry")
    entry.locator("[data-action=flag]").click()
    entry.locator("#flag-remark").fill("Klopt niet meer.")
    entry.get_by_role("button", name="Melding versturen").click()
    entry.get_by_text("Bedankt. Uw melding staat bij de kennisregisseur.").wait_for()
    assert Feedback.objects.get(kind="wrong").user == world["agent"]

    # A token that is no longer valid (expired, revoked): back to the sign-in link.
    WidgetToken.objects.all().delete()
    widget.locator("#q").fill("kwijt")
    login.wait_for()
    assert widget.locator("#q").is_hidden()
    page.context.close()


def box(locator):
    return locator.bounding_box()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_widget_answer_puts_what_the_agent_needs_first(browser, world):
    """Key facts and agent notes before the (long) public text, on the first
    screen; the search box stays on screen however far the agent scrolls."""
    page = signed_in_page(browser, world, viewport={"width": 1280, "height": 800})
    widget = page.locator("kennis-widget")
    entry = widget.locator("#entry")

    def open_passport():
        widget.locator("#gemeente").select_option("roosendaal")
        widget.locator("#q").fill("paspoort")
        widget.locator("[role=option]", has_text="Paspoort aanvragen").click()
        entry.locator("details.full summary").wait_for()
        return box(entry.locator(".facts")), box(entry.locator(".agent")), box(entry.locator(".public"))

    # The narrow widget of the contact-centre page: key facts, then the notes, then the public text.
    facts, notes, public = open_passport()
    assert facts["y"] + facts["height"] <= notes["y"] and notes["y"] + notes["height"] <= public["y"]
    assert notes["y"] < 800, "the key facts and the start of the notes are on the first screen"
    labels = entry.locator(".facts dt").all_inner_texts()
    assert labels == ["Afhandeling", "Kosten", "Termijn", "Meenemen", "Afspraak"]
    assert "Een pasfoto" in entry.locator("[data-fact=required_documents]").inner_text()
    assert entry.locator("[data-fact=appointment]").inner_text() == "nodig, online te maken"

    # The agent's own (wide) page: side by side, both whole on the first screen.
    page.goto(f"{world['url']}/widget/")
    page.wait_for_selector("kennis-widget[data-ready]", state="attached")
    facts, notes, public = open_passport()
    assert facts["y"] == notes["y"] and facts["x"] + facts["width"] <= notes["x"]
    assert max(facts["y"] + facts["height"], notes["y"] + notes["height"]) <= min(public["y"], 800)

    # Keyboard: Tab reaches the fold, Enter opens it; the page is now long.
    entry.locator("details.full summary").focus()
    page.keyboard.press("Enter")
    entry.locator("[data-section=description]").get_by_text("Alinea 59").wait_for()
    assert page.evaluate("() => document.documentElement.scrollHeight") > 3 * 800
    assert axe_problems(page) == []
    page.evaluate("() => window.scrollTo(0, document.documentElement.scrollHeight)")
    page.wait_for_function("() => window.scrollY > 1600")
    search = box(widget.locator("#q"))
    assert 0 <= search["y"] and search["y"] + search["height"] <= 800, f"the search box scrolled away: {search}"
    # and it still searches from down there.
    widget.locator("#q").fill("kwijt")
    widget.locator("[role=option]", has_text="Paspoort kwijt").wait_for()
    page.context.close()


ALL_TWELVE = re.compile(r"^12 resultaten$")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_widget_shows_more_than_eight_results(browser, world):
    from kennis.models import VAC
    from tests.factories import make_vac
    from zoeken.models import SearchQuery

    for n in range(1, 13):
        make_vac(slug=f"afvalpas-{n}", question_nl=f"Afvalpas vraag {n:02d}", answer_nl=f"<p>Antwoord {n} over de afvalpas.</p>")
    page = signed_in_page(browser, world)
    widget = page.locator("kennis-widget")
    widget.locator("#gemeente").select_option("roosendaal")
    search = widget.locator("#q")
    search.fill("afvalpas")
    widget.locator("#count", has_text="8 van 12 resultaten").wait_for()
    assert widget.locator("[role=option]").count() == 8
    more = widget.locator("#more")
    assert more.is_visible()

    # Keyboard: past the last result, ArrowDown loads the next ones and goes on.
    search.focus()
    for _ in range(8):
        page.keyboard.press("ArrowDown")
    assert search.get_attribute("aria-activedescendant") == "option-7"
    page.keyboard.press("ArrowDown")
    widget.locator("#count", has_text=ALL_TWELVE).wait_for()
    assert widget.locator("[role=option]").count() == 12
    assert search.get_attribute("aria-activedescendant") == "option-8" and widget_focus(page) == "q"
    expect_status(page, "12 van 12 resultaten getoond")
    assert more.is_hidden()
    titles = option_titles(page)
    assert len(set(titles)) == 12 and all(f"Afvalpas vraag {n:02d}" in " ".join(titles) for n in range(1, 13))
    assert SearchQuery.objects.filter(normalised="afvalpas").count() == 1, "one search, logged once"

    # The button itself: Tab from the box reaches it, Enter loads more.
    search.fill("")
    search.fill("afvalpas")
    widget.locator("#count", has_text="8 van 12 resultaten").wait_for()
    search.focus()
    for _ in range(3):  # (Chromium also stops on the scrollable list)
        page.keyboard.press("Tab")
        if widget_focus(page) == "more":
            break
    else:
        pytest.fail("Tab did not reach “Meer resultaten”")
    page.keyboard.press("Enter")
    widget.locator("#count", has_text=ALL_TWELVE).wait_for()
    assert widget_focus(page) == "q" and search.get_attribute("aria-activedescendant") == "option-8"
    page.keyboard.press("Enter")
    widget.locator("#entry h2", has_text="Afvalpas vraag").wait_for()
    # A result of the second page counts as a click of that one search (its click token was extended).
    opened = widget.locator("#entry h2").inner_text()
    wait_until(lambda: SearchQuery.objects.filter(normalised="afvalpas").exclude(clicked="").exists())
    clicked = SearchQuery.objects.filter(normalised="afvalpas").exclude(clicked="").get().clicked
    assert clicked.startswith("vac:") and VAC.objects.get(pk=clicked[4:]).question_nl in opened
    assert axe_problems(page) == []
    page.context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_widget_gemeente_preset_own_and_remembered(browser, world):
    """The host page presets the gemeente (attribute, or ?gemeente= on the
    workspace and demo pages); else the agent's own gemeente; else the
    remembered choice; else the first."""
    page = signed_in_page(browser, world)
    widget = page.locator("kennis-widget")
    select = widget.locator("#gemeente")
    select.select_option("roosendaal")  # remembered
    assert page.evaluate("() => localStorage.getItem('kennis-widget:gemeente')") == '"roosendaal"'

    page.goto(f"{world['url']}/widget/demo/?gemeente=bergen-op-zoom")
    page.wait_for_selector("kennis-widget[data-ready]", state="attached")
    assert page.locator("kennis-widget").get_attribute("gemeente") == "bergen-op-zoom"
    assert select.input_value() == "bergen-op-zoom"
    # The host page switches when a call comes in on another line; not remembered as the agent's choice.
    widget.locator("#q").fill("grofvuil")
    widget.locator("[role=option]", has_text="Grofvuil ophalen").wait_for()
    page.evaluate("() => document.querySelector('kennis-widget').setAttribute('gemeente', 'roosendaal')")
    widget.get_by_text("Geen resultaten voor “grofvuil”.").wait_for()
    assert select.input_value() == "roosendaal"
    page.evaluate("() => document.querySelector('kennis-widget').setAttribute('gemeente', 'bergen-op-zoom')")
    widget.locator("[role=option]", has_text="Grofvuil ophalen").wait_for()
    assert page.evaluate("() => localStorage.getItem('kennis-widget:gemeente')") == '"roosendaal"'

    # A preset this agent does not answer for: said so, and the usual default.
    page.goto(f"{world['url']}/widget/?gemeente=etten-leur")
    page.wait_for_selector("kennis-widget[data-ready]", state="attached")
    assert select.input_value() == "roosendaal"
    assert "U antwoordt niet voor “etten-leur”" in widget.locator("#error").inner_text()
    page.context.close()

    # An agent for all gemeenten whose own line is Etten-Leur: Etten-Leur first, not the first
    # alphabetically, nor another agent's choice remembered in this browser.
    own = make_user(Role.AGENT)
    Membership.objects.create(user=own, role=Role.AGENT, gemeente=world["etten"])
    context = browser.new_context(locale="nl-NL")
    context.add_init_script("localStorage.setItem('kennis-widget:gemeente', '\"bergen-op-zoom\"')")
    page = context.new_page()
    page.goto(f"{world['url']}/admin/login/?next=/widget/")
    page.fill("#id_username", own.username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_selector("kennis-widget[data-ready]", state="attached")
    select = page.locator("kennis-widget #gemeente")
    assert select.locator("option").all_inner_texts() == ["Bergen op Zoom", "Etten-Leur", "Roosendaal"]
    assert select.input_value() == "etten-leur"
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_agent_sign_in_lands_on_the_widget(browser, world):
    """kcc (an agent for every gemeente) opens /admin/, signs in, and is in the widget."""
    kcc = make_user(Role.AGENT)
    page = browser.new_context(locale="nl-NL").new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{world['url']}/admin/")
    assert "/admin/login/" in page.url
    page.fill("#id_username", kcc.username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{world['url']}/widget/")
    page.wait_for_selector("kennis-widget[data-ready]", state="attached")
    assert page.locator("kennis-widget #gemeente option").count() == 3
    assert widget_focus(page) is None
    page.keyboard.press("/")
    assert widget_focus(page) == "q"
    assert axe_problems(page) == []
    # The admin links back to the widget.
    page.goto(f"{world['url']}/admin/")
    page.get_by_role("link", name="Naar de kenniswidget").click()
    page.wait_for_url(f"{world['url']}/widget/")
    page.context.close()


def axe_problems(page):
    """Serious and critical axe-core (WCAG 2.1 A/AA) violations on the page, the widget's shadow DOM included."""
    source = axe_source()
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    violations = page.evaluate(
        "async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']})).violations"
    )
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}" for v in violations if v["impact"] in ("serious", "critical")]


def expect_status(page, text):
    """The live region announces the result count."""
    page.wait_for_function(
        "(text) => document.querySelector('kennis-widget').shadowRoot.getElementById('status').textContent.includes(text)", arg=text
    )


def wait_until(condition, timeout=5.0):
    import time

    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("condition not met in time")
        time.sleep(0.05)
