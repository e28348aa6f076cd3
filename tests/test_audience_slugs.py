"""Issue 14: an audience slug names one audience per gemeente. Two gemeenten
may each add their own "instelling"; within the region, within one gemeente
and between a gemeente's own and the region's, a slug is used once. The
admin (Doelgroepen, as the real roles) says so on the slug field; the
database refuses what gets past it."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from sharing.models import Audience
from tests.admin_forms import form_data
from tests.factories import make_gemeente, municipal_curator, regional_curator

pytestmark = pytest.mark.django_db

ADD = "wagtailsnippets_sharing_audience:add"


@pytest.fixture
def gemeenten():
    return make_gemeente("Roosendaal", slug="roosendaal"), make_gemeente("Etten-Leur", slug="etten-leur")


def add_audience(client, user, slug, name, gemeente):
    """POST the Doelgroepen add form as the browser sends it, with these values."""
    client.force_login(user)
    data = form_data(client.get(reverse(ADD)).content.decode())
    data.update({"slug": [slug], "name": [name], "position": ["30"], "gemeente": [str(gemeente.pk) if gemeente else ""]})
    return client.post(reverse(ADD), data)


def slug_error(response):
    """The errors shown on the slug field (the form is shown again)."""
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    start = html.index('id="panel-child-slug-errors"')
    return html[start : html.index("</div>", start)]


def test_two_gemeenten_each_add_their_own_instelling(client, gemeenten):
    roosendaal, etten = gemeenten
    for gemeente in gemeenten:
        response = add_audience(client, municipal_curator(gemeente), "instelling", "Instelling", gemeente)
        assert response.status_code == 302, response.content.decode()[:2000]
    assert sorted(Audience.objects.filter(slug="instelling").values_list("gemeente__slug", flat=True)) == ["etten-leur", "roosendaal"]


def test_a_gemeente_cannot_add_a_slug_twice_and_is_told_why(client, gemeenten):
    roosendaal, _ = gemeenten
    curator = municipal_curator(roosendaal)
    assert add_audience(client, curator, "instelling", "Instelling", roosendaal).status_code == 302
    again = add_audience(client, curator, "instelling", "Zorginstelling", roosendaal)
    assert "Deze gemeente heeft al een doelgroep met de sleutel" in slug_error(again)
    assert Audience.objects.filter(slug="instelling").count() == 1


def test_a_gemeente_cannot_take_a_slug_of_the_region(client, gemeenten):
    roosendaal, _ = gemeenten
    response = add_audience(client, municipal_curator(roosendaal), "ondernemer", "Zzp'er", roosendaal)
    assert "De regio heeft al een doelgroep met de sleutel &#x27;ondernemer&#x27;" in slug_error(response)
    assert not Audience.objects.filter(gemeente=roosendaal).exists()


def test_the_region_cannot_take_a_slug_twice_nor_one_a_gemeente_uses(client, gemeenten):
    roosendaal, _ = gemeenten
    assert add_audience(client, municipal_curator(roosendaal), "instelling", "Instelling", roosendaal).status_code == 302
    curator = regional_curator()
    twice = add_audience(client, curator, "ondernemer", "Bedrijf", None)
    assert "De regio heeft al een doelgroep met de sleutel" in slug_error(twice)
    used = add_audience(client, curator, "instelling", "Instelling", None)
    assert "al een eigen doelgroep van Roosendaal" in slug_error(used)
    assert Audience.objects.filter(gemeente__isnull=True, slug__in=["instelling"]).count() == 0
    assert Audience.objects.filter(gemeente__isnull=True, slug="ondernemer").count() == 1


def test_the_database_refuses_duplicates_per_gemeente_and_in_the_region(gemeenten):
    roosendaal, etten = gemeenten
    Audience.objects.create(slug="instelling", name="Instelling", gemeente=roosendaal)
    Audience.objects.create(slug="instelling", name="Instelling", gemeente=etten)
    with pytest.raises(IntegrityError), transaction.atomic():
        Audience.objects.create(slug="instelling", name="Nog een", gemeente=roosendaal)
    with pytest.raises(IntegrityError), transaction.atomic():
        Audience.objects.create(slug="burger", name="Inwoner")
