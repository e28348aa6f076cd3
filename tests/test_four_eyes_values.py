"""Four eyes for a curator's own edits of "Waarden per gemeente" (issue
12): in a gemeente with four eyes a create, change or delete of a value
waits for a second curator, like an override; in a gemeente that publishes
directly it is written at once. Real roles, real admin POSTs."""

import datetime
import html

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from gemeenten.models import Publication
from sharing.models import Variable, VariableValue
from sharing.workflow_models import ValueChange

from .admin_forms import form_data
from .factories import make_gemeente, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db

URL = "wagtailsnippets_sharing_variablevalue:{}"
NEW_YEAR = datetime.date(2027, 1, 1)


@pytest.fixture
def leges():
    return Variable.objects.create(key="leges.paspoort", kind=Variable.Kind.MONEY, label="Leges paspoort")


def _in_force(gemeente, on=None):
    row = VariableValue.objects.in_force(gemeente, on=on).get("leges.paspoort")
    return row.value if row else None


def _post_form(client, url, changes):
    """GET the add or edit page, change fields, POST it back as a browser would."""
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    data = form_data(page.content.decode())
    data.update({name: [value] for name, value in changes.items()})
    return client.post(url, data, follow=True)


def _add(client, leges, gemeente, value, valid_from=""):
    changes = {"variable": str(leges.pk), "gemeente": str(gemeente.pk), "value": value, "valid_from": valid_from}
    return _post_form(client, reverse(URL.format("add")), changes)


def _review(client, change, action, **data):
    return client.post(reverse("sharing:review_value_change", args=[change.pk]), {"action": action, **data})


def _refused(response):
    """Wagtail's admin answers a PermissionDenied with a redirect to the dashboard."""
    return response.status_code == 403 or (response.status_code == 302 and response.url == reverse("wagtailadmin_home"))


def test_a_new_value_in_a_four_eyes_gemeente_waits_for_a_second_curator(client, leges):
    streng = make_gemeente(publication=Publication.FOUR_EYES)
    editor, colleague = municipal_curator(streng), municipal_curator(streng)
    client.force_login(editor)
    response = _add(client, leges, streng, "€ 84,00", "2027-01-01")
    assert "wacht op goedkeuring door een tweede kennisregisseur" in response.content.decode()
    assert not VariableValue.objects.exists()
    change = ValueChange.objects.get()
    assert (change.status, change.value, change.valid_from, change.submitted_by) == ("pending", "84.00", NEW_YEAR, editor)

    # The editor's own approval is refused on the server, whatever the form offers.
    assert _refused(_review(client, change, "approve"))
    change.refresh_from_db()
    assert change.status == ValueChange.Status.PENDING and not VariableValue.objects.exists()

    client.force_login(colleague)
    page = client.get(reverse("sharing:changes")).content.decode()
    assert "Leges paspoort" in page and "€ 84,00" in page
    assert _review(client, change, "approve").url == reverse("sharing:changes")
    assert _in_force(streng, on=NEW_YEAR) == "84.00"
    change.refresh_from_db()
    assert change.status == ValueChange.Status.APPLIED and change.reviewed_by == colleague


def test_a_changed_value_keeps_the_value_in_force_until_approved(client, leges):
    streng = make_gemeente(publication=Publication.FOUR_EYES)
    row = VariableValue.objects.create(variable=leges, gemeente=streng, value="77.50")
    editor = municipal_curator(streng)
    client.force_login(editor)
    response = _post_form(client, reverse(URL.format("edit"), args=[row.pk]), {"value": "80,00"})
    assert "wacht op goedkeuring" in response.content.decode()
    assert _in_force(streng) == "77.50"
    change = ValueChange.objects.get()
    assert change.value_row == row and change.value == "80.00"

    # A forged approval by the editor, also with another action name, changes nothing.
    assert _refused(_review(client, change, "approve"))
    assert _refused(_review(client, change, "reject"))
    assert _in_force(streng) == "77.50"

    client.force_login(regional_curator())
    _review(client, change, "approve")
    assert _in_force(streng) == "80.00"
    assert VariableValue.objects.get().pk == row.pk  # the same value, changed


def test_a_deleted_value_stays_until_approved(client, leges):
    streng = make_gemeente(publication=Publication.FOUR_EYES)
    row = VariableValue.objects.create(variable=leges, gemeente=streng, value="77.50")
    client.force_login(municipal_curator(streng))
    response = client.post(reverse(URL.format("delete"), args=[row.pk]), follow=True)
    assert "Het verwijderen van 'Leges paspoort'" in html.unescape(response.content.decode())
    assert _in_force(streng) == "77.50"
    change = ValueChange.objects.get()
    assert change.action == ValueChange.DELETE

    client.force_login(municipal_curator(streng))
    _review(client, change, "approve")
    assert not VariableValue.objects.exists()


def test_a_bulk_delete_in_a_four_eyes_gemeente_is_held(client, leges):
    streng, direct = make_gemeente(publication=Publication.FOUR_EYES), make_gemeente(publication=Publication.DIRECT)
    held = VariableValue.objects.create(variable=leges, gemeente=streng, value="77.50")
    gone = VariableValue.objects.create(variable=leges, gemeente=direct, value="70.00")
    client.force_login(regional_curator())
    url = reverse("wagtail_bulk_action", args=["sharing", "variablevalue", "delete"]) + f"?id={held.pk}&id={gone.pk}"
    assert client.post(url).status_code == 302
    assert list(VariableValue.objects.all()) == [held]
    assert ValueChange.objects.get().value_row == held


