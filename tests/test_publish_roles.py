"""Every curator can publish on a freshly migrated database (issue 10.1).

The test database is built by `migrate`, as `make demo` builds the demo
database: the role groups and their permissions here come only from the
post_migrate handlers, nothing in these tests creates or syncs them. Each
role then publishes through Wagtail's real snippet edit form."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from gemeenten.models import Role
from gemeenten.roles import GROUP_NAMES
from kennis.models import VAC
from pdc.models import Product

from .admin_forms import post_edit_form, publish_with_four_eyes, rich_text
from .factories import make_gemeente, make_product, make_vac, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db


def test_the_test_database_was_built_by_migrate():
    applied = MigrationRecorder(connection).applied_migrations()
    assert ("gemeenten", "0001_initial") in applied and ("wagtailcore", "0001_initial") in applied


@pytest.mark.parametrize("role", [Role.REGIONAL_CURATOR, Role.MUNICIPAL_CURATOR])
def test_curator_groups_can_publish_products_and_vacs_after_migrate(role):
    group = Group.objects.get(name=GROUP_NAMES[role])
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"publish_product", "publish_vac"} <= codenames


def _publishes(client, entry, field, text):
    """Publish through the edit form; a shared entry with four eyes (issue
    12): submitted, then approved by a second regional curator."""
    before = entry.revisions.count()
    if entry.is_shared:
        publish_with_four_eyes(client, entry, {field: text}, regional_curator())
    else:
        response = post_edit_form(client, entry, {field: text}, action="action-publish")
        assert response.status_code == 302, response.content.decode()[:2000]
        assert not entry.workflow_in_progress
    entry.refresh_from_db()
    assert entry.revisions.count() == before + 1
    assert entry.live and not entry.has_unpublished_changes
    return entry


@pytest.mark.parametrize("model, field", [(Product, "title_nl"), (VAC, "question_nl")])
def test_regional_curator_publishes_a_shared_entry(client, model, field):
    entry = make_product(slug="paspoort") if model is Product else make_vac(slug="paspoort-vraag")
    client.force_login(regional_curator())
    entry = _publishes(client, entry, field, "Gepubliceerd door de regio")
    assert getattr(entry, field) == "Gepubliceerd door de regio"
    assert entry.live_revision.user is not None


def test_regional_curator_publishes_rich_text(client):
    product = make_product(slug="paspoort", procedure_nl="<p>Maak een afspraak.</p>")
    client.force_login(regional_curator())
    product = _publishes(client, product, "procedure_nl", rich_text("<p>Maak online een afspraak.</p>"))
    assert "Maak online een afspraak." in product.procedure_nl


@pytest.mark.parametrize("model, field", [(Product, "title_nl"), (VAC, "question_nl")])
def test_municipal_curator_publishes_its_own_local_entry(client, model, field):
    roosendaal = make_gemeente("Roosendaal")
    if model is Product:
        entry = make_product(slug="afvalpas-roosendaal", title_nl="Afvalpas", gemeente=roosendaal)
    else:
        entry = make_vac(slug="afvalpas-vraag", question_nl="Waar haal ik een afvalpas?", gemeente=roosendaal)
    client.force_login(municipal_curator(roosendaal))
    entry = _publishes(client, entry, field, "Gepubliceerd door Roosendaal")
    assert getattr(entry, field) == "Gepubliceerd door Roosendaal"
    assert entry.gemeente == roosendaal


def test_every_registered_kind_is_granted_to_the_roles_after_migrate():
    """The grants come from the kinds: the test-only third kind (tests/nieuws)
    is edited by curators and read by agents without a line in gemeenten/."""
    from sharing.kinds import kinds

    names = [kind.model._meta.model_name for kind in kinds()]
    assert "newsitem" in names
    for role in (Role.REGIONAL_CURATOR, Role.MUNICIPAL_CURATOR, Role.AGENT):
        codenames = set(Group.objects.get(name=GROUP_NAMES[role]).permissions.values_list("codename", flat=True))
        actions = ("view",) if role == Role.AGENT else ("add", "change", "delete", "view")
        assert {f"{action}_{name}" for name in names for action in actions} <= codenames, role
        assert "view_agentnote" in codenames and ("change_agentnote" in codenames) == (role != Role.AGENT)
        if role == Role.AGENT:
            assert not {f"{action}_{name}" for name in names for action in ("add", "change", "publish")} & codenames
