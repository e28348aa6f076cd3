"""Page types of the municipal websites.

Each gemeente's Wagtail Site has a HomePage as its root; the default site
(localhost) has a PortalPage that lists the municipal sites.
"""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page

from gemeenten.models import Gemeente


class HomePage(Page):
    intro = models.TextField("introductie", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    template = "website/home_page.html"

    class Meta:
        verbose_name = "startpagina gemeente"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["gemeente"] = Gemeente.objects.for_site(self.get_site())
        return context


class PortalPage(Page):
    """Landing page of the installation itself, listing the municipal sites."""

    intro = models.TextField("introductie", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    template = "website/portal_page.html"

    class Meta:
        verbose_name = "portaal"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["gemeenten"] = Gemeente.objects.select_related("site")
        return context
