"""What a citizen can do on a gemeente's site and what it tells them when it
cannot: the buttons of "Direct regelen" (online application with its DigiD
level, making an appointment) per gemeente, the top tasks each gemeente
chooses for its home page, the contact page, the page of a product the
gemeente does not offer (410 with what to do instead), and the logo and
favicon of its house style."""

import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.urls import reverse
from wagtail.models import GroupPagePermission

from pdc.models import Product
from sharing.models import Variable, VariableValue
from sharing.overrides import set_override
from tests.admin_forms import button_value, form_data

from .factories import make_user, municipal_curator, regional_curator
from .test_website import HOSTS, html_of

pytestmark = pytest.mark.django_db
LOCAL_JSON = Path(__file__).resolve().parent.parent / "fixtures" / "content" / "local.json"


@pytest.fixture
def site(full_demo, db):
    def get(slug, path, **extra):
        return Client().get(path, HTTP_HOST=HOSTS[slug], **extra)

    return get


def direct_box(html):
    """The "Direct regelen" box of a product page ('' when there is none)."""
    found = re.search(r'<section class="direct".*?</section>', html, re.S)
    return found.group(0) if found else ""


def buttons(html):
    """(text, address) of each task button."""
    return [(re.sub(r"<span.*?</span>", "", text), href) for href, text in re.findall(r'<a class="button" href="([^"]+)">(.*?)</a>', direct_box(html))]


def tiles(html):
    block = html.split('class="tiles"', 1)[1].split("</ul>", 1)[0] if 'class="tiles"' in html else ""
    return re.findall(r'<li><a href="([^"]+)">', block)


# Direct regelen ---------------------------------------------------------------


@pytest.mark.parametrize("slug", HOSTS)
def test_passport_offers_an_appointment_button_to_the_gemeentes_own_contact_page(site, slug):
    # The shared passport links {{ url.afspraak }}: in the demo each gemeente's own contact page.
    html = html_of(site(slug, "/producten/paspoort/"))
    assert buttons(html) == [("Afspraak maken", f"http://{HOSTS[slug]}/contact/#afspraak")]
    assert "Hiervoor maakt u eerst een afspraak." in direct_box(html)
    assert "Dat kan ook online" not in html
    contact = html_of(site(slug, "/contact/"))
    assert 'id="afspraak"' in contact and "Afspraak maken" in contact
    assert 'href="/producten/paspoort/"' in contact  # among what needs an appointment


def test_online_application_button_says_it_needs_digid_and_which_level(site):
    html = html_of(site("etten-leur", "/producten/verhuizing/"))
    assert buttons(html)[0] == ("Online aanvragen met DigiD", "https://eloket.kcc-westbrabant.example/verhuizing")
    assert "U logt in met DigiD midden." in direct_box(html)
    terrace = html_of(site("etten-leur", "/producten/terrasvergunning/"))  # an online form without DigiD
    assert buttons(terrace) == [("Online aanvragen", "https://eloket.kcc-westbrabant.example/terras")]


def test_no_direct_box_without_something_to_do(site):
    html = html_of(site("roosendaal", "/producten/afvalkalender/"))
    assert direct_box(html) == "" and "Direct regelen" not in html


def test_each_gemeente_points_the_appointment_button_at_its_own_system(full_demo, site):
    passport = Product.objects.get(slug="paspoort")
    passport.appointment_url = "{{ url.afspraak }}"  # the shared base: each gemeente's own variable
    passport.save()
    variable = Variable.objects.get(key="url.afspraak")
    for slug, gemeente in full_demo.items():
        VariableValue.objects.update_or_create(
            variable=variable, gemeente=gemeente, valid_from=None, defaults={"value": f"https://afspraak.{slug}.example/"}
        )
    for slug in HOSTS:
        assert buttons(html_of(site(slug, "/producten/paspoort/"))) == [("Afspraak maken", f"https://afspraak.{slug}.example/")]

    # Etten-Leur's curator gives the passport its own link, in the local field editor.
    curator = Client()
    curator.force_login(municipal_curator(full_demo["etten-leur"]))
    editor = reverse("sharing:field_editor", args=["product", passport.pk, "etten-leur", "appointment_url"])
    assert curator.post(editor, {"value": "https://afspraak.etten-leur.example/paspoort"}).status_code == 302
    assert buttons(html_of(site("etten-leur", "/producten/paspoort/"))) == [("Afspraak maken", "https://afspraak.etten-leur.example/paspoort")]
    assert buttons(html_of(site("roosendaal", "/producten/paspoort/"))) == [("Afspraak maken", "https://afspraak.roosendaal.example/")]

    refused = curator.post(editor, {"value": "javascript:alert(1)"})
    assert refused.status_code == 200 and "Gebruik een adres dat begint met https://" in refused.content.decode()
    other = reverse("sharing:field_editor", args=["product", passport.pk, "roosendaal", "appointment_url"])
    assert curator.post(other, {"value": "https://evil.example/"})["Location"] == "/admin/"  # Wagtail's "no access"
    assert not passport.overrides.filter(gemeente=full_demo["roosendaal"], field_name="appointment_url").exists()
    assert buttons(html_of(site("roosendaal", "/producten/paspoort/"))) == [("Afspraak maken", "https://afspraak.roosendaal.example/")]