def test_a_direct_gemeente_writes_at_once(client, leges):
    direct = make_gemeente(publication=Publication.DIRECT)
    client.force_login(municipal_curator(direct))
    _add(client, leges, direct, "€ 84,00")
    assert _in_force(direct) == "84.00"
    row = VariableValue.objects.get()
    _post_form(client, reverse(URL.format("edit"), args=[row.pk]), {"value": "90,00"})
    assert _in_force(direct) == "90.00"
    client.post(reverse(URL.format("delete"), args=[row.pk]))
    assert not VariableValue.objects.exists()
    assert not ValueChange.objects.exists()


def test_a_rejected_change_changes_nothing(client, leges):
    streng = make_gemeente(publication=Publication.FOUR_EYES)
    row = VariableValue.objects.create(variable=leges, gemeente=streng, value="77.50")
    client.force_login(municipal_curator(streng))
    _post_form(client, reverse(URL.format("edit"), args=[row.pk]), {"value": "80,00", "valid_from": "2027-01-01"})
    change = ValueChange.objects.get()
    client.force_login(municipal_curator(streng))
    _review(client, change, "reject", reason="Nog niet vastgesteld")
    change.refresh_from_db()
    assert change.status == ValueChange.Status.REJECTED and change.reason == "Nog niet vastgesteld"
    assert list(VariableValue.objects.values_list("value", "valid_from")) == [("77.50", None)]
    assert _in_force(streng, on=NEW_YEAR) == "77.50"
    assert change.value == "80.00"  # still readable


def test_a_value_does_not_move_out_of_a_four_eyes_gemeente(client, leges):
    streng, direct = make_gemeente(publication=Publication.FOUR_EYES), make_gemeente(publication=Publication.DIRECT)
    row = VariableValue.objects.create(variable=leges, gemeente=streng, value="77.50")
    client.force_login(regional_curator())
    response = _post_form(client, reverse(URL.format("edit"), args=[row.pk]), {"gemeente": str(direct.pk)})
    assert "verhuist niet" in response.content.decode()
    assert VariableValue.objects.get().gemeente == streng and not ValueChange.objects.exists()


def test_a_held_change_of_a_value_deleted_since_is_not_applied_as_a_new_value(client, leges):
    """A change of a value that was deleted in the meantime: the approver is
    told, a plain approval writes nothing and keeps the change readable; the
    value comes back only when the approver asks for it explicitly."""
    streng = make_gemeente(publication=Publication.FOUR_EYES)
    row = VariableValue.objects.create(variable=leges, gemeente=streng, value="77.50")
    editor, remover, approver = municipal_curator(streng), municipal_curator(streng), municipal_curator(streng)
    client.force_login(editor)
    _post_form(client, reverse(URL.format("edit"), args=[row.pk]), {"value": "80,00"})
    change = ValueChange.objects.get()
    client.force_login(remover)
    client.post(reverse(URL.format("delete"), args=[row.pk]))
    deletion = ValueChange.objects.get(action=ValueChange.DELETE)
    client.force_login(approver)
    _review(client, deletion, "approve")
    assert not VariableValue.objects.exists()

    page = html.unescape(client.get(reverse("sharing:changes")).content.decode())
    assert "De waarde die deze wijziging aanpast bestaat niet meer" in page and "Waarde opnieuw aanmaken" in page
    response = client.post(reverse("sharing:review_value_change", args=[change.pk]), {"action": "approve"}, follow=True)
    assert "bestaat niet meer: ze is intussen verwijderd" in html.unescape(response.content.decode())
    change.refresh_from_db()
    assert change.status == ValueChange.Status.PENDING and change.value == "80.00" and not VariableValue.objects.exists()

    assert _review(client, change, "recreate").status_code == 302
    change.refresh_from_db()
    assert change.status == ValueChange.Status.APPLIED and _in_force(streng) == "80.00"


def test_the_values_listing_shows_held_and_scheduled_changes(client, leges):
    streng = make_gemeente(publication=Publication.FOUR_EYES)
    other = Variable.objects.create(key="leges.rijbewijs", kind=Variable.Kind.MONEY, label="Leges rijbewijs")
    third = Variable.objects.create(key="leges.id", kind=Variable.Kind.MONEY, label="Leges ID-kaart")
    changed = VariableValue.objects.create(variable=leges, gemeente=streng, value="77.50")
    deleted = VariableValue.objects.create(variable=other, gemeente=streng, value="40.00")
    VariableValue.objects.create(variable=third, gemeente=streng, value="70.00")
    client.force_login(municipal_curator(streng))
    listing = reverse(URL.format("list"))
    assert "wacht op goedkeuring" not in client.get(listing).content.decode()
    _post_form(client, reverse(URL.format("edit"), args=[changed.pk]), {"value": "80,00", "valid_from": "2099-01-01"})
    client.post(reverse(URL.format("delete"), args=[deleted.pk]))
    _add(client, third, streng, "72,00", "2099-01-01")
    VariableValue.objects.create(variable=third, gemeente=streng, value="75.00", valid_from=datetime.date(2098, 1, 1),
                                 agents_from=timezone.make_aware(datetime.datetime(2097, 12, 27, 9, 0)))  # fmt: skip
    rows = BeautifulSoup(client.get(listing).content.decode(), "html.parser").select("tbody tr")
    text = " | ".join(" ".join(tr.get_text(" ", strip=True).split()) for tr in rows)
    assert "Wijziging wacht op goedkeuring (geldig vanaf 01-01-2099)" in text
    assert "Verwijderen wacht op goedkeuring" in text
    assert "Gepland: geldt vanaf 01-01-2098, voor KCC-medewerkers vanaf 27-12-2097 09:00; nieuwe waarde wacht op goedkeuring (geldig vanaf 01-01-2099)" in text
    assert "€ 70,00 Nieuwe waarde wacht op goedkeuring (geldig vanaf 01-01-2099)" in text, text
