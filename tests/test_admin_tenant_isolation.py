"""Issue 11.1: one gemeente's local content stays out of another gemeente's
admin. Every URL of every snippet viewset of a gemeente-scoped model (and of
its chooser, and the bulk delete) is requested by a curator of gemeente A
for gemeente B's object: never shown, never changed. A new viewset or view
is walked automatically; a new gemeente-scoped model needs a builder here."""

import pytest
from django.contrib.admin.utils import quote
from django.db.models import ForeignKey
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from wagtail.models import RevisionMixin
from wagtail.snippets.models import get_snippet_models

from feedback.models import Feedback
from gemeenten.models import Gemeente, Role
from kennis.models import AgentNote
from pdc.models import Product
from sharing.admin import GemeenteScopedViewSetMixin
from sharing.models import Variable, VariableValue
from sharing.permission_policies import is_gemeente_scoped
from zoeken.models import Promotion, Synonym

from .admin_forms import form_data, rich_text
from .factories import make_gemeente, make_product, make_user, make_vac, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db

MARKER = "zzgeheim-b"  # in the text of every object of gemeente B; never on A's pages
QUERY = "zzgeheim"  # finds them in listings and choosers (the pages repeat the query)


def _product(gemeente, text, shared):
    return make_product(title_nl=f"{text} product", summary_nl=f"{text} samenvatting", gemeente=gemeente)


def _vac(gemeente, text, shared):
    return make_vac(question_nl=f"{text} vraag?", answer_nl=f"<p>{text} antwoord</p>", gemeente=gemeente)


def _note(gemeente, text, shared):
    return AgentNote.objects.create(
        kind="intake", title=f"{text} notitie", body=f"<p>{text} tekst</p>", product=shared, gemeente=gemeente
    )


def _synonym(gemeente, text, shared):
    return Synonym.objects.create(term=f"{text} term", synonyms=f"{text} synoniem", gemeente=gemeente)


def _promotion(gemeente, text, shared):
    return Promotion.objects.create(query=f"{text} zoekvraag", entry=shared, gemeente=gemeente)


def _value(gemeente, text, shared):
    variable, _ = Variable.objects.get_or_create(key="test.waarde", defaults={"label": "Testwaarde"})
    return VariableValue.objects.create(variable=variable, gemeente=gemeente, value=f"{text} waarde")


def _feedback(gemeente, text, shared):
    return Feedback.objects.create(
        gemeente=gemeente, kind="missing", origin="widget", query=f"{text} gezocht", remark=f"{text} opmerking"
    )


def _team(gemeente, text, shared):
    from sharing.models import Team

    return Team.objects.create(name=f"{text} team", gemeente=gemeente)


def _audience(gemeente, text, shared):
    from sharing.models import Audience

    return Audience.objects.create(slug=f"{text}-{gemeente.slug}"[:30], name=f"{text} doelgroep", gemeente=gemeente)


BUILDERS = {
    "pdc.Product": _product,
    "kennis.VAC": _vac,
    "kennis.AgentNote": _note,
    "zoeken.Synonym": _synonym,
    "zoeken.Promotion": _promotion,
    "sharing.VariableValue": _value,
    "feedback.Feedback": _feedback,
    "sharing.Team": _team,
    "sharing.Audience": _audience,
}


def scoped_models():
    return [model for model in get_snippet_models() if is_gemeente_scoped(model)]


def snapshot(obj):
    """The stored row, its many-to-many links and its number of revisions."""
    obj = type(obj)._default_manager.get(pk=obj.pk)
    values = {field.attname: getattr(obj, field.attname) for field in obj._meta.concrete_fields}
    values.update({field.name: sorted(getattr(obj, field.name).values_list("pk", flat=True)) for field in obj._meta.many_to_many})
    values["revisions"] = obj.revisions.count() if isinstance(obj, RevisionMixin) else None
    return values


