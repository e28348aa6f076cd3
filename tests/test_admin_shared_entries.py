"""Issue 10.14: a municipal curator sees a shared entry read only, with a
link to their gemeente's local view, instead of an edit form that is
refused on save; the regional curator's edit form says how many gemeenten
use the entry and which changed it locally."""

import pytest
from django.urls import reverse

from kennis.models import VACOverride
from pdc.models import ProductOverride

from .admin_pages import links, main_element, visible_text
from .factories import make_gemeente, make_product, make_vac, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db

KINDS = {
    "product": ("wagtailsnippets_pdc_product", make_product, ProductOverride, "summary_nl"),
    "vac": ("wagtailsnippets_kennis_vac", make_vac, VACOverride, "answer_nl"),
}


@pytest.fixture(params=sorted(KINDS))
def shared(request):
    """A shared entry used by three gemeenten: Roosendaal changed it
    locally, Bergen op Zoom switched it off, Etten-Leur uses it as is."""
    namespace, make, override_model, column = KINDS[request.param]
    roosendaal = make_gemeente("Roosendaal", slug="roosendaal")
    bergen = make_gemeente("Bergen op Zoom", slug="bergen-op-zoom")
    etten = make_gemeente("Etten-Leur", slug="etten-leur")
    entry = make(slug="gedeeld")
    override_model.objects.create(entry=entry, gemeente=roosendaal, field_name=column, value="Lokaal", base_value="")
    override_model.objects.create(entry=entry, gemeente=bergen, field_name="offered", value=False, base_value=True)
    return request.param, namespace, entry, (roosendaal, bergen, etten)


def local_url(kind, entry, gemeente):
    return reverse("sharing:entry_editor", args=[kind, entry.pk, gemeente.slug])


def test_municipal_curator_is_shown_the_shared_entry_read_only_with_a_link_to_the_local_view(client, shared):
    kind, namespace, entry, (roosendaal, _, etten) = shared
    client.force_login(municipal_curator(roosendaal))
    response = client.get(reverse(f"{namespace}:edit", args=[entry.pk]))
    inspect_url = reverse(f"{namespace}:inspect", args=[entry.pk])
    assert response.status_code == 302 and response.url == inspect_url

    page = client.get(inspect_url)
    assert page.status_code == 200
    text = visible_text(page)
    assert "alleen de regionale kennisregisseur wijzigt die" in text
    hrefs = [href for _, href in links(page)]
    assert local_url(kind, entry, roosendaal) in hrefs
    assert local_url(kind, entry, etten) not in hrefs, "not another gemeente's local view"
    assert reverse(f"{namespace}:edit", args=[entry.pk]) not in hrefs
    assert reverse(f"{namespace}:delete", args=[entry.pk]) not in hrefs
    assert main_element(page).find(".//form[@id='w-editor-form']") is None


def test_municipal_curator_publishing_the_shared_entry_is_refused_without_a_revision(client, shared):
    _, namespace, entry, (roosendaal, _, _) = shared
    revisions = entry.revisions.count()
    field = "title_nl" if namespace.endswith("product") else "question_nl"
    original = getattr(entry, field)
    client.force_login(municipal_curator(roosendaal))
    response = client.post(reverse(f"{namespace}:edit", args=[entry.pk]), {field: "Gekaapt", "slug": entry.slug, "action-publish": "1"})
    # Wagtail answers a PermissionDenied in the admin with its "no access" redirect to the dashboard.
    assert response.status_code == 302 and response.url == reverse("wagtailadmin_home")
    entry.refresh_from_db()
    assert getattr(entry, field) == original
    assert entry.revisions.count() == revisions


def test_municipal_curator_still_edits_their_own_local_entry(client, shared):
    kind, namespace, _, (roosendaal, _, _) = shared
    local = KINDS[kind][1](slug="lokaal", gemeente=roosendaal)
    client.force_login(municipal_curator(roosendaal))
    response = client.get(reverse(f"{namespace}:edit", args=[local.pk]))
    assert response.status_code == 200
    assert main_element(response).find(".//form[@id='w-editor-form']") is not None


def test_regional_curators_form_says_who_uses_the_entry_with_links_to_the_local_views(client, shared):
    kind, namespace, entry, (roosendaal, bergen, etten) = shared
    client.force_login(regional_curator())
    response = client.get(reverse(f"{namespace}:edit", args=[entry.pk]))
    assert response.status_code == 200
    text = visible_text(response)
    assert "Gebruikt door 2 gemeenten, 1 met lokale aanpassingen" in text
    assert "Niet aangeboden in Bergen op Zoom" in text
    hrefs = [href for _, href in links(response)]
    assert local_url(kind, entry, roosendaal) in hrefs
    assert local_url(kind, entry, etten) in hrefs
    assert main_element(response).find(".//form[@id='w-editor-form']") is not None
