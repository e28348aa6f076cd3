"""Issue 15: pg_trgm for the typo tolerance of the database search on
PostgreSQL (zoeken/database_postgres.py), and the GIN indexes of the kinds
whose tables exist by now (the others get theirs after migrate, see
zoeken/apps.py). Nothing happens on another database (SQLite for the demo):
every step checks the connection's vendor (Django's CreateExtension does so
going forward only). Migrating back drops the indexes before the extension
they depend on."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class PostgresTrigramExtension(TrigramExtension):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from zoeken.database_postgres import create_indexes

        create_indexes(schema_editor)


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        from zoeken.database_postgres import drop_indexes

        drop_indexes(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("zoeken", "0003_promotion_of_any_kind_searchquery_origin")]

    operations = [PostgresTrigramExtension(), migrations.RunPython(create_search_indexes, drop_search_indexes)]