def test_an_appointment_link_that_is_no_web_address_never_becomes_a_link(full_demo, site):
    passport = Product.objects.get(slug="paspoort")
    set_override(passport, full_demo["roosendaal"], "appointment_url", "javascript:alert(1)", regional_curator())
    html = html_of(site("roosendaal", "/producten/paspoort/"))
    assert "javascript:" not in html
    assert buttons(html) == [("Afspraak maken", "/contact/#afspraak")]  # the contact page instead


def test_without_a_link_of_its_own_the_appointment_button_goes_to_the_contact_page(full_demo, site):
    VariableValue.objects.filter(gemeente=full_demo["bergen-op-zoom"], variable__key="url.afspraak").delete()
    assert buttons(html_of(site("bergen-op-zoom", "/producten/paspoort/"))) == [("Afspraak maken", "/contact/#afspraak")]


def test_uniform_product_name_is_for_the_api_not_for_citizens(site, client):
    assert "Uniforme productnaam" not in html_of(site("roosendaal", "/producten/paspoort/"))
    api = client.get(reverse("api:detail", args=["roosendaal", "producten", "paspoort"])).json()
    assert api["upl_name"] == "paspoort" and api["upl_uri"].startswith("http")


# Top tasks ----------------------------------------------------------------------


@pytest.mark.parametrize("slug", HOSTS)
def test_each_demo_home_page_shows_the_gemeentes_chosen_top_tasks_in_order(site, slug):
    chosen = json.loads(LOCAL_JSON.read_text(encoding="utf-8"))[slug]["top_tasks"]
    assert tiles(html_of(site(slug, "/"))) == [f"/producten/{key}/" for key in chosen]


def test_without_a_choice_and_without_clicks_the_home_page_lists_no_top_tasks(full_demo, site):
    from pdc.models import HomePageTopTask

    HomePageTopTask.objects.filter(page_id=full_demo["roosendaal"].site.root_page_id).delete()
    html = html_of(site("roosendaal", "/"))
    assert tiles(html) == [] and "Direct regelen" not in html  # never the first products by title


def test_a_web_editor_chooses_the_top_tasks_in_the_page_editor(full_demo, site):
    """A user whose group may edit Bergen op Zoom's home page (Wagtail's page
    permissions) changes its top tasks there; other home pages are not theirs."""
    home_id = full_demo["bergen-op-zoom"].site.root_page_id
    group = Group.objects.create(name="Webredactie Bergen op Zoom")
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    for codename in ("change_page", "publish_page"):
        GroupPagePermission.objects.create(group=group, page_id=home_id, permission=Permission.objects.get(codename=codename, content_type__app_label="wagtailcore"))
    editor = make_user()
    editor.groups.add(group)
    browser = Client()
    browser.force_login(editor)

    edit = reverse("wagtailadmin_pages:edit", args=[home_id])
    html = browser.get(edit).content.decode()
    data = form_data(html, "page-edit-form")
    first = Product.objects.get(slug="bergen-op-zoom-vastenavend-ontheffing")
    assert data["top_tasks-0-product"] == [str(Product.objects.get(slug="paspoort").pk)]
    data["top_tasks-0-product"] = [str(first.pk)]
    data["top_tasks-6-DELETE"] = ["on"]  # the Vastenavend tile further down
    data["action-publish"] = [button_value(html, "action-publish")]
    assert browser.post(edit, data).status_code == 302
    shown = tiles(html_of(site("bergen-op-zoom", "/")))
    assert shown[0] == "/producten/bergen-op-zoom-vastenavend-ontheffing/" and len(shown) == 7
    assert shown.count("/producten/bergen-op-zoom-vastenavend-ontheffing/") == 1

    other = reverse("wagtailadmin_pages:edit", args=[full_demo["roosendaal"].site.root_page_id])
    assert browser.get(other).status_code in (302, 403)


