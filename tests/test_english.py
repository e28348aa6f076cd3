"""English (issue 14): the English pages under /en/ of each gemeente's site
(English where there is English text, the local English override, Dutch
fallback marked per field, hreflang and lang, English interface strings),
the sitemap and the Samenwerkende Catalogi feed in English, English
overrides side by side in the local editor, and the SDG completeness
report per gemeente with its tenant rules."""

import csv
import gettext
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from lxml import etree

from gemeenten.models import Role
from pdc.models import UPLName
from sharing.overrides import set_override
from website.provisioning import provision_gemeente

from .factories import make_product, make_user, make_vac, municipal_curator, regional_curator
from .test_samenwerkende_catalogi import NS, schema  # noqa: F401  (schema: the SC 4.0 XSD, fails clearly when ../shared is missing)

pytestmark = pytest.mark.django_db

AGENT_CANARY = "agentkanarie-en-5521"


@pytest.fixture
def world():
    """Two gemeenten with sites; an SDG passport with English text (no
    English objection section), Roosendaal's local English fee; a permit
    without English; a VAC with an English question only."""
    sdg = UPLName.objects.create(name="paspoort", uri="http://standaarden.overheid.nl/owms/terms/paspoort", gemeente=True, sdg=True, sdg_codes="A1")
    gemeenten = {
        slug: provision_gemeente(name=name, slug=slug, cbs_code=code, hostname=f"{slug}.localhost", phone="14 0165", publication="direct")
        for slug, name, code in (("roosendaal", "Roosendaal", "1674"), ("etten-leur", "Etten-Leur", "0777"))
    }
    passport = make_product(
        slug="paspoort",
        upl=sdg,
        title_nl="Paspoort aanvragen",
        title_en="Applying for a passport",
        summary_nl="Een paspoort vraagt u aan bij de gemeente.",
        summary_en="You apply for a passport at the municipality.",
        description_nl="<p>Met een paspoort kunt u reizen.</p>",
        description_en="<p>With a passport you can travel.</p>",
        procedure_nl="<p>Maak een afspraak.</p>",
        procedure_en="<p>Make an appointment.</p>",
        required_documents_nl="<p>Een pasfoto.</p>",
        required_documents_en="<p>A passport photo.</p>",
        costs_nl="<p>De kosten zijn € 84,05.</p>",
        costs_en="<p>The fee is € 84.05.</p>",
        lead_time_nl="<p>5 werkdagen.</p>",
        lead_time_en="<p>5 working days.</p>",
        objection_nl="<p>Binnen 6 weken bezwaar maken.</p>",
        no_response_nl="<p>Bel de gemeente.</p>",
        no_response_en="<p>Call the municipality.</p>",
        spoken_answer=f"{AGENT_CANARY} gesproken",
        email_template=f"Geachte {AGENT_CANARY}",
        handling_level="intake",
        online_application_url="https://afspraak.example/",
        digid="midden",
    )
    permit = make_product(slug="parkeervergunning", title_nl="Parkeervergunning", summary_nl="Parkeren met een vergunning.")
    vac = make_vac(slug="paspoort-kwijt", question_nl="Paspoort kwijt?", question_en="Lost your passport?", answer_nl="<p>Doe aangifte.</p>")
    curator = regional_curator()
    set_override(passport, gemeenten["roosendaal"], "costs_en", "<p>In Roosendaal the fee is € 79.50.</p>", curator)
    return {"gemeenten": gemeenten, "passport": passport, "permit": permit, "vac": vac}


def get(path, slug="roosendaal"):
    return Client().get(path, HTTP_HOST=f"{slug}.localhost")


def page(path, slug="roosendaal"):
    response = get(path, slug)
    assert response.status_code == 200, (path, response.status_code)
    return response, response.content.decode()


def main(html):
    return re.search(r"<main\b.*?</main>", html, re.S).group()


def test_the_english_product_page_has_the_english_text_and_the_gemeentes_own_english_fee(world):
    response, html = page("/en/producten/paspoort/")
    assert response["Content-Language"] == "en"
    assert '<html lang="en">' in html
    content = main(html)
    assert "<h1>Applying for a passport</h1>" in content
    assert "In Roosendaal the fee is € 79.50." in content and "84.05" not in content
    assert "<h2 id=\"kosten\">Costs</h2>" in content and "How to apply" in content
    assert "Make an appointment." in content and "Maak een afspraak" not in content
    # Interface strings in English, from locale/en.
    assert "Skip to content" in html and "Apply online with DigiD" in content
    assert "Heeft deze informatie u geholpen?" not in html  # feedback is asked on the Dutch page
    # Etten-Leur has no English override: the shared English fee.
    _, other = page("/en/producten/paspoort/", "etten-leur")
    assert "The fee is € 84.05." in main(other) and "79.50" not in other


def test_a_field_without_english_is_shown_in_dutch_marked_per_field(world):
    _, html = page("/en/producten/paspoort/")
    content = main(html)
    section = re.search(r'<section class="section" aria-labelledby="bezwaar">.*?</section>', content, re.S).group()
    assert "Only available in Dutch" in section
    assert '<div class="rich-text" lang="nl"><p>Binnen 6 weken bezwaar maken.</p></div>' in section
    assert content.count("Only available in Dutch") == 1, "only the one field without English is marked"


