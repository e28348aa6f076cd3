"""The summary path and the content cache (sharing/resolution.py
resolve_summaries, sharing/cache.py).

Summaries: for every entry × gemeente × channel of the demo, and for
entries with every reason to differ (overrides, variables, English, not
offered, inactive, local), title, summary and offered are exactly what full
resolution gives.

Cache: after each kind of content change the website and the API show the
new text at once; public responses never carry agent-only text, however
warm the cache; gemeenten and channels never share a value; the version is
read once per request and bumped in the change's own transaction."""

import re

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gemeenten.models import Role
from kennis.models import VAC, AgentNote
from pdc.models import Product, Theme
from sharing import cache as content_cache
from sharing.models import ContentVersion, Variable, VariableValue
from sharing.overrides import set_override
from sharing.related import related_entries
from sharing.resolution import AGENT, CHANNELS, PUBLIC, resolve_many, resolve_summaries, visible_queryset
from tests.factories import make_gemeente, make_product, make_user, make_vac, regional_curator
from tests.test_leaks import AGENT_CANARY, BERGEN_CANARY, seeded  # noqa: F401  (a fixture)
from tests.test_search_outbox import in_thread

pytestmark = pytest.mark.django_db
HOST = "roosendaal.localhost"


def summary_fields(resolved):
    return (resolved.kind, resolved.id, resolved.slug, resolved.title, resolved.summary, resolved.offered, resolved.local, resolved.channel)


def assert_summaries_match(gemeente, model, channel, language="nl"):
    queryset = visible_queryset(model, gemeente)
    full = [summary_fields(r) for r in resolve_many(queryset, gemeente, channel=channel, language=language)]
    short = [summary_fields(s) for s in resolve_summaries(queryset, gemeente, channel=channel, language=language)]
    assert short == full, f"{gemeente.slug} {model.__name__} {channel} {language}"
    return len(full)


# Summaries ------------------------------------------------------------------


def test_summaries_are_full_resolution_for_every_demo_entry(full_demo):
    checked = 0
    for gemeente in full_demo.values():
        for model in (Product, VAC):
            for channel in CHANNELS:
                for language in ("nl", "en"):
                    checked += assert_summaries_match(gemeente, model, channel, language)
    assert checked > 3000


def test_summaries_follow_overrides_variables_language_and_visibility():
    here, there = make_gemeente("Hier"), make_gemeente("Daar")
    curator = regional_curator()
    fee = Variable.objects.create(key="leges.test", kind=Variable.Kind.MONEY, label="leges", fallback="zie de balie")
    VariableValue.objects.create(variable=fee, gemeente=here, value="12.5")
    entries = [
        make_product(slug="met-variabele", title_nl="Kosten {{ leges.test }}", summary_nl="Bel {{ gemeente.telefoon }} of {{ leges.onbekend }}"),
        make_product(slug="engels", title_nl="Paspoort", title_en="Passport", summary_nl="Kort", summary_en=""),
        make_product(slug="overschreven", title_nl="Basis", summary_nl="Basis"),
        make_product(slug="niet-hier", offered=False),
        make_product(slug="lokaal", gemeente=here),
        make_product(slug="elders", gemeente=there),
        make_product(slug="concept", live=False),
        make_vac(slug="vraag", question_nl="Wat kost {{ leges.test }}?"),
        make_vac(slug="oud", status="non-actief"),
        make_vac(slug="uit-hier"),
    ]
    by_slug = {e.slug: e for e in entries}
    set_override(by_slug["overschreven"], here, "title_nl", "Lokale titel {{ gemeente.naam }}", curator)
    set_override(by_slug["overschreven"], here, "summary_en", "Local summary", curator)
    set_override(by_slug["niet-hier"], here, "offered", True, curator)
    set_override(by_slug["uit-hier"], here, "offered", False, curator)
    set_override(by_slug["vraag"], here, "question_en", "What does it cost?", curator)
    for gemeente in (here, there):
        for model in (Product, VAC):
            for channel in CHANNELS:
                for language in ("nl", "en"):
                    assert_summaries_match(gemeente, model, channel, language)
    titles = {s.slug: s.title for s in resolve_summaries(visible_queryset(Product, here), here, channel=PUBLIC)}
    assert titles["met-variabele"] == "Kosten € 12,50" and titles["overschreven"] == "Lokale titel Hier"


