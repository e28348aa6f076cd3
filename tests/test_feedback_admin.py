"""Issue 10.15 and 11.2: the feedback admin shows the remark with links to
the entry and its local view, groups feedback per entry, shows times in
local time everywhere, keeps each gemeente's feedback to its curators, and
lets curators change only the handling (status and their own note), never
what the reader wrote."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from feedback.models import Feedback
from gemeenten.models import Role

from .admin_pages import links, main_element, visible_text
from .factories import make_gemeente, make_product, make_user, make_vac, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db
LIST = "wagtailsnippets_feedback_feedback:list"


@pytest.fixture
def feedback():
    roosendaal, etten = make_gemeente("Roosendaal", slug="roosendaal"), make_gemeente("Etten-Leur", slug="etten-leur")
    paspoort = make_product(slug="paspoort", title_nl="Paspoort aanvragen")
    vac = make_vac(slug="pasfoto", question_nl="Welke pasfoto?")
    agent = make_user(Role.AGENT, roosendaal)
    wrong = Feedback.objects.create(
        gemeente=roosendaal, entry=paspoort, kind="wrong", origin="widget", remark="Het tarief klopt niet", user=agent
    )
    Feedback.objects.create(gemeente=roosendaal, entry=paspoort, kind="not_helpful", origin="site", remark="Te lang")
    Feedback.objects.create(gemeente=roosendaal, entry=paspoort, kind="helpful", origin="site")
    Feedback.objects.create(gemeente=roosendaal, kind="missing", origin="widget", query="hondenpoep", user=agent)
    Feedback.objects.create(gemeente=etten, entry=vac, kind="not_helpful", origin="site", remark="Opmerking uit Etten-Leur")
    return roosendaal, etten, paspoort, wrong


def test_list_shows_the_remark_and_links_to_the_entry_and_its_local_view(client, feedback):
    roosendaal, _, paspoort, _ = feedback
    client.force_login(municipal_curator(roosendaal))
    response = client.get(reverse(LIST))
    text = visible_text(response)
    assert "Het tarief klopt niet" in text and "Te lang" in text
    hrefs = [href for _, href in links(response)]
    assert reverse("sharing:entry_editor", args=["product", paspoort.pk, "roosendaal"]) in hrefs
    assert reverse("wagtailsnippets_pdc_product:inspect", args=[paspoort.pk]) in hrefs, "read only: a shared entry"


def test_municipal_curator_sees_only_their_own_gemeentes_feedback(client, feedback):
    roosendaal, etten, _, _ = feedback
    client.force_login(municipal_curator(roosendaal))
    text = visible_text(client.get(reverse(LIST)))
    assert "Opmerking uit Etten-Leur" not in text
    foreign = Feedback.objects.get(gemeente=etten)
    assert client.get(reverse("wagtailsnippets_feedback_feedback:edit", args=[foreign.pk])).status_code in (302, 403, 404)
    filter_choices = main_element(client.get(reverse(LIST))).xpath(".//*[@name='gemeente']//option/text()")
    assert "Etten-Leur" not in filter_choices
    by_entry = visible_text(client.get(reverse("feedback_by_entry")))
    assert "Welke pasfoto?" not in by_entry


def test_open_filter_leaves_out_helpful_and_handled_feedback(client, feedback):
    roosendaal, _, _, wrong = feedback
    client.force_login(regional_curator())
    Feedback.objects.filter(remark="Te lang").update(status="rejected", status_reason="Geen fout")
    response = client.get(reverse(LIST), {"status": "open", "gemeente": roosendaal.pk})
    shown = {item.pk for item in response.context["object_list"]}
    assert shown == set(Feedback.objects.filter(gemeente=roosendaal, kind__in=["wrong", "missing"]).values_list("pk", flat=True))


def test_feedback_grouped_per_entry_links_to_its_items(client, feedback):
    roosendaal, _, paspoort, _ = feedback
    client.force_login(municipal_curator(roosendaal))
    response = client.get(reverse("feedback_by_entry"))
    row = next(row for row in response.context["rows"] if row["entry"] == paspoort)
    assert (row["total"], row["helpful"], row["not_helpful"], row["wrong"], row["open"]) == (3, 1, 1, 1, 2)
    assert "hondenpoep" in visible_text(response)
    items = client.get(row["list_url"])
    assert {item.pk for item in items.context["object_list"]} == set(Feedback.objects.about(paspoort).values_list("pk", flat=True))
    assert client.get(row["open_url"]).context["object_list"].count() == 2


def test_curator_changes_only_status_and_note_whatever_is_posted(client, feedback):
    roosendaal, etten, paspoort, wrong = feedback
    curator = municipal_curator(roosendaal)
    other_vac = make_vac(slug="ander", question_nl="Andere vraag")
    client.force_login(curator)
    url = reverse("wagtailsnippets_feedback_feedback:edit", args=[wrong.pk])
    form = main_element(client.get(url)).find(".//form[@id='w-editor-form']")
    assert {field.get("name") for field in form.xpath(".//input|.//textarea|.//select")} - {"csrfmiddlewaretoken", "loaded_revision_id", "loaded_revision_created_at"} == {"status", "status_reason", "note"}
    forged = {
        "gemeente": etten.pk,
        "user": curator.pk,
        "remark": "Herschreven door de redactie",
        "kind": "helpful",
        "channel": "site",
        "origin": "site",
        "query": "verzonnen",
        "product": "",
        "vac": other_vac.pk,
        "entry_kind": "vac",
        "entry_id": other_vac.pk,
        "created_at": "2000-01-01 00:00",
        "status": "fixed",
        "route": "local",
        "assignee": curator.pk,
        "field_name": "costs",
        "note": "Tarief aangepast in de lokale versie",
    }
    response = client.post(url, forged)
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert (wrong.status, wrong.note) == ("fixed", "Tarief aangepast in de lokale versie")
    assert (wrong.route, wrong.assignee, wrong.field_name) == ("shared", None, "")
    assert wrong.gemeente == roosendaal and wrong.user.memberships.get().role == Role.AGENT
    assert (wrong.remark, wrong.kind, wrong.origin, wrong.query) == ("Het tarief klopt niet", "wrong", "widget", "")
    assert (wrong.entry_kind, wrong.entry_id, wrong.entry) == ("product", paspoort.pk, paspoort)


def test_list_edit_and_inspect_show_the_same_local_time(client, feedback):
    _, _, _, wrong = feedback
    Feedback.objects.filter(pk=wrong.pk).update(created_at=datetime(2026, 1, 15, 9, 23, tzinfo=UTC))
    client.force_login(regional_curator())
    pages = {
        "list": client.get(reverse(LIST)),
        "edit": client.get(reverse("wagtailsnippets_feedback_feedback:edit", args=[wrong.pk])),
        "inspect": client.get(reverse("wagtailsnippets_feedback_feedback:inspect", args=[wrong.pk])),
    }
    for name, response in pages.items():
        text = visible_text(response)
        assert "15 januari 2026 10:23" in text, f"{name}: Amsterdam is UTC+1 in January"
        assert "09:23" not in text, name


def test_links_per_kind_from_before_the_generic_reference_still_narrow_the_list(client, feedback):
    roosendaal, etten, paspoort, _ = feedback
    client.force_login(regional_curator())
    shown = client.get(reverse(LIST), {"product": paspoort.pk}).context["object_list"]
    assert {item.entry for item in shown} == {paspoort} and len(shown) == 3
    vac_feedback = Feedback.objects.get(gemeente=etten)
    assert [item.pk for item in client.get(reverse(LIST), {"vac": vac_feedback.entry_id}).context["object_list"]] == [vac_feedback.pk]
    assert len(client.get(reverse(LIST), {"vac": paspoort.pk + 1000}).context["object_list"]) == 0


def test_feedback_on_any_registered_kind_is_grouped_and_linked(client, feedback):
    """The test-only third kind (tests/nieuws) gets the same report, without
    a line about it in feedback/."""
    from tests.nieuws.models import NewsItem

    roosendaal, _, _, _ = feedback
    item = NewsItem.objects.create(slug="zaterdag-open", title="Ook op zaterdag open", live=True)
    Feedback.objects.create(gemeente=roosendaal, entry=item, kind="not_helpful", origin="site", remark="Welke zaterdag?")
    client.force_login(municipal_curator(roosendaal))
    response = client.get(reverse("feedback_by_entry"))
    row = next(row for row in response.context["rows"] if row["entry"] == item)
    assert (row["total"], row["open"]) == (1, 1) and "Ook op zaterdag open" in visible_text(response)
    assert f"nieuws={item.pk}" in row["list_url"]
    assert [f.remark for f in client.get(row["list_url"]).context["object_list"]] == ["Welke zaterdag?"]


def test_deleting_an_entry_deletes_its_feedback(feedback):
    roosendaal, _, paspoort, _ = feedback
    other = make_product(slug="rijbewijs", title_nl="Rijbewijs")
    Feedback.objects.create(gemeente=roosendaal, entry=other, kind="wrong", origin="widget")
    paspoort.delete()
    assert not Feedback.objects.filter(entry_kind="product", entry_id=paspoort.pk).exists()
    assert Feedback.objects.about(other).count() == 1
    assert Feedback.objects.filter(query="hondenpoep").exists()


def test_an_entry_reference_names_a_registered_kind(feedback):
    from django.core.exceptions import ValidationError
    from django.db import IntegrityError, transaction

    roosendaal, _, _, _ = feedback
    with pytest.raises(ValidationError):
        Feedback.objects.create(gemeente=roosendaal, entry_kind="recept", entry_id=1, kind="wrong", origin="widget")
    with pytest.raises(IntegrityError), transaction.atomic():
        Feedback.objects.create(gemeente=roosendaal, entry_kind="product", kind="wrong", origin="widget")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the next tests get the database as it was
def test_the_migrations_keep_what_existing_feedback_is_about_and_where_it_came_from():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    gemeente, product, vac = make_gemeente("Roosendaal", slug="roosendaal"), make_product(slug="paspoort"), make_vac(slug="pasfoto")
    executor = MigrationExecutor(connection)
    executor.migrate([("feedback", "0002_curator_note_and_dutch_labels")])
    old = executor.loader.project_state([("feedback", "0002_curator_note_and_dutch_labels")]).apps.get_model("feedback", "Feedback")
    old.objects.create(gemeente_id=gemeente.pk, product_id=product.pk, kind="wrong", channel="widget", remark="op een product")
    old.objects.create(gemeente_id=gemeente.pk, vac_id=vac.pk, kind="helpful", channel="site", remark="op een vraag")
    old.objects.create(gemeente_id=gemeente.pk, kind="missing", channel="widget", query="hondenpoep")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    about = {f.remark or f.query: f.entry for f in Feedback.objects.all()}
    assert about == {"op een product": product, "op een vraag": vac, "hondenpoep": None}
    assert sorted(Feedback.objects.values_list("origin", flat=True)) == ["site", "widget", "widget"]
