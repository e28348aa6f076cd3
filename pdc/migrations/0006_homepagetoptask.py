# The home page's top tasks, moved here from the website app (website 0003):
# the same table (website_homepagetoptask) and rows, now the product kind's.

import django.db.models.deletion
import modelcluster.fields
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("pdc", "0005_dutch_labels"),
        ("website", "0003_homepagetoptask_to_pdc"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="HomePageTopTask",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("sort_order", models.IntegerField(blank=True, editable=False, null=True)),
                        (
                            "page",
                            modelcluster.fields.ParentalKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="top_tasks", to="website.homepage"
                            ),
                        ),
                        (
                            "product",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE, related_name="+", to="pdc.product", verbose_name="product"
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "toptaak",
                        "verbose_name_plural": "toptaken",
                        "db_table": "website_homepagetoptask",
                        "ordering": ["sort_order"],
                        "abstract": False,
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
