"""Give a gemeente its website: a home page, a Wagtail Site on its own
hostname and a house style (with its logo and favicon, from image files).
Idempotent: running it again updates in place."""

import hashlib
from pathlib import Path

from django.core.files.images import ImageFile
from django.db import transaction
from wagtail.images import get_image_model
from wagtail.models import Page, Site

from gemeenten.models import Gemeente
from themes.models import HouseStyle

from .icons import house_style_images
from .models import HomePage


@transaction.atomic
def provision_gemeente(*, name, slug, cbs_code, hostname, port=80, intro="", house_style=None, logo=None, favicon=None, **details):
    """Create or update the gemeente with CBS code `cbs_code` and its site.

    `logo` and `favicon` are image files (SVG, PNG…) for the house style;
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
    images = {key: image_of(path, f"{key.capitalize()} gemeente {name}") for key, path in (("logo", logo), ("favicon", favicon)) if path}
    style, _ = HouseStyle.objects.update_or_create(site=site, defaults={**(house_style or {}), **images})
    house_style_images(style)  # the renditions made now, not on the first visit
    return gemeente


def image_of(path, title):
    """A Wagtail image of this file: the one with this title and content if
    it exists (running again adds no copy), else a new one."""
    content = Path(path).read_bytes()
    digest = hashlib.sha1(content).hexdigest()
    image_model = get_image_model()
    image = image_model.objects.filter(title=title, file_hash=digest).first()
    if image is None:
        with Path(path).open("rb") as file:
            image = image_model(title=title, file=ImageFile(file, name=Path(path).name), file_hash=digest, file_size=len(content))
            image.save()
    return image
