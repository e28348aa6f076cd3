"""Page types of the municipal websites.

Each gemeente's Wagtail Site has a HomePage as its root; the default site
(localhost) has a PortalPage that lists the municipal sites.

The citizen pages of a gemeente (products, VACs, themes, life events, A–Z,
search, "was this helpful?") are routes of its HomePage: one page type for
every municipality, its content resolved per gemeente (website/views.py).
"""

from django.db import models
from django.http import Http404
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Orderable, Page

from gemeenten.models import Gemeente
from sharing.cache import remember

from . import views


class HomePage(RoutablePageMixin, Page):
    intro = models.TextField("introductie", blank=True)

    content_panels = Page.content_panels + [
        FieldPanel("intro"),
        InlinePanel(
            "top_tasks",
            heading="Toptaken",
            label="toptaak",
            help_text="De producten onder 'Direct regelen' op de startpagina, in deze volgorde (maximaal 8). "
            "Leeg: de producten die bezoekers het vaakst openen vanuit de zoekresultaten.",
        ),
    ]
    parent_page_types = ["wagtailcore.Page"]
    template = "website/home_page.html"

    class Meta:
        verbose_name = "startpagina gemeente"

    def gemeente_for(self, request):
        """The gemeente whose site has this page as its root (cached on the
        request and per content version), with what the contact block and
        variables need."""
        cached = getattr(request, "_website_gemeente", None)
        if cached is not None and cached.site.root_page_id == self.pk:
            return cached
        gemeente = remember(f"website-gemeente:{self.pk}", (), self._gemeente)
        if gemeente is None:
            raise Http404("Deze startpagina hoort bij geen gemeente.")
        request._website_gemeente = gemeente
        return gemeente

    def _gemeente(self):
        return (
            Gemeente.objects.select_related("site")
            .prefetch_related("locations__opening_hours", "locations__exceptions")
            .filter(site__root_page_id=self.pk)
            .first()
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["gemeente"] = self.gemeente_for(request)
        return context

    # Routes. The views live in website/views.py; each gets this page.

    @path("")
    def index_route(self, request):
        return views.home(self, request)

    @path("producten/<slug:slug>/", name="product")
    def product_route(self, request, slug):
        return views.product(self, request, slug)

    @path("producten/<slug:slug>/terugkoppeling/", name="product_feedback")
    def product_feedback_route(self, request, slug):
        return views.feedback(self, request, "product", slug)

    @path("vragen/<slug:slug>/", name="vac")
    def vac_route(self, request, slug):
        return views.vac(self, request, slug)

    @path("vragen/<slug:slug>/terugkoppeling/", name="vac_feedback")
    def vac_feedback_route(self, request, slug):
        return views.feedback(self, request, "vac", slug)

    @path("themas/", name="themes")
    def themes_route(self, request):
        return views.taxonomy_index(self, request, "theme")

    @path("themas/<slug:slug>/", name="theme")
    def theme_route(self, request, slug):
        return views.taxonomy(self, request, "theme", slug)

    @path("levensgebeurtenissen/", name="life_events")
    def life_events_route(self, request):
        return views.taxonomy_index(self, request, "life_event")

    @path("levensgebeurtenissen/<slug:slug>/", name="life_event")
    def life_event_route(self, request, slug):
        return views.taxonomy(self, request, "life_event", slug)

    @path("a-z/", name="a_z")
    def a_z_route(self, request):
        return views.a_z(self, request, None)

    @path("a-z/<str:letter>/", name="a_z_letter")
    def a_z_letter_route(self, request, letter):
        return views.a_z(self, request, letter)

    @path("contact/", name="contact")
    def contact_route(self, request):
        return views.contact(self, request)

    @path("zoeken/", name="search")
    def search_route(self, request):
        return views.search(self, request)

    @path("zoeken/klik/", name="search_click")
    def search_click_route(self, request):
        return views.search_click(self, request)


class HomePageTopTask(Orderable):
    """A product an editor puts at the top of the home page ("toptaak")."""

    page = ParentalKey(HomePage, on_delete=models.CASCADE, related_name="top_tasks")
    product = models.ForeignKey("pdc.Product", verbose_name="product", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        verbose_name = "toptaak"
        verbose_name_plural = "toptaken"


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
