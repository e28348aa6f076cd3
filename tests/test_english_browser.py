"""The English pages in a real browser (Debian's Chromium via Playwright):
an English visitor switches from the Dutch product page to the English one
and reads it with the gemeente's own fee (its local English text); a field
without English says so; axe-core finds no serious or critical violations
on the English pages and on a Dutch page with the language switch."""

import pytest

from tests.test_website_accessibility import GEMEENTEN, axe_violations, sites, url  # noqa: F401, F811 (sites: a fixture)

ENGLISH_PAGES = [
    "/en/",
    "/en/producten/paspoort/",
    "/en/vragen/paspoort-kwijt/",
    "/producten/paspoort/",
    # The English lists (search, A–Z, themes; a theme name only in Dutch) and their audience filter.
    "/en/search/?q=passport",
    "/en/search/?q=passport&doelgroep=burger",
    "/en/a-z/",
    "/en/themes/",
    "/en/themes/burgerzaken/",
    "/en/themes/burgerzaken/?doelgroep=ondernemer",
]


@pytest.fixture
def english(sites):
    """The accessibility fixture's sites, with English text on the passport
    and the VAC, and Roosendaal's own English fee."""
    from kennis.models import VAC
    from pdc.models import Product
    from sharing.overrides import set_override
    from tests.factories import regional_curator

    passport = Product.objects.get(slug="paspoort")
    passport.title_en, passport.summary_en = "Applying for a passport", "You apply for a passport at the municipality."
    passport.description_en = "<p>With a passport you can travel.</p>"
    passport.procedure_en = "<ol><li>Make an appointment.</li><li>Bring a passport photo.</li></ol>"
    passport.costs_en = "<p>The fee is € 84.25.</p>"
    passport.save()
    vac = VAC.objects.get(slug="paspoort-kwijt")
    vac.question_en = "Lost your passport?"
    vac.save()
    set_override(passport, sites["gemeenten"]["roosendaal"], "costs_en", "<p>In Roosendaal the fee is € 79.50.</p>", regional_curator())
    return sites


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_english_visitor_reads_the_product_in_english_with_the_municipal_fee(browser, english):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.goto(url(english, "roosendaal", "/producten/paspoort/"))
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/producten/paspoort/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", level=1).inner_text() == "Applying for a passport"
    costs = page.get_by_role("region", name="Costs")
    assert "In Roosendaal the fee is € 79.50." in costs.inner_text()
    # A section without English: marked, and in Dutch for screen readers.
    objection = page.get_by_role("region", name="Objection and appeal")
    assert "Only available in Dutch" in objection.inner_text()
    assert objection.locator('[lang="nl"]').inner_text() == "Binnen 6 weken."
    assert page.get_by_role("link", name="Apply online with DigiD").is_visible()
    # Etten-Leur has no English fee of its own: the shared English text.
    page.goto(url(english, "etten-leur", "/en/producten/paspoort/"))
    assert "The fee is € 84.25." in page.get_by_role("region", name="Costs").inner_text()
    # And back to Dutch.
    page.get_by_role("link", name="Nederlands").click()
    page.wait_for_url(url(english, "etten-leur", "/producten/paspoort/"))
    assert page.locator("html").get_attribute("lang") == "nl"
    context.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_serious_accessibility_violations_on_the_english_pages(browser, english):
    page = browser.new_page(java_script_enabled=True)
    found = []
    for slug in GEMEENTEN:
        for path in ENGLISH_PAGES:
            response = page.goto(url(english, slug, path))
            assert response.status == 200, (slug, path, response.status)
            found += [(slug, path, v["impact"], v["id"], v["nodes"]) for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert found == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_english_visitor_finds_the_passport_through_the_english_lists(browser, english):
    page = browser.new_page(java_script_enabled=False)
    page.goto(url(english, "roosendaal", "/en/"))
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Topics").click()
    page.get_by_role("link", name="Burgerzaken").click()  # no English name: the Dutch one
    assert page.get_by_role("heading", level=1).get_attribute("lang") == "nl"
    page.get_by_role("link", name="Applying for a passport").click()
    page.wait_for_url("**/en/producten/paspoort/")
    page.get_by_role("search", name="Search this website").get_by_label("Search term").fill("passport")
    page.get_by_role("search", name="Search this website").get_by_role("button", name="Search").click()
    page.wait_for_url("**/en/search/?q=passport")
    results = page.locator(".result-list")
    assert results.get_by_role("link", name="Applying for a passport").is_visible()
    assert page.locator("html").get_attribute("lang") == "en"
