"""Feedback refers to an entry of any kind (kind name + id) instead of one
foreign key per kind; existing rows keep what they are about."""

import feedback.models
from django.conf import settings
from django.db import migrations, models

# The kinds that had a foreign key of their own, and that key's column.
OLD_KEYS = (("product", "product_id"), ("vac", "vac_id"))


def to_entry_reference(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    for kind, column in OLD_KEYS:
        Feedback.objects.filter(**{f"{column}__isnull": False}).update(entry_kind=kind, entry_id=models.F(column))


def to_foreign_keys(apps, schema_editor):
    Feedback = apps.get_model("feedback", "Feedback")
    for kind, column in OLD_KEYS:
        Feedback.objects.filter(entry_kind=kind).update(**{column: models.F("entry_id")})
    # Feedback on a kind without a key of its own cannot go back: it goes.
    Feedback.objects.exclude(entry_kind="").exclude(entry_kind__in=[kind for kind, _ in OLD_KEYS]).delete()


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0002_curator_note_and_dutch_labels'),
        ('gemeenten', '0003_gemeente_az_lists_products_without_content'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='feedback',
            name='entry_id',
            field=models.PositiveBigIntegerField(blank=True, null=True, verbose_name='onderwerp-id'),
        ),
        migrations.AddField(
            model_name='feedback',
            name='entry_kind',
            field=models.CharField(blank=True, max_length=40, validators=[feedback.models.validate_kind_name], verbose_name='soort onderwerp'),
        ),
        migrations.RunPython(to_entry_reference, to_foreign_keys),
        migrations.RemoveField(
            model_name='feedback',
            name='product',
        ),
        migrations.RemoveField(
            model_name='feedback',
            name='vac',
        ),
        migrations.AddIndex(
            model_name='feedback',
            index=models.Index(fields=['entry_kind', 'entry_id'], name='feedback_entry'),
        ),
        migrations.AddConstraint(
            model_name='feedback',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('entry_id__isnull', True), ('entry_kind', '')), models.Q(models.Q(('entry_kind', ''), _negated=True), ('entry_id__isnull', False)), _connector='OR'), name='feedback_entry_kind_and_id_together'),
        ),
    ]
