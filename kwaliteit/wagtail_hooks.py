from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from sharing.kinds import kinds

from . import urls
from .views import is_curator


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("kwaliteit/", include(urls, namespace="kwaliteit"))]


class CuratorMenuItem(MenuItem):
    def is_shown(self, request):
        return is_curator(request.user)


@hooks.register("register_reports_menu_item")
def readability_menu_item():
    return CuratorMenuItem("Leesbaarheid", reverse("kwaliteit:readability"), icon_name="doc-full", order=800)


@hooks.register("register_reports_menu_item")
def links_menu_item():
    return CuratorMenuItem("Kapotte links", reverse("kwaliteit:links"), icon_name="link", order=801)


@hooks.register("insert_global_admin_js")
def editor_panel_js():
    """The readability panel on the edit forms of every entry kind's
    snippets and in the gemeenten's local editor (Lokaal beheer); the
    script finds out from the address which editor it is on, and does
    nothing on any other admin page."""
    local_panel = reverse("kwaliteit:local_panel", args=["KIND", 1, "GEMEENTE"]).removesuffix("KIND/1/GEMEENTE/")
    return format_html(
        '<link rel="stylesheet" href="{}"><script src="{}" data-kwaliteit-panel="{}" data-kwaliteit-models="{}" '
        'data-kwaliteit-local-pages="{}" data-kwaliteit-local-panel="{}" defer></script>',
        static("kwaliteit/kwaliteit.css"),
        static("kwaliteit/editor-panel.js"),
        reverse("kwaliteit:editor_panel", args=["MODEL"]),
        " ".join(kind.model_label for kind in kinds()),
        reverse("sharing:overview"),
        local_panel,
    )