def test_related_summaries_are_what_each_channel_resolves(full_demo):
    """Related lists come from the gemeente's published summaries; on each
    channel they equal that channel's own summaries of those entries."""
    models = {"product": Product, "vac": VAC}
    entries = [*Product.objects.filter(gemeente=None).exclude(themes=None)[:15], *VAC.objects.filter(gemeente=None)[:15]]
    checked = 0
    for gemeente in full_demo.values():
        for entry in entries:
            for channel in CHANNELS:
                for item in related_entries(entry, gemeente, channel=channel, limit=8):
                    (expected,) = resolve_summaries(models[item.kind].objects.filter(pk=item.id), gemeente, channel=channel)
                    assert item == expected
                    checked += 1
    assert checked > 500


@pytest.mark.parametrize("channel, queries", [(PUBLIC, 2), (AGENT, 4)])
def test_summaries_read_no_notes_and_no_taxonomies(full_demo, channel, queries):
    """The entries' few columns and the gemeente's overrides of them; the
    agent channel also reads the scheduled changes agents see already
    (approved revisions, override changes: issue 12), however many entries."""
    gemeente = full_demo["roosendaal"]
    with CaptureQueriesContext(connection) as captured:
        resolve_summaries(visible_queryset(VAC, gemeente)[:20], gemeente, channel=channel)
    tables = " ".join(q["sql"] for q in captured.captured_queries)
    assert len(captured) <= queries and "agentnote" not in tables and "theme" not in tables and "answer" not in tables


# The cache: changes show at once ------------------------------------------


@pytest.fixture
def agent(full_demo):
    client = Client()
    client.force_login(make_user(Role.AGENT, full_demo["roosendaal"]))
    return client


def page(path="/producten/paspoort/"):
    response = Client().get(path, HTTP_HOST=HOST)
    assert response.status_code == 200
    return response.content.decode()


def detail(client, collection="producten", slug="paspoort", name="agent-detail"):
    response = client.get(reverse(f"api:{name}", args=["roosendaal", collection, slug]))
    assert response.status_code == 200
    return response.json()


def listed(client, slug, collection="producten"):
    """The list item of `slug` in the agent listing (read page by page)."""
    number = 1
    while number:
        body = client.get(reverse("api:agent-list", args=["roosendaal", collection]), {"page": number, "page_size": 100}).json()
        found = [item for item in body["results"] if item["slug"] == slug]
        if found:
            return found[0]
        number = body["next"]
    return None


def warm(agent):
    """Every cached value the checks below read, computed once."""
    page(), page("/vragen/paspoort-kwijt/"), detail(agent), detail(Client(), name="detail"), detail(agent, "vacs", "paspoort-kwijt")
    listed(agent, "paspoort")


def test_an_override_shows_at_once(full_demo, agent):
    warm(agent)
    set_override(Product.objects.get(slug="paspoort"), full_demo["roosendaal"], "summary_nl", "Nieuwe lokale samenvatting", regional_curator())
    assert "Nieuwe lokale samenvatting" in page()
    assert detail(agent)["summary"] == "Nieuwe lokale samenvatting"
    assert detail(Client(), name="detail")["summary"] == "Nieuwe lokale samenvatting"
    assert listed(agent, "paspoort")["summary"] == "Nieuwe lokale samenvatting"
    # Another gemeente's cached page does not change.
    assert "Nieuwe lokale samenvatting" not in Client().get("/producten/paspoort/", HTTP_HOST="etten-leur.localhost").content.decode()


def test_a_base_edit_shows_at_once(full_demo, agent):
    warm(agent)
    vac = VAC.objects.get(slug="paspoort-kwijt")
    vac.answer_nl = "<p>Een geheel nieuw gedeeld antwoord.</p>"
    vac.save_revision(user=regional_curator()).publish()
    assert "Een geheel nieuw gedeeld antwoord." in page("/vragen/paspoort-kwijt/")
    assert "Een geheel nieuw gedeeld antwoord." in detail(agent, "vacs", "paspoort-kwijt")["answer"]


