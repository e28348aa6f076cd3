from django import template

from gemeenten.models import Gemeente
from website import contact, icons

register = template.Library()


@register.simple_tag(takes_context=True)
def site_gemeente(context):
    """The gemeente of the request's site, for pages rendered without one
    in their context (404)."""
    request = context.get("request")
    if request is None:
        return None
    cached = getattr(request, "website_gemeente", None)
    if cached is not None:
        return cached
    try:
        return Gemeente.objects.for_request(request)
    except Exception:  # a 404 page must render whatever the request
        return None


@register.inclusion_tag("website/includes/contact.html")
def contact_block(gemeente):
    return {
        "gemeente": gemeente,
        "phone_href": contact.phone_href(gemeente.phone),
        "locations": contact.locations(gemeente),
    }



@register.simple_tag
def house_style_images(style):
    """The logo ({"url", "width", "height"} or None) and favicon address of a house style."""
    return icons.house_style_images(style)
