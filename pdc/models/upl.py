"""The Uniforme Productnamenlijst (UPL): the national list of product names.

Imported from the CSV the national government publishes (see the
import_upl command). Names that disappear from the list are kept and marked
expired, so products linked to them keep their link.
"""

from django.db import models


class UPLNameQuerySet(models.QuerySet):
    def current(self):
        return self.filter(expired_at__isnull=True)

    def municipal(self):
        return self.filter(gemeente=True)


class UPLName(models.Model):
    name = models.CharField("uniforme productnaam", max_length=255, db_index=True)
    uri = models.URLField("URI", max_length=255, unique=True)
    # Which layers of government deliver it (columns Rijk … Gemeente).
    rijk = models.BooleanField(default=False)
    provincie = models.BooleanField(default=False)
    waterschap = models.BooleanField(default=False)
    gemeente = models.BooleanField(default=False)
    # Audiences (columns Burger, Bedrijf).
    burger = models.BooleanField(default=False)
    bedrijf = models.BooleanField(default=False)
    dienstenwet = models.BooleanField(default=False)
    sdg = models.BooleanField("SDG", default=False)
    sdg_codes = models.CharField("SDG-codes", max_length=100, blank=True, help_text="Bijv. C1;E3")
    autonomie = models.BooleanField(default=False)
    medebewind = models.BooleanField(default=False)
    aanvraag = models.BooleanField(default=False)
    subsidie = models.BooleanField(default=False)
    melding = models.BooleanField(default=False)
    verplichting = models.BooleanField(default=False)
    digid_macht = models.BooleanField("DigiD Machtigen", default=False)
    grondslag = models.URLField("grondslag", max_length=255, blank=True)
    grondslag_label = models.TextField("grondslag (label)", blank=True)
    grondslag_link = models.URLField("grondslag (link)", max_length=500, blank=True)
    imported_at = models.DateTimeField("laatst geïmporteerd", null=True, blank=True)
    expired_at = models.DateTimeField(
        "vervallen sinds", null=True, blank=True, help_text="Niet meer in de actuele UPL."
    )

    objects = UPLNameQuerySet.as_manager()

    class Meta:
        verbose_name = "UPL-productnaam"
        verbose_name_plural = "UPL-productnamen"
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} (vervallen)" if self.expired_at else self.name
