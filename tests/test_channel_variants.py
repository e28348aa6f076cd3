"""Issue 14, channel variants: a short spoken answer and an e-mail template
on every entry kind with them (products, VACs). Shared with per-gemeente
overrides like every other field, variables resolved per gemeente, and
agent-only: never on the public channel. The public pages, sitemap and SC
feed are covered by the leak crawl (tests/test_leaks.py)."""

import json

import pytest
from django.urls import reverse

from fixtures.loader import CONTENT_DIR
from gemeenten.models import Role
from kennis import demo
from sharing.resolution import AGENT, PUBLIC, resolve
from sharing.variables import VARIABLE_PATTERN, BUILTIN_KEYS
from tests.factories import make_gemeente, make_product, make_user, make_vac, municipal_curator
from tests.test_widget import box, signed_in_page
from tests.test_widget import world as world_widget  # noqa: F401 (fixture)
from zoeken.documents import build_document

pytestmark = pytest.mark.django_db
CHANNEL_FIELDS = ("spoken_answer", "email_template")
SHARED = {
    "spoken_answer": "Dat regelt u bij de gemeente {{ gemeente.naam }}. gesprokenkanarie",
    "email_template": "Geachte heer/mevrouw,\n\nU maakt een afspraak. mailkanarie\n\nMet vriendelijke groet,\ngemeente {{ gemeente.naam }}",
}
MAKERS = {"product": (make_product, "producten"), "vac": (make_vac, "vacs")}


@pytest.fixture(params=sorted(MAKERS))
def world(request):
    make, collection = MAKERS[request.param]
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal", publication="direct")
    etten = make_gemeente("Etten-Leur", slug="etten-leur", publication="direct")
    entry = make(slug="afspraak", **SHARED)
    return {"kind": request.param, "collection": collection, "entry": entry, "roosendaal": roosendaal, "etten": etten}


def override_through_the_editor(client, world, column, value):
    client.force_login(municipal_curator(world["roosendaal"]))
    url = reverse("sharing:field_editor", args=[world["kind"], world["entry"].pk, "roosendaal", column])
    assert client.post(url, {"value": value, "go_live_at": ""}).status_code == 302
    client.logout()


def test_both_fields_are_overridable_and_agent_only_on_every_kind_with_them(world):
    model = type(world["entry"])
    for name in CHANNEL_FIELDS:
        assert name in model.overridable_fields and name in model.agent_only_fields


def test_an_override_wins_for_its_gemeente_and_variables_resolve_per_gemeente(client, world):
    override_through_the_editor(client, world, "spoken_answer", "In {{ gemeente.naam }} belt u terug. lokaalkanarie")
    entry, roosendaal, etten = world["entry"], world["roosendaal"], world["etten"]

    local = resolve(entry, roosendaal, channel=AGENT)
    shared = resolve(entry, etten, channel=AGENT)
    assert local.fields["spoken_answer"] == "In Roosendaal belt u terug. lokaalkanarie"
    assert "spoken_answer" in local.overridden
    assert shared.fields["spoken_answer"] == "Dat regelt u bij de gemeente Etten-Leur. gesprokenkanarie"
    assert local.fields["email_template"].endswith("gemeente Roosendaal")
    assert shared.fields["email_template"].endswith("gemeente Etten-Leur")
    assert not local.problems and not shared.problems
    for gemeente in (roosendaal, etten):
        public = resolve(entry, gemeente, channel=PUBLIC)
        assert not set(CHANNEL_FIELDS) & set(public.fields)
        assert public.agent_fields == {}


