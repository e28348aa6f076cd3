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
        self.connect_reviews()

    def connect_reviews(self):
        """A published entry or a saved local text counts as reviewed
        (redactie/reviews.py); an entry's local owners go with it."""
        from django.apps import apps
        from django.db.models.signals import post_delete, post_save
        from wagtail.signals import published

        from sharing.models import FieldOverride, SharedEntry

        from sharing.admin import register_gemeente_scoped
        from sharing.models import Team

        from . import reviews

        register_gemeente_scoped(Team)
        for model in apps.get_models():
            label = model._meta.label_lower
            if issubclass(model, SharedEntry):
                published.connect(reviews.entry_published, sender=model, dispatch_uid=f"reviewed_{label}")
                post_delete.connect(reviews.delete_ownership_on_entry, sender=model, dispatch_uid=f"ownership_of_{label}")
            elif issubclass(model, FieldOverride):
                post_save.connect(reviews.override_saved, sender=model, dispatch_uid=f"reviewed_{label}")
