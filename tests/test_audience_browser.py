"""Audience variants in a real browser (Debian's Chromium via Playwright): a
business owner switches to "Ondernemer" on the passport product, which has
a business variant, and reads the business text, also without JavaScript;
axe-core finds no serious or critical violations on the page with the
switch, for either audience; an agent switches an answer in the widget."""

import pytest

from tests.test_website_accessibility import axe_violations, sites, url  # noqa: F401 (sites: a fixture)
from tests.test_widget import signed_in_page
from tests.test_widget import world as widget_world  # noqa: F401 (a fixture)

BUSINESS = "Reist u veel voor uw bedrijf? Vraag een tweede paspoort aan."
BUSINESS_CONDITIONS = "Een tweede paspoort is 2 jaar geldig."
ROOSENDAAL_BUSINESS = "Ondernemers in Roosendaal halen hun tweede paspoort op bij het Ondernemersloket."


@pytest.fixture
def business(sites):
    """The accessibility fixture's passport with a business variant of its
    summary and conditions, and Roosendaal's own business summary."""
    from pdc.models import Product
    from sharing.overrides import set_override
    from tests.factories import regional_curator

    passport = Product.objects.get(slug="paspoort")
    passport.for_ondernemer = True
    passport.audience_variants = {"ondernemer": {"summary_nl": BUSINESS, "conditions_nl": f"<ul><li>{BUSINESS_CONDITIONS}</li></ul>"}}
    passport.save()
    set_override(passport, sites["gemeenten"]["roosendaal"], "summary_nl@ondernemer", ROOSENDAAL_BUSINESS, regional_curator())
    return sites


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("javascript", [True, False])
def test_a_business_owner_switches_to_ondernemer_and_reads_the_business_text(browser, business, javascript):
    page = browser.new_page(java_script_enabled=javascript)
    page.goto(url(business, "bergen-op-zoom", "/producten/paspoort/"))
    switch = page.get_by_role("navigation", name="Deze informatie is voor")
    assert switch.get_by_role("link", name="Particulier").get_attribute("aria-current") == "page"
    assert "Een paspoort vraagt u aan bij de gemeente." in page.locator(".intro").inner_text()
    assert BUSINESS_CONDITIONS not in page.content()

    switch.get_by_role("link", name="Ondernemer").click()
    page.wait_for_url("**/producten/paspoort/?doelgroep=ondernemer")
    switch = page.get_by_role("navigation", name="Deze informatie is voor")
    assert switch.get_by_role("link", name="Ondernemer").get_attribute("aria-current") == "page"
    assert switch.get_by_role("link", name="Particulier").get_attribute("aria-current") is None
    assert page.locator(".intro").inner_text() == BUSINESS
    assert BUSINESS_CONDITIONS in page.locator("section[aria-labelledby='voorwaarden']").inner_text()
    assert "Met een paspoort kunt u reizen." in page.content()  # no variant: the general text

    page.goto(url(business, "roosendaal", "/producten/paspoort/?doelgroep=ondernemer"))
    assert page.locator(".intro").inner_text() == ROOSENDAAL_BUSINESS  # the gemeente's own variant wins


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_business_owner_filters_a_theme_on_ondernemer_without_javascript(browser, business):
    page = browser.new_page(java_script_enabled=False)
    page.goto(url(business, "roosendaal", "/themas/burgerzaken/"))
    assert page.get_by_role("link", name="Paspoort kwijt, wat nu?").is_visible()  # a question for citizens
    filter_ = page.get_by_role("navigation", name="Laat zien voor")
    assert filter_.get_by_role("link", name="Iedereen").get_attribute("aria-current") == "page"
    filter_.get_by_role("link", name="Ondernemer").click()
    page.wait_for_url("**/themas/burgerzaken/?doelgroep=ondernemer")
    assert page.get_by_role("navigation", name="Laat zien voor").get_by_role("link", name="Ondernemer").get_attribute("aria-current") == "page"
    assert page.get_by_role("link", name="Paspoort aanvragen").is_visible()  # it has business text
    assert page.get_by_role("link", name="Paspoort kwijt, wat nu?").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_serious_accessibility_violations_on_the_audience_switch(browser, business):
    page = browser.new_page(java_script_enabled=True)
    found = []
    for path in (
        "/producten/paspoort/",
        "/producten/paspoort/?doelgroep=ondernemer",
        "/zoeken/?q=paspoort",
        "/zoeken/?q=paspoort&doelgroep=ondernemer",
        "/themas/burgerzaken/",
        "/themas/burgerzaken/?doelgroep=ondernemer",
        "/a-z/p/?doelgroep=ondernemer",
    ):
        page.goto(url(business, "roosendaal", path))
        assert page.locator(".audience-switch, .audience-filter").count() == 1, path
        found += [(path, v["impact"], v["id"], v["nodes"]) for v in axe_violations(page) if v["impact"] in ("serious", "critical")]
    assert not found, found  # axe with the WCAG 2.1 A/AA rules of every page type


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_switches_the_answer_to_the_business_text_in_the_widget(browser, widget_world):
    from pdc.models import Product

    passport = Product.objects.get(slug="paspoort")
    passport.audience_variants = {"ondernemer": {"summary_nl": BUSINESS, "spoken_answer": "Zeg: een tweede paspoort voor zakenreizen."}}
    passport.save()
    page = signed_in_page(browser, widget_world)
    widget = page.locator("kennis-widget")
    widget.locator("#gemeente").select_option("roosendaal")
    widget.locator("#q").fill("paspoort")
    widget.locator("[role=option]", has_text="Paspoort aanvragen").click()
    entry = widget.locator("#entry")
    switch = entry.get_by_role("group", name="Tekst voor doelgroep")
    switch.wait_for()
    assert switch.get_by_role("button", name="Iedereen").get_attribute("aria-pressed") == "true"
    assert BUSINESS not in entry.inner_text()

    switch.get_by_role("button", name="Ondernemer").click()
    entry.get_by_text(BUSINESS).wait_for()
    assert entry.locator(".spoken p").inner_text() == "Zeg: een tweede paspoort voor zakenreizen."
    assert entry.get_by_role("group", name="Tekst voor doelgroep").get_by_role("button", name="Ondernemer").get_attribute("aria-pressed") == "true"
    page.context.close()
