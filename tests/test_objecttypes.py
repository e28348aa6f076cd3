"""The objecttype exports for KISS-like agent desktops (api/objecttypes.py):
every record valid against the real VAC and SDG kennisartikel schemas, each
gemeente's own resolution (its overrides, its local entries, never another
gemeente's), agent access only, English only where there is English text.

The schemas are read from the shared data beside the repository
(../shared/data/objecttypes/); without them these tests fail, they never skip."""

import datetime
import json
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.urls import reverse
from jsonschema import Draft7Validator, FormatChecker

from api.objecttypes import KENNISARTIKEL_NAMESPACE
from gemeenten.models import Role
from kennis.models import VAC, AgentNote
from pdc.models import Product
from sharing.overrides import set_override
from sharing.resolution import AGENT, published_queryset

from .factories import make_gemeente, make_product, make_user, make_vac, regional_curator

pytestmark = pytest.mark.django_db

OBJECTTYPES_DIR = Path(settings.BASE_DIR).parent / "shared" / "data" / "objecttypes"
SCHEMAS = {"vac": "vac-schema.json", "kennisartikel": "kennisartikel-schema.json"}
SECRET = "ot-interne-kennis-4711"

# jsonschema checks "uri" and "date-time" only with optional packages; these
# two checks make the test strict without them.
FORMATS = FormatChecker()


@FORMATS.checks("uri")
def is_absolute_uri(value):
    parts = urlsplit(value) if isinstance(value, str) else None
    return parts is None or bool(parts.scheme and parts.netloc)


@FORMATS.checks("date-time", raises=ValueError)
def is_date_time(value):
    return not isinstance(value, str) or datetime.datetime.fromisoformat(value).tzinfo is not None


@pytest.fixture(scope="module")
def validators():
    missing = [name for name in SCHEMAS.values() if not (OBJECTTYPES_DIR / name).is_file()]
    if missing:
        pytest.fail(f"objecttype schemas missing in {OBJECTTYPES_DIR}: {missing} (shared/data must sit beside the repository)")
    return {kind: Draft7Validator(json.loads((OBJECTTYPES_DIR / name).read_text()), format_checker=FORMATS) for kind, name in SCHEMAS.items()}


@pytest.fixture
def world():
    """Two gemeenten (names apart from the demo's); shared entries with
    Noord's overrides, a product and a VAC Noord switched off, a local VAC
    of each, agent-only text."""
    curator = regional_curator()
    noord = make_gemeente("Gemeente Noord", slug="ot-noord")
    zuid = make_gemeente("Gemeente Zuid", slug="ot-zuid")
    passport = make_product(slug="ot-paspoort", title_nl="Paspoort", title_en="Passport", description_en="<p>Apply in person.</p>", handling_level="intake", keywords="reizen, id")
    AgentNote.objects.create(kind="intake", title=f"Intake {SECRET}", body="<p>Vraag naar de reisdatum</p>", product=passport)
    set_override(passport, noord, "costs_nl", "<p>Noord-tarief</p>", curator)
    parking = make_product(slug="ot-parkeren", title_nl="Parkeervergunning", for_burger=False, for_ondernemer=True)
    set_override(parking, noord, "offered", False, curator)
    vac = make_vac(slug="ot-vraag", question_nl="Waar haal ik mijn paspoort?", internal_explanation=f"<p>{SECRET}</p>", audience="beide")
    vac.related_products.set([passport])
    vac.save()
    set_override(vac, noord, "answer_nl", "<p>Antwoord van Noord</p>", curator)
    off = make_vac(slug="ot-uit", question_nl="Geldt niet in Noord?")
    set_override(off, noord, "offered", False, curator)
    make_vac(slug="ot-noord-lokaal", question_nl="Alleen in Noord?", gemeente=noord)
    make_vac(slug="ot-zuid-lokaal", question_nl="Alleen in Zuid?", gemeente=zuid)
    return {"noord": noord, "zuid": zuid, "passport": passport, "parking": parking}


