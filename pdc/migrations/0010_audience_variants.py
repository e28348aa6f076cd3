from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("pdc", "0009_channel_variants"),
    ]

    operations = [
        migrations.AddField(
            model_name="product",
            name="audience_variants",
            field=models.JSONField(blank=True, default=dict, verbose_name="doelgroepvarianten"),
        ),
    ]
