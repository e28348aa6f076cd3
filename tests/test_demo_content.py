"""The full demo content: our own fixtures plus the municipal UPL, loaded
idempotently, with the local differences the acceptance stories need."""

import io

import pytest
from django.core.management import call_command

from fixtures.loader import PLACEHOLDER_UPL_NAME
from gemeenten.models import Gemeente
from kennis.models import VAC, AgentNote, VACOverride
from pdc.models import Product, ProductOverride, UPLName
from sharing.resolution import AGENT, PUBLIC, resolve, resolve_many, visible_queryset
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


def test_full_demo_is_complete_and_loads_twice_without_duplicates(full_demo):
    first = counts()
    call_command("load_demo", port=80, stdout=io.StringIO())
    assert counts() == first
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
