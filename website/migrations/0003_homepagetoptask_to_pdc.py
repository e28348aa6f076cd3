# The top tasks of a home page are products: the model moves to the pdc app
# (pdc.HomePageTopTask, migration pdc 0006), its table and rows stay as they are.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("website", "0002_homepagetoptask"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="HomePageTopTask")],
            database_operations=[],
        ),
    ]