# Not offered here -------------------------------------------------------------------


def test_a_product_the_gemeente_does_not_offer_says_so_with_what_to_do_instead(site):
    response = site("etten-leur", "/producten/parkeervergunning/")
    assert response.status_code == 410  # known and deliberately empty here, not a broken link
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "<h1>Parkeervergunning voor bewoners aanvragen</h1>" in html
    assert "Dit product biedt de gemeente Etten-Leur niet aan." in html
    assert "parkeert u gratis in de blauwe zone" in html  # Etten-Leur's own note
    assert 'href="/contact/"' in html and "Contact met gemeente Etten-Leur" in html
    assert "Pagina niet gevonden" not in html and "Wettelijke grondslag" not in html
    roosendaal = site("roosendaal", "/producten/parkeervergunning/")
    assert roosendaal.status_code == 200 and "niet aan" not in roosendaal.content.decode()


def test_a_question_about_something_not_offered_says_so_too(site):
    response = site("etten-leur", "/vragen/parkeervergunning-aanvragen/")
    assert response.status_code == 410
    assert "Deze informatie geldt niet voor de gemeente Etten-Leur." in response.content.decode()


def test_what_does_not_exist_at_all_stays_a_404(site):
    for path in ("/producten/bestaat-niet/", "/vragen/bestaat-niet/", f"/producten/{'roosendaal-documentenkluis'}/"):
        response = site("etten-leur", path)
        assert response.status_code == 404 and "Pagina niet gevonden" in response.content.decode()


def test_the_municipal_curator_writes_what_to_do_instead_and_can_offer_it_again(full_demo, site):
    product = Product.objects.get(slug="parkeervergunning")
    curator = Client()
    curator.force_login(municipal_curator(full_demo["etten-leur"]))
    note = reverse("sharing:field_editor", args=["product", product.pk, "etten-leur", "not_offered_note"])
    assert curator.post(note, {"value": "Parkeren kan gratis in de blauwe zone. Zie https://www.etten-leur.example/parkeren"}).status_code == 302
    html = site("etten-leur", "/producten/parkeervergunning/").content.decode()
    assert "Parkeren kan gratis in de blauwe zone." in html
    assert '<a href="https://www.etten-leur.example/parkeren" rel="nofollow">' in html

    offered = reverse("sharing:field_editor", args=["product", product.pk, "etten-leur", "offered"])
    assert curator.post(offered, {"value": "on"}).status_code == 302
    again = site("etten-leur", "/producten/parkeervergunning/")
    assert again.status_code == 200 and "niet aan" not in again.content.decode()


# House style: logo and favicon ------------------------------------------------------


@pytest.mark.parametrize("slug", HOSTS)
def test_each_site_has_its_logo_in_the_header_and_its_favicon(full_demo, site, slug):
    name = full_demo[slug].name
    html = html_of(site(slug, "/"))
    header = html.split("</header>", 1)[0]
    logo = re.search(r'<img class="logo" src="([^"]+)" alt="Gemeente ' + re.escape(name) + '"', header)
    assert logo, header
    icon = re.search(r'<link rel="icon" href="([^"]+)">', html).group(1)
    assert f"{slug}-favicon" in icon
    redirect = site(slug, "/favicon.ico")
    assert redirect.status_code == 302 and redirect["Location"] == icon
    for address in (logo.group(1), icon):
        served = site(slug, address)
        assert served.status_code == 200 and served["Content-Type"] == "image/svg+xml"
        assert f"Gemeente {name}" in b"".join(served.streaming_content).decode()


def test_the_portal_has_a_plain_favicon(full_demo, client):
    response = client.get("/favicon.ico", HTTP_HOST="localhost")
    assert response.status_code == 302 and response["Location"] == "/static/themes/favicon.svg"
