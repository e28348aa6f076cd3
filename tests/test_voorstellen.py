"""Issue 12 (suggestions): back-office experts propose text and fees by a
personal link (signed, expiring, revocable, scoped), agents from the API;
curators accept into a draft or reject, each only for their own gemeenten."""

import datetime
import json

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from gemeenten.models import Publication, Role
from kennisbank.sanitise import is_safe_html
from sharing.kinds import get_kind
from sharing.models import Variable, VariableValue
from sharing.workflow_models import OverrideChange, ValueChange
from voorstellen.models import TOKEN_SALT, FieldProposal, Invitation, InvitationEntry, ProposalStatus, Status, Suggestion, Target

from .factories import make_gemeente, make_user, make_vac, municipal_curator, regional_curator
from .xss_vectors import XSS_VECTORS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    roosendaal, etten = make_gemeente("Roosendaal", slug="roosendaal"), make_gemeente("Etten-Leur", slug="etten-leur")
    vac = make_vac(slug="paspoort-kwijt", question_nl="Paspoort kwijt?", answer_nl="<p>Meld het bij de gemeente. Kosten: {{ leges.paspoort }}.</p>")
    other = make_vac(slug="rijbewijs", question_nl="Rijbewijs kwijt?")
    leges = Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")
    VariableValue.objects.create(variable=leges, gemeente=roosendaal, value="84.25")
    curator = regional_curator()
    invitation = Invitation.objects.create(
        name="Bea Burgerzaken", email="bea@example.nl", department="Burgerzaken", created_by=curator,
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )  # fmt: skip
    invitation.gemeenten.set([roosendaal])
    InvitationEntry.objects.create(invitation=invitation, entry_kind=get_kind(vac).name, entry_id=vac.pk)
    return {"roosendaal": roosendaal, "etten": etten, "vac": vac, "other": other, "invitation": invitation, "curator": curator, "leges": leges}


def page(world, gemeente="roosendaal", entry=None, token=None):
    entry = entry or world["vac"]
    return f"/voorstellen/{token or world['invitation'].token}/{gemeente}/{get_kind(entry).name}/{entry.pk}/"


def propose(client, url, **data):
    return client.post(url, data)


# The link -------------------------------------------------------------------------------


def test_the_link_shows_the_current_text_and_takes_a_proposal(client, world):
    response = client.get(page(world))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Meld het bij de gemeente" in text and "Gedeelde tekst" in text
    assert "Leges paspoort" in text and "84,25" in text
    response = propose(client, page(world), **{"tekst-answer_nl": "Meld het **direct** bij de gemeente."})
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.gemeente, suggestion.invitation, suggestion.status) == (world["roosendaal"], world["invitation"], Status.NEW)
    proposal = suggestion.proposals.get()
    assert proposal.field_name == "answer_nl" and proposal.target == Target.SHARED
    assert proposal.proposed_text == "<p>Meld het <strong>direct</strong> bij de gemeente.</p>"
    assert "Meld het bij de gemeente" in proposal.seen_text
    overview = client.get(response["Location"]).content.decode()
    assert "Dank u wel" in overview and "nieuw" in overview


def test_a_local_text_is_marked_and_proposals_about_it_go_to_the_override(client, world):
    world["vac"].overrides.create(gemeente=world["roosendaal"], field_name="answer_nl", value="<p>In Roosendaal: bel 14 0165.</p>", base_value="")
    text = client.get(page(world)).content.decode()
    assert "In Roosendaal: bel 14 0165." in text and "Lokale tekst van gemeente Roosendaal" in text
    propose(client, page(world), **{"tekst-answer_nl": "In Roosendaal: bel 14 0165 of mail."})
    assert FieldProposal.objects.get().target == Target.LOCAL


