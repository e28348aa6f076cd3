from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kennis", "0008_channel_variants"),
    ]

    operations = [
        migrations.AddField(
            model_name="vac",
            name="audience_variants",
            field=models.JSONField(blank=True, default=dict, verbose_name="doelgroepvarianten"),
        ),
    ]