def test_an_agent_note_edit_shows_at_once(full_demo, agent):
    warm(agent)
    note = AgentNote.objects.create(kind="intake", title="Vraag naar de reisdatum", body="<p>Eerst de reisdatum.</p>", product=Product.objects.get(slug="paspoort"))
    assert "Vraag naar de reisdatum" in str(detail(agent)["notes"])
    note.title = "Vraag naar het reisdoel"
    note.save()
    assert "Vraag naar het reisdoel" in str(detail(agent)["notes"])
    note.delete()
    assert "Vraag naar het reisdoel" not in str(detail(agent)["notes"])


def test_a_variable_edit_shows_at_once(full_demo, agent):
    warm(agent)
    value = VariableValue.objects.get(gemeente=full_demo["roosendaal"], variable__key="leges.paspoort", valid_from=None)
    value.value = "99.95"
    value.save()
    assert "€ 99,95" in page() and "€ 99,95" in detail(agent)["answer"]


def test_a_gemeente_edit_shows_at_once(full_demo, agent):
    warm(agent)
    roosendaal = full_demo["roosendaal"]
    roosendaal.phone = "14 0999"
    roosendaal.save()
    assert "14 0999" in page()


def test_a_relation_change_shows_at_once(full_demo, agent):
    warm(agent)
    passport, marriage = Product.objects.get(slug="paspoort"), Product.objects.get(slug="huwelijk")
    assert "/producten/huwelijk/" not in page()
    passport.related_products.add(marriage)
    passport.save()
    assert "/producten/huwelijk/" in page()
    # A relation written from the other side (the VAC's field, through the product).
    make_vac(slug="nieuwe-vraag", question_nl="Een nieuwe vraag?")
    assert "/vragen/nieuwe-vraag/" not in page()
    assert detail(agent, "vacs", "nieuwe-vraag")["related"] == []
    passport.vacs.add(VAC.objects.get(slug="nieuwe-vraag"))
    assert "/vragen/nieuwe-vraag/" in page()
    assert [r["slug"] for r in detail(agent, "vacs", "nieuwe-vraag")["related"]] == ["paspoort"]


def test_a_theme_rename_shows_at_once(full_demo):
    assert "Burgerzaken" in page()
    theme = Theme.objects.get(name="Burgerzaken")
    theme.name = "Burgerzaken en documenten"
    theme.save()
    assert "Burgerzaken en documenten" in page()


def test_unpublishing_shows_at_once(full_demo, agent):
    warm(agent)
    vac = VAC.objects.get(slug="paspoort-kwijt")
    vac.unpublish()
    assert Client().get("/vragen/paspoort-kwijt/", HTTP_HOST=HOST).status_code == 404
    assert agent.get(reverse("api:agent-detail", args=["roosendaal", "vacs", "paspoort-kwijt"])).status_code == 404


def test_a_site_change_shows_at_once(full_demo):
    """The Site of a hostname is remembered (website/middleware.py) until a change."""
    assert "Contact met gemeente Roosendaal" in page()
    site = full_demo["roosendaal"].site
    site.hostname = "www.roosendaal.localhost"
    site.save()
    moved = Client().get("/producten/paspoort/", HTTP_HOST="www.roosendaal.localhost")
    assert moved.status_code == 200 and "Contact met gemeente Roosendaal" in moved.content.decode()
    old = Client().get("/producten/paspoort/", HTTP_HOST=HOST)
    assert "Contact met gemeente Roosendaal" not in old.content.decode()


def test_the_shared_entry_is_resolved_for_each_gemeente(full_demo):
    """The shared row is remembered once for every gemeente; what each
    gemeente sees of it is resolved for that gemeente."""
    set_override(Product.objects.get(slug="paspoort"), full_demo["roosendaal"], "summary_nl", "Alleen in Roosendaal", regional_curator())
    assert "Alleen in Roosendaal" in page()
    for host in ("bergen-op-zoom.localhost", "etten-leur.localhost"):
        assert "Alleen in Roosendaal" not in Client().get("/producten/paspoort/", HTTP_HOST=host).content.decode()
    local = Product.objects.filter(gemeente=full_demo["roosendaal"]).first()
    assert content_cache.shared_entry(Product, local.slug) is None
    assert Client().get(f"/producten/{local.slug}/", HTTP_HOST="etten-leur.localhost").status_code == 404