def test_fees_are_proposed_with_an_effective_date(client, world):
    new_year = timezone.localdate().replace(month=1, day=1) + datetime.timedelta(days=366)
    new_year = new_year.replace(day=1)
    response = propose(client, page(world), **{"bedrag-leges.paspoort": "€ 87,10", "ingangsdatum": new_year.isoformat()})
    assert response.status_code == 302
    fee = Suggestion.objects.get().fees.get()
    assert (fee.value, fee.valid_from) == ("87.10", new_year)
    past = propose(client, page(world), **{"bedrag-leges.paspoort": "87,10", "ingangsdatum": timezone.localdate().isoformat()})
    assert past.status_code == 400 and Suggestion.objects.count() == 1


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda token: token[:-2] + ("AA" if not token.endswith("AA") else "BB"), id="tampered"),
        pytest.param(lambda token: "x" + token, id="garbage"),
        pytest.param(lambda token: signing.Signer(salt=TOKEN_SALT).sign_object(10**9), id="unknown invitation"),
        pytest.param(lambda token: signing.Signer(salt="another.salt").sign_object(1), id="other salt"),
        pytest.param(lambda token: signing.dumps(1, salt=TOKEN_SALT), id="timestamped"),
    ],
)
def test_a_tampered_link_gets_a_clear_page_and_writes_nothing(client, world, mangle):
    url = page(world, token=mangle(world["invitation"].token))
    for response in (client.get(url), propose(client, url, **{"tekst-answer_nl": "Kwaadaardig"})):
        assert response.status_code == 403 and "Deze link werkt niet" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_an_expired_or_revoked_link_writes_nothing(client, world):
    invitation = world["invitation"]
    invitation.expires_at = timezone.now() - datetime.timedelta(minutes=1)
    invitation.save()
    assert "Deze link werkt niet" in propose(client, page(world), **{"tekst-answer_nl": "Nieuw"}).content.decode()
    invitation.expires_at, invitation.revoked_at = timezone.now() + datetime.timedelta(days=1), timezone.now()
    invitation.save()
    assert propose(client, page(world), **{"tekst-answer_nl": "Nieuw"}).status_code == 403
    assert client.get(f"/voorstellen/{invitation.token}/").status_code == 403
    assert not Suggestion.objects.exists()


def test_the_link_is_scoped_to_its_entries_and_gemeenten(client, world):
    for url in (page(world, gemeente="etten-leur"), page(world, entry=world["other"]), page(world, gemeente="regio"), page(world, gemeente="onbekend")):
        assert propose(client, url, **{"tekst-answer_nl": "Nieuw"}).status_code == 403, url
    assert not Suggestion.objects.exists()


def test_a_curator_revokes_a_link_in_the_admin(client, world):
    curator = municipal_curator(world["roosendaal"])
    client.force_login(curator)
    response = client.post(reverse("voorstellen_invitations"), {"revoke": world["invitation"].pk})
    assert response.status_code == 302
    client.logout()
    assert client.get(page(world)).status_code == 403


def test_a_curator_invites_an_expert_and_the_link_is_mailed(client, world, django_capture_on_commit_callbacks):
    client.force_login(municipal_curator(world["roosendaal"]))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("voorstellen_invitations"),
            {"name": "Piet", "email": "piet@example.nl", "department": "Burgerzaken", "gemeenten": [world["roosendaal"].pk], "entries": "paspoort-kwijt", "days": 14},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(name="Piet")
    assert invitation.covers_entry(get_kind(world["vac"]).name, world["vac"].pk) and not invitation.regional
    assert invitation.token in mail.outbox[-1].body
    foreign = client.post(reverse("voorstellen_invitations"), {"name": "X", "email": "x@example.nl", "gemeenten": [world["etten"].pk], "entries": "paspoort-kwijt", "days": 3})
    assert foreign.status_code == 200 and not Invitation.objects.filter(name="X").exists()


