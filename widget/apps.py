from django.apps import AppConfig


class WidgetConfig(AppConfig):
    name = "widget"
    verbose_name = "Kenniswidget"

    def ready(self):
        from . import admin_views  # noqa: F401  (the Widgetaanmeldingen admin views and their hooks)
