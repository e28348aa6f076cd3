"""Issue 15: pg_trgm for the typo tolerance of the database search on
PostgreSQL (zoeken/database_postgres.py). CreateExtension does nothing on
another database (SQLite for the demo): it checks the connection's vendor."""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("zoeken", "0003_promotion_of_any_kind_searchquery_origin")]

    operations = [TrigramExtension()]
