"""Issue 14, audience variants: audiences are data; any text field of an
entry can have a shared variant per audience, which a gemeente overrides
like any other field (variant keys "<column>@<audience>": the same
staleness, revert and history). Resolution takes the audience; the sites
(switch, search filter), the public and agent API and search publish it;
the admin and the local editor edit it. The properties are in
tests/test_resolution_properties.py, the browser in tests/test_audience_browser.py,
the one answer per audience in tests/test_website.py."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from wagtail.models import ModelLogEntry

from fixtures.loader import CONTENT_DIR
from gemeenten.models import Role
from pdc import demo as pdc_demo
from pdc.models import Product
from sharing.models import Audience
from sharing.overrides import SET, REVERT, set_override
from sharing.resolution import AGENT, PUBLIC, resolve
from tests.admin_forms import publish_with_four_eyes, rich_text
from tests.factories import make_gemeente, make_product, make_user, make_vac, municipal_curator, regional_curator
from website.provisioning import provision_gemeente
from zoeken import service as search_service
from zoeken.documents import build_document

pytestmark = pytest.mark.django_db

GENERAL = {"product": ("summary", "Een paspoort vraagt u aan bij de gemeente."), "vac": ("answer", "<p>Doe aangifte bij de gemeente.</p>")}
BUSINESS = {"product": ("summary_nl", "Zakenreiziger? Vraag een tweede paspoort aan. zakelijkkanarie"), "vac": ("answer_nl", "<p>Doe aangifte namens uw bedrijf. zakelijkkanarie</p>")}
SPOKEN = "Zeg: een tweede paspoort voor zakenreizen. gesprokenkanarie"
MAKERS = {"product": (make_product, "producten"), "vac": (make_vac, "vacs")}


@pytest.fixture(params=sorted(MAKERS))
def world(request):
    make, collection = MAKERS[request.param]
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal", publication="direct")
    etten = make_gemeente("Etten-Leur", slug="etten-leur", publication="direct")
    column, text = BUSINESS[request.param]
    name, general = GENERAL[request.param]
    entry = make(slug="paspoort", **{f"{name}_nl": general}, audience_variants={"ondernemer": {column: text, "spoken_answer": SPOKEN}})
    return {"kind": request.param, "collection": collection, "entry": entry, "column": column, "name": name, "roosendaal": roosendaal, "etten": etten}


def text_of(resolved, name):
    return resolved.fields[name]


def override_through_the_editor(client, world, key, value):
    client.force_login(municipal_curator(world["roosendaal"]))
    url = reverse("sharing:field_editor", args=[world["kind"], world["entry"].pk, "roosendaal", key])
    if type(world["entry"]).field_of(key) in type(world["entry"]).rich_text_fields:
        value = rich_text(value)  # what the rich-text editor posts
    response = client.post(url, {"value": value, "go_live_at": ""})
    assert response.status_code == 302, response.content.decode()[:1000]
    client.logout()


def test_the_audiences_are_data_with_burger_and_ondernemer_seeded():
    assert {(a.slug, a.name) for a in Audience.objects.filter(gemeente__isnull=True)} >= {("burger", "Particulier"), ("ondernemer", "Ondernemer")}


def test_the_shared_variant_is_resolved_for_its_audience_only(world):
    entry, name, roosendaal = world["entry"], world["name"], world["roosendaal"]
    general = resolve(entry, roosendaal)
    business = resolve(entry, roosendaal, audience="ondernemer")
    assert "zakelijkkanarie" not in text_of(general, name)
    assert "zakelijkkanarie" in text_of(business, name)
    assert general.variant_audiences == ("ondernemer",) and "ondernemer" in general.audiences
    assert resolve(entry, roosendaal, audience="burger").fields == general.fields
    # The spoken answer's variant is agent-only: only agents read it.
    assert "gesprokenkanarie" not in repr(business) and "gesprokenkanarie" not in repr(general)
    assert resolve(entry, roosendaal, channel=AGENT, audience="ondernemer").fields["spoken_answer"] == SPOKEN


def test_a_gemeente_overrides_a_variant_in_the_local_editor_and_it_wins_there_only(client, world):
    key = f"{world['column']}@ondernemer"
    client.force_login(municipal_curator(world["roosendaal"]))
    editor = client.get(reverse("sharing:entry_editor", args=[world["kind"], world["entry"].pk, "roosendaal"])).content.decode()
    assert "Tekst per doelgroep" in editor and "zakelijkkanarie" in editor and "Variant toevoegen voor Particulier" in editor
    form = client.get(reverse("sharing:field_editor", args=[world["kind"], world["entry"].pk, "roosendaal", key]))
    assert form.status_code == 200 and "Ondernemer" in form.content.decode()
    client.logout()

    local = "<p>In Roosendaal helpt het Ondernemersloket. lokaalkanarie</p>" if world["kind"] == "vac" else "In Roosendaal: het Ondernemersloket. lokaalkanarie"
    override_through_the_editor(client, world, key, local)
    entry, name = world["entry"], world["name"]
    assert "lokaalkanarie" in text_of(resolve(entry, world["roosendaal"], audience="ondernemer"), name)
    assert "zakelijkkanarie" in text_of(resolve(entry, world["etten"], audience="ondernemer"), name)
    for gemeente in (world["roosendaal"], world["etten"]):
        assert "kanarie" not in text_of(resolve(entry, gemeente), name)  # the general text stays

    # An empty local variant: this gemeente has the general text for business owners.
    override_through_the_editor(client, world, key, "")
    here = resolve(entry, world["roosendaal"])
    assert "ondernemer" not in here.variant_audiences and text_of(here.for_audience("ondernemer"), name) == text_of(here, name)
    assert "ondernemer" in resolve(entry, world["etten"]).variant_audiences


def test_a_variant_override_goes_stale_is_reverted_and_has_history(client, world):
    entry, roosendaal, key = world["entry"], world["roosendaal"], f"{world['column']}@ondernemer"
    set_override(entry, roosendaal, key, "<p>Lokaal voor ondernemers.</p>", regional_curator())
    override = entry.overrides.get(gemeente=roosendaal, field_name=key)
    assert not override.base_changed

    entry.audience_variants = {"ondernemer": {world["column"]: "<p>Nieuwe zakelijke tekst.</p>"}}
    entry.save()
    override.refresh_from_db()
    assert override.base_changed  # the shared variant it was written against changed

    curator = municipal_curator(roosendaal)
    client.force_login(curator)
    url = reverse("sharing:revert", args=[world["kind"], entry.pk, "roosendaal", key])
    assert "Lokaal voor ondernemers." in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not entry.overrides.filter(field_name=key).exists()
    actions = list(ModelLogEntry.objects.for_instance(entry).filter(action__in=[SET, REVERT]).order_by("pk").values_list("action", "data"))
    assert [(action, data["field"]) for action, data in actions] == [(SET, key), (REVERT, key)]


def test_a_variant_without_a_shared_one_is_based_on_the_general_text(world):
    entry, roosendaal = world["entry"], world["roosendaal"]
    column = f"{world['name']}_nl"
    key = f"{column}@burger"
    set_override(entry, roosendaal, key, "<p>Voor particulieren.</p>", regional_curator())
    override = entry.overrides.get(field_name=key)
    setattr(entry, column, "<p>Nieuwe algemene tekst.</p>")
    entry.save()
    override.refresh_from_db()
    assert override.base_changed


def test_only_text_fields_of_known_audiences_have_variants(world):
    entry, roosendaal, etten, curator = world["entry"], world["roosendaal"], world["etten"], regional_curator()
    for key in ("offered@ondernemer", f"{world['column']}@onbekend", "handling_level@ondernemer"):
        with pytest.raises(ValidationError):
            set_override(entry, roosendaal, key, "x", curator)
    Audience.objects.create(slug="instelling", name="Instelling", gemeente=roosendaal)
    set_override(entry, roosendaal, f"{world['column']}@instelling", "<p>Voor instellingen.</p>", curator)
    assert "instelling" in resolve(entry, roosendaal).variant_audiences
    with pytest.raises(ValidationError):
        set_override(entry, etten, f"{world['column']}@instelling", "<p>x</p>", curator)


def test_the_public_and_agent_api_take_the_audience(client, world):
    args = ["roosendaal", world["collection"], "paspoort"]
    general = client.get(reverse("api:detail", args=args)).json()
    business = client.get(reverse("api:detail", args=args), {"audience": "ondernemer"}).json()
    assert general["audience"] is None and general["variant_audiences"] == ["ondernemer"]
    assert business["audience"] == "ondernemer" and "zakelijkkanarie" in json.dumps(business)
    assert "zakelijkkanarie" not in json.dumps(general)
    assert "gesprokenkanarie" not in json.dumps(business)
    assert client.get(reverse("api:detail", args=args), {"audience": "onbekend"}).status_code == 400
    assert client.get(reverse("api:detail", args=args), {"audience": "<script>"}).status_code in (400, 422)

    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    agent = client.get(reverse("api:agent-detail", args=args), {"audience": "ondernemer"}).json()
    assert agent["spoken_answer"] == SPOKEN and "zakelijkkanarie" in json.dumps(agent)


def test_search_finds_the_business_text_and_never_agent_only_variants(world, settings):
    settings.SEARCH_ENGINE = "none"
    entry, roosendaal = world["entry"], world["roosendaal"]
    public = build_document(resolve(entry, roosendaal, channel=PUBLIC))
    agent = build_document(resolve(entry, roosendaal, channel=AGENT))
    assert "zakelijkkanarie" in public["body"] and "ondernemer" in public["audiences"]
    assert "gesprokenkanarie" not in str(public) and "gesprokenkanarie" in str(agent)
    found = search_service.search("zakelijkkanarie", roosendaal, channel=PUBLIC, audience="ondernemer")
    assert [hit.slug for hit in found.hits] == ["paspoort"]
    assert not search_service.search("gesprokenkanarie", roosendaal, channel=PUBLIC).hits


@pytest.fixture
def site(settings):
    settings.SEARCH_ENGINE = "none"
    gemeente = provision_gemeente(name="Roosendaal", slug="roosendaal", cbs_code="1674", hostname="roosendaal.localhost", publication="direct")
    make_product(slug="paspoort", summary_nl="Een paspoort vraagt u aan bij de gemeente.", audience_variants={"ondernemer": {"summary_nl": "Zakenreiziger? zakelijkkanarie"}})
    make_product(slug="rijbewijs", title_nl="Rijbewijs aanvragen", summary_nl="Uw rijbewijs vraagt u aan bij de gemeente.")
    return gemeente


def page(path):
    response = Client().get(path, HTTP_HOST="roosendaal.localhost")
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_site_switches_audience_with_a_link_and_marks_the_current_one(site):
    general = page("/producten/paspoort/")
    assert 'class="audience-switch"' in general and "zakelijkkanarie" not in general
    assert '<a href="/producten/paspoort/?doelgroep=burger" aria-current="page" lang="nl">Particulier</a>' in general
    business = page("/producten/paspoort/?doelgroep=ondernemer")
    assert "zakelijkkanarie" in business
    assert '<a href="/producten/paspoort/?doelgroep=ondernemer" aria-current="page" lang="nl">Ondernemer</a>' in business
    unknown = page("/producten/paspoort/?doelgroep=onbekend")  # an unknown audience: the general page
    assert "zakelijkkanarie" not in unknown and 'aria-current="page" lang="nl">Particulier' in unknown
    assert "audience-switch" not in page("/producten/rijbewijs/")  # the same text for everyone: no switch


def test_site_search_filters_on_the_audience_and_keeps_it(site):
    everyone = page("/zoeken/?q=aanvragen")
    assert "Rijbewijs aanvragen" in everyone and 'class="audience-filter"' in everyone
    business = page("/zoeken/?q=aanvragen&doelgroep=ondernemer")
    found = business[business.index('class="result-list"'):business.index("</ol>", business.index('class="result-list"'))]
    assert "Rijbewijs aanvragen" not in found and "Paspoort aanvragen" in found
    assert '<input type="hidden" name="doelgroep" value="ondernemer">' in business
    assert "Paspoort aanvragen" in page("/zoeken/?q=zakelijkkanarie")  # the business text is found


def test_the_admin_edits_the_shared_variants_of_an_entry(client):
    product = make_product(slug="paspoort", summary_nl="Algemeen.")
    client.force_login(regional_curator())
    changes = {
        "audience_variants__ondernemer__summary_nl": "Voor ondernemers.",
        "audience_variants__burger__summary_nl": "",
    }
    publish_with_four_eyes(client, product, changes, regional_curator())
    product.refresh_from_db()
    assert product.audience_variants == {"ondernemer": {"summary_nl": "Voor ondernemers."}}
    assert product.summary_nl == "Algemeen."


def test_shared_variants_are_sanitised_and_checked_like_their_field():
    product = make_product(slug="p", audience_variants={"ondernemer": {"description_nl": '<p>Tekst<script>alert(1)</script><a href="javascript:x">a</a></p>'}})
    product.refresh_from_db()
    assert "<script" not in product.audience_variants["ondernemer"]["description_nl"]
    assert "javascript:" not in product.audience_variants["ondernemer"]["description_nl"]
    product.audience_variants = {"ondernemer": {"online_application_url": "geen-link", "summary_nl": "{{ leges.bestaat_niet }}"}}
    with pytest.raises(ValidationError) as error:
        product.full_clean()
    assert "leges.bestaat_niet" in str(error.value) and "online_application_url" not in error.value.message_dict


def test_the_demo_has_audience_variants_on_at_least_10_products():
    variants = json.loads((CONTENT_DIR / "product_audiences.json").read_text(encoding="utf-8"))
    products = {item["key"]: item for item in json.loads((CONTENT_DIR / "products.json").read_text(encoding="utf-8"))}
    assert len(variants) >= 10 and set(variants) <= set(products)
    for key, texts in variants.items():
        columns = pdc_demo.audience_variants(products[key])
        assert set(columns) == {"ondernemer"} and columns["ondernemer"], key
        assert set(columns["ondernemer"]) <= set(Product.variant_columns()), key
