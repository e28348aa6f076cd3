"""The logo and favicon of a gemeente's site, from its house style
(uploaded Wagtail images): the logo at most 64 pixels high in the header,
the favicon as a 64 × 64 PNG (an SVG stays an SVG), else a plain default
favicon. The favicon is linked from every page (<link rel="icon">) and
answered at /favicon.ico, where browsers and feed readers look without a
link."""

from django.http import HttpResponseRedirect
from django.templatetags.static import static
from wagtail.images import get_image_model
from wagtail.models import Site

from sharing.cache import remember
from themes.models import HouseStyle

DEFAULT_FAVICON = "themes/favicon.svg"
LOGO = "height-64"
FAVICON = "fill-64x64|format-png|preserve-svg"
STORED_SPECS = (LOGO, "fill-64x64", "fill-64x64|format-png")  # as renditions store them, SVG and not


def house_style_images(style):
    """{"logo": {"url", "width", "height"} or None, "favicon": url}; read in
    two queries and remembered until a house style changes (every page
    shows them). An image whose file is replaced in the image library shows
    after the next change of the house style (images send no content
    change), or after CONTENT_CACHE_TIMEOUT."""
    if style is None:
        return {"logo": None, "favicon": static(DEFAULT_FAVICON)}
    return remember("house-style-images", (style.pk, style.logo_id, style.favicon_id), lambda: _images(style), scopes={HouseStyle._meta.label_lower}, immutable=True)


def _images(style):
    ids = [pk for pk in (style.logo_id, style.favicon_id) if pk]
    found = {image.pk: image for image in get_image_model().objects.filter(pk__in=ids).prefetch_renditions(*STORED_SPECS)}
    logo, favicon = found.get(style.logo_id), found.get(style.favicon_id)
    rendition = logo.get_rendition(LOGO) if logo else None
    return {
        "logo": {"url": rendition.url, "width": round(rendition.width), "height": round(rendition.height)} if rendition else None,
        "favicon": favicon.get_rendition(FAVICON).url if favicon else static(DEFAULT_FAVICON),
    }


def favicon(request):
    site = Site.find_for_request(request)
    response = HttpResponseRedirect(house_style_images(HouseStyle.for_site(site) if site else None)["favicon"])
    response["Cache-Control"] = "public, max-age=86400"
    return response