def test_submissions_are_rate_limited(client, world, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "suggestion": "2/h"}
    for number in range(2):
        assert propose(client, page(world), opmerking=f"Opmerking {number}").status_code == 302
    assert propose(client, page(world), opmerking="Nog een").status_code == 429
    assert Suggestion.objects.count() == 2
    other = Invitation.objects.create(name="Ander", email="a@example.nl", expires_at=world["invitation"].expires_at)
    other.gemeenten.set([world["roosendaal"]])
    InvitationEntry.objects.create(invitation=other, entry_kind=get_kind(world["vac"]).name, entry_id=world["vac"].pk)
    assert propose(client, page(world, token=other.token), opmerking="Van een collega").status_code == 302, "counted per link"


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_hostile_text_stores_nothing_executable(client, world, vector):
    propose(client, page(world), **{"tekst-answer_nl": vector, "tekst-question_nl": vector, "opmerking": vector})
    for proposal in FieldProposal.objects.all():
        assert is_safe_html(proposal.proposed_text), proposal.proposed_text
    question = FieldProposal.objects.filter(field_name="question_nl").first()
    assert question is None or "<" not in question.proposed_text


# The queue --------------------------------------------------------------------------------


def suggest_answer(client, world, text="Meld het direct bij de gemeente."):
    propose(client, page(world), **{"tekst-answer_nl": text})
    return Suggestion.objects.latest("pk")


def test_accepting_writes_a_draft_and_the_live_entry_is_unchanged(client, world, django_capture_on_commit_callbacks):
    suggestion = suggest_answer(client, world)
    client.force_login(world["curator"])
    diff = client.get(reverse("voorstellen_suggestion", args=[suggestion.pk])).content.decode()
    assert "<ins>direct</ins>" in diff
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "accept-all"})
    assert response.status_code == 302
    vac = type(world["vac"]).objects.get(pk=world["vac"].pk)
    assert "Meld het bij de gemeente." in vac.answer_nl, "the live row is unchanged"
    assert vac.has_unpublished_changes
    assert "Meld het direct bij de gemeente." in vac.get_latest_revision_as_object().answer_nl
    site = client.get(f"/api/v1/gemeenten/roosendaal/vacs/{vac.slug}")
    assert site.status_code != 200 or "direct" not in site.content.decode()
    suggestion.refresh_from_db()
    assert suggestion.status == Status.ACCEPTED
    history = list(ModelLogEntry.objects.for_instance(vac).values_list("action", "user"))
    assert ("kennisbank.suggestion.new", None) in history and ("kennisbank.suggestion.accept", world["curator"].pk) in history
    assert "overgenomen" in mail.outbox[-1].subject and mail.outbox[-1].to == ["bea@example.nl"]


def test_accept_per_field_after_editing(client, world):
    propose(client, page(world), **{"tekst-answer_nl": "Nieuw antwoord.", "tekst-question_nl": "Paspoort verloren?"})
    suggestion = Suggestion.objects.get()
    answer, question = suggestion.proposals.get(field_name="answer_nl"), suggestion.proposals.get(field_name="question_nl")
    client.force_login(world["curator"])
    client.post(
        reverse("voorstellen_suggestion", args=[suggestion.pk]),
        {"action": "accept-selected", "proposal": [answer.pk], f"text-{answer.pk}": "Nieuw antwoord, bewerkt.<script>alert(1)</script>"},
    )
    suggestion.refresh_from_db()
    assert suggestion.status == Status.PARTLY
    draft = type(world["vac"]).objects.get(pk=world["vac"].pk).get_latest_revision_as_object()
    assert "bewerkt" in draft.answer_nl and is_safe_html(draft.answer_nl) and draft.question_nl == "Paspoort kwijt?"
    question.refresh_from_db()
    assert question.status == ProposalStatus.REJECTED


def test_accepting_nothing_is_refused(client, world):
    suggestion = suggest_answer(client, world)
    client.force_login(world["curator"])
    client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "accept-selected"})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW and suggestion.proposals.get().status == ProposalStatus.OPEN


