"""The admin enforces the roles on the server: a municipal curator cannot
edit the shared base or another gemeente's content, whatever is posted."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from pdc.models import Product

from .admin_forms import button_value, edit_url, form_data
from .factories import make_gemeente, make_product, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    roosendaal, etten = make_gemeente("Roosendaal"), make_gemeente("Etten-Leur")
    shared = make_product(slug="paspoort", procedure_nl="<p>Gedeeld</p>")
    local = make_product(slug="etten-subsidie", title_nl="Subsidie Etten-Leur", gemeente=etten)
    return roosendaal, etten, shared, local


def test_municipal_curator_posting_an_override_for_another_gemeente_is_refused(client, setup):
    roosendaal, etten, shared, _ = setup
    client.force_login(municipal_curator(roosendaal))
    url = reverse("sharing:field_editor", args=["product", shared.pk, etten.slug, "procedure_nl"])
    response = client.post(url, {"value": "<p>Gekaapt</p>"})
    assert response.status_code in (302, 403)
    assert response.status_code == 403 or "login" not in response.url
    assert not shared.overrides.exists()


def test_municipal_curator_cannot_change_the_shared_base_in_the_snippet_editor(client, setup):
    """The full edit form, as a regional curator gets it, posted with
    "Publiceren" by a municipal curator: the server refuses, whatever the
    edit page shows a municipal curator."""
    roosendaal, _, shared, _ = setup
    regional = Client()
    regional.force_login(regional_curator())
    html = regional.get(edit_url(shared)).content.decode()
    data = form_data(html)
    # The regional curator's form offers "submit" (four eyes): "publish" is forged.
    data.update({"title_nl": ["Gekaapt"], "action-publish": ["action-publish"]})
    revisions = shared.revisions.count()

    client.force_login(municipal_curator(roosendaal))
    response = client.post(edit_url(shared), data)

    assert response.status_code in (302, 403)
    if response.status_code == 302:  # Wagtail's "no access" redirect, not the edit view's success
        assert response.url == reverse("wagtailadmin_home")
        assert any("geen toegang" in str(message) for message in get_messages(response.wsgi_request))
    shared.refresh_from_db()
    assert shared.title_nl == "Paspoort aanvragen"
    assert shared.revisions.count() == revisions
    assert shared.latest_revision_id is None and not shared.has_unpublished_changes


def test_municipal_curator_cannot_touch_another_gemeentes_local_entry(client, setup):
    roosendaal, _, _, local = setup
    client.force_login(municipal_curator(roosendaal))
    response = client.get(reverse("wagtailsnippets_pdc_product:edit", args=[local.pk]))
    assert response.status_code in (302, 403, 404)
    client.post(reverse("wagtailsnippets_pdc_product:delete", args=[local.pk]))
    assert Product.objects.filter(pk=local.pk).exists()


def test_municipal_curator_edits_own_overrides_through_the_admin(client, setup):
    roosendaal, _, shared, _ = setup
    client.force_login(municipal_curator(roosendaal))
    editor = reverse("sharing:entry_editor", args=["product", shared.pk, roosendaal.slug])
    assert client.get(editor).status_code == 200
    url = reverse("sharing:field_editor", args=["product", shared.pk, roosendaal.slug, "handling_level"])
    assert client.post(url, {"value": "intake"}).status_code == 302
    assert shared.overrides.get(gemeente=roosendaal).value == "intake"


def test_regional_curator_edits_the_base(client, setup):
    _, _, shared, _ = setup
    client.force_login(regional_curator())
    response = client.get(reverse("wagtailsnippets_pdc_product:edit", args=[shared.pk]))
    assert response.status_code == 200


def test_listing_offers_local_views_only_for_the_editors_own_gemeente(client, setup):
    roosendaal, etten, shared, local = setup
    client.force_login(municipal_curator(roosendaal))
    html = client.get(reverse("wagtailsnippets_pdc_product:list")).content.decode()
    assert "Lokaal: Roosendaal" in html
    assert "Lokaal: Etten-Leur" not in html
    assert "Subsidie Etten-Leur" not in html  # another gemeente's local entry is not listed


def test_side_by_side_editor_shows_shared_and_local_text_and_the_stale_comparison(client, setup):
    from sharing.overrides import set_override

    roosendaal, _, shared, _ = setup
    curator = municipal_curator(roosendaal)
    set_override(shared, roosendaal, "procedure_nl", "<p>Lokale procedure</p>", curator)
    shared.procedure_nl = "<p>Nieuwe gedeelde procedure</p>"
    shared.save()
    client.force_login(curator)
    html = client.get(reverse("sharing:entry_editor", args=["product", shared.pk, roosendaal.slug])).content.decode()
    for text in ("Lokale procedure", "Nieuwe gedeelde procedure", "<p>Gedeeld</p>", "gedeelde tekst gewijzigd", "Lokale tekst behouden"):
        assert text in html
    overview = client.get(reverse("sharing:overview") + f"?gemeente={roosendaal.slug}").content.decode()
    assert "Paspoort aanvragen" in overview


def test_role_groups_follow_memberships_when_a_role_changes_or_ends(setup):
    from gemeenten.models import Role
    from gemeenten.roles import GROUP_NAMES

    roosendaal = setup[0]
    user = municipal_curator(roosendaal)
    membership = user.memberships.get()
    assert set(user.groups.values_list("name", flat=True)) == {GROUP_NAMES[Role.MUNICIPAL_CURATOR]}

    membership.role = Role.AGENT
    membership.save()
    assert set(user.groups.values_list("name", flat=True)) == {GROUP_NAMES[Role.AGENT]}
    assert not user.has_perm("pdc.change_product")

    membership.delete()
    user = type(user).objects.get(pk=user.pk)  # fresh permission cache
    assert not user.groups.exists()
    assert not user.has_perm("pdc.view_product")

    roosendaal.delete()  # cascades to the remaining memberships without error
