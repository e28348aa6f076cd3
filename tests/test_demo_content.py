"""The full demo content: our own fixtures plus the municipal UPL, loaded
idempotently, with the local differences the acceptance stories need."""

import io
import json
import os
import re
import sys
from html import unescape
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.utils.html import strip_tags

from fixtures.loader import CONTENT_DIR
from gemeenten.models import Gemeente
from kennis.models import VAC, AgentNote, VACOverride
from pdc.demo import PLACEHOLDER_UPL_NAME
from pdc.models import Product, ProductOverride, UPLName
from pdc.upl_import import BUNDLED_UPL_CSV
from sharing.resolution import AGENT, PUBLIC, published_queryset, resolve, resolve_many, visible_queryset
from sharing.variables import GemeenteContext

pytestmark = pytest.mark.django_db


def counts():
    return {
        "products": Product.objects.count(),
        "vacs": VAC.objects.count(),
        "overrides": ProductOverride.objects.count() + VACOverride.objects.count(),
        "notes": AgentNote.objects.count(),
        "upl": UPLName.objects.count(),
    }


# Files opened while recording (an audit hook cannot be removed, so it is
# added once and records only while this is a list).
OPENED = None


def record_open(event, args):
    if OPENED is not None and event == "open" and isinstance(args[0], (str, os.PathLike)):
        OPENED.append(Path(args[0]).resolve())


@pytest.fixture(scope="module")
def second_load(full_demo, django_db_blocker):
    """`make demo` run again on the full demo, as on a fresh clone: no
    UPL_SOURCE, and every file it opens recorded."""
    global OPENED
    first = counts()
    if record_open not in getattr(sys, "_kennisbank_hooks", ()):
        sys.addaudithook(record_open)
        sys._kennisbank_hooks = (record_open,)
    upl_source = os.environ.pop("UPL_SOURCE", None)
    OPENED = []
    try:
        with django_db_blocker.unblock():
            call_command("load_demo", port=80, stdout=io.StringIO())
            again = counts()
        yield SimpleNamespace(first=first, again=again, opened=OPENED)
    finally:
        OPENED = None
        if upl_source is not None:
            os.environ["UPL_SOURCE"] = upl_source


def test_the_demo_reads_only_files_inside_the_project(second_load):
    """A clone without ../shared beside it gets the whole demo (issue 10.18)."""
    project = Path(settings.BASE_DIR).resolve()
    python = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    outside = [
        path
        for path in second_load.opened
        if not path.is_relative_to(project) and not any(path.is_relative_to(root) for root in python)
    ]
    data_files = [path for path in outside if path.suffix.lower() in (".csv", ".json", ".xml", ".xsd", ".md", ".txt")]
    beside = [path for path in outside if path.is_relative_to(project.parent)]
    assert not data_files and not beside, f"the demo read files outside the project: {data_files + beside}"
    assert BUNDLED_UPL_CSV.resolve() in second_load.opened
    assert BUNDLED_UPL_CSV.resolve().is_relative_to(project)
    assert second_load.again["upl"] >= 1000
    assert second_load.again["products"] >= 450, "33 written, 3 local and ~417 products from municipal UPL names"


def test_full_demo_is_complete_and_loads_twice_without_duplicates(full_demo, second_load):
    first = second_load.first
    assert second_load.again == first
    assert first["upl"] >= 1000
    full_text = Product.objects.filter(gemeente__isnull=True).exclude(procedure_nl="")
    assert full_text.count() >= 30
    uncovered = UPLName.objects.current().municipal().filter(products__isnull=True)
    uncovered = uncovered.exclude(name__istartswith=PLACEHOLDER_UPL_NAME)
    assert not uncovered.exists(), "every municipal UPL name has a shared product"
    assert VAC.objects.filter(gemeente__isnull=True).count() >= 100
    assert first["overrides"] >= 9
    for gemeente in full_demo.values():
        assert Product.objects.filter(gemeente=gemeente).exists(), f"{gemeente} has no local product"


def test_every_demo_entry_resolves_on_both_channels_for_every_gemeente(full_demo):
    for gemeente in full_demo.values():
        context = GemeenteContext.load(gemeente)
        for model in (Product, VAC):
            entries = visible_queryset(model, gemeente)
            public = resolve_many(entries, gemeente, channel=PUBLIC, context=context)
            agent = resolve_many(entries, gemeente, channel=AGENT, context=context)
            assert len(agent) == entries.count()
            assert len(public) <= len(agent)
            for resolved in public:
                assert "{{" not in repr(resolved.fields)


