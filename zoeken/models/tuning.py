"""What editors tune search with: synonyms and promoted answers, shared by
the region (gemeente empty) or for one gemeente. Both apply at query time,
so a change works at once, without rebuilding the index."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel

from sharing.forms import GemeenteScopedForm

from ..text import normalise


class GemeenteScopedTuning(models.Model):
    base_form_class = GemeenteScopedForm

    gemeente = models.ForeignKey(
        "gemeenten.Gemeente",
        verbose_name="gemeente",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Leeg: geldt voor alle gemeenten.",
    )
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def scope(self):
        return self.gemeente.name if self.gemeente_id else "gedeeld"


class Synonym(GemeenteScopedTuning):
    MAX_TERM_WORDS = 6  # search reads only the terms the query can contain

    term = models.CharField("zoekterm", max_length=100, help_text="Bijv. gba-uittreksel")
    synonyms = models.CharField(
        "zoek ook op", max_length=500, help_text="Gescheiden door komma's, bijv. uittreksel brp, brp-uittreksel"
    )

    panels = [FieldPanel("gemeente"), FieldPanel("term"), FieldPanel("synonyms")]

    class Meta:
        verbose_name = "synoniem"
        verbose_name_plural = "synoniemen"
        ordering = ["term"]

    def __str__(self):
        return f"{self.term} → {self.synonyms}"

    def clean(self):
        self.term = normalise(self.term)
        if not self.term:
            raise ValidationError({"term": "Vul een zoekterm in."})
        if len(self.term.split()) > self.MAX_TERM_WORDS:
            raise ValidationError({"term": f"Een zoekterm heeft hoogstens {self.MAX_TERM_WORDS} woorden."})
        if not self.alternatives():
            raise ValidationError({"synonyms": "Vul minstens één synoniem in."})

    def alternatives(self):
        return [normalise(s) for s in self.synonyms.split(",") if normalise(s) and normalise(s) != self.term]


class Promotion(GemeenteScopedTuning):
    query = models.CharField("zoekvraag", max_length=200, help_text="De zoekvraag zoals inwoners of medewerkers hem typen.")
    product = models.ForeignKey("pdc.Product", verbose_name="product", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    vac = models.ForeignKey("kennis.VAC", verbose_name="VAC", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)

    panels = [FieldPanel("gemeente"), FieldPanel("query"), FieldPanel("product"), FieldPanel("vac"), FieldPanel("sort_order")]

    class Meta:
        verbose_name = "uitgelicht antwoord"
        verbose_name_plural = "uitgelichte antwoorden"
        ordering = ["query", "sort_order"]

    def __str__(self):
        return f"{self.query} → {self.entry}"

    @property
    def entry(self):
        return self.product or self.vac

    def clean(self):
        self.query = normalise(self.query)
        if not self.query:
            raise ValidationError({"query": "Vul een zoekvraag in."})
        if bool(self.product_id) == bool(self.vac_id):
            raise ValidationError("Kies precies één product of één VAC.")
