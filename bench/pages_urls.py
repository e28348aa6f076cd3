"""WSGI entry point and URLconf for bench/pages.py only: the site's own
URLs plus one comparison page, served through the same gunicorn/Django
stack (and the same Server-Timing middleware).

    gunicorn bench.pages_urls:application   (started by bench/pages.py)

The comparison is what a plain Wagtail site would do to serve a product
page it keeps as an ordinary page: find the Site for the request
(Site.find_for_request, as wagtail.views.serve does), load the site's root
page (.specific, as Wagtail's routing does), load one row by slug, and
render it in the same layout (themes/base.html: house style, header,
navigation, contact block with opening hours) with its rich text through
Wagtail's `richtext` filter. The product's shared base text is used as is:
no per-gemeente overrides, variables, "not offered" check, related lists
or feedback form. That is the work our product page adds on top.

Not part of the application: nothing else imports this module."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kennisbank.settings.dev")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.conf import settings  # noqa: E402
from django.http import Http404, HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.http import require_GET  # noqa: E402
from wagtail.models import Site  # noqa: E402

from pdc.models import Product  # noqa: E402
from pdc.sections import PRODUCT_SECTIONS  # noqa: E402

PLAIN_PAGE = engines["django"].from_string(
    """{% extends "themes/base.html" %}{% load wagtailcore_tags %}
{% block title %}{{ product.title }}{% endblock %}
{% block content %}
  <article class="entry">
    <h1>{{ product.title }}</h1>
    {% if product.summary %}<p class="intro">{{ product.summary }}</p>{% endif %}
    {% for heading, html in sections %}
    <section class="section"><h2>{{ heading }}</h2><div class="rich-text">{{ html|richtext }}</div></section>
    {% endfor %}
  </article>
{% endblock %}"""
)


@require_GET
def plain_wagtail_page(request, slug):
    site = Site.find_for_request(request)
    if site is None:
        raise Http404("no site")
    root = site.root_page.specific
    product = Product.objects.filter(slug=slug, live=True).first()
    if product is None:
        raise Http404("no such product")
    sections = [(s.heading, getattr(product, f"{s.name}_nl")) for s in PRODUCT_SECTIONS if getattr(product, f"{s.name}_nl")]
    html = PLAIN_PAGE.render({"page": root, "self": root, "product": product, "sections": sections}, request)
    return HttpResponse(html)


settings.ROOT_URLCONF = __name__

from kennisbank.urls import urlpatterns as site_urlpatterns  # noqa: E402

urlpatterns = [path("bench/plain-page/producten/<slug:slug>/", plain_wagtail_page, name="bench-plain-page")] + site_urlpatterns
