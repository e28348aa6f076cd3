"""House styles: each municipal site's look, stored as data (site settings),
so a new municipality needs no code and no template of its own."""

from django.core.validators import RegexValidator
from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting

hex_colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Gebruik een kleurcode als #1a5f8c.")
# The font stack is written into a <style> block, so only characters a CSS
# font-family list needs are allowed (no "<", ";", "{" or "}").
font_family_validator = RegexValidator(
    r'^[A-Za-z0-9 ,"\'-]+$', "Alleen lettertypenamen, gescheiden door komma's."
)


@register_setting(icon="view")
class HouseStyle(BaseSiteSetting):
    primary_colour = models.CharField(
        "huiskleur",
        max_length=7,
        default="#154273",
        validators=[hex_colour_validator],
        help_text="Achtergrond van de kop; witte tekst erop moet leesbaar blijven (contrast ≥ 4,5:1).",
    )
    accent_colour = models.CharField(
        "accentkleur", max_length=7, default="#b3d4ed", validators=[hex_colour_validator]
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="logo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    font_family = models.CharField(
        "lettertype",
        max_length=200,
        default='"Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
        validators=[font_family_validator],
    )

    panels = [
        FieldPanel("primary_colour"),
        FieldPanel("accent_colour"),
        FieldPanel("logo"),
        FieldPanel("font_family"),
    ]

    class Meta:
        verbose_name = "huisstijl"
