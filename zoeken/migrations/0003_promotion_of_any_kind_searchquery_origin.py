"""Issue 16: a promotion points at an entry of any kind (its kind's name and
id) instead of one foreign key per kind; the search log's `channel` (site,
widget, API) becomes `origin`, as `channel` means public/agent elsewhere."""

from django.db import migrations, models

# The kind names of the two foreign keys this migration replaces.
OLD_KEYS = (("product", "product_id"), ("vac", "vac_id"))


def to_kind_and_id(apps, schema_editor):
    Promotion = apps.get_model("zoeken", "Promotion")
    for promotion in Promotion.objects.all():
        for kind, column in OLD_KEYS:
            if getattr(promotion, column):
                promotion.kind, promotion.entry_id = kind, getattr(promotion, column)
        promotion.save(update_fields=["kind", "entry_id"])


def to_foreign_keys(apps, schema_editor):
    Promotion = apps.get_model("zoeken", "Promotion")
    for promotion in Promotion.objects.all():
        columns = dict(OLD_KEYS)
        if promotion.kind not in columns:
            promotion.delete()  # a kind the old schema cannot hold
            continue
        setattr(promotion, columns[promotion.kind], promotion.entry_id)
        promotion.save(update_fields=[columns[promotion.kind]])


class Migration(migrations.Migration):
    dependencies = [
        ("zoeken", "0002_hidden_query_and_dutch_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="promotion",
            name="kind",
            field=models.CharField(default="", max_length=40, verbose_name="soort"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="promotion",
            name="entry_id",
            field=models.PositiveBigIntegerField(null=True, verbose_name="antwoord"),
        ),
        migrations.RunPython(to_kind_and_id, to_foreign_keys),
        migrations.RemoveField(model_name="promotion", name="product"),
        migrations.RemoveField(model_name="promotion", name="vac"),
        migrations.AlterField(
            model_name="promotion",
            name="entry_id",
            field=models.PositiveBigIntegerField(verbose_name="antwoord"),
        ),
        migrations.AddIndex(
            model_name="promotion",
            index=models.Index(fields=["kind", "entry_id"], name="zoeken_prom_kind_668066_idx"),
        ),
        migrations.RenameField(model_name="searchquery", old_name="channel", new_name="origin"),
    ]
