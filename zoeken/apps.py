from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ZoekenConfig(AppConfig):
    name = "zoeken"
    verbose_name = "Zoeken"

    def ready(self):
        from sharing.admin import register_gemeente_scoped
        from sharing.effects import watch_models

        from .models import Promotion, Synonym

        register_gemeente_scoped(Synonym)
        register_gemeente_scoped(Promotion)
        watch_models(Synonym, Promotion)  # zoeken.service remembers them
        post_migrate.connect(search_indexes, sender=self)


def search_indexes(using="default", **kwargs):
    """The database search's GIN indexes on PostgreSQL, after every migrate
    (zoeken/database_postgres.py)."""
    from django.db import connections

    if connections[using].vendor == "postgresql":
        from .database_postgres import ensure_indexes

        ensure_indexes(using)
