"""Issue 10.16 (admin-wide): the admin reads as one Dutch product. Field
labels carry no "[nl]", no English model labels ("Updated at", "User"),
yes/no instead of True/False, no "None", money as "€ 329,76"."""

import re

import pytest
from django.urls import reverse

from feedback.models import Feedback
from pdc.models import UPLName
from sharing.models import Variable, VariableValue

from .admin_pages import main_element, visible_text
from .factories import make_gemeente, make_product, make_vac, regional_curator

pytestmark = pytest.mark.django_db
ENGLISH = re.compile(
    r"\[nl\]|\[en\]|\bUpdated at\b|\bCreated at\b|\bUser\b|\bScope\b|\bTrue\b|\bFalse\b|\bNone\b"
    r"|\bEditing\b|\bSearch term\b|\bFilter by\b|\bInspect\b|\bPassport\b"  # Wagtail in English, English titles
)


@pytest.fixture
def content():
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal")
    product = make_product(slug="paspoort", title_nl="Paspoort aanvragen", title_en="Passport")
    vac = make_vac(slug="pasfoto")
    upl = UPLName.objects.create(name="paspoort", uri="http://standaarden.overheid.nl/owms/terms/paspoort", gemeente=True, burger=True)
    variable = Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")
    value = VariableValue.objects.create(variable=variable, gemeente=roosendaal, value="1329.76")
    feedback = Feedback.objects.create(gemeente=roosendaal, entry=product, kind="not_helpful", origin="site", remark="Onduidelijk")
    return product, vac, upl, value, feedback


def admin_pages(product, vac, upl, value, feedback):
    return [
        reverse("wagtailsnippets_pdc_product:list"),
        reverse("wagtailsnippets_pdc_product:edit", args=[product.pk]),
        reverse("wagtailsnippets_pdc_product:inspect", args=[product.pk]),
        reverse("wagtailsnippets_kennis_vac:list"),
        reverse("wagtailsnippets_kennis_vac:edit", args=[vac.pk]),
        reverse("wagtailsnippets_kennis_vac:inspect", args=[vac.pk]),
        reverse("wagtailsnippets_kennis_agentnote:list"),
        reverse("wagtailsnippets_pdc_uplname:list"),
        reverse("wagtailsnippets_pdc_uplname:inspect", args=[upl.pk]),
        reverse("wagtailsnippets_sharing_variablevalue:list"),
        reverse("wagtailsnippets_sharing_variablevalue:edit", args=[value.pk]),
        reverse("wagtailsnippets_zoeken_synonym:list"),
        reverse("wagtailsnippets_zoeken_promotion:list"),
        reverse("wagtailsnippets_feedback_feedback:list"),
        reverse("wagtailsnippets_feedback_feedback:edit", args=[feedback.pk]),
        reverse("wagtailsnippets_feedback_feedback:inspect", args=[feedback.pk]),
    ]


@pytest.mark.parametrize("browser_language", ["nl", "en-GB,en;q=0.9"])
def test_admin_pages_carry_no_english_labels_or_raw_values(client, content, browser_language):
    client.force_login(regional_curator())
    for url in admin_pages(*content):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE=browser_language)
        assert response.status_code == 200, url
        found = set(ENGLISH.findall(visible_text(response)))
        assert not found, f"{url}: {found}"


def test_translated_fields_are_labelled_in_dutch(client, content):
    product = content[0]
    client.force_login(regional_curator())
    form = main_element(client.get(reverse("wagtailsnippets_pdc_product:edit", args=[product.pk])))
    labels = {re.sub(r"\s+|\*", " ", label.text_content()).strip() for label in form.iter("label")}
    assert {"Titel", "Titel (Engels)", "Kosten", "Kosten (Engels)"} <= labels


def test_money_is_shown_in_euros(client, content):
    value = content[3]
    client.force_login(regional_curator())
    listing = visible_text(client.get(reverse("wagtailsnippets_sharing_variablevalue:list")))
    assert "€ 1.329,76" in listing and "1329.76" not in listing
    assert str(value) == "leges.paspoort = € 1.329,76 (Roosendaal)"


def test_inspect_views_say_yes_and_no(client, content):
    feedback = content[4]
    client.force_login(regional_curator())
    page = main_element(client.get(reverse("wagtailsnippets_feedback_feedback:inspect", args=[feedback.pk])))
    values = dict(zip([dt.text_content().strip() for dt in page.iter("dt")], [dd.text_content().strip() for dd in page.iter("dd")]))
    assert values["Status"] == "nieuw"  # a choice, shown with its Dutch label
    assert values["Eigenaar"] == "—"
    assert values["Onderwerp"] == "Paspoort aanvragen"
    assert values["Zoekvraag"] == "—"
    missing = Feedback.objects.create(gemeente=feedback.gemeente, kind="missing", origin="widget", query="hondenpoep")
    page = main_element(client.get(reverse("wagtailsnippets_feedback_feedback:inspect", args=[missing.pk])))
    values = dict(zip([dt.text_content().strip() for dt in page.iter("dt")], [dd.text_content().strip() for dd in page.iter("dd")]))
    assert values["Onderwerp"] == "—"
    assert "Gemeld door" in values and "Ontvangen op" in values


def test_an_english_browser_gets_the_dutch_admin_and_dutch_titles(client, content):
    """English is a content language (SDG), not an admin language: the
    page title stayed "Editing: Passport" for an English browser."""
    product = content[0]
    client.force_login(regional_curator())
    response = client.get(reverse("wagtailsnippets_pdc_product:edit", args=[product.pk]), HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    title = main_element(response).getroottree().findtext(".//title").strip()
    assert title.startswith("Wijzigen: Paspoort aanvragen")
    assert "Gebruikt door" in visible_text(response) and "Used" not in visible_text(response)


def test_money_typed_the_dutch_way_is_stored_as_an_amount(client, content):
    variable = content[3].variable
    etten = make_gemeente("Etten-Leur", slug="etten-leur")
    client.force_login(regional_curator())
    url = reverse("wagtailsnippets_sharing_variablevalue:add")
    refused = client.post(url, {"variable": variable.pk, "gemeente": etten.pk, "value": "ongeveer 80 euro"})
    assert refused.status_code == 200 and "Geen bedrag" in visible_text(refused)
    assert client.post(url, {"variable": variable.pk, "gemeente": etten.pk, "value": "€ 1.085,50"}).status_code == 302
    assert VariableValue.objects.get(gemeente=etten).value == "1085.50"
    assert "€ 1.085,50" in visible_text(client.get(reverse("wagtailsnippets_sharing_variablevalue:list")))