def test_a_local_dutch_text_outranks_the_shared_english_and_is_marked(world):
    roosendaal = world["gemeenten"]["roosendaal"]
    set_override(world["passport"], roosendaal, "procedure_nl", "<p>Haal uw paspoort uit de documentenkluis.</p>", regional_curator())
    content = main(page("/en/producten/paspoort/")[1])
    section = re.search(r'<section class="section" aria-labelledby="aanvragen">.*?</section>', content, re.S).group()
    assert "documentenkluis" in section and 'lang="nl"' in section and "Only available in Dutch" in section
    assert "Make an appointment." not in content


def test_language_switch_and_hreflang_alternates_both_ways(world):
    _, dutch = page("/producten/paspoort/")
    assert '<link rel="alternate" hreflang="en" href="http://roosendaal.localhost/en/producten/paspoort/">' in dutch
    assert '<link rel="alternate" hreflang="nl" href="http://roosendaal.localhost/producten/paspoort/">' in dutch
    assert '<a href="/en/producten/paspoort/" hreflang="en" lang="en">English</a>' in dutch
    _, english = page("/en/producten/paspoort/")
    assert '<link rel="alternate" hreflang="nl" href="http://roosendaal.localhost/producten/paspoort/">' in english
    assert '<link rel="alternate" hreflang="x-default" href="http://roosendaal.localhost/producten/paspoort/">' in english
    assert '<a href="/producten/paspoort/" hreflang="nl" lang="nl">Nederlands</a>' in english
    # Without English text: no English page, no switch, no alternates.
    _, permit = page("/producten/parkeervergunning/")
    assert 'hreflang="en"' not in permit and "English" not in permit
    assert get("/en/producten/parkeervergunning/").status_code == 404
    assert get("/en/producten/bestaat-niet/").status_code == 404
    assert get("/en/onbekend/paspoort/").status_code == 404


def test_the_english_home_lists_the_entries_with_english_text(world):
    _, html = page("/en/")
    content = main(html)
    assert 'href="/en/producten/paspoort/">Applying for a passport</a>' in content
    assert 'href="/en/vragen/paspoort-kwijt/">Lost your passport?</a>' in content
    assert "Parkeervergunning" not in content
    # The VAC's answer has no English: shown in Dutch, marked.
    vac = main(page("/en/vragen/paspoort-kwijt/")[1])
    assert "Only available in Dutch" in vac and '<div class="rich-text answer" lang="nl"><p>Doe aangifte.</p></div>' in vac


def test_a_gemeente_that_does_not_offer_it_has_no_english_page(world):
    set_override(world["passport"], world["gemeenten"]["etten-leur"], "offered", False, regional_curator())
    assert get("/en/producten/paspoort/", "etten-leur").status_code == 404
    sitemap = get("/sitemap.xml", "etten-leur").content.decode()
    assert "/producten/paspoort/" not in sitemap and "/en/vragen/paspoort-kwijt/" in sitemap


def test_no_agent_content_on_english_pages(world):
    for path in ("/en/", "/en/producten/paspoort/", "/en/vragen/paspoort-kwijt/", "/sitemap.xml", "/samenwerkende-catalogi.xml"):
        assert AGENT_CANARY not in get(path).content.decode(), path


def test_the_sitemap_lists_the_english_pages(world):
    xml = get("/sitemap.xml").content.decode()
    found = set(re.findall(r"<loc>http://roosendaal.localhost([^<]+)</loc>", xml))
    assert {"/en/", "/en/producten/paspoort/", "/en/vragen/paspoort-kwijt/"} <= found
    assert "/en/producten/parkeervergunning/" not in found


def test_the_sc_feed_carries_the_english_products(world, schema):
    document = etree.fromstring(get("/samenwerkende-catalogi.xml").content)
    schema.assertValid(document)
    products = {
        p.findtext("p:meta/p:owmskern/dcterms:identifier", namespaces=NS): p for p in document.iterfind("p:scproduct", NS)
    }
    english = products["http://roosendaal.localhost/en/producten/paspoort/"]
    assert english.findtext("p:meta/p:owmskern/dcterms:language", namespaces=NS) == "en"
    assert english.findtext("p:meta/p:owmskern/dcterms:title", namespaces=NS) == "Applying for a passport"
    body = english.findtext("p:body/p:productHTML", namespaces=NS)
    assert "<h2>Costs</h2>" in body and "€ 79.50" in body
    assert "Binnen 6 weken" not in body, "no Dutch in the English product"
    dutch = products["http://roosendaal.localhost/producten/paspoort/"]
    assert dutch.findtext("p:meta/p:owmskern/dcterms:language", namespaces=NS) == "nl"
    assert "http://roosendaal.localhost/en/producten/parkeervergunning/" not in products


