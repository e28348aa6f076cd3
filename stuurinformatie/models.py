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
