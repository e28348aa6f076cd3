from django.db import migrations, models


class Migration(migrations.Migration):
    """A token per changed model next to the token of everything
    (sharing/cache.py): what all pages of a gemeente share is recomputed
    only after a change of what it is read from."""

    dependencies = [
        ("sharing", "0005_four_eyes_and_scheduling"),
    ]

    operations = [
        migrations.AddField(
            model_name="contentversion",
            name="scopes",
            field=models.JSONField(blank=True, default=dict),
        ),
    ]
