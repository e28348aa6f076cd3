import django.db.models.deletion
from django.db import migrations, models

SEEDED = [("burger", "Particulier", 10), ("ondernemer", "Ondernemer", 20)]


def seed(apps, schema_editor):
    Audience = apps.get_model("sharing", "Audience")
    for slug, name, position in SEEDED:
        Audience.objects.get_or_create(slug=slug, defaults={"name": name, "position": position})


class Migration(migrations.Migration):
    """Audiences as data: the region's burger and ondernemer, and any a
    gemeente adds; an entry's text can have a variant per audience."""

    dependencies = [
        ("gemeenten", "0004_gemeente_publication"),
        ("sharing", "0006_contentversion_scopes"),
    ]

    operations = [
        migrations.CreateModel(
            name="Audience",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("slug", models.SlugField(help_text="Bijv. ondernemer; in de API en in links: ?audience=ondernemer.", max_length=30, unique=True, verbose_name="sleutel")),
                ("name", models.CharField(help_text="Zoals de website het toont: Particulier, Ondernemer.", max_length=60, verbose_name="naam")),
                ("position", models.PositiveSmallIntegerField(default=100, verbose_name="volgorde")),
                (
                    "gemeente",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leeg: een doelgroep van de regio.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="gemeenten.gemeente",
                        verbose_name="gemeente",
                    ),
                ),
            ],
            options={"verbose_name": "doelgroep", "verbose_name_plural": "doelgroepen", "ordering": ["position", "slug"]},
        ),
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
