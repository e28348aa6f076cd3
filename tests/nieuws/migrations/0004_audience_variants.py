from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("nieuws", "0003_four_eyes_and_agents_from"),
    ]

    operations = [
        migrations.AddField(
            model_name="newsitem",
            name="audience_variants",
            field=models.JSONField(blank=True, default=dict, verbose_name="doelgroepvarianten"),
        ),
    ]
