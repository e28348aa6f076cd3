from django.db import migrations, models

from pdc.models.content import has_text

CONTENT_COLUMNS = [
    f"{name}_nl"
    for name in ("description", "conditions", "procedure", "required_documents", "costs", "lead_time", "objection", "no_response")
]
BATCH = 500


def compute_has_content(apps, schema_editor):
    Product = apps.get_model("pdc", "Product")
    with_text = [
        row["pk"]
        for row in Product.objects.values("pk", *CONTENT_COLUMNS).iterator()
        if has_text(*(row[column] for column in CONTENT_COLUMNS))
    ]
    for start in range(0, len(with_text), BATCH):
        Product.objects.filter(pk__in=with_text[start : start + BATCH]).update(has_content=True)


class Migration(migrations.Migration):
    dependencies = [("pdc", "0003_product_task_links_and_not_offered_note")]

    operations = [
        migrations.AddField(
            model_name="product",
            name="has_content",
            field=models.BooleanField(
                db_index=True,
                default=False,
                editable=False,
                help_text="Uit: alleen een naam, nog geen tekst (bijv. een UPL-naam). Wordt bij elke opslag bepaald.",
                verbose_name="met inhoud",
            ),
        ),
        migrations.RunPython(compute_has_content, migrations.RunPython.noop),
    ]