# The cache: never across channels, gemeenten or visitors ------------------


def test_public_responses_never_carry_agent_text_with_a_warm_cache(seeded):
    """The agent endpoints are read first (their values cached), then the
    public ones for the same entries: no canary."""
    agent, public = Client(), Client()
    for slug, gemeente in seeded.items():
        agent.force_login(make_user(Role.AGENT, gemeente))
        products = Product.objects.filter(agent_notes__body__contains=AGENT_CANARY).distinct()
        vacs = VAC.objects.filter(agent_notes__body__contains=AGENT_CANARY).distinct()
        items = [("producten", p.slug) for p in products] + [("vacs", v.slug) for v in vacs]
        for collection, entry_slug in items:
            response = agent.get(reverse("api:agent-detail", args=[slug, collection, entry_slug]))
            if response.status_code == 200:
                assert AGENT_CANARY in response.content.decode()
        for collection in ("producten", "vacs"):
            agent.get(reverse("api:agent-list", args=[slug, collection]), {"page_size": 100})
        agent.get(reverse("api:agent-top", args=[slug]))
        for collection, entry_slug in items:
            for text in (
                public.get(reverse("api:detail", args=[slug, collection, entry_slug])).content.decode(),
                public.get(f"/{'producten' if collection == 'producten' else 'vragen'}/{entry_slug}/", HTTP_HOST=gemeente.site.hostname).content.decode(),
            ):
                assert AGENT_CANARY not in text, f"agent text on a public response of {slug}: {entry_slug}"
                if slug != "bergen-op-zoom":
                    assert BERGEN_CANARY not in text


def test_channels_and_gemeenten_never_share_a_value():
    here, there = make_gemeente("Hier"), make_gemeente("Daar")
    computed = []

    def value(gemeente, channel):
        return content_cache.cached(gemeente, channel, "test", ("x",), lambda: computed.append((gemeente.slug, channel)) or (gemeente.slug, channel))

    for _ in range(2):
        assert value(here, PUBLIC) == (here.slug, PUBLIC)
        assert value(here, AGENT) == (here.slug, AGENT)
        assert value(there, PUBLIC) == (there.slug, PUBLIC)
    assert sorted(computed) == sorted([(here.slug, PUBLIC), (here.slug, AGENT), (there.slug, PUBLIC)])
    with pytest.raises(ValueError):
        content_cache.cached(here, "intern", "test", (), lambda: None)


def test_every_visitor_gets_their_own_csrf_token_from_a_cached_page(full_demo):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    tokens = []
    for client in (first, second):
        html = client.get("/producten/paspoort/", HTTP_HOST=HOST).content.decode()
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1))
    assert tokens[0] != tokens[1]
    response = second.post("/producten/paspoort/terugkoppeling/", {"antwoord": "ja", "csrfmiddlewaretoken": tokens[1]}, HTTP_HOST=HOST)
    assert response.status_code == 303


# The version ---------------------------------------------------------------


def test_the_version_is_read_once_per_request(full_demo, agent):
    warm(agent)
    with CaptureQueriesContext(connection) as captured:
        page()
    assert sum("sharing_contentversion" in q["sql"] for q in captured.captured_queries) == 1
    assert len(captured) <= 8  # a plain Wagtail page needs about as many (bench/pages.py)
    with CaptureQueriesContext(connection) as captured:
        detail(agent)
    assert len(captured) <= 6  # the session, the user and the agent's roles, the version


def test_a_change_bumps_the_version_in_its_own_transaction():
    before = content_cache.content_version()
    with transaction.atomic():
        make_gemeente("Nieuw")
        changed = content_cache.content_version()
        transaction.set_rollback(True)
    assert changed != before and content_cache.content_version() == before


