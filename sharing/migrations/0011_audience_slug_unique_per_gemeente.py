"""Issue 14: an audience slug is unique per gemeente (and in the region), no longer in the whole installation: two gemeenten may each add "instelling"."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('gemeenten', '0004_gemeente_publication'),
        ('sharing', '0010_value_change_of_an_edit'),
    ]

    operations = [
        migrations.AlterField(
            model_name='audience',
            name='slug',
            field=models.SlugField(help_text='Bijv. ondernemer; in de API en in links: ?audience=ondernemer. Uniek binnen de gemeente en de regio.', max_length=30, verbose_name='sleutel'),
        ),
        migrations.AddConstraint(
            model_name='audience',
            constraint=models.UniqueConstraint(condition=models.Q(('gemeente__isnull', True)), fields=('slug',), name='audience_slug_unique_in_region', violation_error_message='De regio heeft al een doelgroep met deze sleutel. Kies een andere sleutel.'),
        ),
        migrations.AddConstraint(
            model_name='audience',
            constraint=models.UniqueConstraint(fields=('gemeente', 'slug'), name='audience_slug_unique_per_gemeente', violation_error_message='Deze gemeente heeft al een doelgroep met deze sleutel. Kies een andere sleutel.'),
        ),
    ]
