"""Where feedback came from (site, widget) is its origin; "channel" means
public or agent (docs/glossary.md)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0003_entry_of_any_kind'),
    ]

    operations = [
        migrations.RenameField(
            model_name='feedback',
            old_name='channel',
            new_name='origin',
        ),
    ]
