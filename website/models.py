"""Page types of the municipal websites.

Each gemeente's Wagtail Site has a HomePage as its root; the default site
(localhost) has a PortalPage that lists the municipal sites.

The citizen pages of a gemeente (products, VACs, themes, life events, A–Z,
search, "was this helpful?") are routes of its HomePage: one page type for
every municipality, its content resolved per gemeente (website/views.py).
"""

from django.db import models
from django.http import Http404
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path, re_path
from wagtail.models import Page

from gemeenten.models import Gemeente
from sharing.cache import GEMEENTE_PREFETCH_RELATED, GEMEENTE_SELECT_RELATED, gemeente_scopes, remember

from . import english, views


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
        request and until a change of what it is read from), with what the
        contact block and variables need."""
        cached = getattr(request, "website_gemeente", None)
        if cached is not None and cached.site.root_page_id == self.pk:
            return cached
        gemeente = remember(f"website-gemeente:{self.pk}", (), self._gemeente, scopes=gemeente_scopes(), immutable=True)
        if gemeente is None:
            raise Http404("Deze startpagina hoort bij geen gemeente.")
        request.website_gemeente = gemeente
        return gemeente

    def _gemeente(self):
        return (
            Gemeente.objects.select_related(*GEMEENTE_SELECT_RELATED)
            .prefetch_related(*GEMEENTE_PREFETCH_RELATED)
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

    @path("themas/", name="themes")
    def themes_route(self, request):
        return views.taxonomy_index(self, request, "themes")

    @path("themas/<slug:slug>/", name="theme")
    def theme_route(self, request, slug):
        return views.taxonomy(self, request, "themes", slug)

    @path("levensgebeurtenissen/", name="life_events")
    def life_events_route(self, request):
        return views.taxonomy_index(self, request, "life_events")

    @path("levensgebeurtenissen/<slug:slug>/", name="life_event")
    def life_event_route(self, request, slug):
        return views.taxonomy(self, request, "life_events", slug)

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

    # The English pages (website/english.py): /en/ and /en/<kind.url_prefix>/<slug>/.
    @re_path(rf"^(?P<language>{english.LANGUAGES})/$", name="translated_home")
    def translated_home_route(self, request, language):
        return english.home(self, request, language)

    # Its lists (before the entries' route, which would take /en/a-z/b/ and /en/themes/<slug>/).
    @re_path(rf"^(?P<language>{english.LANGUAGES})/search/$", name="translated_search")
    def translated_search_route(self, request, language):
        return english.search(self, request, language)

    @re_path(rf"^(?P<language>{english.LANGUAGES})/a-z/$", name="translated_a_z")
    def translated_a_z_route(self, request, language):
        return english.a_z(self, request, language, None)

    @re_path(rf"^(?P<language>{english.LANGUAGES})/a-z/(?P<letter>[-\w]+)/$", name="translated_a_z_letter")
    def translated_a_z_letter_route(self, request, language, letter):
        return english.a_z(self, request, language, letter)

    @re_path(rf"^(?P<language>{english.LANGUAGES})/themes/$", name="translated_themes")
    def translated_themes_route(self, request, language):
        return english.themes(self, request, language)

    @re_path(rf"^(?P<language>{english.LANGUAGES})/themes/(?P<slug>[-\w]+)/$", name="translated_theme")
    def translated_theme_route(self, request, language, slug):
        return english.theme(self, request, language, slug)

    @re_path(rf"^(?P<language>{english.LANGUAGES})/(?P<prefix>[-\w]+)/(?P<slug>[-\w]+)/$", name="translated_entry")
    def translated_entry_route(self, request, language, prefix, slug):
        return english.entry(self, request, language, views.kind_of(prefix), slug)

    # The pages of every registered kind (sharing/kinds.py) at
    # /<kind.url_prefix>/<slug>/: after the routes above, which come first.
    @path("<str:prefix>/<slug:slug>/", name="entry")
    def entry_route(self, request, prefix, slug):
        return views.entry(self, request, views.kind_of(prefix), slug)

    @path("<str:prefix>/<slug:slug>/terugkoppeling/", name="entry_feedback")
    def entry_feedback_route(self, request, prefix, slug):
        return views.feedback(self, request, views.kind_of(prefix), slug)


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
