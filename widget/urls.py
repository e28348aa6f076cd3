from django.urls import path

from . import views

app_name = "widget"
urlpatterns = [
    path("kennis-widget.js", views.script, name="script"),
    path("demo/", views.demo, name="demo"),
]
