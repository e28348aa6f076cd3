from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("gemeenten", "0002_location_openinghours_openinghoursexception_and_more")]

    operations = [
        migrations.AddField(
            model_name="gemeente",
            name="az_lists_products_without_content",
            field=models.BooleanField(
                default=False,
                help_text="Aan: producten waarover nog geen tekst is (zoals UPL-namen) staan als naam in de A–Z-lijst, "
                "met een verwijzing naar de contactpagina. Uit: ze staan er niet in (zoeken vindt ze wel).",
                verbose_name="producten zonder inhoud in de A–Z-lijst",
            ),
        ),
    ]
