"""The citizen websites in a real browser (Debian's Chromium via Playwright):
axe-core finds no WCAG 2.1 A/AA violations on any page type of any
municipality, the skip link is the first stop of the keyboard, and a citizen
can search, read and say "was this helpful?" without JavaScript. What a
person sees: the gemeente's logo, the task buttons, the page of a product the
gemeente does not offer, and the feedback form that is gone once answered."""

import datetime
from pathlib import Path

import pytest

from tests.conftest import axe_source

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
GEMEENTEN = {
    # slug: (name, CBS code, house colour, accent)
    "roosendaal": ("Roosendaal", "1674", "#0b5394", "#f6b26b"),
    "bergen-op-zoom": ("Bergen op Zoom", "0748", "#9d1c20", "#e8c547"),
    "etten-leur": ("Etten-Leur", "0777", "#1d6b3a", "#9fd3a8"),
}
PAGE_TYPES = [
    "/",
    "/producten/paspoort/",
    "/vragen/paspoort-kwijt/",
    "/themas/",
    "/themas/burgerzaken/",
    "/levensgebeurtenissen/",
    "/levensgebeurtenissen/naar-het-buitenland/",
    "/a-z/",
    "/a-z/p/",
    "/zoeken/",
    "/zoeken/?q=paspoort",
    "/zoeken/?q=psapoort",
    "/contact/",
    "/bestaat-niet/",
]
LOGOS = Path(__file__).resolve().parent.parent / "fixtures" / "logos"



@pytest.fixture
def sites(settings, live_server):
    """Three municipal sites on the live server's port, with a product
    (all sections), a VAC, a theme, a life event and opening hours."""
    from gemeenten.models import Location, OpeningHours, OpeningHoursException
    from kennis.models import AgentNote
    from pdc.models import LifeEvent, Theme
    from sharing.overrides import set_override
    from tests.factories import make_product, make_vac, regional_curator
    from website.provisioning import provision_gemeente

    settings.SEARCH_ENGINE = "none"
    port = int(live_server.url.rsplit(":", 1)[1])
    theme = Theme.objects.create(name="Burgerzaken", slug="burgerzaken")
    trip = LifeEvent.objects.create(name="Naar het buitenland", slug="naar-het-buitenland")
    passport = make_product(
        slug="paspoort",
        title_nl="Paspoort aanvragen",
        summary_nl="Een paspoort vraagt u aan bij de gemeente.",
        description_nl="<p>Met een paspoort kunt u reizen.</p>",
        conditions_nl="<ul><li>U staat ingeschreven in {{ gemeente.naam }}.</li></ul>",
        procedure_nl="<ol><li>Maak een afspraak.</li><li>Kom langs met een pasfoto.</li></ol>",
        required_documents_nl="<ul><li>een pasfoto</li></ul>",
        costs_nl="<table><thead><tr><th scope=\"col\">Wat</th><th scope=\"col\">Kosten</th></tr></thead><tbody><tr><td>Paspoort</td><td>€ 84,25</td></tr></tbody></table>",
        lead_time_nl="<p>5 werkdagen.</p>",
        objection_nl="<p>Binnen 6 weken.</p>",
        no_response_nl="<p>Bel {{ gemeente.telefoon }}.</p>",
        online_application_url="https://afspraak.example/",
        appointment_required=True,
        bookable_online=True,
        digid="midden",
        handling_level="intake",
    )
    passport.themes.set([theme])
    passport.life_events.set([trip])
    passport.save()
    AgentNote.objects.create(kind="intake", title="Vraag eerst", body="<p>Reisdatum?</p>", product=passport)
    vac = make_vac(slug="paspoort-kwijt", question_nl="Paspoort kwijt, wat nu?", answer_nl="<p>Doe aangifte van vermissing.</p>")
    vac.related_products.set([passport])
    vac.themes.set([theme])
    vac.save()
    gemeenten = {}
    for slug, (name, code, colour, accent) in GEMEENTEN.items():
        gemeente = provision_gemeente(
            name=name, slug=slug, cbs_code=code, hostname=f"{slug}.localhost", port=port,
            house_style={"primary_colour": colour, "accent_colour": accent},
            logo=LOGOS / f"{slug}-logo.svg", favicon=LOGOS / f"{slug}-favicon.svg",
            phone="14 0165", email=f"info@{slug}.example", visiting_address="Markt 1",
            publication="direct",  # the overrides below are the world as it is, not changes under review
        )
        location = Location.objects.create(gemeente=gemeente, name=f"Stadskantoor {name}", address="Markt 1")
        for day in range(5):
            OpeningHours.objects.create(location=location, weekday=day, opens=datetime.time(8, 30), closes=datetime.time(17))
        OpeningHoursException.objects.create(location=location, date=datetime.date.today() + datetime.timedelta(days=3), closed=True, reason="Feestdag")
        gemeenten[slug] = gemeente
    curator = regional_curator()
    set_override(passport, gemeenten["roosendaal"], "procedure_nl", "<p>Haal uw paspoort uit de documentenkluis.</p>", curator)
    permit = make_product(slug="parkeervergunning", title_nl="Parkeervergunning aanvragen", summary_nl="Een vergunning om te parkeren.")
    set_override(permit, gemeenten["etten-leur"], "offered", False, curator)
    set_override(permit, gemeenten["etten-leur"], "not_offered_note", "Parkeren is gratis in de blauwe zone.", curator)
    return {"port": port, "gemeenten": gemeenten}


