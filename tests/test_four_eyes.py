"""Four eyes (issue 12): a shared entry is published by a second curator,
never by the one who made the change; a gemeente's overrides and local
entries follow its `publication` setting. Real roles, real admin POSTs."""

import pytest
from django.urls import reverse
from wagtail.models import WorkflowState

from gemeenten.models import Gemeente, Publication
from sharing.resolution import PUBLIC, resolve
from sharing.workflow_models import OverrideChange

from .admin_forms import approve, button_value, edit_url, post_edit_form
from .factories import make_gemeente, make_product, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db


def _title(entry):
    return type(entry).objects.get(pk=entry.pk).title_nl


def test_a_new_gemeente_has_four_eyes():
    gemeente = Gemeente.objects.create(name="Nieuwgemeente", slug="nieuw", cbs_code="9999")
    assert gemeente.publication == Publication.FOUR_EYES


def test_publishing_a_shared_entry_submits_it_and_a_second_curator_approves(client):
    product = make_product(title_nl="Paspoort aanvragen")
    editor, second = regional_curator(), regional_curator()
    client.force_login(editor)
    page = client.get(edit_url(product)).content.decode()
    assert 'name="action-publish"' not in page  # the form offers submit, not publish

    # Even a forged "publish" POST only submits the change.
    response = post_edit_form(client, product, {"title_nl": "Paspoort aanvragen (nieuw)"}, action="action-submit")
    assert response.status_code == 302
    assert _title(product) == "Paspoort aanvragen"
    assert type(product).objects.get(pk=product.pk).workflow_in_progress

    # The submitter cannot approve: no action is offered, a POST is refused.
    assert approve(product, editor).status_code in (302, 403)
    assert _title(product) == "Paspoort aanvragen"
    state = WorkflowState.objects.active().for_instance(product).get()
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    response = approve(product, second)
    assert response.status_code == 302
    assert _title(product) == "Paspoort aanvragen (nieuw)"
    gemeente = make_gemeente()
    assert resolve(type(product).objects.get(pk=product.pk), gemeente, channel=PUBLIC).title == "Paspoort aanvragen (nieuw)"
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED and state.requested_by == editor


def test_a_forged_publish_post_of_a_shared_entry_only_submits(client):
    product = make_product(title_nl="Rijbewijs")
    client.force_login(regional_curator())
    html = client.get(edit_url(product)).content.decode()
    from .admin_forms import form_data

    data = form_data(html)
    data.update({"title_nl": ["Gekaapt"], "action-publish": ["action-publish"]})
    response = client.post(edit_url(product), data)
    assert response.status_code == 302
    assert _title(product) == "Rijbewijs"
    assert type(product).objects.get(pk=product.pk).workflow_in_progress


def test_the_approver_sees_the_resolved_change_per_gemeente(client):
    product = make_product(title_nl="Paspoort", procedure_nl="<p>Maak een afspraak.</p>")
    zelf, eigen = make_gemeente("Zelfstad"), make_gemeente("Eigenstad")
    # Eigenstad has its own procedure: the shared change does not reach it there.
    product.overrides.create(gemeente=eigen, field_name="procedure_nl", value="<p>Kom langs.</p>", base_value=product.procedure_nl)
    client.force_login(regional_curator())
    post_edit_form(client, product, {"procedure_nl": _rich("<p>Vraag online aan.</p>")}, action="action-submit")
    task_state = type(product).objects.get(pk=product.pk).current_workflow_task_state
    approver = regional_curator()
    client.force_login(approver)
    url = reverse("wagtailsnippets_pdc_product:workflow_action", args=[product.pk, "approve", task_state.pk])
    html = client.get(url).json()["html"]
    assert "Zelfstad" in html and "Vraag online aan." in html and "Maak een afspraak." in html
    assert "Eigenstad" not in html


def _rich(html):
    from .admin_forms import rich_text

    return rich_text(html)


def test_local_entry_of_a_direct_gemeente_publishes_at_once(client):
    direct = make_gemeente(publication=Publication.DIRECT)
    entry = make_product(title_nl="Afvalpas", gemeente=direct)
    client.force_login(municipal_curator(direct))
    html = client.get(edit_url(entry)).content.decode()
    response = post_edit_form(client, entry, {"title_nl": "Afvalpas (direct)"}, action="action-publish")
    assert button_value(html, "action-publish") is not None and response.status_code == 302
    assert _title(entry) == "Afvalpas (direct)"


