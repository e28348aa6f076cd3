"""Acceptance story 3 (issue 12): new fees from 1 January.

In Chromium: a back-office expert with a personal link (no account)
proposes the 2027 passport and ID-card fees of three gemeenten, effective
1 January 2027; the regional curator accepts them in the queue; a second
curator approves them (the first cannot). With time-machine's clock: just
before 1 January every channel — the gemeente's site, the widget's agent
API, the public API, the Samenwerkende Catalogi feed and search — shows the
2026 fee; once the clock passes 1 January and `publish_scheduled` has run
(as cron runs it in production), every channel shows the 2027 fee."""

import datetime
import json
import os
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gemeenten.models import Publication, Role
from sharing.kinds import get_kind
from sharing.models import Variable, VariableValue
from sharing.variables import GemeenteContext
from sharing.workflow_models import ValueChange
from voorstellen.models import Invitation, InvitationEntry, Suggestion

from .factories import make_gemeente, make_product, make_user, regional_curator

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NEW_YEAR = datetime.datetime(2027, 1, 1, tzinfo=AMSTERDAM)
DECEMBER = datetime.datetime(2026, 12, 10, 10, 0, tzinfo=AMSTERDAM)
# {gemeente slug: {variable key: (2026 value, 2027 value)}}: a different amount per gemeente.
FEES = {
    "roosendaal": {"leges.paspoort": ("84.25", "87.10"), "leges.identiteitskaart": ("77.20", "79.80")},
    "bergen-op-zoom": {"leges.paspoort": ("83.95", "86.75"), "leges.identiteitskaart": ("76.90", "79.45")},
    "etten-leur": {"leges.paspoort": ("84.10", "86.95"), "leges.identiteitskaart": ("77.05", "79.65")},
}
PRODUCTS = {"paspoort": ("Paspoort aanvragen", "leges.paspoort"), "identiteitskaart": ("Identiteitskaart aanvragen", "leges.identiteitskaart")}


def euro(value):
    whole, cents = value.split(".")
    return f"€ {whole},{cents}"


# The one rule for "the fee on a date" ---------------------------------------------------


@pytest.mark.django_db
def test_every_channel_reads_the_fee_on_a_date_through_one_rule():
    """Resolution for one gemeente (`GemeenteContext.load`) and for many at
    once (`load_many`, search and the approver's preview) read the value in
    force from `VariableValueQuerySet.in_force_many`, and agree on every date."""
    dated, undated = make_gemeente(), make_gemeente()
    fee = Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")
    VariableValue.objects.create(variable=fee, gemeente=dated, value="84.25", valid_from=datetime.date(2026, 1, 1))
    VariableValue.objects.create(variable=fee, gemeente=dated, value="87.10", valid_from=datetime.date(2027, 1, 1))
    VariableValue.objects.create(variable=fee, gemeente=undated, value="70.00")
    for on, expected in ((datetime.date(2025, 12, 31), None), (datetime.date(2026, 12, 31), "84.25"), (datetime.date(2027, 1, 1), "87.10")):
        in_force = VariableValue.objects.in_force_many([dated, undated], on=on)
        row = in_force[dated.pk].get("leges.paspoort")
        assert (row.value if row else None) == expected, on
        assert in_force[undated.pk]["leges.paspoort"].value == "70.00"
        many = GemeenteContext.load_many([dated, undated], on=on)
        for gemeente in (dated, undated):
            assert many[gemeente.pk].values == GemeenteContext.load(gemeente, on=on).values, (on, gemeente)


