from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sharing.permissions import editable_gemeente_ids

from . import views


@hooks.register("register_admin_urls")
def register_mi_url():
    return [path("stuurinformatie/", views.management_information, name="stuurinformatie")]


class MIMenuItem(MenuItem):
    def is_shown(self, request):
        ids = editable_gemeente_ids(request.user)
        return ids is None or bool(ids)


@hooks.register("register_admin_menu_item")
def register_mi_menu_item():
    return MIMenuItem("Stuurinformatie", reverse("stuurinformatie"), icon_name="table", order=132)
