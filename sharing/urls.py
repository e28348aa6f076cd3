from django.urls import path

from . import views

app_name = "sharing"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("wijzigingen/", views.changes, name="changes"),
    path("wijzigingen/<int:pk>/", views.review_change, name="review_change"),
    path("wijzigingen/waarde/<int:pk>/", views.review_value_change, name="review_value_change"),
    path("<str:kind>/<int:pk>/<slug:gemeente_slug>/", views.entry_editor, name="entry_editor"),
    path("<str:kind>/<int:pk>/<slug:gemeente_slug>/<str:column>/", views.field_editor, name="field_editor"),
    path("<str:kind>/<int:pk>/<slug:gemeente_slug>/<str:column>/actie/", views.field_action, name="field_action"),
    path("<str:kind>/<int:pk>/<slug:gemeente_slug>/<str:column>/terug/", views.revert, name="revert"),
]
