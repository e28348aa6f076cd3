from django.apps import AppConfig


class KennisConfig(AppConfig):
    name = "kennis"
    verbose_name = "Kennisbank (VAC)"

    def ready(self):
        from sharing.admin import register_gemeente_scoped
        from sharing.kinds import register

        from .kinds import VAC_KIND

        from .models import VAC, AgentNote

        register_gemeente_scoped(VAC)
        register_gemeente_scoped(AgentNote)
        register(VAC_KIND)
