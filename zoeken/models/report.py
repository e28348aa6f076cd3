from django.conf import settings
from django.db import models


class HiddenQuery(models.Model):
    """A query a curator hid from one gemeente's search report (a typo, a
    test, a name): it is still logged, only no longer listed."""

    gemeente = models.ForeignKey("gemeenten.Gemeente", verbose_name="gemeente", on_delete=models.CASCADE, related_name="+")
    normalised = models.CharField("zoekvraag", max_length=500)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="verborgen door", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    hidden_at = models.DateTimeField("verborgen op", auto_now_add=True)

    class Meta:
        verbose_name = "verborgen zoekvraag"
        verbose_name_plural = "verborgen zoekvragen"
        ordering = ["normalised"]
        constraints = [models.UniqueConstraint(fields=["gemeente", "normalised"], name="unique_hidden_query")]

    def __str__(self):
        return f"{self.normalised} ({self.gemeente})"
