import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('kwaliteit', '0001_links'),
        ('sharing', '0004_team_and_local_ownership'),
    ]

    operations = [
        migrations.AddField(
            model_name='linkuse',
            name='owner_team',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='sharing.team', verbose_name='eigenaar (team)'),
        ),
    ]
