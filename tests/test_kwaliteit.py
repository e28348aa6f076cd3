"""Issue 14 (content quality): the Dutch readability score, long sentences
and words, variables and empty required SDG sections, shown in the editor
and in a report; the broken-link check, which only requests public http(s)
addresses (tests: a local server, allowed by the test settings only)."""

import csv
import io
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from kwaliteit.checks import entry_quality
from kwaliteit.links import check_links, check_url, collect_links, is_public_address, links_in
from kwaliteit.models import Link, LinkUse
from kwaliteit.readability import analyse, level, syllables
from pdc.models import UPLName
from sharing.models import Variable
from sharing.overrides import set_override

from .admin_forms import edit_url, form_data, rich_text
from .admin_pages import visible_text
from .factories import make_gemeente, make_product, make_vac, municipal_curator, regional_curator

# -- readability, computed by hand ----------------------------------------------------


def test_syllables_are_vowel_groups():
    assert syllables("gemeente") == 3  # g-e-m-ee-nt-e: e, ee, e
    assert syllables("paspoort") == 2  # a, oo
    assert syllables("huis") == 1  # ui
    assert syllables("nieuw") == 1  # ieu (w is a consonant)
    assert syllables("vrijdag") == 2  # ij, a
    assert syllables("ideeën") == 3  # i, ee, ë (a diaeresis starts a syllable)
    assert syllables("identiteitskaart") == 5  # i, e, i, ei, aa


def test_flesch_douma_of_a_very_simple_text():
    # "De kat zit op de mat. Hij is blij.": 2 sentences, 9 words, 9
    # syllables (every word one vowel group).
    # 206.835 − 0.93 × 9/2 − 77 × 9/9 = 206.835 − 4.185 − 77 = 125.65
    result = analyse("<p>De kat zit op de mat. Hij is blij.</p>")
    assert (result.sentences, result.words, result.syllables) == (2, 9, 9)
    assert result.score == pytest.approx(125.65, abs=0.001)
    assert result.level == "zeer makkelijk" and result.meets_target


def test_flesch_douma_of_a_plain_instruction():
    # "U vraagt een paspoort aan bij de gemeente." U 1, vraagt 1, een 1,
    #   paspoort 2, aan 1, bij 1, de 1, gemeente 3: 8 words, 11 syllables.
    # "Neem een pasfoto mee." neem 1, een 1, pasfoto 3, mee 1: 4 words, 6.
    # 12 words, 2 sentences, 17 syllables:
    # 206.835 − 0.93 × 6 − 77 × 17/12 = 206.835 − 5.58 − 109.0833 = 92.1717
    result = analyse("<p>U vraagt een paspoort aan bij de gemeente.</p><p>Neem een pasfoto mee.</p>")
    assert (result.sentences, result.words, result.syllables) == (2, 12, 17)
    assert result.score == pytest.approx(92.1717, abs=0.001)
    assert result.level == "zeer makkelijk"


def test_flesch_douma_of_officialese_is_far_below_b1():
    # Overeenkomstig 5 (o, e, ee, o, i), de 1, gemeentelijke 5 (e, ee, e, ij,
    # e), verordening 4, dient 1, de 1, aanvrager 3, de 1,
    # aanvraagformulieren 6 (aa, aa, o, u, ie, e), volledig 3, ingevuld 3,
    # te 1, retourneren 4 (e, ou, e, e): 13 words, 38 syllables, 1 sentence.
    # 206.835 − 0.93 × 13 − 77 × 38/13 = 206.835 − 12.09 − 225.0769 = −30.3319
    text = (
        "Overeenkomstig de gemeentelijke verordening dient de aanvrager de aanvraagformulieren "
        "volledig ingevuld te retourneren."
    )
    result = analyse(text)
    assert (result.sentences, result.words, result.syllables) == (1, 13, 38)
    assert result.score == pytest.approx(-30.3319, abs=0.001)
    assert result.level == "zeer moeilijk" and not result.meets_target
    # Long words: more than 4 syllables.
    assert result.long_words == ["Overeenkomstig", "gemeentelijke", "aanvraagformulieren"]
    assert level(59.9) == "redelijk moeilijk" and level(60) == "normaal"


def test_long_sentences_have_more_than_twenty_words():
    twenty = " ".join(["woord"] * 20) + "."
    twenty_one = " ".join(["woord"] * 21) + "."
    result = analyse(f"<p>{twenty} {twenty_one}</p>")
    assert result.sentences == 2
    assert [s.words for s in result.long_sentences] == [21]


