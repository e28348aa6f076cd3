"""Results of the broken-link check: one row per address, and where each
address is used (entry or a gemeente's override, field, owner)."""

from django.conf import settings
from django.db import models

from gemeenten.models import Gemeente


class Link(models.Model):
    class Status(models.TextChoices):
        UNCHECKED = "unchecked", "nog niet gecontroleerd"
        OK = "ok", "werkt"
        BROKEN = "broken", "kapot"
        UNREACHABLE = "unreachable", "onbereikbaar"
        REFUSED = "refused", "niet gecontroleerd (geen openbaar adres)"

    url = models.CharField("adres", max_length=2000, unique=True)
    status = models.CharField("status", max_length=16, choices=Status.choices, default=Status.UNCHECKED, db_index=True)
    http_status = models.PositiveSmallIntegerField("HTTP-status", null=True, blank=True)
    detail = models.CharField("toelichting", max_length=255, blank=True)
    checked_at = models.DateTimeField("laatst gecontroleerd", null=True, blank=True)

    class Meta:
        verbose_name = "link"
        verbose_name_plural = "links"
        ordering = ["url"]

    def __str__(self):
        return self.url


class LinkUse(models.Model):
    """An address in one field of an entry (gemeente: a local entry's
    gemeente) or of one gemeente's override (field_name: the column). The
    owner is the owner of that text: the entry's, or for an override the
    owner of the gemeente's local texts of the entry (LocalOwnership)."""

    link = models.ForeignKey(Link, on_delete=models.CASCADE, related_name="uses")
    entry_kind = models.CharField("soort", max_length=32)
    entry_id = models.PositiveIntegerField()
    entry_title = models.CharField("onderwerp", max_length=255)
    field_name = models.CharField("veld", max_length=64)
    gemeente = models.ForeignKey(
        Gemeente, verbose_name="gemeente", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    is_override = models.BooleanField("lokale afwijking", default=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="eigenaar", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    owner_team = models.ForeignKey(
        "sharing.Team", verbose_name="eigenaar (team)", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "gebruik van een link"
        verbose_name_plural = "gebruik van links"
        indexes = [models.Index(fields=["entry_kind", "entry_id"])]