def export(client, kind, gemeente, **params):
    return client.get(reverse(f"api:agent-objecttype-{kind}", args=[gemeente]), params)


def all_objects(client, kind, gemeente):
    objects, page = [], 1
    while page:
        response = export(client, kind, gemeente, page=page, page_size=100)
        assert response.status_code == 200, response.content
        objects += response.json()["results"]
        page = response.json()["next"]
    return objects


def all_records(client, kind, gemeente):
    return [item["record"]["data"] for item in all_objects(client, kind, gemeente)]


def as_agent(client, gemeente):
    client.force_login(make_user(Role.AGENT, gemeente))
    return client


def vacs_by_question(client, gemeente):
    return {r["vraag"]: r for r in all_records(as_agent(client, gemeente), "vac", gemeente.slug)}


def articles_by_slug(client, gemeente):
    return {r["url"].rstrip("/").rsplit("/", 1)[1]: r for r in all_records(as_agent(client, gemeente), "kennisartikel", gemeente.slug)}


def vertaling(article, taal):
    return next(v for v in article["vertalingen"] if v["taal"] == taal)


def assert_valid(validator, records):
    problems = [f"{error.json_path}: {error.message}" for record in records for error in validator.iter_errors(record)]
    assert not problems, problems[:10]


def test_every_record_validates_against_the_objecttype_schema(client, world, validators):
    for gemeente in (world["noord"], world["zuid"]):
        as_agent(client, gemeente)
        for kind, validator in validators.items():
            records = all_records(client, kind, gemeente.slug)
            assert records
            assert_valid(validator, records)


def test_overrides_of_a_gemeente_only_in_its_own_export(client, world):
    noord, zuid = vacs_by_question(client, world["noord"]), vacs_by_question(client, world["zuid"])
    assert noord["Waar haal ik mijn paspoort?"]["antwoord"] == "<p>Antwoord van Noord</p>"
    assert zuid["Waar haal ik mijn paspoort?"]["antwoord"] == "<p>Maak een afspraak.</p>"
    costs = {g: vertaling(articles_by_slug(client, world[g])["ot-paspoort"], "nl")["kostenEnBetaalmethoden"] for g in ("noord", "zuid")}
    assert costs == {"noord": "<p>Noord-tarief</p>", "zuid": ""}


def test_local_vacs_only_in_their_own_gemeentes_export(client, world):
    noord, zuid = set(vacs_by_question(client, world["noord"])), set(vacs_by_question(client, world["zuid"]))
    assert "Alleen in Noord?" in noord and "Alleen in Zuid?" not in noord
    assert "Alleen in Zuid?" in zuid and "Alleen in Noord?" not in zuid


def test_agents_of_that_gemeente_only(client, world):
    for kind in SCHEMAS:
        assert export(client, kind, "ot-noord").status_code == 401
        as_agent(client, world["zuid"])
        assert export(client, kind, "ot-noord").status_code == 403
        assert export(client, kind, "onbekend").status_code == 404
        as_agent(client, world["noord"])
        response = export(client, kind, "ot-noord")
        assert response.status_code == 200 and "private" in response["Cache-Control"]
        client.logout()


def test_agent_only_content_is_in_the_export(client, world):
    vac = vacs_by_question(client, world["noord"])["Waar haal ik mijn paspoort?"]
    assert SECRET in vac["toelichting"] and vac["doelgroep"] == "eu-burger-bedrijf"
    memo = vertaling(articles_by_slug(client, world["noord"])["ot-paspoort"], "nl")["deskMemo"]
    assert SECRET in memo and "intake" in memo


