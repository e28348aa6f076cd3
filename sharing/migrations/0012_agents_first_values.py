"""Issue 12, agents first for a fee: a value (and a held value change) has its own
"voor KCC-medewerkers vanaf"; a held change remembers whether it was of an existing
value (then that value's deletion since is noticed, not turned into a new value)."""

from django.db import migrations, models


def existing_values(apps, schema_editor):
    ValueChange = apps.get_model("sharing", "ValueChange")
    ValueChange.objects.filter(value_row__isnull=False).update(of_existing_value=True)


class Migration(migrations.Migration):

    dependencies = [
        ('sharing', '0011_audience_slug_unique_per_gemeente'),
    ]

    operations = [
        migrations.AddField(
            model_name='valuechange',
            name='agents_from',
            field=models.DateTimeField(blank=True, null=True, verbose_name='voor KCC-medewerkers vanaf'),
        ),
        migrations.AddField(
            model_name='valuechange',
            name='of_existing_value',
            field=models.BooleanField(default=False, verbose_name='van een bestaande waarde'),
        ),
        migrations.AddField(
            model_name='variablevalue',
            name='agents_from',
            field=models.DateTimeField(blank=True, help_text="Bij een latere 'geldig vanaf': KCC-medewerkers zien de nieuwe waarde al vanaf dit moment, het publiek pas vanaf 'geldig vanaf'.", null=True, verbose_name='voor KCC-medewerkers vanaf'),
        ),
        migrations.RunPython(existing_values, migrations.RunPython.noop),
    ]
