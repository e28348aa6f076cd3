"""The leak test of the brief: canary strings in every agent-only field and
in one gemeente's overrides and local entries; then every public page in
every gemeente's sitemap, the sitemaps themselves, the Samenwerkende
Catalogi feeds, the public API (lists, details, search, suggestions) and
the site search are read, and no canary may appear where it does not
belong. Approved changes scheduled for later that agents see already
(issue 12, agents first) carry a canary of their own. Also: the answer text of an entry is the same on the website, in the
widget's API and in the public API."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gemeenten.models import Role
from kennis.models import VAC, AgentNote, AgentNoteKind
from pdc.models import Product
from sharing.kinds import kinds
from sharing.models import Variable, VariableValue
from sharing.workflow_models import OverrideChange
from sharing.overrides import set_override
from sharing.workflow import hold
from tests.factories import make_user, regional_curator

pytestmark = pytest.mark.django_db
AGENT_CANARY = "agentkanarie7731"
BERGEN_CANARY = "bergenkanarie4419"
SCHEDULED_CANARY = "geplandkanarie5090"
FEE_CANARY = "5.090,77"  # a fee agents see before the public: € 5.090,77


@pytest.fixture
def seeded(full_demo):
    bergen = full_demo["bergen-op-zoom"]
    channels = {"spoken_answer": f"{AGENT_CANARY} gesproken", "email_template": f"Geachte heer/mevrouw, {AGENT_CANARY}"}
    VAC.objects.update(internal_explanation=f"<p>{AGENT_CANARY} intern</p>", **channels)
    Product.objects.update(**channels)
    for entry in [*Product.objects.exclude(procedure_nl="")[:12], *VAC.objects.all()[:12]]:
        for kind in AgentNoteKind.values:
            AgentNote.objects.create(kind=kind, title=f"{AGENT_CANARY} {kind}", body=f"<p>{AGENT_CANARY}</p>", **{entry._meta.model_name: entry})
            AgentNote.objects.create(kind=kind, title="Lokaal", body=f"<p>{AGENT_CANARY}</p>", gemeente=bergen, **{entry._meta.model_name: entry})
    curator = regional_curator()
    passport, vac = Product.objects.get(slug="paspoort"), VAC.objects.get(slug="paspoort-kwijt")
    set_override(passport, bergen, "summary_nl", f"Alleen in Bergen op Zoom {BERGEN_CANARY}", curator)
    set_override(vac, bergen, "answer_nl", f"<p>Alleen in Bergen op Zoom {BERGEN_CANARY}</p>", curator)
    set_override(passport, bergen, "spoken_answer", f"Alleen in Bergen {AGENT_CANARY}", curator)
    set_override(vac, bergen, "email_template", f"Alleen in Bergen {AGENT_CANARY}", curator)
    set_override(passport, bergen, "summary_en", f"Only in Bergen op Zoom {BERGEN_CANARY}", curator)  # its English page
    # Audience variants (issue 14): agent-only fields' variants carry the agent
    # canary, shared and Bergen's own; Bergen's business summary its canary.
    for product in Product.objects.exclude(audience_variants={}):
        variants = {audience: {**texts, "spoken_answer": f"{AGENT_CANARY} zakelijk"} for audience, texts in product.audience_variants.items()}
        Product.objects.filter(pk=product.pk).update(audience_variants=variants)
    passport.refresh_from_db()
    set_override(passport, bergen, "summary_nl@ondernemer", f"Ondernemers in Bergen op Zoom {BERGEN_CANARY}", curator)
    set_override(passport, bergen, "email_template@ondernemer", f"Alleen in Bergen {AGENT_CANARY}", curator)
    local = Product.objects.filter(gemeente=bergen).first()
    local.title_nl = f"{local.title_nl} {BERGEN_CANARY}"
    local.save()
    # Agents first: a shared entry's approved change and an override change,
    # both live next month, that agents see since yesterday.
    later, earlier = timezone.now() + datetime.timedelta(days=30), timezone.now() - datetime.timedelta(days=1)
    change = scheduled_entry()
    change.summary_nl, change.procedure_nl = f"{change.summary_nl} {SCHEDULED_CANARY}", f"<p>{SCHEDULED_CANARY}</p>"
    change.go_live_at, change.agents_from = later, earlier
    change.save_revision(user=curator).publish(user=curator)
    hold(passport, full_demo["roosendaal"], "procedure_nl", OverrideChange.SET, f"<p>{SCHEDULED_CANARY}</p>", None, curator, go_live_at=later, four_eyes=False, agents_from=earlier)
    fee = Variable.objects.get(key="leges.paspoort")
    VariableValue.objects.create(variable=fee, gemeente=full_demo["roosendaal"], value="5090.77", valid_from=later.date(), agents_from=earlier)
    return full_demo


def scheduled_entry():
    return Product.objects.filter(gemeente=None, live=True).exclude(slug="paspoort").exclude(procedure_nl="").order_by("slug").first()


def read(client, host, path):
    response = client.get(path, HTTP_HOST=host)
    assert response.status_code in (200, 301, 302), (host, path, response.status_code)
    return response.content.decode()


def public_surface(client, gemeente):
    """(where, text) of every public page, sitemap, feed and API response of one gemeente."""
    host = gemeente.site.hostname
    sitemap = read(client, host, "/sitemap.xml")
    yield "sitemap", sitemap
    yield "robots", read(client, host, "/robots.txt")
    yield "samenwerkende catalogi", read(client, host, "/samenwerkende-catalogi.xml")
    paths = [urlsplit(url).path for url in re.findall(r"<loc>([^<]+)</loc>", sitemap)]
    for path in paths:
        page = read(client, host, path)
        yield path, page
        for variant in re.findall(r'href="([^"]*\?doelgroep=[^"]+)"', page):  # the audience switch
            yield variant, read(client, host, variant.replace("&amp;", "&"))
    for query in ("paspoort", "intern", "kwijt"):
        yield f"site search {query}", read(client, host, f"/zoeken/?q={query}")
    for query in ("passport", "internal", "intern") if "/en/" in paths else ():  # English search where there are English pages
        yield f"English search {query}", read(client, host, f"/en/search/?q={query}")
    for query in (AGENT_CANARY, BERGEN_CANARY, "paspoort", "intern"):
        # The query itself is echoed back; what matters is what was found.
        found = client.get(reverse("api:search", args=[gemeente.slug]), {"q": query}).json()["hits"]
        yield f"api search {query}", str(found)
        yield f"suggest {query}", str(client.get(reverse("api:suggest", args=[gemeente.slug]), {"q": query}).json()["suggestions"])
    for collection in [kind.api_collection for kind in kinds()]:
        page = 1
        while page:
            body = client.get(reverse("api:list", args=[gemeente.slug, collection]), {"page": page, "page_size": 100}).json()
            yield f"api {collection} page {page}", str(body)
            for item in body["results"]:
                detail = reverse("api:detail", args=[gemeente.slug, collection, item["slug"]])
                response = client.get(detail)
                yield detail, response.content.decode()
                for audience in response.json()["variant_audiences"]:
                    yield f"{detail}?audience={audience}", client.get(detail, {"audience": audience}).content.decode()
            page = body["next"]
    yield "api gemeenten", client.get(reverse("api:gemeenten")).content.decode()
    yield "api themas", client.get(reverse("api:themes", args=[gemeente.slug])).content.decode()


def test_no_agent_content_and_no_other_gemeentes_content_on_any_public_surface(seeded):
    client = Client()
    read_count, english, english_searches = 0, set(), 0
    for slug, gemeente in seeded.items():
        for where, text in public_surface(client, gemeente):
            read_count += 1
            if where.startswith("/en/"):
                english.add(where)
            english_searches += where.startswith("English search")
            assert AGENT_CANARY not in text, f"agent-only text on {slug}: {where}"
            assert SCHEDULED_CANARY not in text, f"a change scheduled for later on {slug}: {where}"
            assert FEE_CANARY not in text and "5090.77" not in text, f"a fee agents see before its date on {slug}: {where}"
            if slug != "bergen-op-zoom":
                assert BERGEN_CANARY not in text, f"Bergen op Zoom's content on {slug}: {where}"
    assert read_count > 1500, "the crawl read every public page of every gemeente"
    assert len(english) > 30, "and the English pages (/en/, issue 14)"
    assert english_searches >= 3, "and English searches"
    bergen = seeded["bergen-op-zoom"]
    assert BERGEN_CANARY in read(client, bergen.site.hostname, "/producten/paspoort/"), "the canary is really published in Bergen"
    assert "Ondernemers in Bergen op Zoom" in read(client, bergen.site.hostname, "/producten/paspoort/?doelgroep=ondernemer"), "its business text too"
    assert BERGEN_CANARY in read(client, bergen.site.hostname, "/en/producten/paspoort/"), "also on its English page"
    assert BERGEN_CANARY in read(client, bergen.site.hostname, "/samenwerkende-catalogi.xml"), "and in Bergen's SC feed"


def test_agents_do_see_the_agent_canary(seeded, client):
    client.force_login(make_user(Role.AGENT, seeded["roosendaal"]))
    body = client.get(reverse("api:agent-detail", args=["roosendaal", "vacs", "paspoort-kwijt"])).content.decode()
    assert AGENT_CANARY in body
    for slug in (scheduled_entry().slug, "paspoort"):
        detail = client.get(reverse("api:agent-detail", args=["roosendaal", "producten", slug])).json()
        assert SCHEDULED_CANARY in str(detail["sections"]) and detail["public_from"], f"agents see the scheduled change of {slug}"
    assert FEE_CANARY in str(detail["sections"]), "and the passport fee agents see before its date"


def main_text(html):
    main = re.search(r"<main\b.*?</main>", html, re.S).group()
    return main


@pytest.mark.parametrize("collection, path", [("producten", "/producten/"), ("vacs", "/vragen/")])
def test_one_answer_everywhere(full_demo, collection, path):
    client, agent = Client(), Client()
    model = Product if collection == "producten" else VAC
    sample = list(model.objects.filter(gemeente=None).exclude(**({"procedure_nl": ""} if model is Product else {})).order_by("pk")[:8])
    for gemeente in full_demo.values():
        agent.force_login(make_user(Role.AGENT, gemeente))
        for entry in sample:
            public = client.get(reverse("api:detail", args=[gemeente.slug, collection, entry.slug]))
            if public.status_code == 404:  # not offered here: then not on the site either
                assert client.get(f"{path}{entry.slug}/", HTTP_HOST=gemeente.site.hostname).status_code == 404
                continue
            answer = public.json()["answer"]
            widget = agent.get(reverse("api:agent-detail", args=[gemeente.slug, collection, entry.slug])).json()["answer"]
            page = main_text(read(client, gemeente.site.hostname, f"{path}{entry.slug}/"))
            assert widget == answer
            parts = [s["html"] for s in public.json()["sections"]] if collection == "producten" else [answer]
            for html in parts:
                assert html in page, f"{gemeente.slug} {entry.slug}: the page shows other text than the API"
