"""Issue 14: the audience filter of the lists (a theme's page, A–Z) and the
English lists under /en/ (search, A–Z, themes).

The filter is links ("Iedereen / Particulier / Ondernemer", ?doelgroep=)
that keep the page's other query parameters; the server lists only the
entries for that audience (its own audiences, or its own text for it: as
search's filter). The English lists show only entries with English text,
in English, with the language switch, hreflang and lang; a theme without
an English name is shown in Dutch, marked lang="nl". The axe-core checks
are in tests/test_website_accessibility.py."""

import re

import pytest
from django.test import Client

from pdc.models import Product, Theme
from website.provisioning import provision_gemeente

from .factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(settings):
    settings.SEARCH_ENGINE = "none"
    gemeente = provision_gemeente(name="Roosendaal", slug="roosendaal", cbs_code="1674", hostname="roosendaal.localhost", publication="direct")
    civil = Theme.objects.create(slug="burgerzaken", name_nl="Burgerzaken", name_en="Civil affairs")
    waste = Theme.objects.create(slug="afval", name_nl="Afval")  # no English name
    passport = make_product(
        slug="paspoort", title_nl="Paspoort aanvragen", title_en="Passport", summary_nl="Een paspoort vraagt u aan.", summary_en="You apply for a passport.",
        for_burger=True, audience_variants={"ondernemer": {"summary_nl": "Zakenreiziger? Een tweede paspoort."}},
    )
    terrace = make_product(slug="terras", title_nl="Terrasvergunning", title_en="Terrace permit", summary_nl="Een terras bij uw zaak.", for_burger=False, for_ondernemer=True)
    licence = make_product(slug="rijbewijs", title_nl="Rijbewijs aanvragen", summary_nl="Uw rijbewijs.", for_burger=True)
    waste_pass = make_product(slug="afvalpas", title_nl="Afvalpas", title_en="Waste pass", summary_nl="Met de afvalpas naar de milieustraat.", for_burger=True)
    for product in (passport, terrace, licence):
        product.themes.add(civil)
    waste_pass.themes.add(waste)
    for product in (passport, terrace, licence, waste_pass):
        product.save()  # the themes are read per content version
    return gemeente


def get(path):
    return Client().get(path, HTTP_HOST="roosendaal.localhost")


def page(path):
    response = get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def listed(html):
    """The titles of the entries a list page links to (inside <main>, outside the filter and letters)."""
    main = html[html.index("<main"):html.index("</main>")]
    main = re.sub(r'<nav class="(audience-filter|letters)".*?</nav>', "", main, flags=re.S)
    return set(re.findall(r'<a href="/(?:en/)?producten/[^"]+/"[^>]*>([^<]+)</a>', main))


def filter_links(html):
    nav = re.search(r'<nav class="audience-filter".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"( aria-current="page")?[^>]*>([^<]+)</a>', nav)


# The Dutch lists ------------------------------------------------------------


def test_a_theme_page_filters_on_the_audience_on_the_server(site):
    everyone = page("/themas/burgerzaken/")
    assert listed(everyone) == {"Paspoort aanvragen", "Terrasvergunning", "Rijbewijs aanvragen"}
    assert listed(page("/themas/burgerzaken/?doelgroep=ondernemer")) == {"Paspoort aanvragen", "Terrasvergunning"}  # the passport has business text
    assert listed(page("/themas/burgerzaken/?doelgroep=burger")) == {"Paspoort aanvragen", "Rijbewijs aanvragen"}
    assert listed(page("/themas/burgerzaken/?doelgroep=onbekend")) == listed(everyone)  # an unknown audience: everyone


def test_the_filter_links_keep_the_other_parameters_and_mark_the_current_one(site):
    links = filter_links(page("/themas/burgerzaken/?bron=nieuwsbrief&doelgroep=ondernemer"))
    assert [(url, bool(current), name) for url, current, name in links] == [
        ("/themas/burgerzaken/?bron=nieuwsbrief", False, "Iedereen"),
        ("/themas/burgerzaken/?bron=nieuwsbrief&amp;doelgroep=burger", False, "Particulier"),
        ("/themas/burgerzaken/?bron=nieuwsbrief&amp;doelgroep=ondernemer", True, "Ondernemer"),
    ]
    plain = filter_links(page("/themas/burgerzaken/"))
    assert plain[0] == ("/themas/burgerzaken/", ' aria-current="page"', "Iedereen")


