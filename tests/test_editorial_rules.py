"""Issue 12, "done when" 4: the rules the existing tests did not hold yet —
a link shows nothing outside its scope, only a regional curator switches a
gemeente's four eyes off (and the switch is what counts), and a rejected
draft from an agent creates nothing. (Link scoping of submissions, expiry,
revocation, tampering, self-approval refused and rejected suggestions and
override changes are in tests/test_voorstellen.py and tests/test_four_eyes.py.)"""

import json

import pytest
from django.urls import reverse

from gemeenten.models import Gemeente, Publication, Role
from kennis.models import VAC
from sharing.resolution import PUBLIC, resolve
from sharing.workflow_models import OverrideChange
from voorstellen.models import Status, Suggestion

from .admin_forms import edit_url, post_edit_form, rich_text
from .factories import make_gemeente, make_product, make_user, municipal_curator, regional_curator
from .test_voorstellen import page, world  # noqa: F401 (world: the fixture)

pytestmark = pytest.mark.django_db


def test_a_link_shows_nothing_outside_its_entries_and_gemeenten(client, world):  # noqa: F811
    world["other"].answer_nl = "<p>Geheime andere tekst.</p>"
    world["other"].save()
    for url in (page(world, gemeente="etten-leur"), page(world, entry=world["other"]), page(world, gemeente="regio")):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 403 and "Deze link werkt niet" in body, url
        assert "Geheime andere tekst" not in body and "Meld het bij de gemeente" not in body


def _publication(gemeente):
    return Gemeente.objects.get(pk=gemeente.pk).publication


def test_only_a_regional_curator_switches_four_eyes_off_and_the_switch_counts(client):
    strict = make_gemeente(publication=Publication.FOUR_EYES)
    product = make_product(procedure_nl="<p>Maak een afspraak.</p>")
    local = municipal_curator(strict)

    # The gemeente's own curator may not publish directly by switching four eyes off.
    client.force_login(local)
    assert client.get(edit_url(strict)).status_code in (302, 403)
    client.post(edit_url(strict), {"name": strict.name, "slug": strict.slug, "cbs_code": strict.cbs_code, "publication": Publication.DIRECT})
    assert _publication(strict) == Publication.FOUR_EYES
    url = reverse("sharing:field_editor", args=["product", product.pk, strict.slug, "procedure_nl"])
    client.post(url, {"value": rich_text("<p>Kom zonder afspraak.</p>")})
    assert OverrideChange.objects.get().status == OverrideChange.Status.PENDING
    assert "Maak een afspraak." in resolve(product, strict, channel=PUBLIC).fields["procedure"]

    # The regional curator switches it off in the admin; from then on a local change is live at once.
    client.force_login(regional_curator())
    assert post_edit_form(client, strict, {"publication": Publication.DIRECT}).status_code == 302
    assert _publication(strict) == Publication.DIRECT
    client.force_login(local)
    client.post(url, {"value": rich_text("<p>Kom langs wanneer u wilt.</p>")})
    assert "Kom langs wanneer u wilt." in resolve(product, Gemeente.objects.get(pk=strict.pk), channel=PUBLIC).fields["procedure"]


def test_a_rejected_draft_from_an_agent_creates_nothing(client, world):  # noqa: F811
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    body = {"gemeente": "roosendaal", "title": "Mag ik mijn kat uitlaten?", "text": "Ja, aangelijnd.", "all": True}
    response = client.post("/api/v1/agent/voorstellen", json.dumps(body), content_type="application/json")
    assert response.status_code == 201
    suggestion = Suggestion.objects.get()
    entries = VAC.objects.count()
    client.force_login(world["curator"])
    client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "reject", "reason": "Staat al in het antwoord over huisdieren."})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REJECTED and suggestion.created_entry_id is None
    assert VAC.objects.count() == entries and not VAC.objects.filter(question_nl__startswith="Mag ik mijn kat").exists()
    assert suggestion.proposals.filter(proposed_text__contains="aangelijnd").exists(), "the draft stays readable"
    shown = client.get(reverse("voorstellen_suggestion", args=[suggestion.pk])).content.decode()
    assert "Staat al in het antwoord over huisdieren." in shown and "Mag ik mijn kat uitlaten?" in shown


# What the edit page's script adds to the edit form when the modal's "Goedkeuren" is confirmed.
APPROVE = {"action-workflow-action": "true", "workflow-action-name": "approve", "workflow-action-extra-data": '{"comment": ""}'}


def test_approving_from_the_edit_page_works_but_not_for_ones_own_edit(client):
    """The footer's "Goedkeuren" posts the edit form (Wagtail saves it as a
    revision of the approver) with the workflow action: unchanged, that is
    an approval; with the approver's own edit in it, it is refused."""
    from pdc.models import Product

    product = make_product(title_nl="Paspoort")
    editor, second, third = regional_curator(), regional_curator(), regional_curator()
    client.force_login(editor)
    post_edit_form(client, product, {"title_nl": "Paspoort (nieuw)"}, action="action-submit")

    client.force_login(second)
    assert 'data-workflow-action-name="approve"' in client.get(edit_url(product)).content.decode()
    response = post_edit_form(client, product, {"title_nl": "Paspoort (door de goedkeurder)", **APPROVE})
    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).title_nl == "Paspoort", "an approval of one's own edit is refused"

    client.force_login(third)
    response = post_edit_form(client, product, APPROVE)
    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).title_nl == "Paspoort (door de goedkeurder)"