def url(sites, slug, path):
    return f"http://{slug}.localhost:{sites['port']}{path}"


def axe_violations(page):
    page.evaluate(axe_source())
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}));
        }""",
        AXE_TAGS,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_accessibility_violations_on_any_page_type_of_any_gemeente(browser, sites):
    page = browser.new_page(java_script_enabled=True)
    found = []
    for slug in GEMEENTEN:
        for path in PAGE_TYPES:
            response = page.goto(url(sites, slug, path))
            assert response.status == (404 if path == "/bestaat-niet/" else 200), (slug, path, response.status)
            found += [(slug, path, v["impact"], v["id"], v["nodes"]) for v in axe_violations(page)]
    # The page of a product the gemeente does not offer, and the feedback form after "Nee".
    assert page.goto(url(sites, "etten-leur", "/producten/parkeervergunning/")).status == 410
    found += [("etten-leur", "niet aangeboden", v["impact"], v["id"], v["nodes"]) for v in axe_violations(page)]
    page.goto(url(sites, "roosendaal", "/vragen/paspoort-kwijt/"))
    page.get_by_role("button", name="Nee").click()
    page.get_by_label("Wat kunnen wij verbeteren? (niet verplicht)").wait_for()
    found += [("roosendaal", "opmerking", v["impact"], v["id"], v["nodes"]) for v in axe_violations(page)]
    assert found == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_keyboard_and_no_javascript_search_read_and_feedback(browser, sites):
    from feedback.models import Feedback

    # The skip link is the first stop and moves focus to the main content.
    page = browser.new_page()
    page.goto(url(sites, "roosendaal", "/producten/paspoort/"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Naar de inhoud"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "inhoud"

    # Without JavaScript: search, open a result, say it helped.
    context = browser.new_context(java_script_enabled=False, locale="nl-NL")
    citizen = context.new_page()
    citizen.goto(url(sites, "roosendaal", "/"))
    citizen.get_by_label("Waar bent u naar op zoek?").fill("paspoort")
    citizen.get_by_role("button", name="Zoeken").click()
    citizen.wait_for_url("**/zoeken/?q=paspoort")
    assert citizen.locator("mark").count() > 0
    citizen.get_by_role("link", name="Paspoort aanvragen").first.click()
    citizen.wait_for_url("**/producten/paspoort/")
    assert "documentenkluis" in citizen.locator("main").inner_text()
    citizen.get_by_role("button", name="Ja").click()
    citizen.wait_for_url("**/producten/paspoort/#terugkoppeling")
    assert "Bedankt voor uw reactie." in citizen.get_by_role("status").inner_text()
    assert citizen.get_by_role("button", name="Ja").count() == 0
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.origin, feedback.gemeente.slug, feedback.remark) == ("helpful", "site", "roosendaal", "")
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("javascript", [True, False], ids=["met JavaScript", "zonder JavaScript"])
def test_after_nee_the_remark_form_once_then_only_the_thanks(browser, sites, javascript):
    from feedback.models import Feedback

    context = browser.new_context(java_script_enabled=javascript)
    page = context.new_page()
    page.goto(url(sites, "bergen-op-zoom", "/producten/paspoort/"))
    section = page.locator("#terugkoppeling")
    assert section.get_by_role("textbox").count() == 0  # first only the question
    section.get_by_role("button", name="Nee").click()
    page.wait_for_url("**/producten/paspoort/#terugkoppeling")
    assert "Bedankt voor uw reactie." in section.get_by_role("status").inner_text()
    assert section.get_by_role("button", name="Ja").count() == 0 and section.get_by_role("button", name="Nee").count() == 0
    section.get_by_label("Wat kunnen wij verbeteren? (niet verplicht)").fill("Ik mis wat een spoedaanvraag kost.")
    section.get_by_role("button", name="Opmerking versturen").click()
    page.wait_for_url("**/producten/paspoort/#terugkoppeling")
    assert "Wij gebruiken uw reactie" in section.get_by_role("status").inner_text()
    page.reload()
    assert section.locator("form").count() == 0 and section.get_by_role("button").count() == 0
    feedback = Feedback.objects.get()
    assert (feedback.kind, feedback.gemeente.slug, feedback.remark) == ("not_helpful", "bergen-op-zoom", "Ik mis wat een spoedaanvraag kost.")
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_logo_favicon_and_task_buttons_as_a_person_sees_them(browser, sites):
    page = browser.new_page()
    for slug, (name, *_) in GEMEENTEN.items():
        page.goto(url(sites, slug, "/producten/paspoort/"))
        logo = page.get_by_role("banner").get_by_role("img", name=f"Gemeente {name}")
        assert logo.is_visible()
        assert page.evaluate("img => img.complete && img.naturalWidth > 0", logo.element_handle())  # it loaded
        icon = page.locator('link[rel="icon"]').get_attribute("href")
        tab = browser.new_page()
        served = tab.goto(url(sites, slug, "/favicon.ico"))  # where browsers look without a link
        assert served.url == url(sites, slug, icon) and served.headers["content-type"] == "image/svg+xml"
        tab.close()

    page.goto(url(sites, "etten-leur", "/producten/paspoort/"))
    direct = page.get_by_role("region", name="Direct regelen")
    online = direct.get_by_role("link", name="Online aanvragen met DigiD")
    assert online.is_visible() and online.get_attribute("href") == "https://afspraak.example/"
    assert direct.get_by_text("U logt in met DigiD midden.").is_visible()
    direct.get_by_role("link", name="Afspraak maken").click()
    page.wait_for_url("**/contact/#afspraak")
    assert page.get_by_role("heading", name="Afspraak maken").is_visible()
    assert page.get_by_role("link", name="Paspoort aanvragen").is_visible()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_product_the_gemeente_does_not_offer_says_so_and_where_to_turn(browser, sites):
    page = browser.new_page()
    response = page.goto(url(sites, "etten-leur", "/producten/parkeervergunning/"))
    assert response.status == 410
    assert page.get_by_role("heading", level=1).inner_text() == "Parkeervergunning aanvragen"
    assert page.get_by_text("Dit product biedt de gemeente Etten-Leur niet aan.").is_visible()
    assert page.get_by_text("Parkeren is gratis in de blauwe zone.").is_visible()
    page.get_by_role("link", name="contact op met de gemeente Etten-Leur").click()
    page.wait_for_url("**/contact/")
    assert page.get_by_role("heading", level=1).inner_text() == "Contact met gemeente Etten-Leur"
    assert page.goto(url(sites, "roosendaal", "/producten/parkeervergunning/")).status == 200
