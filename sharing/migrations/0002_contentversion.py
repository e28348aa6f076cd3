import uuid

from django.db import migrations, models
from django.utils import timezone


def create_row(apps, schema_editor):
    apps.get_model("sharing", "ContentVersion").objects.get_or_create(pk=1, defaults={"token": uuid.uuid4().hex, "changed_at": timezone.now()})


class Migration(migrations.Migration):

    dependencies = [
        ("sharing", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
                ("changed_at", models.DateTimeField()),
            ],
            options={
                "verbose_name": "inhoudsversie",
                "verbose_name_plural": "inhoudsversie",
            },
        ),
        migrations.RunPython(create_row, migrations.RunPython.noop),
    ]