def test_blocks_and_abbreviations_split_sentences_rightly():
    # A list item is a sentence of its own; "bijv." ends none.
    result = analyse("<p>Neem bijv. uw paspoort mee</p><ul><li>uw rijbewijs</li><li>een pasfoto</li></ul>")
    assert result.sentences == 3


def test_variables_are_listed_and_left_out_of_the_count():
    # "De kosten zijn ." → De, kosten, zijn: 3 words; the variable is no word.
    result = analyse("<p>De kosten zijn {{ leges.paspoort }}. Bel {{gemeente.telefoon}}.</p>")
    assert result.variables == ["leges.paspoort", "gemeente.telefoon"]
    assert result.words == 4


# -- an entry through the kind contract ----------------------------------------------------


@pytest.mark.django_db
def test_sdg_products_report_their_empty_required_sections():
    upl = UPLName.objects.create(name="Paspoort", uri="https://standaarden.overheid.nl/owms/terms/Paspoort", sdg=True)
    sdg = make_product(upl=upl, description_nl="<p>Een paspoort.</p>", procedure_nl="<p>Maak een afspraak.</p>")
    quality = entry_quality(sdg)
    assert "kosten" in quality.empty_required and "termijn" in quality.empty_required
    assert "omschrijving" not in quality.empty_required and "aanvragen" not in quality.empty_required
    assert entry_quality(make_product()).empty_required == [], "not an SDG product: nothing required"
    assert entry_quality(make_vac()).empty_required == [], "the generic default: none"


# -- the editor panel and the report, as the real roles ------------------------------------------------


@pytest.fixture
def gemeenten(db):
    return make_gemeente("Roosendaal", slug="roosendaal"), make_gemeente("Etten-Leur", slug="etten-leur")


@pytest.mark.django_db
def test_the_edit_form_loads_the_panel_and_the_panel_reads_the_unsaved_form(client):
    Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")
    product = make_product(title_nl="Paspoort")
    client.force_login(regional_curator())
    page = client.get(edit_url(product))
    assert b"kwaliteit/editor-panel.js" in page.content
    data = form_data(page.content.decode())
    long_sentence = " ".join(["woord"] * 22) + "."
    data["description_nl"] = [rich_text(
        f"<p>De kosten zijn {{{{ leges.paspoort }}}} of {{{{ leges.onbekend }}}}. {long_sentence} "
        "U bent geïnteresseerd.</p>"
    )]
    url = reverse("kwaliteit:editor_panel", args=["pdc.product", product.pk])
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "leges.paspoort" in html and "leges.onbekend" in html and "onbekend</strong>" in html
    assert "(22 woorden)" in html
    assert "<mark>geïnteresseerd</mark>" in html  # ge-ï-n-te-res-seerd: 5 syllables
    product.refresh_from_db()
    assert "leges" not in (product.description_nl or ""), "the panel saves nothing"


@pytest.mark.django_db
def test_the_panel_names_the_empty_required_sections_of_the_form(client):
    upl = UPLName.objects.create(name="Paspoort", uri="https://standaarden.overheid.nl/owms/terms/Paspoort", sdg=True)
    product = make_product(upl=upl, costs_nl="<p>Zie de tarieven.</p>")
    client.force_login(regional_curator())
    data = form_data(client.get(edit_url(product)).content.decode())
    data["costs_nl"] = [rich_text("")]  # the editor empties the costs, unsaved
    html = client.post(reverse("kwaliteit:editor_panel", args=["pdc.product", product.pk]), data).content.decode()
    required = html.split("Verplichte onderdelen zijn leeg:</strong>")[1].split("</p>")[0]
    assert "kosten" in required and "termijn" in required and "aanvragen" not in required


@pytest.mark.django_db
def test_the_panel_refuses_what_is_no_entry_and_users_without_rights(client, gemeenten):
    roosendaal, etten = gemeenten
    local = make_product(gemeente=etten)
    client.force_login(regional_curator())
    assert client.post(reverse("kwaliteit:editor_panel", args=["gemeenten.gemeente"])).status_code == 404
    client.force_login(municipal_curator(roosendaal))
    response = client.post(reverse("kwaliteit:editor_panel", args=["pdc.product", local.pk]))
    assert response.status_code in (302, 403) and b"Leesbaarheid" not in response.content  # Wagtail: back to the dashboard