def test_a_rejected_suggestion_changes_nothing_and_stays_readable(client, world):
    suggestion = suggest_answer(client, world)
    vac = world["vac"]
    revisions = vac.revisions.count()
    client.force_login(world["curator"])
    assert client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "reject", "reason": ""}).status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW, "a reason is required"
    client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "reject", "reason": "Dit klopt niet met de wet."})
    suggestion.refresh_from_db()
    assert suggestion.status == Status.REJECTED and suggestion.reason == "Dit klopt niet met de wet."
    vac.refresh_from_db()
    assert vac.revisions.count() == revisions and not vac.has_unpublished_changes and "Meld het bij de gemeente." in vac.answer_nl
    assert suggestion.proposals.get().proposed_text, "the proposal is kept"
    client.logout()
    assert "Dit klopt niet met de wet." in client.get(f"/voorstellen/{world['invitation'].token}/").content.decode()


def test_a_municipal_curator_cannot_see_or_handle_another_gemeentes_suggestion(client, world):
    suggestion = suggest_answer(client, world)
    etten_curator = municipal_curator(world["etten"])
    client.force_login(etten_curator)
    assert "Paspoort kwijt?" not in client.get(reverse("voorstellen_queue")).content.decode()
    assert client.get(reverse("voorstellen_suggestion", args=[suggestion.pk])).status_code == 404
    assert client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "accept-all"}).status_code == 404
    agent = make_user(Role.AGENT, world["roosendaal"])
    client.force_login(agent)
    assert client.get(reverse("voorstellen_queue")).status_code in (302, 403)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW and not world["vac"].revisions.exists()


def test_a_municipal_curator_may_not_accept_shared_text_but_publishes_local_text(client, world):
    roosendaal = world["roosendaal"]
    suggestion = suggest_answer(client, world)
    client.force_login(municipal_curator(roosendaal))
    assert "Paspoort kwijt?" in client.get(reverse("voorstellen_queue")).content.decode()
    assert client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "accept-all"}).status_code in (302, 403)
    suggestion.refresh_from_db()
    assert suggestion.status == Status.NEW and not world["vac"].revisions.exists(), "shared text is the regional curators'"
    world["vac"].overrides.create(gemeente=roosendaal, field_name="answer_nl", value="<p>Lokaal.</p>", base_value="")
    local = suggest_answer(client, world, text="Lokaal, nieuw.")
    client.post(reverse("voorstellen_suggestion", args=[local.pk]), {"action": "accept-all"})
    assert world["vac"].overrides.get(gemeente=roosendaal).value == "<p>Lokaal.</p>", "accepting publishes nothing"
    change = OverrideChange.objects.get()
    assert (change.status, change.value, change.field_name) == (OverrideChange.Status.PENDING, "<p>Lokaal, nieuw.</p>", "answer_nl"), "accepting holds the change at once"
    # Roosendaal publishes directly: its curator publishes the held change themselves.
    assert client.post(reverse("sharing:review_change", args=[change.pk]), {"action": "approve"}).status_code == 302
    assert world["vac"].overrides.get(gemeente=roosendaal).value == "<p>Lokaal, nieuw.</p>"