def test_etten_leur_does_not_offer_the_parking_permit(full_demo):
    product = Product.objects.get(slug="parkeervergunning")
    assert resolve(product, full_demo["etten-leur"]) is None
    assert resolve(product, full_demo["etten-leur"], channel=AGENT).offered is False
    assert resolve(product, full_demo["roosendaal"]) is not None


def test_passport_shows_each_gemeentes_own_fee_and_roosendaals_own_procedure(full_demo):
    passport = Product.objects.get(slug="paspoort")
    resolved = {slug: resolve(passport, g) for slug, g in full_demo.items()}
    fees = {slug: r["costs"] for slug, r in resolved.items()}
    assert all("€" in fee for fee in fees.values())
    assert "{{" not in "".join(fees.values())
    assert "procedure_nl" in resolved["roosendaal"].overridden
    assert "documentenkluis" in resolved["roosendaal"]["procedure"]
    assert "procedure_nl" not in resolved["bergen-op-zoom"].overridden
    assert "documentenkluis" not in resolved["bergen-op-zoom"]["procedure"]


def test_the_missing_variable_is_reported_not_shown(full_demo):
    etten = full_demo["etten-leur"]
    context = GemeenteContext.load(etten)
    problems = [
        problem
        for resolved in resolve_many(visible_queryset(Product, etten), etten, channel=AGENT, context=context)
        for problem in resolved.problems
    ]
    assert problems, "the demo leaves one Etten-Leur variable without a value on purpose"


# Consistency of what the demo shows (issue 10.7)

MONEY = re.compile(r"€\s?\d[\d.]*(?:,\d{2}|,-)")
DEMO_HOST = re.compile(r"^(?:[a-z0-9-]+\.)?localhost$")
MAX_PAGES = 4000


def plain(html):
    return " ".join(unescape(strip_tags(html or "")).split())


def amounts(resolved):
    return {m.replace(" ", "") for m in MONEY.findall(" ".join(plain(v) for v in resolved.fields.values() if isinstance(v, str)))}


def looks_like_an_address(text):
    text = " ".join(text.split())
    return bool(re.match(r"(?i)^(?:https?://|www\.)", text)) or bool(re.fullmatch(r"(?i)[a-z0-9.-]+\.[a-z]{2,}(?:/\S*)?", text))


class Site:
    """Every page of one gemeente's demo site reachable from its home page
    and from the pages of its demo content (some VACs are found only by
    searching), fetched with Django's test client, following the links."""

    def __init__(self, client, gemeente):
        self.client, self.host = client, gemeente.site.hostname
        written = published_queryset(Product, gemeente).filter(has_content=True).values_list("slug", flat=True)
        vacs = published_queryset(VAC, gemeente).values_list("slug", flat=True)
        self.content = [f"/producten/{slug}/" for slug in written] + [f"/vragen/{slug}/" for slug in vacs]
        self.pages, self.broken, self.anchors = {}, [], []
        self.checked = {}

    def get(self, url):
        if url not in self.checked:
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            response = self.client.get(path, HTTP_HOST=parts.hostname, follow=True)
            html = response.content.decode() if "html" in response.get("Content-Type", "") else ""
            self.checked[url] = (response.status_code, html)
        return self.checked[url]

    def crawl(self):
        queue = [f"http://{self.host}{path}" for path in ["/", *self.content]]
        seen = set(queue)
        while queue:
            url = queue.pop()
            status, html = self.get(url)
            if status != 200:
                continue
            self.pages[url] = html
            assert len(self.pages) < MAX_PAGES, "the crawl does not end"
            for anchor in BeautifulSoup(html, "html.parser").find_all("a", href=True):
                self.anchors.append((url, anchor["href"], anchor.get_text(" ", strip=True)))
                target = urljoin(url, anchor["href"])
                parts = urlsplit(target)
                if parts.scheme not in ("http", "https") or not DEMO_HOST.match(parts.hostname or ""):
                    continue  # mailto:, tel:, and addresses outside the demo
                page = target.split("#")[0]
                if parts.hostname == self.host and page not in seen and not parts.path.startswith(("/admin/", "/widget/")):
                    seen.add(page)
                    queue.append(page)
                self.check(url, page, parts.fragment)
        return self

    def check(self, source, page, fragment):
        status, html = self.get(page)
        if status != 200:
            self.broken.append((source, page, status))
        elif fragment and f'id="{fragment}"' not in html:
            self.broken.append((source, f"{page}#{fragment}", "no such anchor"))