def test_the_local_editor_has_the_english_fields_side_by_side_and_saves_an_english_override(client, world):
    roosendaal, passport = world["gemeenten"]["roosendaal"], world["passport"]
    curator = municipal_curator(roosendaal)
    client.force_login(curator)
    html = client.get(reverse("sharing:entry_editor", args=["product", passport.pk, "roosendaal"])).content.decode()
    assert html.index('id="veld-costs_nl"') < html.index('id="veld-costs_en"') < html.index('id="veld-lead_time_nl"')
    assert "Kosten (Engels)" in html and '<td lang="en">' in html
    url = reverse("sharing:field_editor", args=["product", passport.pk, "roosendaal", "summary_en"])
    response = client.post(url, {"value": "Roosendaal: apply at the Stadskantoor."})
    assert response.status_code == 302
    override = passport.overrides.get(gemeente=roosendaal, field_name="summary_en")
    assert override.value == "Roosendaal: apply at the Stadskantoor." and override.updated_by == curator
    assert "Roosendaal: apply at the Stadskantoor." in page("/en/producten/paspoort/")[1]
    # Staleness works on the English column as on the Dutch ones.
    passport.summary_en = "You apply in person."
    passport.save()
    override.refresh_from_db()
    assert override.base_changed
    # Another gemeente's editor is refused.
    other = client.get(reverse("sharing:entry_editor", args=["product", passport.pk, "etten-leur"]))
    assert other.status_code == 302 and other["Location"] == reverse("wagtailadmin_home")  # Wagtail's "no permission"


def sdg_report(client, **params):
    return client.get(reverse("redactie_sdg"), params)


def refused(response):
    """Wagtail answers a PermissionDenied in the admin with a redirect to its home."""
    return response.status_code == 403 or (response.status_code == 302 and response["Location"] in (reverse("wagtailadmin_home"), "/admin/login/?next=/admin/"))


def test_sdg_report_lists_what_lacks_english_or_required_sections(client, world):
    roosendaal = world["gemeenten"]["roosendaal"]
    client.force_login(municipal_curator(roosendaal))
    html = sdg_report(client).content.decode()
    row = re.search(r"<tr>\s*<td class=\"title\">.*?Paspoort aanvragen.*?</tr>", html, re.S).group()
    assert "Bezwaar en beroep" in row  # no English objection section
    assert "parkeervergunning" not in html.lower(), "not an SDG product"
    # A local English text fills the gap for this gemeente only.
    set_override(world["passport"], roosendaal, "objection_en", "<p>Object within 6 weeks.</p>", regional_curator())
    assert "Alle SDG-items van Roosendaal zijn volledig." in sdg_report(client).content.decode()
    response = sdg_report(client, formaat="csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert rows[0][:4] == ["gemeente", "soort", "id", "titel"]
    assert rows[1][0] == "Roosendaal" and rows[1][3] == "Paspoort aanvragen" and rows[1][-1] == "ja"


def test_sdg_report_csv_cells_are_formula_safe(client, world):
    passport = world["passport"]
    set_override(passport, world["gemeenten"]["roosendaal"], "title_nl", "=HYPERLINK(\"http://x\")", regional_curator())
    client.force_login(municipal_curator(world["gemeenten"]["roosendaal"]))
    rows = list(csv.reader(io.StringIO(sdg_report(client, formaat="csv").content.decode()), delimiter=";"))
    assert rows[1][3].startswith("'=")


def test_sdg_report_tenant_rules(client, world):
    roosendaal = world["gemeenten"]["roosendaal"]
    client.force_login(municipal_curator(roosendaal))
    assert refused(sdg_report(client, gemeente="etten-leur"))
    assert refused(sdg_report(client, gemeente="etten-leur", formaat="csv"))
    assert sdg_report(client, gemeente="roosendaal").status_code == 200
    client.force_login(make_user(Role.AGENT, roosendaal))
    assert refused(sdg_report(client))
    client.force_login(regional_curator())
    html = sdg_report(client, gemeente="etten-leur").content.decode()
    assert "Etten-Leur" in html and "Paspoort aanvragen" in html


def test_the_compiled_translations_match_the_po_file():
    """locale/en's .mo is committed (a fresh clone has no msgfmt step):
    every translation in the .po is in the .mo as it is."""
    directory = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
    catalog = gettext.GNUTranslations(open(directory / "django.mo", "rb"))
    po = (directory / "django.po").read_text(encoding="utf-8")
    pairs = re.findall(r'^(?:msgctxt "((?:[^"\\]|\\.)*)"\n)?msgid "((?:[^"\\]|\\.)+)"\nmsgstr "((?:[^"\\]|\\.)*)"', po, re.M)
    assert len(pairs) > 30
    for context, msgid, msgstr in pairs:
        if not msgstr:
            continue
        found = catalog.pgettext(context, msgid) if context else catalog.gettext(msgid)
        assert found == msgstr.replace('\\"', '"'), msgid


def test_the_dutch_home_links_to_the_english_home(world):
    _, html = page("/")
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in html
    assert '<link rel="alternate" hreflang="en" href="http://roosendaal.localhost/en/">' in html
    _, english = page("/en/")
    assert '<a href="/" hreflang="nl" lang="nl">Nederlands</a>' in english
