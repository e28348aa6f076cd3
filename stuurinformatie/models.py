"""What agents do with an answer, for the management information: the
outcome of the contact they record in one click in the widget, and
"copied the answer". Per entry (kind name + id, as feedback/models.py) and
gemeente; no personal data: not who, not which caller."""

from django.db import models

from feedback.models import validate_kind_name


class ContactOutcome(models.Model):
    class Outcome(models.TextChoices):
        ANSWERED = "answered", "zelf beantwoord"
        TRANSFERRED = "transferred", "doorverbonden (gelukt)"
        TRANSFER_FAILED = "transfer_failed", "doorverbinden mislukt"
        CALLBACK = "callback", "terugbelverzoek"
        REFERRED = "referred", "elders naartoe verwezen"
        # Not an outcome of the contact, but use of the answer: counted with
        # the outcomes as answer use, left out of the first-contact resolution.
        COPIED = "copied", "antwoord gekopieerd"

    gemeente = models.ForeignKey("gemeenten.Gemeente", verbose_name="gemeente", on_delete=models.CASCADE, related_name="+")
    entry_kind = models.CharField("soort onderwerp", max_length=40, validators=[validate_kind_name])
    entry_id = models.PositiveBigIntegerField("onderwerp-id")
    outcome = models.CharField("uitkomst", max_length=20, choices=Outcome.choices)
    created_at = models.DateTimeField("vastgelegd op", auto_now_add=True)

    class Meta:
        verbose_name = "contactuitkomst"
        verbose_name_plural = "contactuitkomsten"
        indexes = [
            models.Index(fields=["gemeente", "created_at"], name="outcome_gemeente_time"),
            models.Index(fields=["created_at"], name="outcome_time"),
        ]

    def __str__(self):
        return f"{self.get_outcome_display()} ({self.entry_kind}:{self.entry_id}, {self.gemeente})"


# Contact outcomes (not answer use only) and which of them resolve the
# question at first contact: the agent answered it, without a transfer, a
# call-back or a referral (the seeds' 80% first-contact resolution).
OUTCOMES = [o for o in ContactOutcome.Outcome if o != ContactOutcome.Outcome.COPIED]
RESOLVED = (ContactOutcome.Outcome.ANSWERED,)
FCR_TARGET = 80


# The daily roll-up (stuurinformatie/rollup.py) ----------------------------------------
# Whole days of the search log and the contact outcomes, added up per day
# and gemeente, and per day for the whole region (gemeente empty), so the
# MI page reads a few rows per day instead of every search. Only days that
# can no longer change are rolled up; the page reads the log itself for
# the others (today, and yesterday while its searches can still be clicked).


class RolledUpDay(models.Model):
    """A day whose usage is in the roll-up tables below."""

    day = models.DateField("dag", primary_key=True)
    built_at = models.DateTimeField("opgeteld op", auto_now=True)

    class Meta:
        verbose_name = "opgetelde dag"
        verbose_name_plural = "opgetelde dagen"


class RollupRow(models.Model):
    day = models.DateField("dag")
    gemeente = models.ForeignKey(
        "gemeenten.Gemeente", verbose_name="gemeente", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Leeg: de hele regio.",
    )

    class Meta:
        abstract = True


class SearchDay(RollupRow):
    searches = models.PositiveIntegerField("zoekvragen")
    zero_results = models.PositiveIntegerField("zonder resultaat")

    class Meta:
        verbose_name = "zoekvragen per dag"
        verbose_name_plural = verbose_name
        indexes = [models.Index(fields=["gemeente", "day"], name="searchday_scope")]


class QueryDay(RollupRow):
    """One normalised query on one day: for the top questions and the top zero-result queries."""

    normalised = models.CharField("zoekvraag (genormaliseerd)", max_length=500)
    searches = models.PositiveIntegerField("gezocht")
    clicks = models.PositiveIntegerField("met klik")
    max_results = models.PositiveIntegerField("meeste resultaten")
    zero_results = models.PositiveIntegerField("zonder resultaat")
    zero_clicks = models.PositiveIntegerField("met klik zonder resultaat")

    class Meta:
        verbose_name = "zoekvraag per dag"
        verbose_name_plural = "zoekvragen per dag (per zoekvraag)"
        indexes = [models.Index(fields=["gemeente", "day"], name="queryday_scope")]


class ClickDay(RollupRow):
    """Searches on one day whose result `clicked` (kind:id) was opened."""

    clicked = models.CharField("aangeklikt", max_length=60)
    opened = models.PositiveIntegerField("geopend")

    class Meta:
        verbose_name = "klik per dag"
        verbose_name_plural = "klikken per dag"
        indexes = [models.Index(fields=["gemeente", "day"], name="clickday_scope")]


class OutcomeDay(RollupRow):
    """Contact outcomes (and copies) of one entry on one day."""

    entry_kind = models.CharField("soort onderwerp", max_length=40)
    entry_id = models.PositiveBigIntegerField("onderwerp-id")
    outcome = models.CharField("uitkomst", max_length=20, choices=ContactOutcome.Outcome.choices)
    count = models.PositiveIntegerField("aantal")

    class Meta:
        verbose_name = "contactuitkomst per dag"
        verbose_name_plural = "contactuitkomsten per dag"
        indexes = [models.Index(fields=["gemeente", "day"], name="outcomeday_scope")]


ROLLUP_MODELS = (SearchDay, QueryDay, ClickDay, OutcomeDay)
