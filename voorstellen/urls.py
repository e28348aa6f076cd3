from django.urls import path

from . import expert

app_name = "voorstellen"
urlpatterns = [
    path("<str:token>/", expert.overview, name="overview"),
    path("<str:token>/<slug:scope>/<slug:kind_name>/<int:entry_id>/", expert.entry_page, name="entry"),
]
