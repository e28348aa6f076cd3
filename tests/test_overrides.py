"""Overrides in the database: staleness when the base changes (acceptance
story 2), keep and revert, history, and the role rules on the server."""

import pytest
from django.core.exceptions import PermissionDenied
from wagtail.models import ModelLogEntry

from sharing.overrides import keep_override, revert_override, set_override
from sharing.resolution import AGENT, PUBLIC, resolve

from .factories import make_gemeente, make_product, make_user, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    roosendaal = make_gemeente("Roosendaal")
    bergen = make_gemeente("Bergen op Zoom")
    product = make_product(procedure_nl="<p>Oude gedeelde procedure.</p>")
    curator = regional_curator()
    set_override(product, roosendaal, "procedure_nl", "<p>Ophalen in de afhaalkluis.</p>", municipal_curator(roosendaal))
    return roosendaal, bergen, product, curator


def test_base_change_flags_the_override_and_shows_old_new_and_local(region):
    roosendaal, bergen, product, _ = region
    product.procedure_nl = "<p>Nieuwe gedeelde procedure.</p>"
    product.save()

    override = product.overrides.get(gemeente=roosendaal, field_name="procedure_nl")
    assert override.base_changed
    assert override.base_value == "<p>Oude gedeelde procedure.</p>"  # old base
    assert product.procedure_nl == "<p>Nieuwe gedeelde procedure.</p>"  # new base
    assert override.value == "<p>Ophalen in de afhaalkluis.</p>"  # local text, kept
    # Roosendaal keeps showing its own text; Bergen op Zoom shows the new base at once.
    assert resolve(product, roosendaal)["procedure"] == "<p>Ophalen in de afhaalkluis.</p>"
    assert resolve(product, bergen)["procedure"] == "<p>Nieuwe gedeelde procedure.</p>"
    assert resolve(product, roosendaal, channel=AGENT).stale == {"procedure_nl"}


def test_change_to_another_field_flags_nothing(region):
    roosendaal, _, product, _ = region
    product.summary_nl = "Nieuwe samenvatting"
    product.save()
    assert not product.overrides.flagged().exists()


def test_undoing_a_base_change_does_not_flag(region):
    roosendaal, _, product, _ = region
    product.procedure_nl = "<p>Oude gedeelde procedure.</p>"
    product.save()
    assert not product.overrides.flagged().exists()


def test_keep_clears_the_flag_against_the_new_base(region):
    roosendaal, _, product, _ = region
    product.procedure_nl = "<p>Nieuwe gedeelde procedure.</p>"
    product.save()
    keep_override(product, roosendaal, "procedure_nl", municipal_curator(roosendaal))
    override = product.overrides.get(gemeente=roosendaal)
    assert not override.base_changed
    assert override.base_value == "<p>Nieuwe gedeelde procedure.</p>"
    assert override.value == "<p>Ophalen in de afhaalkluis.</p>"


def test_revert_returns_to_the_shared_text_and_is_in_the_history(region):
    roosendaal, _, product, _ = region
    editor = municipal_curator(roosendaal)
    revert_override(product, roosendaal, "procedure_nl", editor)
    assert not product.overrides.exists()
    assert resolve(product, roosendaal)["procedure"] == "<p>Oude gedeelde procedure.</p>"
    actions = list(ModelLogEntry.objects.for_instance(product).values_list("action", "user_id", "data"))
    assert ("kennisbank.override.revert", editor.pk) in [(a, u) for a, u, _ in actions]
    assert any(d.get("field") == "procedure_nl" and d.get("gemeente") == roosendaal.slug for _, _, d in actions)


def test_saving_the_base_text_as_local_text_means_inherit(region):
    roosendaal, _, product, _ = region
    set_override(product, roosendaal, "procedure_nl", product.procedure_nl, regional_curator())
    assert not product.overrides.filter(gemeente=roosendaal).exists()


def test_municipal_curator_cannot_write_another_gemeente_and_nothing_changes(region):
    roosendaal, bergen, product, _ = region
    intruder = municipal_curator(bergen)
    before = list(product.overrides.values_list("gemeente_id", "field_name", "value"))
    with pytest.raises(PermissionDenied):
        set_override(product, roosendaal, "procedure_nl", "<p>Gekaapt</p>", intruder)
    with pytest.raises(PermissionDenied):
        revert_override(product, roosendaal, "procedure_nl", intruder)
    assert list(product.overrides.values_list("gemeente_id", "field_name", "value")) == before


def test_agent_cannot_write_at_all(region):
    roosendaal, _, product, _ = region
    agent = make_user("agent", roosendaal)
    with pytest.raises(PermissionDenied):
        set_override(product, roosendaal, "costs_nl", "<p>gratis</p>", agent)


def test_override_values_are_sanitised(region):
    roosendaal, _, product, curator = region
    set_override(product, roosendaal, "costs_nl", '<p onclick="x()">€ 10<script>alert(1)</script></p>', curator)
    value = product.overrides.get(gemeente=roosendaal, field_name="costs_nl").value
    assert "<script" not in value and "onclick" not in value and "€ 10" in value


def test_public_never_sees_another_gemeentes_override(region):
    roosendaal, bergen, product, _ = region
    assert "afhaalkluis" not in repr(resolve(product, bergen, channel=PUBLIC))
    assert "afhaalkluis" not in repr(resolve(product, bergen, channel=AGENT))


def test_an_unknown_variable_in_shared_text_is_refused_with_a_clear_error():
    from django.core.exceptions import ValidationError

    product = make_product(costs_nl="<p>{{ gemeente.naam }}</p>")
    product.costs_nl = "<p>Kosten: {{ leges.bestaat_niet }}</p>"
    with pytest.raises(ValidationError, match="leges.bestaat_niet"):
        product.full_clean()
