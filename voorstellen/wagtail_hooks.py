from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import services, views


@hooks.register("register_admin_urls")
def register_urls():
    return [
        path("voorstellen/", views.QueueView.as_view(), name="voorstellen_queue"),
        path("voorstellen/<int:pk>/", views.SuggestionView.as_view(), name="voorstellen_suggestion"),
        path("voorstellen/uitnodigingen/", views.InvitationsView.as_view(), name="voorstellen_invitations"),
    ]


class CuratorMenuItem(MenuItem):
    def is_shown(self, request):
        ids = services.handled_gemeente_ids(request.user)
        return ids is None or bool(ids)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return CuratorMenuItem("Voorstellen", reverse("voorstellen_queue"), icon_name="edit", order=131)


@hooks.register("register_log_actions")
def register_suggestion_actions(actions):
    actions.register_action(services.SUGGESTED, "Voorstel ontvangen", "Voorstel ontvangen")
    actions.register_action(services.ACCEPTED, "Voorstel overgenomen (concept)", "Voorstel overgenomen")
    actions.register_action(services.REJECTED, "Voorstel afgewezen", "Voorstel afgewezen")
