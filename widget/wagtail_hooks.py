"""The way from the Wagtail admin to the widget: a menu item for everyone who
reads agent content, and for agents a dashboard panel that says where they
work (they land on the widget after signing in, widget.views.LoginView)."""

from django.urls import reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from .views import lands_on_widget


def reads_agent_content(user):
    # Every role reads agent content for its gemeenten (sharing.permissions).
    return user.is_superuser or user.memberships.exists()


class WidgetMenuItem(MenuItem):
    def is_shown(self, request):
        return reads_agent_content(request.user)


@hooks.register("register_admin_menu_item")
def register_widget_menu_item():
    return WidgetMenuItem("Kenniswidget", reverse("widget:workspace"), icon_name="help", order=10)


class WidgetPanel(Component):
    name = "kenniswidget"
    order = 10
    template_name = "widget/dashboard_panel.html"

    def get_context_data(self, parent_context):
        return {"url": reverse("widget:workspace")}


@hooks.register("construct_homepage_panels")
def add_widget_panel(request, panels):
    if lands_on_widget(request.user):
        panels.insert(0, WidgetPanel())
