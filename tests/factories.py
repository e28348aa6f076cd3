"""Small builders for tests: a gemeente, users with a role, live entries."""

import itertools

from django.contrib.auth import get_user_model

from gemeenten.models import Gemeente, Membership, Role
from kennis.models import VAC
from pdc.models import Product

_numbers = itertools.count(1)


def make_gemeente(name=None, **fields):
    number = next(_numbers)
    name = name or f"Testgemeente {number}"
    # Direct publication, as every gemeente had before four eyes (issue 12);
    # tests of four eyes ask for publication="four_eyes".
    defaults = {"slug": f"test-{number}", "cbs_code": f"{9000 + number:04d}"[-4:], "phone": "14 0999", "publication": "direct"}
    defaults.update(fields)
    return Gemeente.objects.create(name=name, **defaults)


def make_user(role=None, gemeente=None, superuser=False):
    user = get_user_model().objects.create_user(
        username=f"user{next(_numbers)}", password="x", is_staff=True, is_superuser=superuser
    )
    if role:
        Membership.objects.create(user=user, role=role, gemeente=gemeente)
    return user


def regional_curator():
    return make_user(Role.REGIONAL_CURATOR)


def municipal_curator(gemeente):
    return make_user(Role.MUNICIPAL_CURATOR, gemeente)


def make_product(slug=None, **fields):
    defaults = {"title_nl": "Paspoort aanvragen", "procedure_nl": "<p>Maak een afspraak.</p>", "live": True}
    defaults.update(fields)
    product = Product(slug=slug or f"product-{next(_numbers)}", **defaults)
    product.save()
    return product


def make_vac(slug=None, **fields):
    defaults = {"question_nl": "Hoe vraag ik een paspoort aan?", "answer_nl": "<p>Maak een afspraak.</p>", "live": True}
    defaults.update(fields)
    vac = VAC(slug=slug or f"vac-{next(_numbers)}", **defaults)
    vac.save()
    return vac
