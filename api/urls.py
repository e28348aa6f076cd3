"""The JSON API (version 1). Public endpoints publish the public resolution
of each gemeente; agent endpoints need a signed-in agent or curator."""

from django.urls import path, register_converter

from widget import sign_in as widget_sign_in
from zoeken import views as zoeken

from . import views



class CollectionConverter:
    regex = "producten|vacs"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(CollectionConverter, "collection")
app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("gemeenten", views.gemeenten, name="gemeenten"),
    path("gemeenten/<slug:gemeente>/zoeken", zoeken.public_search, name="search"),
    path("gemeenten/<slug:gemeente>/suggesties", zoeken.suggestions, name="suggest"),
    path("gemeenten/<slug:gemeente>/themas", views.public_themes, name="themes"),
    path("gemeenten/<slug:gemeente>/<collection:collection>", views.public_list, name="list"),
    path("gemeenten/<slug:gemeente>/<collection:collection>/<slug:slug>", views.public_detail, name="detail"),
    path("agent/gemeenten", views.agent_gemeenten, name="agent-gemeenten"),
    path("agent/afmelden", widget_sign_in.sign_out, name="agent-sign-out"),
    path("agent/gemeenten/<slug:gemeente>/zoeken", zoeken.agent_search, name="agent-search"),
    path("agent/gemeenten/<slug:gemeente>/top", views.agent_top, name="agent-top"),
    path("agent/gemeenten/<slug:gemeente>/objecttypes/vac", views.agent_objecttype, {"objecttype": "vac"}, name="agent-objecttype-vac"),
    path("agent/gemeenten/<slug:gemeente>/objecttypes/kennisartikel", views.agent_objecttype, {"objecttype": "kennisartikel"}, name="agent-objecttype-kennisartikel"),
    path("agent/gemeenten/<slug:gemeente>/<collection:collection>", views.agent_list, name="agent-list"),
    path("agent/gemeenten/<slug:gemeente>/<collection:collection>/<slug:slug>", views.agent_detail, name="agent-detail"),
    path("terugkoppeling", views.feedback, name="feedback"),
    path("zoekkliks", zoeken.record_click, name="search-click"),
]