def test_migrate_bumps_the_version():
    """A deploy runs migrate: nothing cached by the previous code is read."""
    before = content_cache.content_version()
    call_command("migrate", verbosity=0)
    assert content_cache.content_version() != before


def test_after_migrate_a_models_first_change_in_any_slot_keeps_the_other_values():
    """migrate creates every slot row: a change in a slot that had no row
    would otherwise be a change of everything (the benchmark counted 25
    queries instead of 12 for a page after an edit, depending on the slot)."""
    ContentVersion.objects.exclude(pk=1).delete()  # as the migration leaves it
    content_cache._writer.slot = 1  # migrate's thread writes the migration's row
    call_command("migrate", verbosity=0)
    assert ContentVersion.objects.count() == content_cache.SLOTS
    computed = []
    value = lambda: content_cache.remember("test-slots", (), lambda: computed.append(1) or len(computed), scopes={"sharing.variable"})  # noqa: E731
    first = value()
    for slot in range(1, content_cache.SLOTS + 1):
        content_cache._writer.slot = slot
        content_cache.bump_content_version(Product)
        assert value() == first, f"a product change in slot {slot} recomputed a value read from variables only"
    del content_cache._writer.slot
    content_cache.clear()


def test_a_pages_html_is_cached_with_its_content_and_never_the_visitors_form(full_demo):
    """The HTML of an entry page's content is cached per content version:
    a write that bypasses the signals (update(), no new version) is not seen
    until the next change, as for the content itself; without a version
    nothing is cached. The feedback form (the visitor's CSRF token) is
    rendered for each visitor."""
    first, second = Client(), Client()
    assert "Paspoort" in page()
    Product.objects.filter(slug="paspoort").update(title_nl="Reisdocument zonder signaal")
    assert "Reisdocument zonder signaal" not in page(), "the cached content and its HTML, as documented"
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get("/producten/paspoort/", HTTP_HOST=HOST).content.decode()) for client in (first, second)]
    assert all(tokens) and tokens[0].group(1) != tokens[1].group(1), "each visitor's own form, not a cached one"
    ContentVersion.objects.all().delete()
    assert "Reisdocument zonder signaal" in page(), "no version: nothing is cached"
    Product.objects.filter(slug="paspoort").update(title_nl="Nog een titel")
    assert "Nog een titel" in page()
    content_cache.clear()


def test_without_the_version_row_nothing_is_cached():
    ContentVersion.objects.all().delete()
    calls = []
    for _ in range(2):
        content_cache.remember("test", (), lambda: calls.append(1))
    assert len(calls) == 2
    content_cache.bump_content_version(Product)
    assert ContentVersion.objects.count() == 1, "a change creates its slot's row"
    assert content_cache.remember("test", (), lambda: calls.append(1) or 1) == 1
    assert content_cache.remember("test", (), lambda: calls.append(1) or 1) == 1
    assert len(calls) == 3, "cached again"
    content_cache.clear()


def test_a_change_recomputes_what_is_read_from_its_model_only():
    """A value remembered with scopes (the models it is read from) survives
    a change of any other model; a change of one of its models, or of
    everything, recomputes it; so does a change after the table was
    emptied (no value of the old rows is read again)."""
    computed = []

    def value():
        return content_cache.remember("test-scoped", (), lambda: computed.append(1) or len(computed), scopes={"sharing.variable"})

    def whole():
        return content_cache.remember("test-whole", (), lambda: computed.append(1) or len(computed))

    first, everything = value(), whole()
    content_cache.bump_content_version(Product)
    assert value() == first, "another model's change keeps it"
    assert whole() != everything, "a value without scopes follows every change"
    content_cache.bump_content_version(Variable)
    second = value()
    assert second != first
    content_cache.bump_content_version()
    third = value()
    assert third != second
    ContentVersion.objects.all().delete()
    content_cache.bump_content_version(Product)
    assert value() != third
    content_cache.clear()