def test_in_a_four_eyes_gemeente_accepted_local_text_and_fees_wait_for_a_second_curator(client, world):
    """Issue 12 gaps: an accepted fee went live without a second approval,
    and an accepted local text needed an extra step before it was held."""
    roosendaal, vac = world["roosendaal"], world["vac"]
    roosendaal.publication = Publication.FOUR_EYES
    roosendaal.save()
    vac.overrides.create(gemeente=roosendaal, field_name="answer_nl", value="<p>Lokaal: {{ leges.paspoort }}.</p>", base_value="")
    date = timezone.localdate() + datetime.timedelta(days=30)
    propose(client, page(world), **{"tekst-answer_nl": "Lokaal, nieuw.", "bedrag-leges.paspoort": "87,10", "ingangsdatum": date.isoformat()})
    suggestion = Suggestion.objects.get()
    accepter, second = municipal_curator(roosendaal), world["curator"]
    client.force_login(accepter)
    assert client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "accept-all"}).status_code == 302
    held_text, held_fee = OverrideChange.objects.get(), ValueChange.objects.get()
    assert held_text.status == OverrideChange.Status.PENDING and held_fee.status == ValueChange.Status.PENDING
    assert (held_fee.value, held_fee.valid_from, held_fee.submitted_by) == ("87.10", date, accepter)
    assert not VariableValue.objects.filter(valid_from=date).exists(), "nothing is scheduled before the approval"
    assert vac.overrides.get(gemeente=roosendaal).value == "<p>Lokaal: {{ leges.paspoort }}.</p>"

    # The one who accepted cannot approve: no button, and a forged POST is refused.
    changes = client.get(reverse("sharing:changes")).content.decode()
    assert "Lokaal, nieuw." in changes and "€ 87,10" in changes and 'value="approve"' not in changes
    assert client.post(reverse("sharing:review_value_change", args=[held_fee.pk]), {"action": "approve"}).status_code in (302, 403)
    assert client.post(reverse("sharing:review_change", args=[held_text.pk]), {"action": "approve"}).status_code in (302, 403)
    held_fee.refresh_from_db(), held_text.refresh_from_db()
    assert held_fee.status == ValueChange.Status.PENDING and not VariableValue.objects.filter(valid_from=date).exists()
    assert held_text.status == OverrideChange.Status.PENDING

    client.force_login(second)
    changes = client.get(reverse("sharing:changes")).content.decode()
    assert "€ 84,25" in changes and "€ 87,10" in changes, "the approver sees the value before and after"
    assert client.post(reverse("sharing:review_value_change", args=[held_fee.pk]), {"action": "approve"}).status_code == 302
    assert client.post(reverse("sharing:review_change", args=[held_text.pk]), {"action": "approve"}).status_code == 302
    assert vac.overrides.get(gemeente=roosendaal).value == "<p>Lokaal, nieuw.</p>"
    assert VariableValue.objects.in_force(roosendaal)["leges.paspoort"].value == "84.25"
    assert VariableValue.objects.in_force(roosendaal, on=date)["leges.paspoort"].value == "87.10"
    history = set(ModelLogEntry.objects.for_instance(world["leges"]).values_list("action", "user"))
    assert {("kennisbank.value.submitted", accepter.pk), ("kennisbank.value.approved", second.pk)} <= history


def test_a_rejected_fee_change_schedules_nothing(client, world):
    roosendaal = world["roosendaal"]
    roosendaal.publication = Publication.FOUR_EYES
    roosendaal.save()
    date = timezone.localdate() + datetime.timedelta(days=30)
    propose(client, page(world), **{"bedrag-leges.paspoort": "87,10", "ingangsdatum": date.isoformat()})
    client.force_login(municipal_curator(roosendaal))
    client.post(reverse("voorstellen_suggestion", args=[Suggestion.objects.get().pk]), {"action": "accept-all"})
    held = ValueChange.objects.get()
    client.force_login(world["curator"])
    client.post(reverse("sharing:review_value_change", args=[held.pk]), {"action": "reject", "reason": "Nog niet vastgesteld"})
    held.refresh_from_db()
    assert (held.status, held.reason, held.value) == (ValueChange.Status.REJECTED, "Nog niet vastgesteld", "87.10")
    assert list(VariableValue.objects.filter(gemeente=roosendaal).values_list("value", flat=True)) == ["84.25"]


