"""Schemathesis against the generated OpenAPI document (api/views.py), through
Django's WSGI app on the test database: the demo gemeenten plus a few
entries, the public operations anonymously and the agent operations with a
widget token. Every response must be a non-5xx, with a status, content type
and body the document describes. Bounded: a few dozen cases per operation.

The schema is built from api.views.document() at import, so pytest can
make one test per operation (schemathesis's lazy `from_fixture` does not
work with pytest 9.2); the first test checks that it is the served one."""

import os
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings as hsettings, strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.views import document
from gemeenten.models import Gemeente, Role
from kennis.models import AgentNote
from sharing.overrides import set_override
from tests.conftest import report
from tests.factories import make_product, make_user, make_vac, regional_curator
from widget.models import WidgetToken
from zoeken.models import SearchQuery

pytestmark = pytest.mark.django_db

SERVER = "http://localhost/api/v1/"  # schemathesis's WSGI client sends Host: localhost
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# SCHEMATHESIS_MAX_EXAMPLES=500 for a deeper run by hand; CI keeps to 40 per operation.
BOUNDED = hsettings(max_examples=int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "40")), deadline=None, database=None, suppress_health_check=list(HealthCheck))
ORIGIN = "https://kcc.example.nl"
SLUGS = ["paspoort", "paspoort-kwijt", "kluis", "rijbewijs"]
ENTRY_ADDRESSES = [("producten", "paspoort"), ("producten", "rijbewijs"), ("producten", "kluis"), ("vacs", "paspoort-kwijt")]
# Filled by the `world` fixture: real values the hooks below mix into the generated ones.
REAL = {"gemeente": ["roosendaal"], "slug": SLUGS, "entries": [], "click_token": ""}

schema = schemathesis.openapi.from_dict(document(SERVER))
schema.app = get_wsgi_application()


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    # Generated gemeenten and slugs are nearly always unknown (404): mix in real ones.
    if not path_parameters:
        return st.just(path_parameters)
    mixed = st.fixed_dictionaries(
        {name: st.sampled_from([value, *REAL[name]]) if name in ("gemeente", "slug") else st.just(value) for name, value in path_parameters.items()}
    )
    if "slug" not in path_parameters:
        # Half the cases ask for Roosendaal, the agent's own gemeente: with
        # the other demo gemeenten in the mix an agent operation could go a
        # whole run without an allowed case.
        return st.one_of(mixed, st.just({**path_parameters, "gemeente": "roosendaal"})) if "gemeente" in path_parameters else mixed
    # An entry's address is right only with its collection (three kinds in the
    # tests): half the cases name an entry of Roosendaal as it is.
    real = st.sampled_from(ENTRY_ADDRESSES).map(lambda address: {**path_parameters, "gemeente": "roosendaal", "collection": address[0], "slug": address[1]})
    return st.one_of(mixed, real)


@schema.hook
def flatmap_query(context, query):
    # And queries that find something, so the hits are checked too.
    if not isinstance(query, dict) or "q" not in query:
        return st.just(query)
    # Half of them with nothing else generated, so that some pass validation.
    found = st.sampled_from([query["q"], "paspoort", "pas"]).map(lambda q: {**query, "q": q})
    return st.one_of(found, st.sampled_from(["paspoort", "pas"]).map(lambda q: {"q": q}))


@schema.hook
def flatmap_body(context, body):
    # The same for bodies: now and then a real gemeente, entry and click token.
    if not isinstance(body, dict):
        return st.just(body)
    real = {"gemeente": REAL["gemeente"], "entry": REAL["entries"], "token": [REAL["click_token"]], "id": [entry["id"] for entry in REAL["entries"]]}
    mixed = st.fixed_dictionaries({key: st.sampled_from([value, *real[key]]) if key in real else st.just(value) for key, value in body.items()})
    # A mixed body rarely passes validation as a whole (a click only for a
    # result of the token's search; feedback with a kind and an entry the
    # gemeente publishes), so half the cases send a valid one: every
    # operation is reached, whatever the seed.
    if "token" in body:
        return st.one_of(mixed, st.just({"token": REAL["click_token"], **REAL["entries"][0]}))
    if "gemeente" in body and "kind" in body:
        valid = {"gemeente": "roosendaal", "kind": "helpful", "entry": REAL["entries"][0]}
        return st.one_of(mixed, st.just(valid))
    return mixed


