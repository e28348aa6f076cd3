from django.urls import path

from . import sign_in, views

app_name = "widget"
urlpatterns = [
    path("", views.workspace, name="workspace"),
    path("kennis-widget.js", views.script, name="script"),
    path("demo/", views.demo, name="demo"),
    path("aanmelden/", sign_in.sign_in, name="sign-in"),
]
