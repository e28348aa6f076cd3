"""How often texts are reviewed: a cycle per kind of entry or per theme."""

from django.db import models

from sharing.kinds import kind_names


def kind_choices():
    from sharing.kinds import kinds

    return [(kind.name, kind.label) for kind in kinds()]


class ReviewCycle(models.Model):
    """After a review ("nog juist") or a change, the next review date is
    this many months on. A theme's cycle comes before its kind's; the
    shortest of an entry's themes counts; without one, DEFAULT_MONTHS."""

    DEFAULT_MONTHS = 12

    entry_kind = models.CharField("soort onderwerp", max_length=40, blank=True, choices=kind_choices, help_text="Leeg: elke soort.")
    theme = models.ForeignKey("pdc.Theme", verbose_name="thema", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    months = models.PositiveSmallIntegerField("elke zoveel maanden", default=DEFAULT_MONTHS)

    class Meta:
        verbose_name = "herzieningscyclus"
        verbose_name_plural = "herzieningscycli"
        ordering = ["theme__name", "entry_kind"]

    def __str__(self):
        scope = self.theme.name if self.theme_id else (dict(kind_choices()).get(self.entry_kind) or "alles")
        return f"{scope}: elke {self.months} maanden"

    def clean(self):
        super().clean()
        if self.entry_kind and self.entry_kind not in kind_names():
            from django.core.exceptions import ValidationError

            raise ValidationError({"entry_kind": "Onbekende soort."})