@pytest.fixture(scope="module")
def demo_sites(full_demo, django_db_blocker):
    client = Client()
    with django_db_blocker.unblock():
        return {slug: Site(client, gemeente).crawl() for slug, gemeente in full_demo.items()}


def test_no_link_on_the_demo_sites_is_dead(demo_sites):
    for slug, site in demo_sites.items():
        assert len(site.content) > 150 and len(site.pages) > len(site.content), (slug, len(site.content), len(site.pages))
        assert not site.broken, f"{slug}: dead links (page, link, status): {site.broken[:20]}"
        assert any(href.endswith("/contact/#afspraak") for _, href, _ in site.anchors), "the appointment links are followed too"


def test_no_link_on_the_demo_sites_has_an_address_as_its_text(demo_sites):
    for slug, site in demo_sites.items():
        raw = {(href, text) for _, href, text in site.anchors if looks_like_an_address(text)}
        assert not raw, f"{slug}: links that show their address: {sorted(raw)[:10]}"


def test_no_money_amount_of_zero_and_no_text_pointing_to_the_own_website(demo_sites, full_demo):
    for slug, site in demo_sites.items():
        for url, html in site.pages.items():
            text = plain(html)
            assert not re.search(r"€\s?0,00", text), f"{url} shows € 0,00 instead of gratis"
            elsewhere = re.search(rf"(?<!Welkom )(?:op|via) de website van (?:de gemeente|{re.escape(full_demo[slug].name)})", text)
            assert not elsewhere, f"{url} sends the reader to the website they are on: {elsewhere.group()}"


def test_shared_demo_content_and_overrides_state_no_amount_outside_the_variables():
    """A fee of a shared entry is a variable with one value per gemeente; an
    amount written in its text or in an override contradicts it as soon as
    the gemeente changes its fees (Bergen op Zoom's grofvuil said "gratis …
    vaker € 25,00" while its variable, in the VACs, was € 0,00). A gemeente's
    own local entries may state their own amounts."""
    for name in ("products.json", "vacs.json"):
        written = MONEY.findall((CONTENT_DIR / name).read_text(encoding="utf-8"))
        assert not written, f"{name} states amounts in text: {written}"
    local = json.loads((CONTENT_DIR / "local.json").read_text(encoding="utf-8"))
    for slug, data in local.items():
        for override in data["overrides"]:
            assert not MONEY.findall(str(override["value"])), (slug, override)


def test_each_vac_states_the_fee_of_the_products_it_belongs_to(full_demo):
    """One fee per product per gemeente: every amount a VAC shows is the
    amount one of its products shows for that gemeente."""
    checked = 0
    for gemeente in full_demo.values():
        context = GemeenteContext.load(gemeente)
        products = {r.id: amounts(r) for r in resolve_many(visible_queryset(Product, gemeente), gemeente, channel=PUBLIC, context=context)}
        vacs = visible_queryset(VAC, gemeente).prefetch_related("related_products")
        resolved = {r.id: r for r in resolve_many(vacs, gemeente, channel=PUBLIC, context=context)}
        for vac in vacs:
            shown = amounts(resolved[vac.pk]) if vac.pk in resolved else set()
            related = [products[p.pk] for p in vac.related_products.all() if p.pk in products]
            if shown and related:
                checked += 1
                assert any(shown <= fees for fees in related), (gemeente.slug, vac.slug, shown, related)
    assert checked >= 15, "the demo's VACs that name a fee were checked"


def test_bergen_op_zoom_states_one_fee_for_bulky_waste(client, full_demo):
    bergen = full_demo["bergen-op-zoom"]
    pages = [client.get(path, HTTP_HOST=bergen.site.hostname) for path in ("/producten/grofvuil/", "/vragen/grofvuil-kosten/", "/vragen/grofvuil-aanmelden/")]
    texts = [plain(page.content.decode()) for page in pages]
    assert all(page.status_code == 200 for page in pages)
    assert {fee for text in texts for fee in MONEY.findall(text)} == {"€ 25,00"}
    assert all("gratis" in text and "4 keer per jaar" in text for text in texts)


