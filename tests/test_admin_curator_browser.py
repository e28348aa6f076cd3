"""Issue 10.13–10.17 as curators see them in Chromium (with an English
browser, to hold the admin to Dutch): the dashboard's work queue and
search, a shared entry read only with the way to the local view, feedback
handled without touching what the reader wrote, a query hidden from the
search report."""

import pytest
from django.urls import reverse

from feedback.models import Feedback
from pdc.models import ProductOverride
from zoeken.models import HiddenQuery, SearchQuery

from .factories import make_gemeente, make_product, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def region(live_server):
    roosendaal, etten = make_gemeente("Roosendaal", slug="roosendaal"), make_gemeente("Etten-Leur", slug="etten-leur")
    paspoort = make_product(slug="paspoort", title_nl="Paspoort aanvragen", title_en="Passport")
    ProductOverride.objects.create(
        entry=paspoort, gemeente=roosendaal, field_name="procedure_nl", value="<p>Lokaal</p>", base_value="<p>Oud</p>", base_changed=True
    )
    feedback = Feedback.objects.create(gemeente=roosendaal, entry=paspoort, kind="wrong", origin="widget", remark="Het tarief klopt niet")
    for _ in range(3):
        SearchQuery.objects.create(gemeente=roosendaal, origin="site", query="klompendans", normalised="klompendans", result_count=0, backend="database")
    return live_server.url, roosendaal, paspoort, feedback


def sign_in(browser, base_url, user, next_url):
    context = browser.new_context(locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{base_url}/admin/login/?next={next_url}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/admin/login/" not in url)
    return page


def test_regional_curator_works_from_the_dashboard(browser, region):  # noqa: F811
    base_url, _, _, _ = region
    page = sign_in(browser, base_url, regional_curator(), reverse("wagtailadmin_home"))
    queue = page.locator("#werkvoorraad-section table")
    assert queue.locator("tr", has_text="Roosendaal").inner_text().split()[1:] == ["1", "1", "0"]
    page.fill("#dashboard-search", "paspoort")
    page.press("#dashboard-search", "Enter")
    page.wait_for_url(f"{base_url}{reverse('redactie_search')}?q=paspoort")
    assert "Paspoort aanvragen" in page.locator("main").inner_text()
    assert "Sorry" not in page.content() and "Passport" not in page.locator("main").inner_text()


def test_municipal_curator_reads_the_shared_entry_handles_feedback_and_hides_a_query(browser, region):  # noqa: F811
    base_url, roosendaal, paspoort, feedback = region
    curator = municipal_curator(roosendaal)
    page = sign_in(browser, base_url, curator, reverse("wagtailsnippets_pdc_product:edit", args=[paspoort.pk]))
    assert page.url.endswith(reverse("wagtailsnippets_pdc_product:inspect", args=[paspoort.pk]))
    assert "alleen de regionale kennisregisseur" in page.locator("main").inner_text()
    page.click("text=Lokale versie Roosendaal bekijken en aanpassen")
    page.wait_for_url(f"{base_url}{reverse('sharing:entry_editor', args=['product', paspoort.pk, 'roosendaal'])}")

    page.goto(f"{base_url}{reverse('wagtailsnippets_feedback_feedback:list')}")
    row = page.locator("tbody tr", has_text="Het tarief klopt niet")
    listed_time = row.locator("td").nth(-2).inner_text().strip()
    row.locator("a", has_text="Paspoort aanvragen").first.click()
    assert listed_time in page.locator("main").inner_text(), "the list and the form show the same time"
    page.select_option("select[name=status]", "fixed")
    page.fill("textarea[name=note]", "Tarief lokaal aangepast")
    page.click("button[type=submit]:has-text('Opslaan')")
    page.wait_for_url(f"{base_url}{reverse('wagtailsnippets_feedback_feedback:list')}*")
    feedback.refresh_from_db()
    assert (feedback.status, feedback.note, feedback.remark) == ("fixed", "Tarief lokaal aangepast", "Het tarief klopt niet")

    page.goto(f"{base_url}{reverse('zoeken_report')}")
    page.locator("tr", has_text="klompendans").first.locator("button", has_text="Verbergen").click()
    page.wait_for_load_state()
    assert HiddenQuery.objects.filter(gemeente=roosendaal, normalised="klompendans").exists()
    assert "Verborgen zoekvragen" in page.locator("main").inner_text()
    assert page.locator("table").first.locator("tr", has_text="klompendans").count() == 0
