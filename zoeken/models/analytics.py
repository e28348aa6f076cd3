from django.db import models


class Origin(models.TextChoices):
    """Where a search was asked (not the resolution channel, public or agent)."""

    SITE = "site", "website"
    WIDGET = "widget", "kenniswidget"
    API = "api", "API"


class SearchQuery(models.Model):
    """One search as it was asked, for the zero-result and top-query reports."""

    gemeente = models.ForeignKey("gemeenten.Gemeente", on_delete=models.CASCADE, related_name="+")
    origin = models.CharField("kanaal", max_length=10, choices=Origin.choices)
    query = models.CharField("zoekvraag", max_length=500)
    normalised = models.CharField("zoekvraag (genormaliseerd)", max_length=500, db_index=True)
    result_count = models.PositiveIntegerField("aantal resultaten")
    backend = models.CharField("zoekmachine", max_length=20)
    created_at = models.DateTimeField("gezocht op", auto_now_add=True, db_index=True)
    clicked = models.CharField("aangeklikt", max_length=60, blank=True, help_text="kind:id van het aangeklikte resultaat")
    clicked_at = models.DateTimeField("aangeklikt op", null=True, blank=True)

    class Meta:
        verbose_name = "zoekvraag"
        verbose_name_plural = "zoekvragen"
        indexes = [
            models.Index(fields=["gemeente", "created_at"]),
            # The management information over the whole region (stuurinformatie/figures.py):
            # searches per day and top questions read this index only, the zero-result and
            # click lists their partial ones.
            models.Index(fields=["created_at", "result_count", "normalised"], name="searchquery_period"),
            models.Index(fields=["created_at", "normalised"], condition=models.Q(result_count=0), name="searchquery_zero"),
            models.Index(fields=["created_at", "clicked"], condition=~models.Q(clicked=""), name="searchquery_clicked"),
        ]

    def __str__(self):
        return f"{self.query} ({self.result_count})"