def test_a_fee_of_zero_reads_gratis():
    from sharing.models import Variable
    from sharing.variables import render_typed

    assert render_typed(Variable.Kind.MONEY, "0.00", html=True) == "gratis"
    assert render_typed(Variable.Kind.MONEY, "0", html=False) == "gratis"
    assert render_typed(Variable.Kind.MONEY, "25", html=False) == "€ 25,00"


def test_a_missing_value_reads_as_a_way_to_ask_the_gemeente(client, full_demo):
    etten = full_demo["etten-leur"]
    context = GemeenteContext.load(etten)
    missing = [
        resolved.slug
        for resolved in resolve_many(visible_queryset(Product, etten), etten, channel=PUBLIC, context=context)
        if resolved.problems
    ]
    assert missing, "the demo leaves one Etten-Leur variable without a value on purpose"
    text = plain(client.get(f"/producten/{missing[0]}/", HTTP_HOST=etten.site.hostname).content.decode())
    assert "een bedrag dat u bij de gemeente kunt navragen (telefoon 14 076)" in text


def test_a_url_variable_is_a_link_with_words(full_demo):
    roosendaal = full_demo["roosendaal"]
    procedure = resolve(Product.objects.get(slug="paspoort"), roosendaal)["procedure"]
    link = BeautifulSoup(procedure, "html.parser").find("a", href=f"{roosendaal.site.root_url}/contact/#afspraak")
    assert link is not None and link.text == "de afsprakenpagina"


def test_the_footer_gives_one_address_per_office(client, full_demo):
    for gemeente in full_demo.values():
        html = client.get("/", HTTP_HOST=gemeente.site.hostname).content.decode()
        block = BeautifulSoup(html, "html.parser").find(id="contact")
        visiting = [" ".join(li.text.split()).removeprefix("Bezoekadres: ") for li in block.find_all("li") if "Bezoekadres" in li.text]
        offices = {" ".join(p.text.split()): location.find("h3").text for location in block.select(".location") for p in location.select("p")}
        assert visiting == [gemeente.visiting_address]
        assert gemeente.visiting_address in offices, f"{gemeente}: the visiting address is none of the offices {offices}"
        assert len(offices) == gemeente.locations.count(), "each office its own address"


def activity_counts():
    from feedback.models import Feedback
    from sharing.models import LocalOwnership, Team
    from voorstellen.models import Invitation, Suggestion
    from zoeken.models import SearchQuery

    return {
        "teams": Team.objects.count(),
        "members": Team.members.through.objects.count(),
        "local owners": LocalOwnership.objects.count(),
        "flags": Feedback.objects.flags().count(),
        "invitations": Invitation.objects.count(),
        "suggestions": Suggestion.objects.count(),
        "searches": SearchQuery.objects.count(),
        "owners": sorted(Product.objects.values_list("slug", "owner__username", "owner_team__name", "review_date", "reviewed_at")),
    }


@pytest.fixture(scope="module")
def activity(second_load, django_db_blocker):
    """The demo's work on its content (owners, flags, suggestions, MI data),
    which `second_load` (a plain `load_demo`) adds, and the same after one more run."""
    with django_db_blocker.unblock():
        first = activity_counts()
        call_command("load_demo", port=80, stdout=io.StringIO())
        return SimpleNamespace(first=first, again=activity_counts())


