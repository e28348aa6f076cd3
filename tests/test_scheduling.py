"""Scheduled go-live (issue 12): campaign content reaches agents before the
public, and every channel follows the schedule once `publish_scheduled`
runs, without a manual step. The clock is time-machine's."""

import datetime

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from gemeenten.models import Publication, Role
from pdc.models import Product
from sharing.resolution import PUBLIC, resolve
from sharing.workflow_models import OverrideChange

from .admin_forms import approve, post_edit_form, rich_text
from .factories import make_gemeente, make_product, make_user, municipal_curator, regional_curator
from .test_leaks import public_surface

pytestmark = pytest.mark.django_db

CAMPAIGN = "Campagnekanarie5521"
D = datetime.datetime(2027, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)


def _agent_finds(client, gemeente, agent):
    client.force_login(agent)
    hits = client.get(reverse("api:agent-search", args=[gemeente.slug]), {"q": CAMPAIGN}).json()["hits"]
    client.logout()
    return [hit for hit in hits if CAMPAIGN in str(hit)]


def _public_shows(client, gemeente):
    return [where for where, text in public_surface(client, gemeente) if CAMPAIGN in text]


def test_campaign_reaches_agents_five_days_early_and_the_public_on_the_day(client, full_demo, settings):
    settings.SEARCH_ENGINE = "none"
    gemeente = full_demo["bergen-op-zoom"]
    agent = make_user(Role.AGENT, gemeente)
    with time_machine.travel(D - datetime.timedelta(days=10), tick=False):
        product = Product(
            slug="campagne-winter",
            title_nl=f"Wintercampagne {CAMPAIGN}",
            summary_nl=f"Samenvatting {CAMPAIGN}",
            procedure_nl=f"<p>{CAMPAIGN}</p>",
            live=False,
            go_live_at=D,
            agents_from=D - datetime.timedelta(days=5),
        )
        product.save()
        editor, second = regional_curator(), regional_curator()
        client.force_login(editor)
        assert post_edit_form(client, product, {}, action="action-submit").status_code == 302
        assert approve(product, second).status_code == 302
        product.refresh_from_db()
        assert not product.live and product.latest_revision.approved_go_live_at == D
        client.logout()
        call_command("publish_scheduled")
        assert not _agent_finds(client, gemeente, agent)
        assert not _public_shows(client, gemeente)

    with time_machine.travel(D - datetime.timedelta(days=4), tick=False):
        call_command("publish_scheduled")
        found = _agent_finds(client, gemeente, agent)
        assert found, "agents find the campaign five days early"
        client.force_login(agent)
        detail = client.get(reverse("api:agent-detail", args=[gemeente.slug, "producten", "campagne-winter"])).json()
        assert detail["public_from"].startswith("2027-01-01")
        client.logout()
        assert not _public_shows(client, gemeente)

    with time_machine.travel(D + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
        product.refresh_from_db()
        assert product.live
        assert _public_shows(client, gemeente)
        assert _agent_finds(client, gemeente, agent)



def test_a_scheduled_override_goes_live_on_its_date(client):
    direct = make_gemeente(publication=Publication.DIRECT)
    product = make_product(procedure_nl="<p>Maak een afspraak.</p>")
    curator = municipal_curator(direct)
    url = reverse("sharing:field_editor", args=["product", product.pk, direct.slug, "procedure_nl"])
    with time_machine.travel(D - datetime.timedelta(days=2), tick=False):
        client.force_login(curator)  # a session of this (travelled) day
        response = client.post(url, {"value": rich_text("<p>Nieuw per 1 januari.</p>"), "go_live_at": "2027-01-01T00:00"})
        assert response.status_code == 302
        change = OverrideChange.objects.get()
        assert change.status == OverrideChange.Status.SCHEDULED
        call_command("publish_scheduled")
        assert not product.overrides.exists()
        assert "Maak een afspraak." in resolve(product, direct, channel=PUBLIC).fields["procedure"]
    with time_machine.travel(D + datetime.timedelta(minutes=1), tick=False):
        call_command("publish_scheduled")
        assert "Nieuw per 1 januari." in product.overrides.get().value
        assert "Nieuw per 1 januari." in resolve(product, direct, channel=PUBLIC).fields["procedure"]
        change.refresh_from_db()
        assert change.status == OverrideChange.Status.APPLIED and change.applied_at