@pytest.mark.django_db
def test_both_channels_loaded_together_read_what_each_reads_alone():
    """Search loads the public's and the agents' contexts in one pass
    (`load_per_channel`, one query for the values): the same values as
    `load` per channel, also for a value agents see before the public."""
    dated, undated = make_gemeente(), make_gemeente()
    fee = Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")
    VariableValue.objects.create(variable=fee, gemeente=dated, value="84.25", valid_from=datetime.date(2026, 1, 1))
    VariableValue.objects.create(variable=fee, gemeente=dated, value="87.10", valid_from=NEW_YEAR.date(), agents_from=DECEMBER - datetime.timedelta(days=1))
    VariableValue.objects.create(variable=fee, gemeente=undated, value="70.00")
    with time_machine.travel(DECEMBER, tick=False):
        for on in (datetime.date(2026, 12, 31), NEW_YEAR.date()):
            both = GemeenteContext.load_per_channel([dated, undated], on=on)
            for gemeente in (dated, undated):
                for agents in (False, True):
                    assert both[agents][gemeente.pk].values == GemeenteContext.load(gemeente, on=on, agents=agents).values, (on, gemeente, agents)
        both = GemeenteContext.load_per_channel([dated], on=datetime.date(2026, 12, 31))
    assert (both[False][dated.pk].values["leges.paspoort"], both[True][dated.pk].values["leges.paspoort"]) == (("money", "84.25"), ("money", "87.10"))