def test_the_demo_has_teams_owners_and_review_dates_due_and_overdue(full_demo, activity):
    from django.utils import timezone

    from redactie.reviews import State, review_items
    from sharing.models import LocalOwnership, Team

    regional = Team.objects.get(name="Team Burgerzaken", gemeente=None)
    assert regional.members.filter(username="regio").exists()
    assert Team.objects.get(gemeente=full_demo["roosendaal"]).members.filter(username="redactie-roosendaal").exists()
    today = timezone.localdate()
    shared = Product.objects.filter(gemeente__isnull=True)
    assert shared.filter(review_date__lt=today).count() >= 10
    assert shared.filter(review_date__gte=today, review_date__lte=today + timezone.timedelta(days=30)).count() >= 10
    assert shared.filter(reviewed_at__isnull=False, review_date__gt=today + timezone.timedelta(days=30)).count() >= shared.count() // 2
    assert not shared.filter(owner__username="demo").exists(), "owners are the curators, not the superuser"
    assert not shared.filter(owner__isnull=True, owner_team__isnull=True).exists()
    roosendaal = full_demo["roosendaal"]
    local = LocalOwnership.objects.filter(gemeente=roosendaal)
    overridden = {o.entry_id for o in ProductOverride.objects.filter(gemeente=roosendaal)}
    assert overridden and overridden <= set(local.filter(entry_kind="product").values_list("entry_id", flat=True))
    assert set(local.values_list("owner__username", flat=True)) == {"redactie-roosendaal"}
    states = [item.states for item in review_items(roosendaal)]
    assert any(State.OVERDUE in s for s in states) and any(State.DUE in s for s in states)


def test_the_demo_has_flags_in_each_status_routed_to_the_owners(full_demo, activity):
    from feedback.models import Feedback
    from feedback.routing import owner_of

    flags = Feedback.objects.flags().exclude(remark__startswith="[synthetisch]")
    assert set(flags.values_list("status", flat=True)) == set(Feedback.Status.values)
    for flag in flags.exclude(entry_id=None):
        route, owner, team = owner_of(flag.entry, flag.gemeente, flag.field_name)
        assert (flag.route, flag.assignee, flag.assignee_team) == (route, owner, team) and (owner or team)
    local = flags.get(gemeente=full_demo["roosendaal"], route=Feedback.Route.LOCAL)
    assert local.assignee.username == "redactie-roosendaal", "a flag on Roosendaal's own text goes to its local owner"
    assert flags.filter(route=Feedback.Route.SHARED).exclude(entry_id=None).exists()
    assert flags.filter(status=Feedback.Status.REJECTED).exclude(status_reason="").exists()


def test_the_demo_has_an_experts_open_suggestion_an_agents_draft_and_mi_data(full_demo, activity):
    from stuurinformatie.models import ContactOutcome
    from voorstellen.models import Suggestion
    from zoeken.models import SearchQuery

    open_ = Suggestion.objects.open()
    expert = open_.get(invitation__isnull=False)
    assert expert.proposals.exists() and expert.gemeente == full_demo["roosendaal"]
    draft = open_.get(author__username="kcc")
    assert draft.entry_id is None and draft.entry_kind == "vac" and draft.proposals.count() == 2
    assert SearchQuery.objects.filter(backend="synthetisch").count() > 1000
    assert ContactOutcome.objects.count() > 100


def test_the_demos_activity_loads_twice_without_duplicates(activity):
    assert activity.again == activity.first
    assert activity.first["teams"] == 2 and activity.first["invitations"] == 1 and activity.first["suggestions"] == 2


def test_the_editor_opens_a_demo_entry_with_its_themes_and_relations(full_demo):
    """The editor (and a change submitted from it) starts from the latest
    revision: the loader's first revision holds what it set after saving it."""
    product = Product.objects.get(slug="paspoort")
    vac = VAC.objects.filter(gemeente__isnull=True, related_products__isnull=False).exclude(departments=None).first()
    for entry, relations in ((product, ("themes", "related_products")), (vac, ("departments", "related_products"))):
        draft = entry.get_latest_revision_as_object()
        for name in relations:
            assert set(getattr(draft, name).all()) == set(getattr(entry, name).all()) != set(), name


def test_the_demo_has_english_text_on_at_least_30_sdg_products(full_demo):
    """Issue 14: SDG products in English, each with an English page in every gemeente that offers it."""
    english = Product.objects.filter(gemeente=None, upl__sdg=True, title_en__gt="", description_en__gt="")
    assert english.count() >= 30
    roosendaal = full_demo["roosendaal"]
    pages = [r for r in resolve_many(english, roosendaal, language="en", fallback=False) if r.title]
    assert len(pages) >= 30
    response = Client().get(f"/en/producten/{pages[0].slug}/", HTTP_HOST=roosendaal.site.hostname)
    assert response.status_code == 200 and response["Content-Language"] == "en"