def test_the_a_z_filters_on_the_audience_and_its_letters_keep_it(site):
    assert "Terrasvergunning" in listed(page("/a-z/t/"))
    assert "Terrasvergunning" not in listed(page("/a-z/t/?doelgroep=burger"))
    business = page("/a-z/t/?doelgroep=ondernemer")
    assert listed(business) == {"Terrasvergunning"}
    assert 'href="/a-z/p/?doelgroep=ondernemer"' in business  # to another letter for the same audience
    assert "voor deze doelgroep" in page("/a-z/r/?doelgroep=ondernemer")  # none there: said so
    assert ("/a-z/t/?doelgroep=burger", "", "Particulier") in filter_links(business)


def test_the_filtered_lists_are_the_same_entries_as_searchs_audience_filter(site):
    """One rule: an entry is for an audience when it is one of its own or it has its own text for it."""
    from sharing.resolution import PUBLIC, resolve

    for audience in ("burger", "ondernemer"):
        expected = {p.title_nl for p in Product.objects.filter(themes__slug="burgerzaken") if resolve(p, site, channel=PUBLIC, audience=audience)}
        assert listed(page(f"/themas/burgerzaken/?doelgroep={audience}")) == expected


# The English lists -----------------------------------------------------------


def test_the_english_themes_list_the_themes_with_english_entries(site):
    html = page("/en/themes/")
    assert '<html lang="en">' in html
    assert '>Civil affairs</a>' in html
    assert re.search(r'<a href="/en/themes/afval/" lang="nl">Afval</a>', html)  # no English name: Dutch, marked


def test_an_english_theme_page_lists_only_entries_with_english_text_with_the_filter(site):
    html = page("/en/themes/burgerzaken/")
    assert listed(html) == {"Passport", "Terrace permit"}  # not the driving licence: no English
    assert 'href="/en/producten/paspoort/"' in html and "You apply for a passport." in html
    assert '<link rel="alternate" hreflang="nl" href="http://roosendaal.localhost/themas/burgerzaken/">' in html
    assert '<a href="/themas/burgerzaken/" hreflang="nl" lang="nl">Nederlands</a>' in html
    names = [name for _, _, name in filter_links(html)]
    assert names == ["Everyone", "Individuals", "Businesses"]  # the interface translation of the region's audiences
    assert listed(page("/en/themes/burgerzaken/?doelgroep=burger")) == {"Passport"}
    dutch_name = page("/en/themes/afval/")
    assert '<h1 lang="nl">Afval</h1>' in dutch_name and "Only available in Dutch" in dutch_name
    assert get("/en/themes/onbekend/").status_code == 404


def test_the_english_a_z(site):
    html = page("/en/a-z/")
    assert '<html lang="en">' in html and "From A to Z" in html
    assert listed(html) == {"Passport"}  # the first letter with entries: P
    assert listed(page("/en/a-z/t/")) == {"Terrace permit"}
    assert listed(page("/en/a-z/t/?doelgroep=burger")) == set()
    assert listed(page("/en/a-z/w/")) == {"Waste pass"}
    assert '<a href="/a-z/" hreflang="nl"' in html  # the Dutch A–Z, said so
    assert get("/en/a-z/%3Cscript%3E/").status_code == 404


