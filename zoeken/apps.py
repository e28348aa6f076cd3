from django.apps import AppConfig


class ZoekenConfig(AppConfig):
    name = "zoeken"
    verbose_name = "Zoeken"

    def ready(self):
        from sharing.admin import register_gemeente_scoped

        from .models import Promotion, Synonym

        register_gemeente_scoped(Synonym)
        register_gemeente_scoped(Promotion)
