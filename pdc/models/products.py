"""Products (PDC entries): services a municipality delivers, with the
Samenwerkende Catalogi / SDG sections."""

from django.core.validators import RegexValidator
from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList, PublishingPanel, TabbedInterface
from wagtail.fields import RichTextField
from wagtail.search import index

from kennisbank.text import HTTP_URL_PATTERN
from sharing.audience_panel import AudienceVariantsPanel
from sharing.forms import GemeenteScopedForm
from sharing.models import FieldOverride, SharedEntry

from ..sections import PRODUCT_SECTIONS
from .content import ContentFlag

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr"]


class Audience(models.TextChoices):
    BURGER = "burger", "burger (particulier)"
    ONDERNEMER = "ondernemer", "ondernemer (bedrijf)"


class Complexity(models.TextChoices):
    ENKELVOUDIG = "enkelvoudig", "enkelvoudig"
    MEERVOUDIG = "meervoudig", "meervoudig"
    COMPLEX = "complex", "complex"


class HandlingLevel(models.TextChoices):
    """How far the front office (KCC) handles a request itself."""

    INFORMATIE = "informatie", "informatie"
    INTAKE = "intake", "intake"
    VOLLEDIG = "volledige afhandeling", "volledige afhandeling"
    DOORVERWIJZEN = "doorverwijzen", "doorverwijzen"


class DigiD(models.TextChoices):
    GEEN = "geen", "geen DigiD nodig"
    BASIS = "basis", "DigiD basis"
    MIDDEN = "midden", "DigiD midden"
    SUBSTANTIEEL = "substantieel", "DigiD substantieel"
    HOOG = "hoog", "DigiD hoog"


def spoken_answer_field():
    return models.TextField(
        "gesproken antwoord",
        blank=True,
        max_length=1500,
        help_text="Alleen voor KCC-medewerkers: in een paar zinnen wat de medewerker aan de telefoon zegt. "
        "Staat bovenaan in de widget; nooit op de website of in de publieke API.",
    )


def email_template_field():
    return models.TextField(
        "e-mailsjabloon",
        blank=True,
        max_length=5000,
        help_text="Alleen voor KCC-medewerkers: een antwoord per e-mail (aanhef, antwoord, links, ondertekening). "
        "Gebruik variabelen als {{ gemeente.naam }} en {{ gemeente.telefoon }}; 'Kopieer als e-mail' in de widget.",
    )


def rich(label, help_text=""):
    return RichTextField(label, blank=True, features=RICH_TEXT_FEATURES, help_text=help_text)


link_or_variable = RegexValidator(
    rf"^({HTTP_URL_PATTERN}|\{{\{{\s*[a-z][a-z0-9_]*(\.[a-z0-9_]+)+\s*\}}\}})$",
    "Gebruik een adres dat begint met https:// of één variabele, bijv. {{ url.afspraak }}.",
)


class LinkOrVariableField(models.CharField):
    """An http(s) address or one municipal variable ({{ url.afspraak }}),
    so a shared entry can point each gemeente to its own system. Checked in
    every form, also the local field editor (not only on model validation)."""

    default_validators = [link_or_variable]

    def formfield(self, **kwargs):
        return super().formfield(**{"validators": [link_or_variable], **kwargs})


