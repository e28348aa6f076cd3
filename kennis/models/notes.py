"""Agent-only content: intake checklists, routing, work instructions.

Shown in the agent widget and agent API only; the public resolution never
reads this model."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from gemeenten.models import Gemeente
from kennisbank.sanitise import sanitise_html
from pdc.models.products import RICH_TEXT_FEATURES
from sharing.forms import GemeenteScopedForm


class AgentNoteKind(models.TextChoices):
    INTAKE = "intake", "intakechecklist"
    ROUTING = "routing", "doorverbinden / routering"
    WORK_INSTRUCTION = "work_instruction", "werkinstructie"
    FRONT_OFFICE = "front_office", "wat de frontoffice zelf mag doen"


class AgentNote(models.Model):
    kind = models.CharField("soort", max_length=20, choices=AgentNoteKind.choices)
    title = models.CharField("titel", max_length=200)
    body = RichTextField("tekst", features=RICH_TEXT_FEATURES)
    product = models.ForeignKey(
        "pdc.Product", verbose_name="product", null=True, blank=True, on_delete=models.CASCADE, related_name="agent_notes"
    )
    vac = models.ForeignKey("kennis.VAC", verbose_name="VAC", null=True, blank=True, on_delete=models.CASCADE, related_name="agent_notes")
    gemeente = models.ForeignKey(
        Gemeente,
        verbose_name="alleen voor gemeente",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        help_text="Leeg: voor alle gemeenten.",
    )
    sort_order = models.PositiveSmallIntegerField("volgorde", default=0)

    base_form_class = GemeenteScopedForm
    updated_at = models.DateTimeField("laatst gewijzigd", auto_now=True)

    panels = [
        FieldPanel("kind"),
        FieldPanel("title"),
        FieldPanel("body"),
        FieldPanel("product"),
        FieldPanel("vac"),
        FieldPanel("gemeente"),
    ]

    class Meta:
        verbose_name = "interne notitie (KCC)"
        verbose_name_plural = "interne notities (KCC)"
        ordering = ["sort_order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(product__isnull=False, vac__isnull=True)
                | models.Q(product__isnull=True, vac__isnull=False),
                name="agent_note_on_one_entry",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def scope(self):
        return self.gemeente.name if self.gemeente_id else "gedeeld"

    def clean(self):
        if bool(self.product_id) == bool(self.vac_id):
            raise ValidationError("Koppel de notitie aan precies één product of één vraag.")

    def save(self, *args, **kwargs):
        self.body = sanitise_html(self.body or "")
        super().save(*args, **kwargs)
