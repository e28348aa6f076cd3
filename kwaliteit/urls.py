from django.urls import path

from . import views

app_name = "kwaliteit"
urlpatterns = [
    path("leesbaarheid/", views.ReadabilityReportView.as_view(), name="readability"),
    path("links/", views.LinksReportView.as_view(), name="links"),
    path("paneel/<str:model_label>/", views.editor_panel, name="editor_panel"),
    path("paneel/<str:model_label>/<int:pk>/", views.editor_panel, name="editor_panel"),
    path("paneel/lokaal/<str:kind>/<int:pk>/<slug:gemeente_slug>/", views.local_panel, name="local_panel"),
    path("paneel/lokaal/<str:kind>/<int:pk>/<slug:gemeente_slug>/<str:column>/", views.local_panel, name="local_panel"),
]