def test_english_search_finds_english_text_only_and_takes_the_audience(site):
    html = page("/en/search/?q=passport")
    assert listed(html) == {"Passport"} and "1 result for" in html
    assert '<meta name="robots" content="noindex">' in html
    assert listed(page("/en/search/?q=rijbewijs")) == set()  # no English text: not on the English pages
    assert listed(page("/en/search/?q=permit")) == {"Terrace permit"}
    assert listed(page("/en/search/?q=permit&doelgroep=burger")) == set()
    links = filter_links(page("/en/search/?q=permit"))
    assert links[2][0] == "/en/search/?q=permit&amp;doelgroep=ondernemer"
    assert '<script>' not in page("/en/search/?q=%3Cscript%3Ealert(1)%3C/script%3E").split("<main")[1].split("</main>")[0].replace('<script nonce', '')


def test_english_search_filter_links_carry_the_query_as_searched(site):
    """The filter links repeat the cleaned, length-capped terms the results
    were found with, not the raw parameter (a 10,000-character query)."""
    links = filter_links(page("/en/search/?q=" + "permit%20%20%0A" + "x" * 10_000))
    for url, _, _ in links:
        terms = re.search(r"\?q=([^&]*)", url).group(1)
        assert terms.startswith("permit+x") and len(terms) <= 200, terms[:40]


def test_a_dutch_theme_page_links_its_english_version_only_with_english_entries(site):
    traffic = Theme.objects.create(slug="verkeer", name_nl="Verkeer")
    licence = Product.objects.get(slug="rijbewijs")  # no English text
    licence.themes.add(traffic)
    licence.save()
    assert 'href="/en/themes/burgerzaken/" hreflang="en"' in page("/themas/burgerzaken/")
    assert 'hreflang="en"' not in page("/themas/verkeer/").split("<body")[0]


def test_the_dutch_lists_link_to_the_english_ones_and_the_menu_follows_the_language(site):
    assert '<a href="/en/a-z/t/" hreflang="en" lang="en">English</a>' in page("/a-z/t/")
    assert '<a href="/en/a-z/" hreflang="en" lang="en">English</a>' in page("/a-z/r/")  # no English R: its A–Z
    assert '<a href="/en/themes/" hreflang="en" lang="en">English</a>' in page("/themas/")
    assert '<a href="/en/search/?q=paspoort" hreflang="en" lang="en">English</a>' in page("/zoeken/?q=paspoort")
    english = page("/en/producten/paspoort/")
    assert '<a href="/en/a-z/">A–Z</a>' in english or 'href="/en/a-z/"' in english
    assert 'action="/en/search/"' in english
    assert '<a href="/contact/" hreflang="nl">' in english  # contact stays Dutch, said so


def test_the_sitemap_and_robots_know_the_english_lists(site):
    sitemap = page("/sitemap.xml")
    for path in ("/en/a-z/", "/en/a-z/p/", "/en/themes/", "/en/themes/burgerzaken/", "/en/themes/afval/"):
        assert f"http://roosendaal.localhost{path}</loc>" in sitemap, path
    assert "Disallow: /en/search/" in page("/robots.txt")


def test_no_english_lists_without_english_text(site):
    for product in Product.objects.all():
        product.title_en = ""
        product.save()
    for path in ("/en/a-z/", "/en/themes/", "/en/search/?q=passport"):
        assert get(path).status_code == 404, path
    assert "hreflang=\"en\"" not in page("/a-z/")


def test_an_english_page_with_an_english_variant_has_the_switch_in_english(site):
    passport = Product.objects.get(slug="paspoort")
    passport.audience_variants = {"ondernemer": {"summary_nl": "Zakenreiziger? Een tweede paspoort.", "summary_en": "Travelling for business? A second passport."}}
    passport.save()
    general, business = page("/en/producten/paspoort/"), page("/en/producten/paspoort/?doelgroep=ondernemer")
    assert "You apply for a passport." in general and "A second passport" not in general
    assert "A second passport" in business and "You apply for a passport." not in business
    switch = re.search(r'<nav class="audience-switch".*?</nav>', business, re.S).group()
    assert '<a href="/en/producten/paspoort/?doelgroep=ondernemer" aria-current="page" lang="en">Businesses</a>' in switch
    assert 'href="/en/producten/paspoort/?doelgroep=burger"' in switch and ">Individuals</a>" in switch
    assert "Zakenreiziger" not in business, "the Dutch variant is not the English page's"