def object_urls(viewset, obj, revision):
    """Every URL of the viewset and its chooser that names one object, and
    whether it takes a POST (the chooser's only answer GET)."""
    values = {"pk": quote(obj.pk), "revision_id": revision, "revision_id_a": revision, "revision_id_b": revision}
    # The workflow's action URLs (four eyes, issue 12): the object's task in review, if any.
    task_state = getattr(type(obj)._default_manager.get(pk=obj.pk), "current_workflow_task_state", None)
    values.update(
        action_name="approve",
        task_state_id=task_state.pk if task_state else 0,
        workflow_state_id=task_state.workflow_state_id if task_state else 0,
    )
    chooser = viewset.chooser_viewset
    patterns = [(viewset, p) for p in viewset.get_urlpatterns()] + [(chooser, p) for p in chooser.get_urlpatterns()]
    for owner, pattern in patterns:
        names = set(pattern.pattern.regex.groupindex)
        if "pk" not in names:
            continue
        unknown = names - set(values)
        assert not unknown, f"{pattern.name}: teach this test the URL parameters {unknown}"
        if revision is None and names & {"revision_id", "revision_id_a"}:
            continue
        yield reverse(owner.get_url_name(pattern.name), kwargs={name: values[name] for name in names}), owner is viewset
    opts = obj._meta
    yield reverse("wagtail_bulk_action", args=[opts.app_label, opts.model_name, "delete"]) + f"?id={obj.pk}", True


def listing_urls(viewset, obj):
    chooser = viewset.chooser_viewset
    return [
        reverse(viewset.get_url_name("list")),
        reverse(viewset.get_url_name("list_results")) + f"?q={QUERY}",
        reverse(chooser.get_url_name("choose")),
        reverse(chooser.get_url_name("choose_results")) + f"?q={QUERY}",
        reverse(chooser.get_url_name("choose_results")),
        reverse(chooser.get_url_name("chosen_multiple")) + f"?id={obj.pk}",
    ]


def edited(html, old, new):
    """The edit form of the page as the browser would post it, `old` text
    replaced by `new` (and the curator's note, which feedback's form has)."""
    data = {key: [value.replace(old, new) for value in values] for key, values in form_data(html).items()}
    if "note" in data:
        data["note"] = [new]
    return data


def assert_refused(response, url):
    if response.status_code == 302:  # Wagtail's "no access": back to the dashboard
        assert response.url == reverse("wagtailadmin_home"), (url, response.url)
    else:
        assert response.status_code in (403, 404), (url, response.status_code)
    assert MARKER not in response.content.decode().lower(), url


@pytest.fixture
def world():
    """Gemeente A and B, a shared product, and one local object of every
    gemeente-scoped model in each (B's with a revision where the model keeps them)."""
    a, b = make_gemeente("Gemeente A"), make_gemeente("Gemeente B")
    shared = make_product(title_nl="Gedeeld product")
    regional = regional_curator()
    objects = {}
    for model in scoped_models():
        label = model._meta.label
        assert label in BUILDERS, f"{label} is gemeente-scoped: add a builder to this test"
        own = BUILDERS[label](a, "eigen-a", shared)
        foreign = BUILDERS[label](b, MARKER, shared)
        revision = foreign.save_revision(user=regional).pk if isinstance(foreign, RevisionMixin) else None
        objects[model] = (own, foreign, revision)
    return a, b, regional, objects


def test_every_model_with_a_gemeente_is_scoped_in_the_admin():
    for model in get_snippet_models():
        field = next((f for f in model._meta.fields if f.name == "gemeente"), None)
        if isinstance(field, ForeignKey) and field.related_model is Gemeente:
            assert is_gemeente_scoped(model), model
            assert isinstance(model.snippet_viewset, GemeenteScopedViewSetMixin), model


@pytest.mark.parametrize("role", [Role.MUNICIPAL_CURATOR, Role.AGENT])
def test_another_gemeentes_objects_are_not_found_through_any_admin_url(world, role):
    a, _, regional, objects = world
    admin = Client()
    admin.force_login(regional)
    client = Client()
    client.force_login(make_user(role, a))

    for model, (_, foreign, revision) in objects.items():
        viewset = model.snippet_viewset
        before = snapshot(foreign)
        for url, takes_post in object_urls(viewset, foreign, revision):
            assert_refused(client.get(url), url)
            if not takes_post:
                continue
            # What the regional curator's page would post (the edit form with
            # its values), with the text changed: a forged write.
            page = admin.get(url).content.decode()
            data = {}
            if 'id="w-editor-form"' in page:
                data = {**edited(page, MARKER, "gekaapt"), "action-publish": ["action-publish"]}
            assert_refused(client.post(url, data), f"POST {url}")
        after = snapshot(foreign)
        assert after == before, {key: (value, after[key]) for key, value in before.items() if after[key] != value}

        for url in listing_urls(viewset, foreign):
            assert MARKER in admin.get(url).content.decode().lower(), f"the regional curator finds it at {url}"
            assert MARKER not in client.get(url).content.decode().lower(), url


