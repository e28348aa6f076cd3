"""Municipalities (gemeenten): the tenants of the system.

Each gemeente has its own Wagtail Site (its website, on its own hostname);
shared content is resolved per gemeente for every channel.
"""

from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.models import Site

cbs_code_validator = RegexValidator(r"^\d{4}$", "Een CBS-gemeentecode bestaat uit vier cijfers, bijv. 0748.")


class GemeenteQuerySet(models.QuerySet):
    def for_site(self, site):
        return self.filter(site=site).first()

    def for_request(self, request):
        site = Site.find_for_request(request)
        return self.for_site(site) if site else None


class Gemeente(models.Model):
    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    cbs_code = models.CharField(
        "CBS-gemeentecode", max_length=4, unique=True, validators=[cbs_code_validator]
    )
    inhabitants = models.PositiveIntegerField("inwoners", default=0)
    phone = models.CharField("telefoon", max_length=30, blank=True, help_text="Bijv. 14 0165")
    email = models.EmailField("e-mail", blank=True)
    visiting_address = models.CharField("bezoekadres", max_length=200, blank=True)
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
        FieldPanel("site"),
    ]

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["name"]

    def __str__(self):
        return self.name
