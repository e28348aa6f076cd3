from django.db import migrations, models

from pdc.models.content import has_text

BATCH = 500


def compute_has_content(apps, schema_editor):
    VAC = apps.get_model("kennis", "VAC")
    with_text = [pk for pk, answer in VAC.objects.values_list("pk", "answer_nl").iterator() if has_text(answer)]
    for start in range(0, len(with_text), BATCH):
        VAC.objects.filter(pk__in=with_text[start : start + BATCH]).update(has_content=True)


class Migration(migrations.Migration):
    dependencies = [("kennis", "0003_stable_ordering")]

    operations = [
        migrations.AddField(
            model_name="vac",
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