def test_the_curator_still_sees_and_edits_their_own_local_objects(world):
    a, _, _, objects = world
    client = Client()
    client.force_login(municipal_curator(a))

    for model, (own, _, _) in objects.items():
        viewset = model.snippet_viewset
        listing = client.get(reverse(viewset.get_url_name("list"))).content.decode()
        assert "eigen-a" in listing, model
        choose = client.get(reverse(viewset.chooser_viewset.get_url_name("choose_results"))).content.decode()
        assert "eigen-a" in choose, model

        url = reverse(viewset.get_url_name("edit"), args=[quote(own.pk)])
        page = client.get(url)
        assert page.status_code == 200, (model, page.status_code)
        response = client.post(url, edited(page.content.decode(), "eigen-a", "bijgewerkt"))
        assert response.status_code == 302 and response.url != reverse("wagtailadmin_home"), (model, response.status_code)
        saved = type(own).objects.get(pk=own.pk)
        if isinstance(saved, RevisionMixin):
            saved = saved.get_latest_revision_as_object()  # a draft: the live row is unchanged
        assert "bijgewerkt" in str(model_to_dict(saved)), model


def test_shared_entries_stay_readable_but_not_writable_for_the_municipal_curator(world):
    """The shared base is read by every gemeente (the read-only view);
    unpublishing or deleting it is refused (the views themselves check only
    the model permission, which municipal curators have)."""
    a, _, _, objects = world
    shared = Product.objects.get(gemeente=None)
    client = Client()
    client.force_login(municipal_curator(a))
    viewset = shared.snippet_viewset
    assert client.get(reverse(viewset.get_url_name("inspect"), args=[shared.pk])).status_code == 200
    for name in ("unpublish", "delete"):
        url = reverse(viewset.get_url_name(name), args=[shared.pk])
        response = client.post(url)
        assert response.status_code == 302 and response.url == reverse("wagtailadmin_home"), (name, response.status_code)
    assert Product.objects.get(pk=shared.pk).live


def test_a_new_item_cannot_point_at_another_gemeentes_local_entry(world):
    """The choices behind a chooser field are what the editor may see: an
    agent note of gemeente A on gemeente B's local product is refused, on
    the shared product it is saved."""
    a, _, _, objects = world
    foreign_product = next(foreign for model, (_, foreign, _) in objects.items() if model is Product)
    client = Client()
    client.force_login(municipal_curator(a))
    url = reverse(AgentNote.snippet_viewset.get_url_name("add"))
    data = form_data(client.get(url).content.decode())

    shared = Product.objects.get(gemeente=None)
    body = rich_text("<p>Vraag naar het BSN.</p>")
    for title, product, saved in (("Op B", foreign_product, False), ("Op gedeeld", shared, True)):
        data.update(kind=["intake"], title=[title], body=[body], product=[str(product.pk)], gemeente=[str(a.pk)])
        response = client.post(url, data)
        assert AgentNote.objects.filter(title=title).exists() == saved, (title, response.status_code)


def test_site_history_is_only_for_those_who_read_every_gemeente(world):
    from wagtail.log_actions import log

    a, b, regional, objects = world
    for _own, foreign, _revision in objects.values():
        log(instance=foreign, action="wagtail.edit", user=regional)
    urls = [reverse("wagtailadmin_reports:site_history"), reverse("wagtailadmin_reports:site_history_results")]
    client = Client()
    client.force_login(regional)
    assert all(MARKER in client.get(url).content.decode() for url in urls)  # the log does name B's objects
    for role in (Role.MUNICIPAL_CURATOR, Role.AGENT):
        client.force_login(make_user(role, a))
        for url in urls:
            response = client.get(url)
            # Wagtail's refusal: back to the dashboard with "geen toegang".
            assert response.status_code == 302 and response.url == reverse("wagtailadmin_home"), (role, url)
            assert MARKER not in client.get(url, follow=True).content.decode()