def test_english_only_when_the_product_has_english_text(client, world):
    articles = articles_by_slug(client, world["noord"])
    passport, parking = articles["ot-paspoort"], articles["ot-parkeren"]
    assert passport["beschikbareTalen"] == ["nl", "en"] and parking["beschikbareTalen"] == ["nl"]
    english = vertaling(passport, "en")
    assert english["titel"] == "Passport" and english["tekst"] == "<p>Apply in person.</p>"
    # No Dutch in the English translation where the English text is missing.
    assert english["procedureBeschrijving"] == "" and vertaling(passport, "nl")["procedureBeschrijving"] == "<p>Maak een afspraak.</p>"
    assert [v["taal"] for v in parking["vertalingen"]] == ["nl"]


def test_not_offered_here(client, world):
    noord, zuid = articles_by_slug(client, world["noord"]), articles_by_slug(client, world["zuid"])
    assert noord["ot-parkeren"]["productAanwezig"] is False and zuid["ot-parkeren"]["productAanwezig"] is True
    assert noord["ot-parkeren"]["doelgroep"] == "eu-bedrijf" and noord["ot-paspoort"]["doelgroep"] == "eu-burger"
    assert vacs_by_question(client, world["noord"])["Geldt niet in Noord?"]["status"] == "non-actief"
    assert vacs_by_question(client, world["zuid"])["Geldt niet in Noord?"]["status"] == "actief"


def test_identifiers_and_links(client, world):
    noord, zuid = articles_by_slug(client, world["noord"]), articles_by_slug(client, world["zuid"])
    passport = world["passport"]
    assert noord["ot-paspoort"]["uuid"] == str(uuid.uuid5(KENNISARTIKEL_NAMESPACE, f"ot-noord/product/{passport.pk}"))
    assert noord["ot-paspoort"]["uuid"] != zuid["ot-paspoort"]["uuid"]
    assert articles_by_slug(client, world["noord"])["ot-paspoort"]["uuid"] == noord["ot-paspoort"]["uuid"]
    vac = vacs_by_question(client, world["noord"])["Waar haal ik mijn paspoort?"]
    assert [r["product"] for r in vac["gerelateerdeProducten"]] == [noord["ot-paspoort"]["url"]]
    assert client.get(noord["ot-paspoort"]["url"]).json()["slug"] == "ot-paspoort"


def test_each_record_in_an_objects_api_like_object(client, world):
    as_agent(client, world["noord"])
    for kind in SCHEMAS:
        objects = all_objects(client, kind, "ot-noord")
        assert len({item["uuid"] for item in objects}) == len(objects)
        for item in objects:
            assert set(item) == {"url", "uuid", "record"} and uuid.UUID(item["uuid"])
            assert client.get(item["url"]).status_code == 200
            assert datetime.date.fromisoformat(item["record"]["startAt"]) and datetime.date.fromisoformat(item["record"]["registrationAt"])
            if kind == "kennisartikel":
                assert item["record"]["data"]["uuid"] == item["uuid"] and item["record"]["data"]["url"] == item["url"]


def test_pagination(client, world):
    as_agent(client, world["noord"])
    first = export(client, "vac", "ot-noord", page_size=1).json()
    second = export(client, "vac", "ot-noord", page_size=1, page=2).json()
    assert first["count"] == second["count"] >= 3 and len(first["results"]) == len(second["results"]) == 1
    assert (first["previous"], first["next"], second["previous"]) == (None, 2, 1)
    assert first["results"] != second["results"]
    assert export(client, "kennisartikel", "ot-noord", page_size=101).status_code == 400


def test_every_record_of_a_demo_gemeente_validates(client, full_demo, validators):
    roosendaal = full_demo["roosendaal"]
    as_agent(client, roosendaal)
    for kind, model in (("vac", VAC), ("kennisartikel", Product)):
        records = all_records(client, kind, "roosendaal")
        assert len(records) == published_queryset(model, roosendaal, AGENT).count()
        assert_valid(validators[kind], records)
    assert any(r["beschikbareTalen"] == ["nl", "en"] for r in records)
