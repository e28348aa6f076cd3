"""Issue 12, "done when" 2, in Chromium: an agent drafts a missing answer
from the widget ("Voeg toe"); the regional curator accepts it in the
queue; a second curator approves it (four eyes); then citizens find it
with the gemeente's site search and agents find it in the widget. Every
step as its real role, through the real pages."""

import pytest
from django.urls import reverse

from tests.test_admin_curator_browser import sign_in
from tests.test_widget import signed_in_page, wait_until, world  # noqa: F401 (world: the fixture)
from tests.factories import regional_curator
from voorstellen.models import Status, Suggestion

QUESTION = "Kan ik kwijtschelding van hondenbelasting krijgen?"
ANSWER = "Nee, voor hondenbelasting is geen kwijtschelding mogelijk."


def _footer_action(page, name):
    """A button of the edit page's action menu (the footer), opening its
    dropdown first when the button sits in it."""
    button = page.locator(f'footer button[name="{name}"]')
    if not button.is_visible():
        page.locator("footer [data-w-dropdown-target='toggle']").first.click()
    return button


def _vac():
    from kennis.models import VAC

    return VAC.objects.filter(question_nl=QUESTION).first()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_agents_draft_goes_live_after_acceptance_and_a_second_curators_approval(browser, world):  # noqa: F811
    base = world["url"]
    port = base.rsplit(":", 1)[1]

    # The agent finds nothing and drafts the answer, for every gemeente.
    page = signed_in_page(browser, world)
    widget = page.locator("kennis-widget")
    widget.locator("#gemeente").select_option("roosendaal")
    widget.locator("#q").fill("hondenbelasting kwijtschelding")
    widget.get_by_text("Geen resultaten voor “hondenbelasting kwijtschelding”.").wait_for()
    widget.get_by_role("button", name="Voeg toe: stel zelf een vraag en antwoord voor").click()
    widget.get_by_label("Vraag", exact=True).fill(QUESTION)
    widget.get_by_label("Antwoord", exact=True).fill(ANSWER)
    widget.locator("#draft-all").check()
    widget.locator("#draft-form").get_by_role("button", name="Voorstel versturen").click()
    widget.locator("#draft-ok", has_text="Bedankt").wait_for()
    wait_until(lambda: Suggestion.objects.exists())
    suggestion = Suggestion.objects.get()
    assert suggestion.is_new_entry and suggestion.gemeente is None and suggestion.author == world["agent"]
    assert _vac() is None, "a suggestion publishes nothing"

    # The regional curator accepts it in the queue: a draft, not live.
    editor = regional_curator()
    admin = sign_in(browser, base, editor, reverse("voorstellen_queue"))
    admin.locator("a", has_text=QUESTION).first.click()
    admin.locator(".diff-nieuw", has_text=QUESTION).wait_for()  # the proposal, field by field
    admin.locator(".diff-nieuw", has_text=ANSWER).wait_for()
    admin.get_by_role("button", name="Alles overnemen").click()
    admin.get_by_text("niets is gepubliceerd").wait_for()
    suggestion.refresh_from_db()
    vac = _vac()
    assert suggestion.status == Status.ACCEPTED and suggestion.created_entry_id == vac.pk
    assert not vac.live and vac.gemeente_id is None

    # The draft is submitted for approval; its editor cannot approve it.
    admin.get_by_role("link", name="Naar het concept").click()
    with admin.expect_navigation():
        _footer_action(admin, "action-submit").click()
    assert _vac().workflow_in_progress
    assert not _vac().live
    admin.reload()
    assert admin.locator("footer button", has_text="Goedkeuren").count() == 0, "no approval for the one who submitted"

    # A second regional curator approves it, seeing what changes where.
    approver = sign_in(browser, base, regional_curator(), reverse("wagtailsnippets_kennis_vac:edit", args=[vac.pk]))
    approve = approver.locator("footer button", has_text="Goedkeuren")
    if not approve.is_visible():
        approver.locator("footer [data-w-dropdown-target='toggle']").first.click()
    approve.click()
    modal = approver.locator(".modal-dialog")
    modal.get_by_role("heading", name="Wat verandert er bij goedkeuren").wait_for()
    assert "Roosendaal" in modal.inner_text() and QUESTION in modal.inner_text()
    with approver.expect_navigation():
        modal.get_by_role("button", name="Goedkeuren").click()
    assert "geen toegang" not in approver.locator("main").inner_text()
    assert _vac().live

    # Citizens find it with Roosendaal's site search …
    site = browser.new_context(locale="nl-NL").new_page()
    site.goto(f"http://roosendaal.localhost:{port}/zoeken/?q=hondenbelasting+kwijtschelding")
    site.locator("main a", has_text=QUESTION).first.click()
    assert ANSWER in site.locator("main").inner_text()

    # … and the agent in the widget.
    widget.locator("#q").fill("hondenbelasting kwijtschelding")
    widget.locator("[role=option]", has_text=QUESTION).first.click()
    widget.locator("#entry").get_by_text(ANSWER).wait_for()
    for context in browser.contexts:
        context.close()