def test_accepting_a_fee_schedules_it_for_its_date(client, world):
    date = timezone.localdate() + datetime.timedelta(days=30)
    propose(client, page(world), **{"bedrag-leges.paspoort": "87,10", "ingangsdatum": date.isoformat()})
    suggestion = Suggestion.objects.get()
    client.force_login(municipal_curator(world["roosendaal"]))
    assert "87.10" in client.get(reverse("voorstellen_suggestion", args=[suggestion.pk])).content.decode()
    client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "accept-all"})
    assert VariableValue.objects.in_force(world["roosendaal"], on=date)["leges.paspoort"].value == "84.25", "held until approved"
    # Roosendaal publishes directly: the curator who accepted approves.
    client.post(reverse("sharing:review_value_change", args=[ValueChange.objects.get().pk]), {"action": "approve"})
    assert VariableValue.objects.in_force(world["roosendaal"])["leges.paspoort"].value == "84.25"
    assert VariableValue.objects.in_force(world["roosendaal"], on=date)["leges.paspoort"].value == "87.10"


# Agents ------------------------------------------------------------------------------------


def post_json(client, body):
    return client.post("/api/v1/agent/voorstellen", json.dumps(body), content_type="application/json")


def test_an_agent_drafts_a_new_entry_and_accepting_makes_a_draft(client, world):
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    response = post_json(client, {"gemeente": "roosendaal", "title": "Mag ik mijn hond <b>meenemen</b>?", "text": "Ja, **aangelijnd**.<img src=x onerror=alert(1)>"})
    assert response.status_code == 201, response.content
    suggestion = Suggestion.objects.get(pk=response.json()["id"])
    assert suggestion.is_new_entry and suggestion.gemeente == world["roosendaal"]
    assert all(is_safe_html(p.proposed_text) for p in suggestion.proposals.all())
    client.force_login(municipal_curator(world["roosendaal"]))
    shown = client.get(reverse("voorstellen_suggestion", args=[suggestion.pk]))
    assert shown.status_code == 200 and "<ins>Ja, aangelijnd.</ins>" in shown.content.decode()
    client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "accept-all"})
    suggestion.refresh_from_db()
    draft = get_kind(suggestion.entry_kind).model.objects.get(pk=suggestion.created_entry_id)
    assert not draft.live and draft.gemeente == world["roosendaal"] and draft.question_nl == "Mag ik mijn hond meenemen?"
    assert "<strong>aangelijnd</strong>" in draft.answer_nl and "onerror" not in draft.answer_nl


def test_an_agent_proposes_a_correction_to_an_open_answer(client, world):
    client.force_login(make_user(Role.AGENT, world["roosendaal"]))
    vac = world["vac"]
    response = post_json(client, {"gemeente": "roosendaal", "entry": {"kind": get_kind(vac).name, "id": vac.pk}, "text": "Meld het binnen een week."})
    assert response.status_code == 201
    assert Suggestion.objects.get().proposals.get().field_name == "answer_nl"
    assert post_json(client, {"gemeente": "etten-leur", "title": "x", "text": "y"}).status_code == 403
    client.logout()
    assert post_json(client, {"gemeente": "roosendaal", "title": "x", "text": "y"}).status_code == 401
    assert Suggestion.objects.count() == 1


