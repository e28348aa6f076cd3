"""What readers tell the curators: "was this helpful?" on the websites, and
answers flagged as wrong or missing by agents in the widget."""

from django.conf import settings
from django.db import models


class FeedbackQuerySet(models.QuerySet):
    def open(self):
        """What still asks for a curator: not handled, and not a plain "nuttig"."""
        return self.filter(handled=False).exclude(kind=Feedback.Kind.HELPFUL)


class Feedback(models.Model):
    class Kind(models.TextChoices):
        HELPFUL = "helpful", "nuttig"
        NOT_HELPFUL = "not_helpful", "niet nuttig"
        WRONG = "wrong", "antwoord klopt niet"
        MISSING = "missing", "antwoord ontbreekt"

    class Channel(models.TextChoices):
        SITE = "site", "website"
        WIDGET = "widget", "kenniswidget"

    gemeente = models.ForeignKey("gemeenten.Gemeente", verbose_name="gemeente", on_delete=models.CASCADE, related_name="+")
    product = models.ForeignKey("pdc.Product", verbose_name="product", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    vac = models.ForeignKey("kennis.VAC", verbose_name="VAC", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    channel = models.CharField("kanaal", max_length=10, choices=Channel.choices)
    remark = models.TextField("opmerking", blank=True, max_length=2000)
    query = models.CharField("zoekvraag", max_length=500, blank=True, help_text="Bij 'ontbreekt': waar werd naar gezocht")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gemeld door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="De KCC-medewerker die het meldde; leeg bij een inwoner.",
    )
    created_at = models.DateTimeField("ontvangen op", auto_now_add=True, db_index=True)
    # What a curator changes; everything above is what the reader wrote.
    handled = models.BooleanField("afgehandeld", default=False)
    note = models.TextField("notitie van de redactie", blank=True, max_length=2000, help_text="Intern: wat ermee gedaan is.")

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "terugkoppeling"
        verbose_name_plural = "terugkoppelingen"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject} ({self.gemeente})"

    @property
    def entry(self):
        return self.product or self.vac

    @property
    def subject(self):
        """What the feedback is about: the entry, or what was searched for."""
        entry = self.entry
        if entry is not None:
            return str(entry)
        return f"zoekvraag “{self.query}”" if self.query else "—"
