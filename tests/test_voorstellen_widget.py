"""Issue 12: agents are authors too — from the widget (Chromium) an agent
proposes a correction to the answer they have open, and drafts a missing
answer ("Voeg toe"); both land as suggestions, nothing is published."""

import pytest

from sharing.kinds import get_kind
from tests.test_widget import signed_in_page, wait_until, world  # noqa: F401 (world: the fixture)
from voorstellen.models import Status, Suggestion


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agent_proposes_a_correction_and_a_new_answer_from_the_widget(browser, world):  # noqa: F811
    from kennis.models import VAC

    page = signed_in_page(browser, world)
    widget = page.locator("kennis-widget")
    widget.locator("#gemeente").select_option("roosendaal")
    widget.locator("#q").fill("paspoort kwijt")
    widget.locator("[role=option]", has_text="Paspoort kwijt").first.click()
    entry = widget.locator("#entry")
    entry.locator("h2", has_text="Paspoort kwijt").wait_for()

    entry.get_by_role("button", name="Stel correctie voor").click()
    text = entry.get_by_label("Verbeterde tekst (de kennisregisseur beoordeelt hem)")
    assert "Doe aangifte van vermissing" in text.input_value()
    text.fill("Doe aangifte van vermissing bij de gemeente, binnen een week.")
    entry.locator(".correction").get_by_role("button", name="Voorstel versturen").click()
    entry.get_by_text("Bedankt. Uw voorstel staat bij de kennisregisseur.").wait_for()
    wait_until(lambda: Suggestion.objects.exists())
    correction = Suggestion.objects.get()
    vac = VAC.objects.get(slug="paspoort-kwijt")
    assert (correction.entry_kind, correction.entry_id, correction.author, correction.status) == (get_kind(vac).name, vac.pk, world["agent"], Status.NEW)
    assert "binnen een week" in correction.proposals.get().proposed_text
    assert "binnen een week" not in vac.answer_nl

    widget.locator("button", has_text="Terug").first.click()
    widget.locator("#q").fill("hondenbelasting kwijtschelding")
    widget.get_by_role("button", name="Voeg toe: stel zelf een vraag en antwoord voor").click()
    widget.get_by_label("Vraag", exact=True).fill("Kan ik kwijtschelding van hondenbelasting krijgen?")
    widget.get_by_label("Antwoord", exact=True).fill("Nee, voor hondenbelasting is geen kwijtschelding mogelijk.")
    widget.locator("#draft-form").get_by_role("button", name="Voorstel versturen").click()
    widget.locator("#draft-ok", has_text="Bedankt").wait_for()
    draft = Suggestion.objects.exclude(pk=correction.pk).get()
    assert draft.is_new_entry and draft.gemeente == world["roosendaal"]
    assert draft.subject == "nieuw: Kan ik kwijtschelding van hondenbelasting krijgen?"
    assert not VAC.objects.filter(question_nl__startswith="Kan ik kwijtschelding").exists()