def test_local_entry_of_a_four_eyes_gemeente_waits_for_a_second_curator(client):
    streng = make_gemeente(publication=Publication.FOUR_EYES)
    entry = make_product(title_nl="Afvalpas", gemeente=streng)
    editor, colleague, neighbour = municipal_curator(streng), municipal_curator(streng), municipal_curator(make_gemeente())
    client.force_login(editor)
    post_edit_form(client, entry, {"title_nl": "Afvalpas (vier ogen)"}, action="action-submit")
    assert _title(entry) == "Afvalpas"
    approve(entry, editor)
    approve(entry, neighbour)  # another gemeente's curator may not
    assert _title(entry) == "Afvalpas"
    assert approve(entry, colleague).status_code == 302
    assert _title(entry) == "Afvalpas (vier ogen)"


def _post_override(client, product, gemeente, value, **extra):
    url = reverse("sharing:field_editor", args=["product", product.pk, gemeente.slug, "procedure_nl"])
    return client.post(url, {"value": _rich(value), **extra})


def test_override_in_a_direct_gemeente_is_live_at_once(client):
    direct = make_gemeente(publication=Publication.DIRECT)
    product = make_product(procedure_nl="<p>Maak een afspraak.</p>")
    client.force_login(municipal_curator(direct))
    assert _post_override(client, product, direct, "<p>Kom zonder afspraak.</p>").status_code == 302
    assert "Kom zonder afspraak." in resolve(product, direct, channel=PUBLIC).fields["procedure"]
    assert not OverrideChange.objects.exists()


def test_override_in_a_four_eyes_gemeente_is_held_until_a_second_curator_approves(client):
    streng = make_gemeente(publication=Publication.FOUR_EYES)
    product = make_product(procedure_nl="<p>Maak een afspraak.</p>")
    editor, colleague = municipal_curator(streng), municipal_curator(streng)
    client.force_login(editor)
    _post_override(client, product, streng, "<p>Kom zonder afspraak.</p>")
    assert "Maak een afspraak." in resolve(product, streng, channel=PUBLIC).fields["procedure"]
    change = OverrideChange.objects.get()
    assert change.status == OverrideChange.Status.PENDING and change.submitted_by == editor

    # The editor's own approval is refused on the server.
    client.post(reverse("sharing:review_change", args=[change.pk]), {"action": "approve"})
    change.refresh_from_db()
    assert change.status == OverrideChange.Status.PENDING
    assert "Maak een afspraak." in resolve(product, streng, channel=PUBLIC).fields["procedure"]

    # The colleague sees before and after for this gemeente, and approves.
    client.force_login(colleague)
    page = client.get(reverse("sharing:changes")).content.decode()
    assert "Maak een afspraak." in page and "Kom zonder afspraak." in page
    assert f'action="{reverse("sharing:review_change", args=[change.pk])}"' in page and f'for="reden-{change.pk}"' in page
    assert client.post(reverse("sharing:review_change", args=[change.pk]), {"action": "approve"}).status_code == 302
    assert "Kom zonder afspraak." in resolve(product, streng, channel=PUBLIC).fields["procedure"]
    change.refresh_from_db()
    assert change.status == OverrideChange.Status.APPLIED and change.reviewed_by == colleague and change.applied_at

    # Every step is in the entry's history.
    from wagtail.models import ModelLogEntry

    actions = list(ModelLogEntry.objects.for_instance(product).values_list("action", flat=True))
    assert {"kennisbank.override.submitted", "kennisbank.override.approved", "kennisbank.override.applied", "kennisbank.override.set"} <= set(actions)


def test_a_rejected_override_change_changes_nothing(client):
    streng = make_gemeente(publication=Publication.FOUR_EYES)
    product = make_product(procedure_nl="<p>Maak een afspraak.</p>")
    client.force_login(municipal_curator(streng))
    _post_override(client, product, streng, "<p>Kom zonder afspraak.</p>")
    change = OverrideChange.objects.get()
    client.force_login(regional_curator())
    client.post(reverse("sharing:review_change", args=[change.pk]), {"action": "reject", "reason": "Klopt niet"})
    change.refresh_from_db()
    assert change.status == OverrideChange.Status.REJECTED and change.reason == "Klopt niet"
    assert not product.overrides.exists()
    assert change.value == "<p>Kom zonder afspraak.</p>"  # still readable
