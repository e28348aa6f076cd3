"""What editors tune search with: synonyms and promoted answers, shared by
the region (gemeente empty) or for one gemeente. Both apply at query time,
so a change works at once, without rebuilding the index."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.admin.panels import FieldPanel

from sharing.forms import GemeenteScopedForm
from sharing.kinds import get_kind

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
    """An answer shown first for one query: an entry of any kind, by its
    kind's name and id (the admin form has a chooser per kind)."""

    query = models.CharField("zoekvraag", max_length=200, help_text="De zoekvraag zoals inwoners of medewerkers hem typen.")
    kind = models.CharField("soort", max_length=40)
    entry_id = models.PositiveBigIntegerField("antwoord")
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)

    class Meta:
        verbose_name = "uitgelicht antwoord"
        verbose_name_plural = "uitgelichte antwoorden"
        ordering = ["query", "sort_order"]
        indexes = [models.Index(fields=["kind", "entry_id"])]

    def __str__(self):
        return f"{self.query} → {self.entry}"

    @property
    def entry_model(self):
        try:
            return get_kind(self.kind).model
        except KeyError:
            return None

    @property
    def entry(self):
        """The promoted entry; None when its kind is not registered (any more)."""
        key = (self.kind, self.entry_id)
        if getattr(self, "_entry_key", None) != key:
            model = self.entry_model
            self._entry = model.objects.filter(pk=self.entry_id).first() if model and self.entry_id else None
            self._entry_key = key
        return self._entry

    @entry.setter
    def entry(self, entry):
        self.kind, self.entry_id = get_kind(entry).name, entry.pk
        self._entry, self._entry_key = entry, (self.kind, self.entry_id)

    def clean(self):
        self.query = normalise(self.query)
        if not self.query:
            raise ValidationError({"query": "Vul een zoekvraag in."})
        entry = self.entry
        if entry is None:
            raise ValidationError("Het gekozen antwoord bestaat niet (meer).")
        if entry.gemeente_id not in (None, self.gemeente_id):
            raise ValidationError("Kies een gedeeld antwoord of een antwoord van de gemeente van deze zoekvraag.")


@receiver(post_delete, dispatch_uid="zoeken.promotions_of_a_deleted_entry")
def delete_promotions_of_a_deleted_entry(sender, instance, **kwargs):
    """What a foreign key's cascade did: an entry that is deleted is
    promoted no more."""
    try:
        kind = get_kind(sender)
    except KeyError:
        return
    Promotion.objects.filter(kind=kind.name, entry_id=instance.pk).delete()