# In a browser ---------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_expert_proposes_a_text_in_the_browser_in_the_house_style(browser, live_server, settings):
    """No account: the link opens the gemeente's own site in its colours with
    the current text; a proposal lands, the status shows on the same link;
    no WCAG A/AA violations (axe-core)."""
    from tests.test_website_accessibility import axe_violations
    from website.provisioning import provision_gemeente

    settings.SEARCH_ENGINE = "none"
    port = int(live_server.url.rsplit(":", 1)[1])
    roosendaal = provision_gemeente(
        name="Roosendaal", slug="roosendaal", cbs_code="1674", hostname="roosendaal.localhost", port=port,
        house_style={"primary_colour": "#0b5394", "accent_colour": "#f6b26b"},
    )  # fmt: skip
    vac = make_vac(slug="paspoort-kwijt", question_nl="Paspoort kwijt?", answer_nl="<p>Doe aangifte van vermissing.</p>")
    invitation = Invitation.objects.create(name="Bea", email="bea@example.nl", expires_at=timezone.now() + datetime.timedelta(days=7))
    invitation.gemeenten.set([roosendaal])
    InvitationEntry.objects.create(invitation=invitation, entry_kind=get_kind(vac).name, entry_id=vac.pk)

    page = browser.new_page()
    page.goto(f"http://roosendaal.localhost:{port}/voorstellen/{invitation.token}/")
    page.get_by_role("link", name="Roosendaal", exact=True).click()
    assert page.get_by_text("Doe aangifte van vermissing.").is_visible()
    colour = page.evaluate("getComputedStyle(document.documentElement).getPropertyValue('--huiskleur').trim()")
    assert colour == "#0b5394"
    assert axe_violations(page) == []
    page.get_by_label("Nieuwe tekst voor antwoord").fill("Doe **direct** aangifte van vermissing.")
    page.get_by_label("Nieuwe tekst voor antwoord").locator("xpath=ancestor::form").get_by_role("button").click()
    page.get_by_text("Dank u wel").wait_for()
    assert page.get_by_text("nieuw", exact=True).is_visible()
    proposal = FieldProposal.objects.get()
    assert proposal.proposed_text == "<p>Doe <strong>direct</strong> aangifte van vermissing.</p>"


def test_the_queue_pages_are_dutch(client, world):
    from tests.admin_pages import visible_text
    from tests.test_admin_labels import ENGLISH

    suggestion = suggest_answer(client, world)
    client.force_login(world["curator"])
    for url in (reverse("voorstellen_queue"), reverse("voorstellen_suggestion", args=[suggestion.pk]), reverse("voorstellen_invitations")):
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
        assert response.status_code == 200, url
        assert not set(ENGLISH.findall(visible_text(response))), url


def test_accepted_local_text_and_fees_are_held_even_in_a_direct_gemeente(client):
    """docs/editorial-flow.md: accepting is choosing what to take over, not
    publishing. In a gemeente that publishes directly an accepted local
    text and fee wait as held changes (nothing live); there its curator —
    also the one who accepted — approves them (no second person)."""
    from sharing.overrides import set_override
    from voorstellen.services import suggest

    from .factories import make_product

    direct = make_gemeente(publication=Publication.DIRECT)
    leges = Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")
    product = make_product(slug="paspoort", summary_nl="Vraag een paspoort aan.")
    curator = municipal_curator(direct)
    set_override(product, direct, "summary_nl", "Vraag hier een paspoort aan.", curator)
    new_year = timezone.localdate() + datetime.timedelta(days=30)
    suggestion = suggest(
        entry_kind=get_kind(product), entry=product, gemeente=direct, author_name="Bea",
        texts={"summary_nl": "Vraag hier uw paspoort aan."}, fees=[(leges, "87.10", new_year)],
    )  # fmt: skip
    assert suggestion.proposals.get().target == Target.LOCAL
    client.force_login(curator)
    client.post(reverse("voorstellen_suggestion", args=[suggestion.pk]), {"action": "accept-all"})
    text, fee = OverrideChange.objects.get(), ValueChange.objects.get()
    assert text.status == OverrideChange.Status.PENDING and fee.status == ValueChange.Status.PENDING
    assert product.overrides.get(gemeente=direct).value == "Vraag hier een paspoort aan." and not VariableValue.objects.exists()
    client.post(reverse("sharing:review_change", args=[text.pk]), {"action": "approve"})
    client.post(reverse("sharing:review_value_change", args=[fee.pk]), {"action": "approve"})
    assert product.overrides.get(gemeente=direct).value == "Vraag hier uw paspoort aan."
    assert VariableValue.objects.get().value == "87.10"
