"""Hostile input through every rich-text field and every markdown path:
nothing executable is stored (issue: sanitising on save)."""

import pytest

from fixtures.loader import load_entry
from kennis.models import VAC, AgentNote
from kennisbank.sanitise import is_safe_html
from pdc.models import Product
from sharing.kinds import get_kind
from sharing.overrides import set_override

from .factories import make_gemeente, make_product, make_user, make_vac
from .xss_vectors import XSS_VECTORS

pytestmark = pytest.mark.django_db


def rich_columns(model):
    return [column for name in model.rich_text_fields for column in model.columns_of(name)]


def stored_values(instance, columns):
    instance.refresh_from_db()
    return {column: getattr(instance, column) or "" for column in columns}


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_every_rich_text_field_of_products_vacs_and_notes_stores_nothing_executable(vector):
    product = make_product(**{column: vector for column in rich_columns(Product)})
    vac = make_vac(**{column: vector for column in rich_columns(VAC)})
    note = AgentNote.objects.create(kind="intake", title="t", body=vector, product=product)
    for instance, columns in ((product, rich_columns(Product)), (vac, rich_columns(VAC)), (note, ["body"])):
        for column, value in stored_values(instance, columns).items():
            assert is_safe_html(value), f"{type(instance).__name__}.{column} stored {value!r}"


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_every_overridable_rich_text_field_stores_nothing_executable(vector):
    gemeente = make_gemeente()
    curator = make_user(superuser=True)
    product, vac = make_product(), make_vac()
    for entry in (product, vac):
        for column in entry.overridable_columns():
            if column.rsplit("_", 1)[0] in entry.rich_text_fields:
                set_override(entry, gemeente, column, vector, curator)
        for override in entry.overrides.all():
            assert is_safe_html(override.value), f"override {override.field_name} stored {override.value!r}"


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_markdown_submissions_store_nothing_executable(vector):
    """The markdown path (expert submissions, imports) for every field it feeds."""
    user = make_user(superuser=True)
    markdown_fields = ["description", "conditions", "procedure", "required_documents", "costs", "lead_time", "objection", "no_response"]
    product = load_entry(
        get_kind(Product),
        {"key": "xss-product", "title": "Test", **{name: vector for name in markdown_fields},
         **{f"{name}_en": vector for name in ("conditions", "procedure", "required_documents", "costs", "lead_time")},
         "agent_notes": [{"kind": "intake", "title": "n", "body": vector}]},
        user,
    )
    # An answer that is nothing but hostile markup is empty after cleaning and
    # refused as such; with text around it, the text is what gets stored.
    answer = f"Neem een afspraak. {vector}"
    vac = load_entry(get_kind(VAC), {"key": "xss-vac", "question": "Vraag?", "answer": answer, "internal_explanation": vector}, user)
    for instance, columns in ((product, rich_columns(Product)), (vac, rich_columns(VAC))):
        for column, value in stored_values(instance, columns).items():
            assert is_safe_html(value), f"{column} stored {value!r}"
    for note in product.agent_notes.all():
        assert is_safe_html(note.body)