def test_an_immutable_value_is_shared_in_its_process_until_its_models_change(monkeypatch):
    """remember(..., immutable=True) keeps the value in this process too:
    a second read is the same object and reads nothing from the shared
    cache; a change of its model computes it afresh; a value not marked
    immutable is a fresh copy on every read."""
    computed, shared_reads = [], []
    shared = content_cache.cache
    monkeypatch.setattr(content_cache, "cache", type("Counting", (), {
        "get": lambda self, key: shared_reads.append(key) or shared.get(key),
        "set": lambda self, *args: shared.set(*args),
        "clear": lambda self: shared.clear(),
    })())

    def value(immutable=True):
        return content_cache.remember("test-in-process", (immutable,), lambda: computed.append(1) or {"n": len(computed)}, scopes={"sharing.variable"}, immutable=immutable)

    first = value()
    reads = len(shared_reads)
    assert value() is first and len(shared_reads) == reads, "read from this process, not the shared cache"
    content_cache.bump_content_version(Variable)
    second = value()
    assert second == {"n": 2} and second is not first
    mutable = value(immutable=False)
    assert value(immutable=False) == mutable and value(immutable=False) is not mutable
    content_cache.clear()
    assert value() is not second, "clear() empties this process's values too"


def test_the_process_keeps_the_most_recently_used_values():
    kept = content_cache.InProcess(2)
    kept.set("a", 1)
    kept.set("b", 2)
    assert kept.get("a") == 1  # now the most recent
    kept.set("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (1, None, 3)


def test_an_entry_row_is_remembered_until_its_model_or_taxonomies_change(full_demo):
    """The shared row of an entry is read from the entry, its taxonomies and
    their many-to-many tables (scopes_of): a theme renamed or a VAC edited
    (another kind) is seen or kept accordingly."""
    scopes = content_cache.entry_scopes(Product)
    assert {"pdc.product", "pdc.theme", "pdc.product_themes"} <= scopes and "kennis.vac" not in scopes
    row = content_cache.shared_entry(Product, "paspoort")
    vac = VAC.objects.filter(gemeente=None).first()
    vac.save()
    with CaptureQueriesContext(connection) as captured:
        assert content_cache.shared_entry(Product, "paspoort").pk == row.pk
    assert not [q for q in captured.captured_queries if "pdc_product" in q["sql"]]
    theme = row.themes.all()[0]
    theme.name = "Hernoemd thema"
    theme.save()
    assert "Hernoemd thema" in [t.name for t in content_cache.shared_entry(Product, "paspoort").themes.all()]


# No single-row hot spot: writers spread over the version's slots ----------------


def test_threads_write_different_slots_and_a_change_in_any_slot_changes_the_version():
    first = content_cache._writer_slot()
    assert content_cache._writer_slot() == first, "a thread keeps its slot: a transaction locks one row"
    thread, other = in_thread(content_cache._writer_slot)
    thread.join(10)
    assert other["value"] != first and 1 <= other["value"] <= content_cache.SLOTS

    content_cache.bump_content_version()
    before = content_cache.content_version()
    assert content_cache.content_version() == before, "reading changes nothing"
    for slot in (first, other["value"]):
        ContentVersion.objects.update_or_create(pk=slot, defaults={"token": f"t{slot}-{before}"[:32], "changed_at": "2026-01-01T00:00Z"})
        assert content_cache.content_version() != before, f"a change in slot {slot} is seen"
        before = content_cache.content_version()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_content_writers_do_not_wait_for_each_other():
    """With one version row the second editor's save waited until the
    first one's transaction ended (bench/saves.py measures the difference)."""
    from tests.conftest import live_service_missing

    if connection.vendor != "postgresql":
        live_service_missing(f"the test database is {connection.vendor}, not PostgreSQL")
    import threading

    holding, release = threading.Event(), threading.Event()

    def long_transaction():
        with transaction.atomic():
            make_gemeente("Eerste")
            holding.set()
            release.wait(20)

    thread, _ = in_thread(long_transaction)
    try:
        assert holding.wait(20)
        writer, done = in_thread(lambda: make_gemeente("Tweede"))
        writer.join(5)
        assert not writer.is_alive(), "the second writer waited for the first one's transaction"
        assert content_cache.content_version() is not None
    finally:
        release.set()
        thread.join(20)
