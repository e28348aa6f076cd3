"""sharing.scope.shared_or_own: the one filter "shared or this gemeente's"
that every per-gemeente read uses (resolution, search tuning, the work
queue, the quality reports, the permission policy)."""

import pytest

from sharing.models import Team
from sharing.scope import shared_or_own

from .factories import make_gemeente

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    roosendaal, bergen, etten = make_gemeente("Roosendaal"), make_gemeente("Bergen op Zoom"), make_gemeente("Etten-Leur")
    region = Team.objects.create(name="Regio")
    own = {g: Team.objects.create(name=f"Team {g.name}", gemeente=g) for g in (roosendaal, bergen, etten)}
    return region, own, (roosendaal, bergen, etten)


def names(condition):
    return set(Team.objects.filter(condition).values_list("name", flat=True))


def test_one_gemeente_sees_the_regions_rows_and_its_own(teams):
    region, own, (roosendaal, bergen, _) = teams
    assert names(shared_or_own(roosendaal)) == {region.name, own[roosendaal].name}
    assert names(shared_or_own(bergen.pk)) == {region.name, own[bergen].name}, "a pk is the same gemeente"


def test_several_gemeenten_see_the_regions_rows_and_each_ones_own(teams):
    region, own, (roosendaal, bergen, etten) = teams
    expected = {region.name, own[roosendaal].name, own[bergen].name}
    assert names(shared_or_own([roosendaal, bergen])) == expected
    assert names(shared_or_own({roosendaal.pk, bergen.pk})) == expected
    assert names(shared_or_own(type(etten).objects.exclude(pk=etten.pk))) == expected
    assert names(shared_or_own([])) == {region.name}, "no gemeenten: the region's rows only"


def test_no_gemeente_is_the_regions_rows_only(teams):
    region, _, _ = teams
    assert names(shared_or_own(None)) == {region.name}
