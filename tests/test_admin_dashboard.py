"""Issue 10.13: the dashboard is a curator's work queue (local texts whose
shared text changed, open feedback, variables without a value), scoped to
the curator's gemeenten, and its search finds products and VACs for
curators, who have no access to Wagtail's page search."""

import json
import re

import pytest
from django.urls import reverse

from feedback.models import Feedback
from gemeenten.models import Role
from pdc.models import ProductOverride
from sharing.models import Variable, VariableValue

from .admin_pages import links, main_element, visible_text
from .factories import make_gemeente, make_product, make_user, make_vac, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    roosendaal, etten = make_gemeente("Roosendaal", slug="roosendaal"), make_gemeente("Etten-Leur", slug="etten-leur")
    Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort", fallback="zie website")
    paspoort = make_product(slug="paspoort", title_nl="Paspoort aanvragen", costs_nl="<p>Het kost {{ leges.paspoort }}.</p>")
    VariableValue.objects.create(variable=Variable.objects.get(), gemeente=roosendaal, value="84.25")
    ProductOverride.objects.create(
        entry=paspoort, gemeente=roosendaal, field_name="procedure_nl", value="<p>Lokaal</p>", base_value="<p>Oud</p>", base_changed=True
    )
    ProductOverride.objects.create(
        entry=paspoort, gemeente=etten, field_name="summary_nl", value="Etten", base_value="Oud", base_changed=True
    )
    vac = make_vac(slug="pasfoto", question_nl="Welke pasfoto?")
    Feedback.objects.create(gemeente=roosendaal, entry=paspoort, kind="wrong", origin="widget", remark="Tarief klopt niet")
    Feedback.objects.create(gemeente=roosendaal, entry=paspoort, kind="helpful", origin="site")  # no work
    Feedback.objects.create(gemeente=roosendaal, entry=vac, kind="not_helpful", origin="site", remark="Al gedaan", status="fixed")
    Feedback.objects.create(gemeente=etten, entry=vac, kind="not_helpful", origin="site", remark="Geheim van Etten-Leur")
    return roosendaal, etten, paspoort


def queue_rows(response):
    table = main_element(response).get_element_by_id("werkvoorraad-section").find(".//table")
    return {
        row.find("th").text_content().strip(): [cell.text_content().strip() for cell in row.findall("td")]
        for row in table.find("tbody").findall("tr")
    }


def test_regional_curator_sees_every_gemeentes_work_queue_with_working_links(client, region):
    roosendaal, etten, paspoort = region
    client.force_login(regional_curator())
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    # changed shared text, open feedback (not "nuttig", not handled), variables without a value
    assert queue_rows(response) == {"Etten-Leur": ["1", "1", "1"], "Roosendaal": ["1", "1", "0"]}
    text = visible_text(response)
    assert "Gedeelde tekst gewijzigd" in text and "Aanvragen" in text, "the field by its Dutch label"
    assert "leges.paspoort" in text and "Waarde invullen" in text
    hrefs = {href for _, href in links(response)}
    assert reverse("sharing:entry_editor", args=["product", paspoort.pk, "roosendaal"]) in hrefs
    assert f"{reverse('wagtailsnippets_feedback_feedback:list')}?status=open&gemeente={roosendaal.pk}" in hrefs
    for href in {href for href in hrefs if href and href.startswith("/admin/") and "#" not in href}:
        assert client.get(href).status_code == 200, href


def test_missing_value_link_opens_the_add_form_filled_in(client, region):
    _, etten, _ = region
    client.force_login(municipal_curator(etten))
    response = client.get(reverse("wagtailadmin_home"))
    add_url = next(href for label, href in links(response) if label == "Waarde invullen")
    form = main_element(client.get(add_url))
    chosen = {field.get("name"): field.get("value") for field in form.xpath(".//input[@name='variable' or @name='gemeente']")}
    assert chosen == {"variable": str(Variable.objects.get().pk), "gemeente": str(etten.pk)}


def test_municipal_curator_sees_only_their_own_gemeentes_work(client, region):
    roosendaal, _, _ = region
    client.force_login(municipal_curator(roosendaal))
    response = client.get(reverse("wagtailadmin_home"))
    assert queue_rows(response) == {"Roosendaal": ["1", "1", "0"]}
    text = visible_text(response)
    assert "Tarief klopt niet" in text
    assert "Geheim van Etten-Leur" not in text
    assert "Etten-Leur" not in text


def test_agent_gets_no_work_queue(client, region):
    roosendaal, _, _ = region
    client.force_login(make_user(Role.AGENT, roosendaal))
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    assert "Werkvoorraad" not in visible_text(response)


def test_dashboard_search_finds_products_and_vacs_for_the_regional_curator(client, region):
    client.force_login(regional_curator())
    home = main_element(client.get(reverse("wagtailadmin_home")))
    form = home.find(".//form[@role='search']")
    assert form.get("action") == reverse("redactie_search")
    response = client.get(form.get("action"), {"q": "paspoort"})
    assert response.status_code == 200, "was: 'Sorry, je hebt geen toegang tot dit gedeelte.'"
    text = visible_text(response)
    assert "Paspoort aanvragen" in text
    assert "Sorry" not in text
    assert response.context["sections"][0]["results"][0]["entry"].slug == "paspoort"
    assert client.get(reverse("redactie_search"), {"q": "pasfoto"}).context["sections"][1]["results"][0]["entry"].slug == "pasfoto"


def test_sidebar_search_goes_to_products_and_vacs(client, region):
    client.force_login(regional_curator())
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    props = json.loads(re.search(r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', page, re.S).group(1))
    search_modules = [m for m in props["modules"] if m["_type"] == "wagtail.sidebar.SearchModule"]
    assert search_modules and search_modules[0]["_args"] == [reverse("redactie_search")]


def test_search_of_a_municipal_curator_skips_other_gemeentes_local_entries(client, region):
    roosendaal, etten, paspoort = region
    make_product(slug="etten-paspoortkluis", title_nl="Paspoortkluis Etten-Leur", gemeente=etten)
    client.force_login(municipal_curator(roosendaal))
    response = client.get(reverse("redactie_search"), {"q": "paspoort"})
    text = visible_text(response)
    assert "Paspoort aanvragen" in text
    assert "Paspoortkluis Etten-Leur" not in text
    local = reverse("sharing:entry_editor", args=["product", paspoort.pk, "roosendaal"])
    assert local in [href for _, href in links(response)]
    assert reverse("sharing:entry_editor", args=["product", paspoort.pk, "etten-leur"]) not in [href for _, href in links(response)]