def test_the_agent_api_has_them_and_the_public_api_and_search_never(client, world):
    override_through_the_editor(client, world, "email_template", "Beste inwoner,\n\nlokaalkanarie\n\n{{ gemeente.naam }}")
    entry, collection = world["entry"], world["collection"]
    public = client.get(reverse("api:detail", args=["roosendaal", collection, "afspraak"])).content.decode()
    listing = client.get(reverse("api:list", args=["roosendaal", collection])).content.decode()
    for text in (public, listing, str(build_document(resolve(entry, world["roosendaal"], channel=PUBLIC)))):
        for canary in ("gesprokenkanarie", "mailkanarie", "lokaalkanarie", *CHANNEL_FIELDS):
            assert canary not in text

    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    agent = client.get(reverse("api:agent-detail", args=["roosendaal", collection, "afspraak"])).json()
    assert agent["spoken_answer"] == "Dat regelt u bij de gemeente Roosendaal. gesprokenkanarie"
    assert agent["email_template"] == "Beste inwoner,\n\nlokaalkanarie\n\nRoosendaal"


def test_agent_search_finds_the_spoken_answer_but_not_the_email_boilerplate(world):
    # A reply template's greeting and signature would match every entry.
    document = str(build_document(resolve(world["entry"], world["roosendaal"], channel=AGENT)))
    assert "gesprokenkanarie" in document
    assert "mailkanarie" not in document and "Geachte" not in document


def test_an_entry_without_them_has_empty_ones_for_agents(client):
    gemeente = make_gemeente("Roosendaal", slug="roosendaal")
    make_vac(slug="leeg")
    client.force_login(make_user(Role.AGENT, gemeente))
    agent = client.get(reverse("api:agent-detail", args=["roosendaal", "vacs", "leeg"])).json()
    assert agent["spoken_answer"] == "" and agent["email_template"] == ""


def test_the_demo_has_spoken_answers_and_email_templates_on_at_least_20_vacs():
    items = json.loads((CONTENT_DIR / demo.SHARED_FILE).read_text(encoding="utf-8"))
    known = {*BUILTIN_KEYS, *(v["key"] for v in json.loads((CONTENT_DIR / "variables.json").read_text(encoding="utf-8")))}
    with_both = [demo.values(item) for item in items if all(demo.values(item)[name] for name in CHANNEL_FIELDS)]
    assert len(with_both) >= 20
    for values in with_both:
        assert len(values["spoken_answer"]) < 400, "a few sentences, said on the phone"
        assert values["email_template"].startswith("Geachte heer/mevrouw,")
        assert "{{ gemeente.naam }}" in values["email_template"], "the municipality's signature"
        assert set(VARIABLE_PATTERN.findall(values["email_template"])) <= known


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_widget_shows_the_spoken_answer_first_and_copies_the_email(browser, world_widget):
    from kennis.models import VAC

    vac = VAC.objects.get(slug="paspoort-kwijt")
    vac.spoken_answer = "U vraagt een nieuw paspoort aan bij de gemeente {{ gemeente.naam }}."
    vac.email_template = "Geachte heer/mevrouw,\n\nDoe aangifte van vermissing.\n\nMet vriendelijke groet,\ngemeente {{ gemeente.naam }}"
    vac.save()
    page = signed_in_page(browser, world_widget)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=world_widget["url"])
    widget = page.locator("kennis-widget")
    widget.locator("#gemeente").select_option("roosendaal")
    widget.locator("#q").fill("kwijt")
    widget.locator("[role=option]", has_text="Paspoort kwijt").click()
    entry = widget.locator("#entry")
    spoken = entry.locator(".spoken")
    spoken.wait_for()
    assert spoken.locator("p").inner_text() == "U vraagt een nieuw paspoort aan bij de gemeente Roosendaal."
    assert box(spoken)["y"] + box(spoken)["height"] <= box(entry.locator(".public"))["y"], "above the answer"

    entry.get_by_role("button", name="Kopieer als e-mail").click()
    entry.get_by_text("E-mail gekopieerd.").wait_for()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert copied == "Geachte heer/mevrouw,\n\nDoe aangifte van vermissing.\n\nMet vriendelijke groet,\ngemeente Roosendaal"
    page.context.close()
