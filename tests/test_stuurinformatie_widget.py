"""The widget's one-click contact outcome and "copied" in Debian's Chromium
against a live server (the widget tests' world: an agent of Roosendaal and
Bergen op Zoom)."""

import pytest

from stuurinformatie.models import ContactOutcome
from tests.test_widget import signed_in_page, wait_until, world  # noqa: F401 (world is a fixture)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_agent_records_the_outcome_of_the_contact_in_one_click(browser, world):  # noqa: F811
    page = signed_in_page(browser, world)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=world["url"])
    widget = page.locator("kennis-widget")
    widget.locator("#gemeente").select_option("roosendaal")
    widget.locator("#q").press_sequentially("paspoort aanvragen", delay=30)
    widget.locator("[role=option]", has_text="Paspoort aanvragen").first.click()
    entry = widget.locator("#entry")
    entry.locator("h2", has_text="Paspoort aanvragen").wait_for()

    outcome = entry.get_by_role("group", name="Uitkomst van dit contact:")
    assert outcome.locator("button").all_inner_texts() == [
        "Zelf beantwoord", "Doorverbonden", "Doorverbinden mislukt", "Terugbelverzoek", "Elders naartoe verwezen"
    ]
    outcome.get_by_role("button", name="Doorverbonden", exact=True).click()
    outcome.locator("[role=status]", has_text="Uitkomst vastgelegd: doorverbonden.").wait_for()
    assert outcome.get_by_role("button", name="Doorverbonden", exact=True).get_attribute("aria-pressed") == "true"
    assert outcome.get_by_role("button", name="Zelf beantwoord").is_disabled()  # one outcome per opened answer

    entry.locator("[data-action=copy]").click()
    wait_until(lambda: ContactOutcome.objects.filter(outcome="copied").exists())
    rows = list(ContactOutcome.objects.order_by("pk").values_list("gemeente__slug", "entry_kind", "entry_id", "outcome"))
    passport = world["passport"].pk
    assert rows == [("roosendaal", "product", passport, "transferred"), ("roosendaal", "product", passport, "copied")]
