"""Lokaal beheer reads as Dutch and asks before it throws a local text away
(issue 10.16, the sharing views): "Terug naar gedeelde tekst" has a
confirmation step that works without JavaScript, flagged overrides are
listed by the field's Dutch label and with Dutch dates."""


import pytest
from django.urls import reverse
from django.utils import timezone

from sharing.overrides import set_override

from .factories import make_gemeente, make_product, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db

MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"]


@pytest.fixture
def flagged():
    """Roosendaal changed the Dutch and the English procedure; the region then
    published a new shared procedure in both languages."""
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal")
    product = make_product(slug="paspoort", procedure_nl="<p>Maak een afspraak.</p>", procedure_en="<p>Make an appointment.</p>")
    curator = municipal_curator(roosendaal)
    set_override(product, roosendaal, "procedure_nl", "<p>Kom zonder afspraak.</p>", curator)
    set_override(product, roosendaal, "procedure_en", "<p>Walk in without an appointment.</p>", curator)
    product.procedure_nl, product.procedure_en = "<p>Maak online een afspraak.</p>", "<p>Book online.</p>"
    product.save()
    return roosendaal, product, curator


def dutch_date(moment):
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS[local.month - 1]} {local.year}"


def editor_url(product, gemeente):
    return reverse("sharing:entry_editor", args=["product", product.pk, gemeente.slug])


def revert_url(product, gemeente, column="procedure_nl"):
    return reverse("sharing:revert", args=["product", product.pk, gemeente.slug, column])


@pytest.mark.parametrize("browser_language", ["nl", "en"])
def test_flagged_list_shows_dutch_field_labels_and_dutch_dates(client, flagged, browser_language):
    roosendaal, product, curator = flagged
    client.force_login(curator)
    html = client.get(reverse("sharing:overview"), HTTP_ACCEPT_LANGUAGE=browser_language).content.decode()
    section = html[html.index("Gedeelde tekst gewijzigd") : html.index("Variabelen zonder waarde")]
    assert "<td>Aanvragen</td>" in section and "<td>Aanvragen (Engels)</td>" in section
    assert ">procedure_" not in section and "[nl]" not in section  # no raw column names
    assert dutch_date(product.overrides.get(field_name="procedure_nl").updated_at) in section


def test_entry_editor_offers_revert_only_as_a_link_to_a_confirmation(client, flagged):
    roosendaal, product, curator = flagged
    client.force_login(curator)
    html = client.get(editor_url(product, roosendaal)).content.decode()
    assert f'href="{revert_url(product, roosendaal)}"' in html
    assert 'value="revert"' not in html  # no button that reverts at once


def test_revert_asks_first_and_reverts_only_on_confirmation(client, flagged):
    roosendaal, product, curator = flagged
    client.force_login(curator)

    page = client.get(revert_url(product, roosendaal))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Kom zonder afspraak." in html and "Maak online een afspraak." in html  # what goes, what comes
    assert "Ja, terug naar de gedeelde tekst" in html and 'method="post"' in html
    assert product.overrides.filter(gemeente=roosendaal, field_name="procedure_nl").exists()

    response = client.post(revert_url(product, roosendaal))
    assert response.status_code == 302 and response.url == editor_url(product, roosendaal)
    assert not product.overrides.filter(gemeente=roosendaal, field_name="procedure_nl").exists()
    assert product.overrides.filter(gemeente=roosendaal, field_name="procedure_en").exists()


def test_revert_of_another_gemeente_is_refused(client, flagged):
    roosendaal, product, _ = flagged
    client.force_login(municipal_curator(make_gemeente("Etten-Leur")))
    assert client.get(revert_url(product, roosendaal)).status_code in (302, 403)
    response = client.post(revert_url(product, roosendaal))
    assert response.status_code in (302, 403) and "/lokaal/" not in response.get("Location", "")
    assert product.overrides.filter(gemeente=roosendaal, field_name="procedure_nl").exists()


def test_keep_still_works_in_one_step(client, flagged):
    roosendaal, product, curator = flagged
    client.force_login(curator)
    url = reverse("sharing:field_action", args=["product", product.pk, roosendaal.slug, "procedure_nl"])
    assert client.post(url, {"action": "keep"}).status_code == 302
    override = product.overrides.get(gemeente=roosendaal, field_name="procedure_nl")
    assert not override.base_changed and override.base_value == "<p>Maak online een afspraak.</p>"
    assert client.post(url, {"action": "revert"}).status_code == 404  # reverting goes through the confirmation


# --- in the browser, without JavaScript ---------------------------------------



@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_curator_reviews_a_flagged_text_and_reverts_after_confirming_without_javascript(browser, live_server, flagged):
    roosendaal, product, curator = flagged
    context = browser.new_context(java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/admin/login/?next={reverse('sharing:overview')}")
    page.fill("#id_username", curator.username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")

    flagged_rows = page.locator("table.listing").nth(0).locator("tbody tr")
    assert flagged_rows.count() == 2
    assert "Aanvragen" in flagged_rows.nth(0).inner_text() + flagged_rows.nth(1).inner_text()
    assert dutch_date(product.overrides.get(field_name="procedure_nl").updated_at) in flagged_rows.nth(0).inner_text()

    page.click("text=Paspoort aanvragen >> nth=0")
    row = page.locator("#veld-procedure_nl")
    assert row.locator(".base-diff ins").all_inner_texts() == ["online"]
    row.locator("text=Terug naar gedeelde tekst").click()

    assert "Kom zonder afspraak." in page.content()  # the text that would go
    assert product.overrides.filter(field_name="procedure_nl").exists()  # nothing happened yet
    page.click("text=Ja, terug naar de gedeelde tekst")

    page.locator("#veld-procedure_nl").wait_for()
    assert "erft de gedeelde tekst" in page.locator("#veld-procedure_nl").inner_text()
    assert not product.overrides.filter(field_name="procedure_nl").exists()
    context.close()