class Product(index.Indexed, ContentFlag, SharedEntry):
    base_form_class = GemeenteScopedForm
    # Text that makes a product page (the sections); without it the page is a placeholder.
    content_fields = tuple(section.name for section in PRODUCT_SECTIONS)
    overridable_fields = (
        "title",
        "summary",
        "description",
        "conditions",
        "procedure",
        "required_documents",
        "costs",
        "lead_time",
        "objection",
        "no_response",
        "online_application_url",
        "appointment_url",
        "handling_level",
        "offered",
        "not_offered_note",
        "spoken_answer",
        "email_template",
    )
    translated_fields = (
        "title",
        "summary",
        "description",
        "conditions",
        "procedure",
        "required_documents",
        "costs",
        "lead_time",
        "objection",
        "no_response",
    )
    rich_text_fields = (
        "description",
        "conditions",
        "procedure",
        "required_documents",
        "costs",
        "lead_time",
        "objection",
        "no_response",
    )
    agent_only_fields = ("handling_level", "spoken_answer", "email_template")
    unsearched_fields = ("email_template",)
    resolution_select_related = ("upl", "department")
    resolution_prefetch_related = ("themes", "life_events")

    title = models.CharField("titel", max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    summary = models.TextField("samenvatting", blank=True)
    description = rich("omschrijving")
    conditions = rich("voorwaarden")
    procedure = rich("aanvragen", "Hoe vraagt u het aan?")
    required_documents = rich("wat neemt u mee")
    costs = rich("kosten", "Gebruik variabelen als {{ leges.paspoort }} voor lokale bedragen.")
    lead_time = rich("termijn")
    objection = rich("bezwaar en beroep")
    no_response = rich("reageert de gemeente niet op tijd?")
    online_application_url = models.URLField("online aanvragen (link)", max_length=500, blank=True)
    digid = models.CharField("DigiD nodig", max_length=20, choices=DigiD.choices, default=DigiD.GEEN)
    appointment_required = models.BooleanField("afspraak nodig", default=False)
    bookable_online = models.BooleanField("online een afspraak maken", default=False)
    appointment_url = LinkOrVariableField(
        "afspraak maken (link)",
        max_length=500,
        blank=True,
        help_text="De afspraakmodule, of een variabele als {{ url.afspraak }}. Leeg: de knop 'Afspraak maken' "
        "gaat naar de contactpagina van de gemeente (als er een afspraak nodig is).",
    )
    legal_basis = models.CharField("wettelijke grondslag", max_length=255, blank=True)
    for_burger = models.BooleanField("voor burgers", default=True)
    for_ondernemer = models.BooleanField("voor ondernemers", default=False)
    upl = models.ForeignKey(
        "pdc.UPLName",
        verbose_name="uniforme productnaam (UPL)",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="products",
    )
    themes = ParentalManyToManyField("pdc.Theme", verbose_name="thema's", blank=True, related_name="products")
    life_events = ParentalManyToManyField(
        "pdc.LifeEvent", verbose_name="levensgebeurtenissen", blank=True, related_name="products"
    )
    department = models.ForeignKey(
        "pdc.Department", verbose_name="vakafdeling", null=True, blank=True, on_delete=models.SET_NULL
    )
    related_products = ParentalManyToManyField(
        "self", verbose_name="gerelateerde producten", blank=True, symmetrical=False
    )
    delivering_organisation = models.CharField("uitvoerende organisatie", max_length=100, default="gemeente")
    complexity = models.CharField(
        "complexiteit", max_length=20, choices=Complexity.choices, default=Complexity.ENKELVOUDIG
    )
    handling_level = models.CharField(
        "afhandeling door de frontoffice",
        max_length=30,
        choices=HandlingLevel.choices,
        default=HandlingLevel.INFORMATIE,
        help_text="Standaard; elke gemeente kan afwijken.",
    )
    offered = models.BooleanField(
        "aangeboden", default=True, help_text="Een gemeente die dit product niet levert, zet dit lokaal uit."
    )
    not_offered_note = models.TextField(
        "als de gemeente dit niet aanbiedt",
        blank=True,
        max_length=1000,
        help_text="Wat de inwoner dan wel kan doen, bijv. waar het wel kan. Staat op de pagina "
        "'Dit product biedt de gemeente … niet aan'; elke gemeente kan dit lokaal aanpassen.",
    )
    keywords = models.CharField("trefwoorden", max_length=500, blank=True, help_text="Gescheiden door komma's.")
    spoken_answer = spoken_answer_field()
    email_template = email_template_field()

    search_fields = [
        index.SearchField("title"),
        index.SearchField("summary"),
        index.SearchField("keywords"),
        index.FilterField("gemeente"),
        index.FilterField("has_content"),
    ]

    content_panels = [
        FieldPanel("title_nl"),
        FieldPanel("slug"),
        FieldPanel("summary_nl"),
        FieldPanel("description_nl"),
        FieldPanel("conditions_nl"),
        FieldPanel("procedure_nl"),
        FieldPanel("required_documents_nl"),
        FieldPanel("costs_nl"),
        FieldPanel("lead_time_nl"),
        FieldPanel("objection_nl"),
        FieldPanel("no_response_nl"),
        MultiFieldPanel(
            [
                FieldPanel("online_application_url"),
                FieldRowPanel([FieldPanel("digid"), FieldPanel("appointment_required"), FieldPanel("bookable_online")]),
                FieldPanel("appointment_url"),
            ],
            heading="Aanvragen",
        ),
        MultiFieldPanel([FieldPanel("spoken_answer"), FieldPanel("email_template")], heading="Voor KCC-medewerkers (niet publiek)"),
    ]
    english_panels = [
        FieldPanel(f"{name}_en")
        for name in ("title", "summary", "description", "conditions", "procedure", "required_documents", "costs", "lead_time", "objection", "no_response")
    ]
    classification_panels = [
        FieldPanel("gemeente"),
        FieldPanel("upl"),
        FieldRowPanel([FieldPanel("for_burger"), FieldPanel("for_ondernemer")], heading="Doelgroep"),
        FieldPanel("themes"),
        FieldPanel("life_events"),
        FieldPanel("department"),
        FieldPanel("related_products"),
        FieldPanel("delivering_organisation"),
        FieldPanel("complexity"),
        FieldPanel("handling_level"),
        FieldPanel("not_offered_note"),
        FieldPanel("legal_basis"),
        FieldPanel("keywords"),
        FieldRowPanel([FieldPanel("owner"), FieldPanel("owner_team"), FieldPanel("review_date")], heading="Beheer"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading="Inhoud"),
            ObjectList(english_panels, heading="Engels (SDG)"),
            ObjectList([AudienceVariantsPanel()], heading="Doelgroepen"),
            ObjectList(classification_panels, heading="Indeling"),
            # "Live vanaf" / "verloopt op" (PublishingPanel) show in Wagtail's status panel (schedule).
            ObjectList([PublishingPanel(), FieldPanel("agents_from")], heading="Planning"),
        ]
    )

    class Meta:
        verbose_name = "product"
        verbose_name_plural = "producten"
        ordering = ["title", "pk"]  # pk: a stable order for equal titles

    def __str__(self):
        return self.title

    @property
    def audiences(self):
        return [a for a, on in ((Audience.BURGER, self.for_burger), (Audience.ONDERNEMER, self.for_ondernemer)) if on]


class ProductOverride(FieldOverride):
    # A plain ForeignKey, not a ParentalKey: overrides must not travel with
    # the product's revisions, or publishing an old revision would undo them.
    entry = models.ForeignKey(Product, verbose_name="product", on_delete=models.CASCADE, related_name="overrides")

    class Meta:
        verbose_name = "lokale afwijking (product)"
        verbose_name_plural = "lokale afwijkingen (producten)"
        constraints = [
            models.UniqueConstraint(fields=["entry", "gemeente", "field_name"], name="unique_product_override")
        ]
