"""Issue 14 (content quality) in a gemeente's local editor (Lokaal beheer):
the readability panel reads the text as the gemeente shows it — the shared
text with its overrides, and the field being edited as the curator has it
now — with the B1 target, long sentences and words, the variables with the
gemeente's own values and the empty required SDG sections. The broken-link
check never blocks saving, files a link in an override under the owner of
the gemeente's local texts, and the report filters by owner and gemeente."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from kwaliteit.checks import entry_quality
from kwaliteit.links import collect_links
from kwaliteit.models import Link, LinkUse
from kwaliteit.readability import analyse
from pdc.models import UPLName
from sharing.models import LocalOwnership, Team, Variable, VariableValue
from sharing.overrides import set_override

from .admin_forms import post_edit_form, rich_text
from .admin_pages import main_element, visible_text
from .factories import make_gemeente, make_product, municipal_curator, regional_curator
from .test_kwaliteit import Handler, server  # noqa: F401 (the local test server fixture)

OFFICIALESE = "Overeenkomstig de gemeentelijke verordening dient de aanvrager de aanvraagformulieren volledig ingevuld te retourneren."


@pytest.fixture
def gemeenten(db):
    return make_gemeente("Roosendaal", slug="roosendaal"), make_gemeente("Etten-Leur", slug="etten-leur")


def panel_url(product, gemeente, column=None):
    args = ["product", product.pk, gemeente.slug] + ([column] if column else [])
    return reverse("kwaliteit:local_panel", args=args)


def field_editor_url(product, gemeente, column):
    return reverse("sharing:field_editor", args=["product", product.pk, gemeente.slug, column])


def score_in(html):
    """The score the panel shows, as a float."""
    return float(html.split('class="kwaliteit-score')[1].split(">")[1].split("<")[0].replace(",", "."))


# -- the panel's data ---------------------------------------------------------------------------


def test_the_entry_overview_panel_reads_the_text_as_the_gemeente_shows_it(client, gemeenten):
    roosendaal, etten = gemeenten
    product = make_product(summary="De kat zit op de mat.", description_nl="<p>U vraagt een paspoort aan.</p>", procedure_nl="<p>Maak een afspraak.</p>")
    set_override(product, roosendaal, "description_nl", f"<p>{OFFICIALESE}</p>", municipal_curator(roosendaal))

    client.force_login(municipal_curator(roosendaal))
    response = client.get(panel_url(product, roosendaal))
    assert response.status_code == 200
    html = response.content.decode()
    # The summary, Roosendaal's description and the shared procedure.
    expected = analyse("De kat zit op de mat.").add(analyse(f"<p>{OFFICIALESE}</p>")).add(analyse("<p>Maak een afspraak.</p>"))
    assert score_in(html) == pytest.approx(round(expected.score, 1), abs=0.05)
    assert "Leesbaarheid in Roosendaal" in html and "doel voor taalniveau B1: 60 of hoger" in html
    assert "kwaliteit-low" in html, "below the B1 target"
    assert "<mark>aanvraagformulieren</mark>" in html and "<mark>Overeenkomstig</mark>" in html
    assert "Omschrijving (lokaal)" in html, "the section with Roosendaal's own text is marked"

    # Etten-Leur has no local text: its panel reads the shared text.
    client.force_login(municipal_curator(etten))
    html = client.get(panel_url(product, etten)).content.decode()
    shared = entry_quality(product)
    assert score_in(html) == pytest.approx(round(shared.score, 1), abs=0.05)
    assert "aanvraagformulieren" not in html and "(lokaal)" not in html


def test_the_field_editor_panel_reads_the_unsaved_value_and_saves_nothing(client, gemeenten):
    roosendaal, _ = gemeenten
    product = make_product(description_nl="<p>U vraagt een paspoort aan.</p>")
    client.force_login(municipal_curator(roosendaal))
    long_sentence = " ".join(["woord"] * 22) + "."
    response = client.post(
        panel_url(product, roosendaal, "description_nl"),
        {"value": rich_text(f"<p>{long_sentence} U bent geïnteresseerd.</p>"), "go_live_at": ""},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Lange zinnen (1)" in html and "(22 woorden)" in html
    assert "<mark>geïnteresseerd</mark>" in html
    assert not product.overrides.exists(), "the panel saves nothing"
    product.refresh_from_db()
    assert "woord" not in product.description_nl


def test_the_variables_with_the_gemeentes_own_values(client, gemeenten):
    roosendaal, _ = gemeenten
    Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")
    Variable.objects.create(key="url.afspraak", kind=Variable.Kind.URL, label="Afspraak maken", fallback="Bel ons voor een afspraak")
    VariableValue.objects.create(variable=Variable.objects.get(key="leges.paspoort"), gemeente=roosendaal, value="75.30")
    product = make_product()
    client.force_login(municipal_curator(roosendaal))
    text = "<p>Het kost {{ leges.paspoort }}. Maak een afspraak: {{ url.afspraak }}. Zie {{ leges.onbekend }}. Bel {{ gemeente.telefoon }}.</p>"
    html = client.post(panel_url(product, roosendaal, "procedure_nl"), {"value": rich_text(text)}).content.decode()
    listed = html.split('<ul class="kwaliteit-variables">')[1].split("</ul>")[0]
    items = [item.split("</li>")[0] for item in listed.split("<li>")[1:]]
    by_key = {item.split("{{ ")[1].split(" }}")[0]: item for item in items}
    assert list(by_key) == ["leges.paspoort", "url.afspraak", "leges.onbekend", "gemeente.telefoon"]
    assert "€ 75,30" in by_key["leges.paspoort"]
    assert "geen waarde in Roosendaal" in by_key["url.afspraak"] and "Bel ons voor een afspraak" in by_key["url.afspraak"]
    assert "onbekend</strong>" in by_key["leges.onbekend"] and "geen waarde" in by_key["leges.onbekend"]
    assert "14 0999" in by_key["gemeente.telefoon"], "a built-in variable: the gemeente's own phone number"


def test_the_empty_required_sdg_sections_as_the_gemeente_shows_them(client, gemeenten):
    roosendaal, _ = gemeenten
    upl = UPLName.objects.create(name="Paspoort", uri="https://standaarden.overheid.nl/owms/terms/Paspoort", sdg=True)
    product = make_product(upl=upl, costs_nl="<p>Zie de tarieven.</p>", description_nl="<p>Een paspoort.</p>")
    client.force_login(municipal_curator(roosendaal))

    def empty_required(html):
        return html.split("Verplichte onderdelen zijn leeg:</strong>")[1].split("</p>")[0]

    html = client.get(panel_url(product, roosendaal)).content.decode()
    assert "kosten" not in empty_required(html) and "termijn" in empty_required(html)
    # The curator empties the costs in the field editor, unsaved.
    html = client.post(panel_url(product, roosendaal, "costs_nl"), {"value": rich_text("")}).content.decode()
    assert "kosten" in empty_required(html)
    # A saved local text that fills the time limit fills it for Roosendaal only.
    set_override(product, roosendaal, "lead_time_nl", "<p>Binnen vijf dagen.</p>", municipal_curator(roosendaal))
    assert "termijn" not in empty_required(client.get(panel_url(product, roosendaal)).content.decode())


def test_a_gemeentes_local_entry_has_the_panel_in_its_own_edit_form(client, gemeenten):
    from .admin_forms import edit_url, form_data

    roosendaal, _ = gemeenten
    local = make_product(gemeente=roosendaal, title_nl="Afvalpas", description_nl="<p>U haalt de pas op.</p>")
    client.force_login(municipal_curator(roosendaal))
    page = client.get(edit_url(local))
    assert b"kwaliteit/editor-panel.js" in page.content
    data = form_data(page.content.decode())
    data["description_nl"] = [rich_text(f"<p>{OFFICIALESE}</p>")]
    html = client.post(reverse("kwaliteit:editor_panel", args=["pdc.product", local.pk]), data).content.decode()
    assert "<mark>aanvraagformulieren</mark>" in html and "kwaliteit-low" in html


def test_the_local_panel_is_for_the_gemeentes_curators_only(client, gemeenten):
    from gemeenten.models import Role

    from .factories import make_user

    roosendaal, etten = gemeenten
    product = make_product()
    local = make_product(gemeente=etten)
    client.force_login(municipal_curator(roosendaal))
    refused = client.get(panel_url(product, etten))
    assert refused.status_code in (302, 403) and b"Leesbaarheid" not in refused.content
    assert client.get(panel_url(local, etten)).status_code in (302, 403, 404)
    assert client.get(panel_url(local, roosendaal)).status_code == 404, "a local entry has no local texts"
    assert client.get(reverse("kwaliteit:local_panel", args=["gemeente", product.pk, "roosendaal"])).status_code == 404
    client.force_login(make_user(Role.AGENT, roosendaal))
    refused = client.get(panel_url(product, roosendaal))
    assert refused.status_code in (302, 403) and b"Leesbaarheid" not in refused.content


def test_the_local_editor_pages_load_the_panel_script(client, gemeenten):
    roosendaal, _ = gemeenten
    product = make_product()
    client.force_login(municipal_curator(roosendaal))
    for url in (reverse("sharing:entry_editor", args=["product", product.pk, "roosendaal"]), field_editor_url(product, roosendaal, "procedure_nl")):
        html = client.get(url).content.decode()
        assert "kwaliteit/editor-panel.js" in html
        assert f'data-kwaliteit-local-pages="{reverse("sharing:overview")}"' in html
        assert f'data-kwaliteit-local-panel="{panel_url(product, roosendaal).removesuffix(f"product/{product.pk}/roosendaal/")}"' in html


# -- broken links: never blocking, per owner and gemeente ----------------------------------------------


def test_saving_an_entry_and_a_local_text_with_a_dead_link_succeeds(client, gemeenten, server):  # noqa: F811
    roosendaal, _ = gemeenten
    dead = f"{server}/bestaat-niet"
    curator = municipal_curator(roosendaal)
    client.force_login(curator)

    local = make_product(gemeente=roosendaal, title_nl="Afvalpas")
    response = post_edit_form(client, local, {"description_nl": rich_text(f'<p>Zie <a href="{dead}">de regels</a>.</p>')}, action="action-publish")
    assert response.status_code == 302, "published"
    local.refresh_from_db()
    assert dead in local.description_nl

    shared = make_product(title_nl="Paspoort")
    response = client.post(field_editor_url(shared, roosendaal, "procedure_nl"), {"value": rich_text(f'<p><a href="{dead}">Afspraak</a></p>'), "go_live_at": ""})
    assert response.status_code == 302
    assert dead in shared.overrides.get(gemeente=roosendaal, field_name="procedure_nl").value

    assert Handler.requests == [] and not Link.objects.exists(), "saving requests nothing and waits for no check"
    call_command("check_links", stdout=io.StringIO())
    assert Link.objects.get(url=dead).status == Link.Status.BROKEN


@pytest.fixture
def owned_links(db, server, gemeenten):  # noqa: F811
    """A shared product owned by the region's curator; Roosendaal's local
    texts of it owned by Roosendaal's own curator and team; Etten-Leur's
    local texts of it without an owner."""
    roosendaal, etten = gemeenten
    regional = regional_curator()
    local_owner = municipal_curator(roosendaal)
    team = Team.objects.create(name="Burgerzaken", gemeente=roosendaal)
    team_member = municipal_curator(roosendaal)
    team.members.add(team_member)
    product = make_product(title_nl="Parkeervergunning", owner=regional, description_nl=f'<p><a href="{server}/gedeeld-weg">regeling</a></p>')
    set_override(product, roosendaal, "procedure_nl", f'<p><a href="{server}/roosendaal-weg">loket</a></p>', local_owner)
    set_override(product, etten, "procedure_nl", f'<p><a href="{server}/etten-weg">loket</a></p>', municipal_curator(etten))
    LocalOwnership.objects.update_or_create(
        entry_kind="product", entry_id=product.pk, gemeente=roosendaal, defaults={"owner": local_owner, "owner_team": team}
    )
    call_command("check_links", stdout=io.StringIO())
    return roosendaal, etten, regional, local_owner, team_member


def test_a_link_in_a_local_text_belongs_to_the_owner_of_the_gemeentes_local_texts(owned_links, server):
    roosendaal, etten, regional, local_owner, _ = owned_links
    shared = LinkUse.objects.get(link__url=f"{server}/gedeeld-weg")
    assert shared.owner == regional and shared.gemeente is None
    in_roosendaal = LinkUse.objects.get(link__url=f"{server}/roosendaal-weg")
    assert in_roosendaal.is_override and in_roosendaal.gemeente == roosendaal
    assert in_roosendaal.owner == local_owner and in_roosendaal.owner_team.name == "Burgerzaken"
    in_etten = LinkUse.objects.get(link__url=f"{server}/etten-weg")
    assert in_etten.gemeente == etten and in_etten.owner is None and in_etten.owner_team is None, "not the shared entry's owner"
    # A new local owner takes the links over at the next run.
    LocalOwnership.objects.filter(gemeente=roosendaal).update(owner=regional, owner_team=None)
    collect_links()
    assert LinkUse.objects.get(link__url=f"{server}/roosendaal-weg").owner == regional


def group_rows(response):
    """The cells of the "per owner and gemeente" table, row by row."""
    table = main_element(response).xpath("(.//table)[1]")[0]
    return [[" ".join(cell.text_content().split()) for cell in row.xpath("./td")] for row in table.xpath(".//tbody/tr")]


def test_the_report_filters_by_owner_and_gemeente(client, owned_links, server):
    roosendaal, etten, regional, local_owner, team_member = owned_links
    url = reverse("kwaliteit:links")
    client.force_login(regional_curator())
    text = visible_text(client.get(url, {"eigenaar": f"persoon-{local_owner.pk}"}))
    assert "roosendaal-weg" in text and "gedeeld-weg" not in text and "etten-weg" not in text
    text = visible_text(client.get(url, {"eigenaar": f"persoon-{regional.pk}"}))
    assert "gedeeld-weg" in text and "roosendaal-weg" not in text
    text = visible_text(client.get(url, {"eigenaar": "geen"}))
    assert "etten-weg" in text and "roosendaal-weg" not in text and "gedeeld-weg" not in text
    text = visible_text(client.get(url, {"gemeente": etten.pk}))
    assert "etten-weg" in text and "roosendaal-weg" not in text and "gedeeld-weg" not in text
    text = visible_text(client.get(url, {"gemeente": "gedeeld"}))
    assert "gedeeld-weg" in text and "etten-weg" not in text and "roosendaal-weg" not in text
    # Per owner and gemeente: Roosendaal's links under its own owner and team.
    groups = group_rows(client.get(url))
    assert [local_owner.username + " · team Burgerzaken", "Roosendaal", "1", "1", "0"] in groups
    assert [regional.username, "gedeeld", "1", "1", "0"] in groups
    assert ["(geen eigenaar)", "Etten-Leur", "1", "1", "0"] in groups

    # "Mine" for a member of the owning team, and never another gemeente's links.
    client.force_login(team_member)
    text = visible_text(client.get(url, {"eigenaar": "mijn"}))
    assert "roosendaal-weg" in text and "gedeeld-weg" not in text
    text = visible_text(client.get(url, {"eigenaar": "geen"}))
    assert "etten-weg" not in text


def test_the_check_is_a_scheduled_task_the_command_enqueues(owned_links, server):
    from django_tasks.base import Task

    from kwaliteit.tasks import check_all_links

    assert isinstance(check_all_links, Task)
    Link.objects.update(status=Link.Status.UNCHECKED, checked_at=None)
    out = io.StringIO()
    call_command("check_links", "--enqueue", stdout=out)
    assert out.getvalue().startswith("In de wachtrij")
    assert not Link.objects.filter(status=Link.Status.UNCHECKED).exists(), "the immediate backend of the tests ran it"


# -- in the browser: typing in the local editor updates the score ----------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_local_editors_panel_follows_the_curator_while_typing(browser, live_server):
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal")
    product = make_product(title_nl="Paspoort", summary="U vraagt een paspoort aan.", procedure_nl="<p>Maak een afspraak.</p>")
    curator = municipal_curator(roosendaal)
    url = field_editor_url(product, roosendaal, "procedure_nl")
    context = browser.new_context(locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto(f"{live_server.url}/admin/login/?next={url}")
    page.fill("#id_username", curator.username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{url}")
    panel = page.locator(".kwaliteit-panel")
    panel.locator("summary", has_text="Leesbaarheid in Roosendaal").wait_for()
    before = float(panel.locator(".kwaliteit-score").inner_text().replace(",", "."))
    assert before >= 60 and "Lange zinnen (0)" in panel.inner_text()

    editor = page.locator(".Draftail-Editor [contenteditable=true]")
    editor.click()
    page.keyboard.press("End")
    page.keyboard.type(" " + " ".join(["Overeenkomstig"] * 21) + ".")
    page.locator(".kwaliteit-panel", has_text="Lange zinnen (1)").wait_for()
    after = float(panel.locator(".kwaliteit-score").inner_text().replace(",", "."))
    assert after < before and after < 60
    assert panel.locator("mark", has_text="Overeenkomstig").count() >= 1
    assert not product.overrides.exists(), "typing saves nothing"
    context.close()