@pytest.mark.django_db
def test_readability_report_per_kind_sorted_by_score_with_csv(client, gemeenten):
    roosendaal, etten = gemeenten
    hard = make_product(title_nl="Moeilijk", description_nl="<p>Overeenkomstig de gemeentelijke verordening dient de aanvrager te retourneren.</p>")
    easy = make_product(title_nl="Makkelijk", description_nl="<p>De kat zit op de mat.</p>")
    make_product(title_nl="Lokaal van Etten-Leur", gemeente=etten)
    client.force_login(municipal_curator(roosendaal))
    url = reverse("kwaliteit:readability")
    text = visible_text(client.get(url, {"soort": "product"}))
    assert text.index("Moeilijk") < text.index("Makkelijk"), "worst first"
    assert "Lokaal van Etten-Leur" not in text, "another gemeente's local entry"
    text = visible_text(client.get(url, {"soort": "product", "sorteer": "-score"}))
    assert text.index("Makkelijk") < text.index("Moeilijk")
    response = client.get(url, {"soort": "product", "formaat": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert [row[2] for row in rows[1:]] == ["Moeilijk", "Makkelijk"]
    assert rows[1][1] == str(hard.pk) and rows[2][1] == str(easy.pk)


@pytest.mark.django_db
def test_the_report_is_for_curators_only(client):
    from gemeenten.models import Role

    from .factories import make_user

    client.force_login(make_user(Role.AGENT))
    for name in ("kwaliteit:readability", "kwaliteit:links"):
        response = client.get(reverse(name))
        assert response.status_code in (302, 403) and response.get("Location", "") != reverse(name)


# -- the link checker against a local server --------------------------------------------------


class Handler(BaseHTTPRequestHandler):
    requests = []

    def answer(self):
        Handler.requests.append(self.path)
        if self.path == "/traag":
            time.sleep(2)
        routes = {
            "/ok": (200, {}),
            "/door": (301, {"Location": "/ok"}),
            "/naar-intern": (302, {"Location": "http://169.254.169.254/latest/meta-data/"}),
            "/naar-lan": (307, {"Location": "http://192.168.1.1/beheer"}),
            "/alleen-get": (405, {}) if self.command == "HEAD" else (200, {}),
        }
        status, headers = routes.get(self.path, (404, {}))
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
        except OSError:
            pass  # the checker gave up (the time-out test)

    do_HEAD = do_GET = answer

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    Handler.requests = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    httpd.server_close()


def test_a_working_link_a_missing_page_and_a_followed_redirect(server):
    assert (check_url(f"{server}/ok").status, check_url(f"{server}/ok").http_status) == (Link.Status.OK, 200)
    missing = check_url(f"{server}/bestaat-niet")
    assert (missing.status, missing.http_status) == (Link.Status.BROKEN, 404)
    assert check_url(f"{server}/door").status == Link.Status.OK
    assert check_url(f"{server}/alleen-get").status == Link.Status.OK, "GET where HEAD is not allowed"


def test_https_goes_through_tls_to_the_checked_address(server):
    # The local server speaks no TLS: the handshake fails, and that is an
    # unreachable link, not a working one (nor an exception).
    result = check_url(server.replace("http://", "https://") + "/ok")
    assert result.status == Link.Status.UNREACHABLE


def test_redirects_into_private_ranges_are_refused(server):
    for path, address in (("/naar-intern", "169.254.169.254"), ("/naar-lan", "192.168.1.1")):
        result = check_url(f"{server}{path}")
        assert result.status == Link.Status.REFUSED and address in result.detail


def test_a_slow_server_times_out(server, settings):
    settings.KWALITEIT_LINKCHECK_TIMEOUT = 0.5
    started = time.monotonic()
    result = check_url(f"{server}/traag")
    assert result.status == Link.Status.UNREACHABLE and "tijd" in result.detail
    assert time.monotonic() - started < 1.9


def test_private_and_loopback_addresses_are_never_requested(server, settings):
    settings.KWALITEIT_LINKCHECK_ALLOWED_ADDRESSES = ()  # as in production
    port = server.rsplit(":", 1)[1]
    for url in (
        f"{server}/ok",
        f"http://localhost:{port}/ok",
        f"http://[::1]:{port}/ok",
        f"http://[::ffff:127.0.0.1]:{port}/ok",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fe80::1]/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "ftp://example.org/bestand",
        "file:///etc/passwd",
    ):
        assert check_url(url).status == Link.Status.REFUSED, url
    assert Handler.requests == [], "nothing reached the local server"
    assert is_public_address("93.184.216.34") and is_public_address("2001:4860:4860::8888")
    assert not is_public_address("127.0.0.1") and not is_public_address("fd00::1")


def test_production_settings_allow_no_private_address():
    from kennisbank.settings import base

    assert base.KWALITEIT_LINKCHECK_ALLOWED_ADDRESSES == ()
    source = open(base.__file__.replace("base.py", "production.py")).read()
    assert "KWALITEIT_LINKCHECK_ALLOWED_ADDRESSES = ()" in source


def test_links_in_rich_text_and_link_fields():
    html = '<p><a href="https://a.example/x">a</a> <a href="mailto:x@y.nl">m</a> <a href="/lokaal">l</a></p>'
    assert links_in(html) == ["https://a.example/x"]
    assert links_in("https://b.example/") == ["https://b.example/"]
    assert links_in("{{ url.afspraak }}") == [] and links_in(None) == []


def test_requests_are_spaced(server, db):
    Link.objects.create(url=f"{server}/ok")
    Link.objects.create(url=f"{server}/bestaat-niet")
    slept = []
    assert check_links(interval=2, sleep=slept.append) == 2
    assert slept == [2]


@pytest.fixture
def checked_links(db, server, gemeenten):
    roosendaal, etten = gemeenten
    regional = regional_curator()
    product = make_product(
        title_nl="Parkeervergunning",
        owner=regional,
        description_nl=f'<p>Zie <a href="{server}/ok">de regeling</a>.</p>',
        online_application_url=f"{server}/weg",
    )
    set_override(product, roosendaal, "description_nl", f'<p>Zie <a href="{server}/roosendaal-weg">ons loket</a>.</p>', municipal_curator(roosendaal))
    set_override(product, etten, "description_nl", f'<p>Zie <a href="{server}/etten-weg">ons loket</a>.</p>', municipal_curator(etten))
    assert Link.objects.count() == 0, "saving never checks links"
    call_command("check_links", stdout=io.StringIO())
    return roosendaal, etten, product


def test_the_scheduled_check_stores_a_result_per_link(checked_links, server):
    statuses = dict(Link.objects.values_list("url", "status"))
    assert statuses[f"{server}/ok"] == Link.Status.OK
    assert statuses[f"{server}/weg"] == Link.Status.BROKEN
    assert statuses[f"{server}/roosendaal-weg"] == Link.Status.BROKEN
    assert all(Link.objects.values_list("checked_at", flat=True))
    uses = LinkUse.objects.get(link__url=f"{server}/roosendaal-weg")
    assert uses.is_override and uses.gemeente.slug == "roosendaal"
    assert uses.owner is None, "Roosendaal set no owner of its local texts: not the shared entry's owner"


def test_a_link_no_longer_used_goes(checked_links, server):
    _, _, product = checked_links
    product.online_application_url = ""
    product.save()
    collect_links()
    assert not Link.objects.filter(url=f"{server}/weg").exists()


def test_the_task_runs_the_check(checked_links, server):
    from kwaliteit.tasks import check_all_links

    Link.objects.update(status=Link.Status.UNCHECKED, checked_at=None)
    check_all_links.enqueue()  # the immediate backend in tests
    assert not Link.objects.filter(status=Link.Status.UNCHECKED).exists()


def test_municipal_curator_sees_only_their_own_gemeentes_override_links(client, checked_links, server):
    roosendaal, etten, _ = checked_links
    client.force_login(municipal_curator(roosendaal))
    text = visible_text(client.get(reverse("kwaliteit:links"), {"status": "alle"}))
    assert f"{server}/weg" in text, "the shared entry's link"
    assert f"{server}/roosendaal-weg" in text
    assert f"{server}/etten-weg" not in text and "Etten-Leur" not in text
    # Asking for the other gemeente by its id shows nothing of it either.
    text = visible_text(client.get(reverse("kwaliteit:links"), {"status": "alle", "gemeente": etten.pk}))
    assert "etten-weg" not in text
    client.force_login(regional_curator())
    text = visible_text(client.get(reverse("kwaliteit:links")))
    assert f"{server}/etten-weg" in text and f"{server}/roosendaal-weg" in text
    assert f"{server}/ok" not in text, "by default only the problems"


# -- in the browser: the panel follows the editor's typing -------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_panel_follows_the_editor_while_typing_and_saves_nothing(browser, live_server):
    product = make_product(title_nl="Paspoort", summary="U vraagt een paspoort aan bij de gemeente.")
    curator = regional_curator()
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/?next={edit_url(product)}")
    page.fill("#id_username", curator.username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{edit_url(product)}")
    panel = page.locator(".kwaliteit-panel")
    panel.locator("summary", has_text="Leesbaarheid").first.wait_for()
    assert "Lange zinnen (0)" in panel.inner_text()
    summary = page.locator("textarea[name=summary_nl]")
    summary.click()
    summary.press("End")
    summary.type(" " + " ".join(["Overeenkomstig"] * 21) + ".")
    page.locator(".kwaliteit-panel", has_text="Lange zinnen (1)").wait_for()
    assert "Overeenkomstig" in panel.locator("mark").first.inner_text()
    product.refresh_from_db()
    assert "Overeenkomstig" not in product.summary_nl
    context.close()
