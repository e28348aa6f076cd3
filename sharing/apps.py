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
