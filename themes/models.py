"""House styles: each municipal site's look, stored as data (site settings),
so a new municipality needs no code and no template of its own."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import StreamField

from kennisbank.text import HTTP_URL_PATTERN

from .colours import contrast_with_white

hex_colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", "Gebruik een kleurcode als #1a5f8c.")
# The font stack is written into a <style> block, so only characters a CSS
# font-family list needs are allowed (no "<", ";", "{" or "}").
font_family_validator = RegexValidator(
    r'^[A-Za-z0-9 ,"\'-]+$', "Alleen lettertypenamen, gescheiden door komma's."
)
# A link in the header or footer: a path on the site itself, or an http(s),
# mailto or tel address. Never javascript: or data:.
link_validator = RegexValidator(
    rf"^(/[^\s\"'<>]*|{HTTP_URL_PATTERN}|mailto:[^\s\"'<>]+|tel:[+0-9 ]+)$",
    "Gebruik een pad op de site (/a-z/) of een adres dat begint met https://, mailto: of tel:.",
)
MINIMUM_CONTRAST = 4.5  # WCAG 2.1 AA for normal text


def readable_on_white(value):
    """White text on the house colour (header, menu, footer) and the house
    colour as link colour on white must both reach 4.5:1."""
    if not hex_colour_validator.regex.match(value or ""):
        return  # the format validator reports it
    ratio = contrast_with_white(value)
    if ratio < MINIMUM_CONTRAST:
        raise ValidationError(
            f"Te licht: het contrast met wit is {ratio:.1f}:1, minimaal {MINIMUM_CONTRAST}:1 is nodig (WCAG 2.1 AA). "
            "Kies een donkerdere huiskleur."
        )


class LinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label="tekst", max_length=60)
    url = blocks.CharBlock(label="adres", max_length=500, validators=[link_validator], help_text="Bijv. /a-z/ of https://…")

    class Meta:
        icon = "link"
        label = "link"


@register_setting(icon="view")
class HouseStyle(BaseSiteSetting):
    primary_colour = models.CharField(
        "huiskleur",
        max_length=7,
        default="#154273",
        validators=[hex_colour_validator, readable_on_white],
        help_text="Achtergrond van de kop, het menu en de voettekst, en de kleur van links; "
        "witte tekst erop moet leesbaar blijven (contrast ≥ 4,5:1).",
    )
    accent_colour = models.CharField(
        "accentkleur",
        max_length=7,
        default="#b3d4ed",
        validators=[hex_colour_validator],
        help_text="Alleen voor lijnen en accenten, nooit als achtergrond van tekst.",
    )
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="logo",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="In de kop, met 'Gemeente …' als alternatieve tekst. SVG of PNG, liefst op een "
        "transparante achtergrond. Zonder logo staat de naam van de gemeente in de kop.",
    )
    favicon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name="favicon",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Het pictogram in het tabblad van de browser: vierkant, SVG of PNG van minstens 64 × 64 pixels. "
        "Leeg: een algemeen pictogram.",
    )
    font_family = models.CharField(
        "lettertype",
        max_length=200,
        default='"Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
        validators=[font_family_validator],
    )
    header_links = StreamField(
        [("link", LinkBlock())],
        verbose_name="extra links in het menu",
        blank=True,
        default=list,
        help_text="Na de vaste onderdelen (Producten A–Z, Thema's, Levensgebeurtenissen).",
    )
    footer_text = models.TextField(
        "tekst in de voettekst",
        blank=True,
        max_length=500,
        help_text="Bijv. 'Wij zijn bereikbaar op werkdagen van 8.30 tot 17.00 uur.'",
    )
    footer_links = StreamField(
        [("link", LinkBlock())],
        verbose_name="links in de voettekst",
        blank=True,
        default=list,
        help_text="Bijv. privacyverklaring, toegankelijkheidsverklaring.",
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("primary_colour"),
                FieldPanel("accent_colour"),
                FieldPanel("logo"),
                FieldPanel("favicon"),
                FieldPanel("font_family"),
            ],
            heading="Uiterlijk",
        ),
        FieldPanel("header_links"),
        MultiFieldPanel([FieldPanel("footer_text"), FieldPanel("footer_links")], heading="Voettekst"),
    ]

    class Meta:
        verbose_name = "huisstijl"
