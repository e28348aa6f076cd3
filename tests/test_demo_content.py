"""The full demo content: our own fixtures plus the municipal UPL, loaded
idempotently, with the local differences the acceptance stories need."""

import io
import os
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command

from fixtures.loader import PLACEHOLDER_UPL_NAME
from gemeenten.models import Gemeente
from kennis.models import VAC, AgentNote, VACOverride
from pdc.models import Product, ProductOverride, UPLName
from pdc.upl_import import BUNDLED_UPL_CSV
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
