from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "sharing"
    verbose_name = "Delen en lokale afwijkingen"

    def ready(self):
        from sharing.admin import register_gemeente_scoped

        from . import cache, effects
        from .models import Audience, VariableValue

        register_gemeente_scoped(VariableValue)
        register_gemeente_scoped(Audience)
        cache.connect()
        effects.connect()  # each kind's models: when it registers

        from django.db.models.signals import post_save
        from wagtail.models import Revision

        from .scheduling import revision_scheduled

        post_save.connect(revision_scheduled, sender=Revision, dispatch_uid="sharing-revision-scheduled")
