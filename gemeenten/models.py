"""Municipalities (gemeenten): the tenants of the system.

Each gemeente has its own Wagtail Site (its website, on its own hostname);
shared content is resolved per gemeente for every channel.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable, Site

cbs_code_validator = RegexValidator(r"^\d{4}$", "Een CBS-gemeentecode bestaat uit vier cijfers, bijv. 0748.")


class GemeenteQuerySet(models.QuerySet):
    def for_site(self, site):
        return self.filter(site=site).first()

    def for_request(self, request):
        site = Site.find_for_request(request)
        return self.for_site(site) if site else None


class Publication(models.TextChoices):
    DIRECT = "direct", "direct (zonder tweede controle)"
    FOUR_EYES = "four_eyes", "vier ogen (een tweede kennisregisseur keurt goed)"


class Gemeente(ClusterableModel):
    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    cbs_code = models.CharField(
        "CBS-gemeentecode", max_length=4, unique=True, validators=[cbs_code_validator]
    )
    inhabitants = models.PositiveIntegerField("inwoners", default=0)
    phone = models.CharField("telefoon", max_length=30, blank=True, help_text="Bijv. 14 0165")
    email = models.EmailField("e-mail", blank=True)
    visiting_address = models.CharField("bezoekadres", max_length=200, blank=True)
    az_lists_products_without_content = models.BooleanField(
        "producten zonder inhoud in de A–Z-lijst",
        default=False,
        help_text="Aan: producten waarover nog geen tekst is (zoals UPL-namen) staan als naam in de A–Z-lijst, "
        "met een verwijzing naar de contactpagina. Uit: ze staan er niet in (zoeken vindt ze wel).",
    )
    publication = models.CharField(
        "publicatie van lokale wijzigingen",
        max_length=10,
        choices=Publication.choices,
        default=Publication.FOUR_EYES,
        help_text="Vier ogen: een lokale tekst of een lokaal item gaat pas live als een tweede kennisregisseur "
        "van deze gemeente (of een regionale) het goedkeurt. Gedeelde teksten hebben altijd vier ogen.",
    )
    site = models.OneToOneField(
        Site,
        verbose_name="website",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gemeente",
        help_text="De Wagtail-site (hostnaam) waarop deze gemeente publiceert.",
    )

    objects = GemeenteQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("cbs_code"),
        FieldPanel("inhabitants"),
        FieldPanel("phone"),
        FieldPanel("email"),
        FieldPanel("visiting_address"),
        FieldPanel("az_lists_products_without_content"),
        FieldPanel("publication"),
        FieldPanel("site"),
        InlinePanel("locations", heading="Locaties en openingstijden", label="locatie"),
    ]

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def four_eyes(self):
        return self.publication == Publication.FOUR_EYES


WEEKDAYS = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"]


class Location(Orderable, ClusterableModel):
    """A desk or office of the gemeente, with regular opening hours and exceptions."""

    gemeente = ParentalKey(Gemeente, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField("naam", max_length=100)
    address = models.CharField("adres", max_length=200, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("address"),
        InlinePanel("opening_hours", label="openingstijd"),
        InlinePanel("exceptions", label="afwijkende dag"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "locatie"
        verbose_name_plural = "locaties"

    def __str__(self):
        return f"{self.name} ({self.gemeente})"


class OpeningHours(Orderable):
    location = ParentalKey(Location, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField("dag", choices=list(enumerate(WEEKDAYS)))
    opens = models.TimeField("open van")
    closes = models.TimeField("tot")

    class Meta(Orderable.Meta):
        verbose_name = "openingstijd"
        verbose_name_plural = "openingstijden"

    def __str__(self):
        return f"{WEEKDAYS[self.weekday]} {self.opens:%H:%M}–{self.closes:%H:%M}"


class OpeningHoursException(Orderable):
    location = ParentalKey(Location, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField("datum")
    closed = models.BooleanField("gesloten", default=True)
    opens = models.TimeField("open van", null=True, blank=True)
    closes = models.TimeField("tot", null=True, blank=True)
    reason = models.CharField("reden", max_length=100, blank=True)

    class Meta(Orderable.Meta):
        verbose_name = "afwijkende openingstijd"
        verbose_name_plural = "afwijkende openingstijden"

    def __str__(self):
        hours = "gesloten" if self.closed else f"{self.opens:%H:%M}–{self.closes:%H:%M}"
        return f"{self.date:%d-%m-%Y} {hours} {self.reason}".strip()


class Role(models.TextChoices):
    REGIONAL_CURATOR = "regional_curator", "regionale kennisregisseur"
    MUNICIPAL_CURATOR = "municipal_curator", "gemeentelijke kennisregisseur"
    AGENT = "agent", "KCC-medewerker"


class Membership(models.Model):
    """What a user may do, and for which gemeente.

    A regional curator edits the shared base and every gemeente (gemeente
    empty); a municipal curator edits one gemeente's overrides and local
    entries; an agent reads (for the given gemeente, or all when empty)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("rol", max_length=30, choices=Role.choices)
    gemeente = models.ForeignKey(
        Gemeente, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )

    panels = [FieldPanel("user"), FieldPanel("role"), FieldPanel("gemeente")]

    class Meta:
        verbose_name = "rol"
        verbose_name_plural = "rollen"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "gemeente"], name="unique_membership"),
            models.CheckConstraint(
                condition=~models.Q(role="municipal_curator", gemeente__isnull=True),
                name="municipal_curator_has_gemeente",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()}" + (f" · {self.gemeente}" if self.gemeente else "")

    def save(self, *args, **kwargs):
        from .roles import sync_role_groups

        super().save(*args, **kwargs)
        sync_role_groups(self.user)