@pytest.mark.django_db
def test_on_the_date_publish_scheduled_has_the_search_documents_of_that_gemeente_renewed(settings):
    """The live engine's documents hold the rendered fee: on the date, the
    scheduled run (not an editor) queues the gemeente's documents for
    re-indexing, and only then (the outbox; no engine is asked here)."""
    from zoeken.models import IndexTask

    settings.SEARCH_ENGINE = "opensearch"
    dated, other = make_gemeente(), make_gemeente()
    fee = Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")
    with time_machine.travel(DECEMBER, tick=False):
        VariableValue.objects.create(variable=fee, gemeente=dated, value="87.10", valid_from=NEW_YEAR.date())
        VariableValue.objects.create(variable=fee, gemeente=other, value="70.00")
        call_command("publish_scheduled", stdout=open(os.devnull, "w"))
        IndexTask.objects.all().delete()  # what the saves themselves queued
    with time_machine.travel(NEW_YEAR - datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled", stdout=open(os.devnull, "w"))
        assert not IndexTask.objects.exists()
    with time_machine.travel(NEW_YEAR + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled", stdout=open(os.devnull, "w"))
        assert list(IndexTask.objects.values_list("gemeente_id", "entry_id")) == [(dated.pk, None)]


# The story in the browser ---------------------------------------------------------------


@pytest.fixture
def story(settings, live_server):
    """Three four-eyes gemeenten with their own sites and 2026 fees, the
    shared passport and ID-card products that name the fees, an expert's
    link for both products in the three gemeenten, two regional curators
    and an agent."""
    from website.provisioning import provision_gemeente

    settings.SEARCH_ENGINE = "none"  # search answered from the database (the live engine: tests/test_search_live.py)
    # The browser's cookies must outlive the travelled clock: session cookies.
    settings.SESSION_EXPIRE_AT_BROWSER_CLOSE = True
    settings.CSRF_COOKIE_AGE = None
    port = int(live_server.url.rsplit(":", 1)[1])
    gemeenten = {
        slug: provision_gemeente(
            name=name, slug=slug, cbs_code=code, hostname=f"{slug}.localhost", port=port, publication=Publication.FOUR_EYES
        )
        for slug, name, code in (("roosendaal", "Roosendaal", "1674"), ("bergen-op-zoom", "Bergen op Zoom", "0748"), ("etten-leur", "Etten-Leur", "0777"))
    }
    variables = {
        key: Variable.objects.create(key=key, kind=Variable.Kind.MONEY, label=label)
        for key, label in (("leges.paspoort", "Leges paspoort"), ("leges.identiteitskaart", "Leges identiteitskaart"))
    }
    for slug, fees in FEES.items():
        for key, (current, _) in fees.items():
            VariableValue.objects.create(variable=variables[key], gemeente=gemeenten[slug], value=current, valid_from=datetime.date(2026, 1, 1))
    products = {
        slug: make_product(
            slug=slug, title_nl=title, summary_nl=f"U vraagt een {slug} aan bij uw gemeente.",
            procedure_nl="<p>Maak een afspraak bij Burgerzaken.</p>", costs_nl=f"<p>Een {slug} kost {{{{ {key} }}}}.</p>",
        )  # fmt: skip
        for slug, (title, key) in PRODUCTS.items()
    }
    invitation = Invitation.objects.create(
        name="Bea Burgerzaken", email="bea@example.nl", department="Burgerzaken", expires_at=NEW_YEAR - datetime.timedelta(days=7)
    )
    invitation.gemeenten.set(gemeenten.values())
    for product in products.values():
        InvitationEntry.objects.create(invitation=invitation, entry_kind=get_kind(product).name, entry_id=product.pk)
    return {
        "url": live_server.url, "port": port, "gemeenten": gemeenten, "invitation": invitation,
        "first": regional_curator(), "second": regional_curator(), "agent": make_user(Role.AGENT),
    }  # fmt: skip


def admin_page(browser, story, user, path):
    """A browser context of its own for a curator, signed in through the admin login."""
    page = browser.new_context(locale="nl-NL").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{story['url']}/admin/login/?next={path}")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "x")
    page.click("button[type=submit]")
    page.wait_for_url(f"{story['url']}{path}")
    return page


def expert_proposes(browser, story):
    page = browser.new_context(locale="nl-NL").new_page()
    page.set_default_timeout(15_000)
    page.goto(f"http://roosendaal.localhost:{story['port']}/voorstellen/{story['invitation'].token}/")
    for slug, gemeente in story["gemeenten"].items():
        for product, (title, key) in PRODUCTS.items():
            current, new = FEES[slug][key]
            page.locator("section[aria-labelledby=onderwerpen] li", has_text=title).get_by_role("link", name=gemeente.name, exact=True).click()
            page.get_by_role("heading", name=f"Bedragen (leges) van gemeente {gemeente.name}").wait_for()
            label = "Leges paspoort" if key == "leges.paspoort" else "Leges identiteitskaart"
            page.get_by_label(f"{label} (nu {euro(current)}), nieuw bedrag").fill(new.replace(".", ","))
            page.get_by_label("Geldig vanaf").fill("2027-01-01")
            page.get_by_role("button", name="Bedragen voorstellen").click()
            page.get_by_text("Dank u wel. Uw voorstel is ontvangen").wait_for()
    page.context.close()


def first_curator_accepts(browser, story):
    queue = reverse("voorstellen_queue")
    page = admin_page(browser, story, story["first"], queue)
    for _ in range(len(FEES) * len(PRODUCTS)):
        page.goto(f"{story['url']}{queue}")
        page.locator("td.title a").first.click()
        accept = page.get_by_role("button", name="Alles overnemen")
        accept.wait_for()
        assert "2027" in page.get_by_role("heading", name="Bedragen").locator("xpath=following-sibling::table[1]").inner_text()
        accept.click()
        page.get_by_text("Het voorstel is verwerkt; niets is gepubliceerd.").wait_for()
    page.goto(f"{story['url']}{queue}")
    page.get_by_text("Geen voorstellen.").wait_for()
    # The one who accepted may not approve: no button on the held changes.
    page.goto(f"{story['url']}{reverse('sharing:changes')}")
    assert page.locator("section.value-change").count() == len(FEES) * len(PRODUCTS)
    assert page.get_by_role("button", name="Goedkeuren").count() == 0
    assert page.get_by_text("Je hebt deze wijziging zelf ingediend").count() == len(FEES) * len(PRODUCTS)
    page.context.close()


def second_curator_approves(browser, story):
    from playwright.sync_api import expect

    changes = reverse("sharing:changes")
    page = admin_page(browser, story, story["second"], changes)
    roosendaal = page.locator("section.value-change", has_text="Leges paspoort — Roosendaal")
    assert euro("84.25") in roosendaal.inner_text() and euro("87.10") in roosendaal.inner_text(), "before and after"
    held = page.locator("section.value-change")
    for left in reversed(range(len(FEES) * len(PRODUCTS))):
        held.first.get_by_role("button", name="Goedkeuren").click()
        expect(held).to_have_count(left)
        expect(page.get_by_text("Goedgekeurd; de nieuwe waarde geldt vanaf 01-01-2027.")).to_be_visible()
    page.get_by_text("Er wachten geen lokale wijzigingen.").wait_for()
    page.context.close()


def text_of(data):
    return json.dumps(data, ensure_ascii=False)


def channels(story, gemeente, product):
    """(channel, text) of everything that shows the product's fee for this gemeente."""
    client, host = Client(), {"HTTP_HOST": f"{gemeente.site.hostname}:{story['port']}", "SERVER_PORT": str(story["port"])}
    site = client.get(f"/{get_kind('product').url_prefix}/{product}/", **host)
    assert site.status_code == 200, site.status_code
    yield "site", site.content.decode()
    feed = client.get("/samenwerkende-catalogi.xml", **host)
    assert feed.status_code == 200
    product_xml = next(part for part in re.split(r"</[\w:]*scproduct>", feed.content.decode()) if f"/{product}/</" in part)
    yield "samenwerkende catalogi", product_xml
    yield "public api", text_of(client.get(reverse("api:detail", args=[gemeente.slug, "producten", product])).json())
    hits = client.get(reverse("api:search", args=[gemeente.slug]), {"q": f"{product} kost"}).json()["hits"]
    yield "search", text_of([hit for hit in hits if hit["slug"] == product])
    client.force_login(story["agent"])
    yield "widget (agent api)", text_of(client.get(reverse("api:agent-detail", args=[gemeente.slug, "producten", product])).json())
    hits = client.get(reverse("api:agent-search", args=[gemeente.slug]), {"q": f"{product} kost"}).json()["hits"]
    yield "widget search", text_of([hit for hit in hits if hit["slug"] == product])


def shown_fees(story, year):
    """[(gemeente, product, channel)] where the fee of `year` (0: 2026, 1: 2027) is not the one shown."""
    wrong = []
    for slug, gemeente in story["gemeenten"].items():
        for product, (_, key) in PRODUCTS.items():
            expected, other = euro(FEES[slug][key][year]), euro(FEES[slug][key][1 - year])
            for channel, text in channels(story, gemeente, product):
                if expected not in text or other in text:
                    wrong.append((slug, product, channel))
    return wrong


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_new_fees_from_an_expert_reach_every_channel_on_1_january(browser, story):
    with time_machine.travel(DECEMBER, tick=True):
        expert_proposes(browser, story)
        assert Suggestion.objects.count() == len(FEES) * len(PRODUCTS)
        assert all(s.invitation == story["invitation"] and s.author is None for s in Suggestion.objects.all()), "no account"
        first_curator_accepts(browser, story)
        assert ValueChange.objects.filter(status=ValueChange.Status.PENDING).count() == len(FEES) * len(PRODUCTS)
        assert not VariableValue.objects.filter(valid_from=NEW_YEAR.date()).exists(), "accepted is not yet approved"
        second_curator_approves(browser, story)
        assert VariableValue.objects.filter(valid_from=NEW_YEAR.date()).count() == len(FEES) * len(PRODUCTS)
        assert set(ValueChange.objects.values_list("reviewed_by", flat=True)) == {story["second"].pk}
        call_command("publish_scheduled", stdout=open(os.devnull, "w"))
        assert shown_fees(story, 0) == []

    with time_machine.travel(NEW_YEAR - datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled", stdout=open(os.devnull, "w"))
        assert shown_fees(story, 0) == [], "the last minute of 2026"

    with time_machine.travel(NEW_YEAR + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled", stdout=open(os.devnull, "w"))
        assert shown_fees(story, 1) == [], "from 1 January 2027"
