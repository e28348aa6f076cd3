from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("sharing", "0007_audience"),
    ]

    operations = [
        migrations.AddField(
            model_name="overridechange",
            name="agents_from",
            field=models.DateTimeField(blank=True, null=True, verbose_name="voor KCC-medewerkers vanaf"),
        ),
    ]