STATUSES = {}  # operation label -> Counter of response statuses, for the figures below


@schema.hook
def after_call(context, case, response):
    STATUSES.setdefault(case.operation.label, Counter())[response.status_code] += 1


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """The demo gemeenten (load_demo --sites-only) with shared, overridden
    and local entries, agent notes and clicked searches, loaded once for the
    module and rolled back after it (as conftest's full_demo)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo", port=80, sites_only=True, stdout=open(os.devnull, "w"))
            yield add_entries()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def add_entries():
    roosendaal = Gemeente.objects.get(slug="roosendaal")
    passport = make_product(slug="paspoort", handling_level="intake", costs_nl="<p>€ 84,95</p>")
    make_product(slug="rijbewijs", title_nl="Rijbewijs verlengen", online_application_url="https://example.nl/aanvragen")
    local = make_product(slug="kluis", title_nl="Documentenkluis", gemeente=roosendaal)
    vac = make_vac(slug="paspoort-kwijt", question_nl="Paspoort kwijt?", internal_explanation="<p>Eerst aangifte.</p>")
    AgentNote.objects.create(kind="intake", title="Reisdatum", body="<p>Vraag naar de reisdatum</p>", product=passport)
    set_override(passport, roosendaal, "procedure_nl", "<p>Kom naar het Stadskantoor.</p>", regional_curator())
    for query, clicked in (("paspoort", f"product:{passport.pk}"), ("kwijt", f"vac:{vac.pk}")):
        SearchQuery.objects.create(gemeente=roosendaal, origin="widget", query=query, normalised=query, result_count=1, backend="database", clicked=clicked)
    entries = [{"kind": "product", "id": passport.pk}, {"kind": "product", "id": local.pk}, {"kind": "vac", "id": vac.pk}]
    REAL.update(gemeente=list(Gemeente.objects.values_list("slug", flat=True)), entries=entries)
    # An agent of Roosendaal only: the other demo gemeenten answer 403.
    return {"roosendaal": roosendaal, "agent": make_user(Role.AGENT, roosendaal)}


@pytest.fixture(autouse=True)
def api(world, settings, client):
    """Django's own WSGI handler, as gunicorn runs it. Like Django's test
    client it must not close the connection around a request: that would
    end the test's transaction. Rate limits out of the way, so fuzzing
    reaches the endpoints behind them."""
    settings.RATE_LIMITS = {group: "100000/m" for group in settings.RATE_LIMITS}
    # Before the signals go: Django's test client connects them again after its request.
    REAL["click_token"] = client.get("/api/v1/gemeenten/roosendaal/zoeken", {"q": "paspoort"}).json()["click_token"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def bearer(world):
    token, _ = WidgetToken.objects.issue(world["agent"], ORIGIN)
    return {"Authorization": f"Bearer {token}"}


def test_the_fuzzed_document_is_the_served_one(client):
    assert REAL["click_token"]
    assert client.get("/api/v1/openapi.json", HTTP_HOST="localhost").json() == document(SERVER)


@schema.exclude(path_regex="^/agent/").parametrize()
@BOUNDED
def test_public_operations_anonymously(case):
    case.call_and_validate(checks=CHECKS)


@schema.include(path_regex="^/agent/gemeenten").include(path="/terugkoppeling").parametrize()
@BOUNDED
def test_agent_operations_with_a_widget_token(case, bearer):
    case.call_and_validate(headers=bearer, checks=CHECKS)


@schema.include(path="/agent/afmelden").parametrize()
@BOUNDED
def test_afmelden_with_a_token_of_its_own(case, world):
    token, row = WidgetToken.objects.issue(world["agent"], ORIGIN)
    response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
    if response.status_code == 200:
        assert not WidgetToken.objects.filter(pk=row.pk).exists()


def test_every_operation_was_reached():
    """The cases got past the 404s and 401s: each operation answered 2xx."""
    if not STATUSES:
        pytest.skip("run with the operations above")
    for label, statuses in sorted(STATUSES.items()):
        report(f"schemathesis {label}: {sum(statuses.values())} requests, statuses {dict(sorted(statuses.items()))}")
    assert not [label for label, statuses in STATUSES.items() if not any(200 <= status < 300 for status in statuses)]
