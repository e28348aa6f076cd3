"""Widgetaanmeldingen in the Wagtail admin: the widget tokens a user may
see, and revoking one. Who sees which is WidgetToken.objects.visible_to
(a regional curator all, a municipal curator their gemeente's agents',
everyone their own); the permission policy applies it to the listing and
to revoking alike, so a token outside it is a 404, not a hidden button."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views import generic
from wagtail.admin.widgets import ListingButton
from wagtail.permission_policies.base import ModelPermissionPolicy

from .models import WidgetToken

ACTIONS = {"view", "delete"}  # tokens are made by signing in, never in the admin


class WidgetTokenPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission(self, user, action):
        return action in ACTIONS and user.is_active

    def instances_user_has_permission_for(self, user, action):
        if not self.user_has_permission(user, action):
            return self.model.objects.none()
        return self.model.objects.visible_to(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.instances_user_has_permission_for(user, action).filter(pk=instance.pk).exists()


policy = WidgetTokenPermissionPolicy(WidgetToken)


class TokenIndexView(generic.IndexView):
    model = WidgetToken
    permission_policy = policy
    index_url_name = "widget_tokens:index"
    delete_url_name = "widget_tokens:revoke"
    page_title = "Widgetaanmeldingen"
    header_icon = "key"
    list_display = ["user", "origin", "created_at", "expires_at", "last_used_at"]
    default_ordering = "-created_at"

    def get_base_queryset(self):
        # Expired tokens open nothing any more; they are cleared at the next sign-in.
        return policy.instances_user_has_permission_for(self.request.user, "view").active().select_related("user")

    def get_list_more_buttons(self, instance):
        return []

    def get_list_buttons(self, instance):
        url = self.get_delete_url(instance)
        return [ListingButton("Intrekken", url=url, icon_name="bin", attrs={"aria-label": f"Intrekken: {instance}"})] if url else []


class TokenRevokeView(generic.DeleteView):
    model = WidgetToken
    permission_policy = policy
    index_url_name = "widget_tokens:index"
    delete_url_name = "widget_tokens:revoke"
    template_name = "widget/revoke_token.html"
    page_title = gettext_lazy("Intrekken")
    success_message = "Aanmelding van de kenniswidget ingetrokken: %(object)s."

    def get_queryset(self):
        return policy.instances_user_has_permission_for(self.request.user, "delete")

    @property
    def confirmation_message(self):
        return f"De kenniswidget van {self.object.user} op {self.object.origin} wordt afgemeld; om verder te werken meldt de medewerker zich opnieuw aan."


urlpatterns = [
    path("", TokenIndexView.as_view(), name="index"),
    path("<str:pk>/intrekken/", TokenRevokeView.as_view(), name="revoke"),
]


# Registered when the app is ready (widget/apps.py).
@hooks.register("register_admin_urls")
def register_token_urls():
    return [path("widgetaanmeldingen/", include((urlpatterns, "widget_tokens")))]


@hooks.register("register_settings_menu_item")
def register_token_menu_item():
    # Everyone sees at least their own sign-ins.
    return MenuItem("Widgetaanmeldingen", reverse("widget_tokens:index"), icon_name="key", order=900)
