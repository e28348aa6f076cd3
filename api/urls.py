"""The JSON API (version 1). Public endpoints publish the public resolution
of each gemeente; agent endpoints need a signed-in agent or curator."""

from django.urls import path

from zoeken import views as zoeken

from . import views

app_name = "api"
urlpatterns = [
    path("openapi.json", views.openapi, name="openapi"),
    path("gemeenten/<slug:gemeente>/zoeken", zoeken.public_search, name="search"),
    path("gemeenten/<slug:gemeente>/suggesties", zoeken.suggestions, name="suggest"),
    path("agent/gemeenten/<slug:gemeente>/zoeken", zoeken.agent_search, name="agent-search"),
    path("zoekkliks", zoeken.record_click, name="search-click"),
]
