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
        gemeente=roosendaal, product=paspoort, kind="wrong", channel="widget", remark="Het tarief klopt niet", user=agent
    )
    Feedback.objects.create(gemeente=roosendaal, product=paspoort, kind="not_helpful", channel="site", remark="Te lang")
    Feedback.objects.create(gemeente=roosendaal, product=paspoort, kind="helpful", channel="site")
    Feedback.objects.create(gemeente=roosendaal, kind="missing", channel="widget", query="hondenpoep", user=agent)
    Feedback.objects.create(gemeente=etten, vac=vac, kind="not_helpful", channel="site", remark="Opmerking uit Etten-Leur")
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
    Feedback.objects.filter(remark="Te lang").update(handled=True)
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
    assert {item.pk for item in items.context["object_list"]} == set(Feedback.objects.filter(product=paspoort).values_list("pk", flat=True))
    assert client.get(row["open_url"]).context["object_list"].count() == 2


def test_curator_changes_only_status_and_note_whatever_is_posted(client, feedback):
    roosendaal, etten, paspoort, wrong = feedback
    curator = municipal_curator(roosendaal)
    other_vac = make_vac(slug="ander", question_nl="Andere vraag")
    client.force_login(curator)
    url = reverse("wagtailsnippets_feedback_feedback:edit", args=[wrong.pk])
    form = main_element(client.get(url)).find(".//form[@id='w-editor-form']")
    assert {field.get("name") for field in form.xpath(".//input|.//textarea|.//select")} - {"csrfmiddlewaretoken", "loaded_revision_id", "loaded_revision_created_at"} == {"handled", "note"}
    forged = {
        "gemeente": etten.pk,
        "user": curator.pk,
        "remark": "Herschreven door de redactie",
        "kind": "helpful",
        "channel": "site",
        "query": "verzonnen",
        "product": "",
        "vac": other_vac.pk,
        "created_at": "2000-01-01 00:00",
        "handled": "on",
        "note": "Tarief aangepast in de lokale versie",
    }
    response = client.post(url, forged)
    assert response.status_code == 302
    wrong.refresh_from_db()
    assert (wrong.handled, wrong.note) == (True, "Tarief aangepast in de lokale versie")
    assert wrong.gemeente == roosendaal and wrong.user.memberships.get().role == Role.AGENT
    assert (wrong.remark, wrong.kind, wrong.channel, wrong.query) == ("Het tarief klopt niet", "wrong", "widget", "")
    assert (wrong.product, wrong.vac) == (paspoort, None)


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
