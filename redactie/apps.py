from django.apps import AppConfig


class RedactieConfig(AppConfig):
    """The curators' side of the admin: their work queue on the dashboard,
    admin search over products and VACs, shared entries shown read-only to
    municipal curators, and Dutch display of values in every admin view."""

    name = "redactie"
    verbose_name = "Redactie"

    def ready(self):
        from . import display

        display.register()
