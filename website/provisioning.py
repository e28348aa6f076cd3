"""Give a gemeente its website: a home page, a Wagtail Site on its own
hostname and a house style. Idempotent: running it again updates in place."""

from django.db import transaction
from wagtail.models import Page, Site

from gemeenten.models import Gemeente
from themes.models import HouseStyle

from .models import HomePage


@transaction.atomic
def provision_gemeente(*, name, slug, cbs_code, hostname, port=80, intro="", house_style=None, **details):
    """Create or update the gemeente with CBS code `cbs_code` and its site.

    `details` are further Gemeente fields (inhabitants, phone, email, ...).
    """
    gemeente, _ = Gemeente.objects.update_or_create(
        cbs_code=cbs_code, defaults={"name": name, "slug": slug, **details}
    )
    home = HomePage.objects.filter(slug=slug).first()
    if home is None:
        home = Page.get_first_root_node().add_child(
            instance=HomePage(title=f"Gemeente {name}", slug=slug, intro=intro)
        )
    site = gemeente.site or Site()
    site.hostname, site.port, site.root_page, site.site_name = hostname, port, home, f"Gemeente {name}"
    site.save()
    if gemeente.site_id != site.pk:
        gemeente.site = site
        gemeente.save(update_fields=["site"])
    HouseStyle.objects.update_or_create(site=site, defaults=house_style or {})
    return gemeente
