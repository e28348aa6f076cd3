"""VACs (vraag-antwoordcombinaties): one question, one answer.

Compatible with the VAC objecttype used by KISS (vraag, antwoord, status,
doelgroep, toelichting, trefwoorden, afdelingen, gerelateerde VACs/producten).
"""

from django.db import models
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList, PublishingPanel, TabbedInterface
from wagtail.fields import RichTextField
from wagtail.search import index

from pdc.models.content import ContentFlag
from pdc.models.products import RICH_TEXT_FEATURES, email_template_field, spoken_answer_field
from sharing.audience_panel import AudienceVariantsPanel
from sharing.forms import GemeenteScopedForm
from sharing.models import FieldOverride, SharedEntry


class VACStatus(models.TextChoices):
    ACTIEF = "actief", "actief"
    NON_ACTIEF = "non-actief", "non-actief"
    TE_VERWIJDEREN = "te-verwijderen", "te verwijderen"


class VACAudience(models.TextChoices):
    BURGER = "burger", "burgers"
    ONDERNEMER = "ondernemer", "ondernemers"
    BEIDE = "beide", "burgers en ondernemers"


class VAC(index.Indexed, ContentFlag, SharedEntry):
    base_form_class = GemeenteScopedForm
    content_fields = ("answer",)
    overridable_fields = ("question", "answer", "offered", "spoken_answer", "email_template")
    translated_fields = ("question", "answer")
    rich_text_fields = ("answer", "internal_explanation")
    agent_only_fields = ("internal_explanation", "spoken_answer", "email_template")
    unsearched_fields = ("email_template",)
    resolution_prefetch_related = ("themes", "departments")

    question = models.CharField("vraag", max_length=500)
    slug = models.SlugField(max_length=255, unique=True)
    answer = RichTextField("antwoord", features=RICH_TEXT_FEATURES)
    internal_explanation = RichTextField(
        "toelichting voor de KCC-medewerker",
        blank=True,
        features=RICH_TEXT_FEATURES,
        help_text="Intern: nooit zichtbaar op de website, in de publieke API of in publieke zoekresultaten.",
    )
    spoken_answer = spoken_answer_field()
    email_template = email_template_field()
    status = models.CharField("status", max_length=20, choices=VACStatus.choices, default=VACStatus.ACTIEF)
    audience = models.CharField("doelgroep", max_length=20, choices=VACAudience.choices, default=VACAudience.BURGER)
    keywords = models.CharField("trefwoorden", max_length=500, blank=True, help_text="Gescheiden door komma's.")
    departments = ParentalManyToManyField("pdc.Department", verbose_name="afdelingen", blank=True, related_name="vacs")
    themes = ParentalManyToManyField("pdc.Theme", verbose_name="thema's", blank=True, related_name="vacs")
    related_vacs = ParentalManyToManyField("self", verbose_name="gerelateerde vragen", blank=True, symmetrical=False)
    related_products = ParentalManyToManyField(
        "pdc.Product", verbose_name="gerelateerde producten", blank=True, related_name="vacs"
    )
    offered = models.BooleanField("van toepassing", default=True, help_text="Een gemeente kan een vraag lokaal uitzetten.")

    search_fields = [
        index.SearchField("question"),
        index.SearchField("keywords"),
        index.FilterField("gemeente"),
    ]

    edit_handler = TabbedInterface(
        [
            ObjectList(
                [FieldPanel("question_nl"), FieldPanel("slug"), FieldPanel("answer_nl"), FieldPanel("internal_explanation"),
                 FieldPanel("spoken_answer"), FieldPanel("email_template")],
                heading="Vraag en antwoord",
            ),
            ObjectList([FieldPanel("question_en"), FieldPanel("answer_en")], heading="Engels"),
            ObjectList([AudienceVariantsPanel()], heading="Doelgroepen"),
            ObjectList(
                [
                    FieldPanel("gemeente"),
                    FieldRowPanel([FieldPanel("status"), FieldPanel("audience")]),
                    FieldPanel("keywords"),
                    FieldPanel("departments"),
                    FieldPanel("themes"),
                    FieldPanel("related_vacs"),
                    FieldPanel("related_products"),
                    FieldRowPanel([FieldPanel("owner"), FieldPanel("owner_team"), FieldPanel("review_date")], heading="Beheer"),
                ],
                heading="Indeling",
            ),
            # "Live vanaf" / "verloopt op" (PublishingPanel) show in Wagtail's status panel (schedule).
            ObjectList([PublishingPanel(), FieldPanel("agents_from")], heading="Planning"),
        ]
    )

    class Meta:
        verbose_name = "vraag en antwoord (VAC)"
        verbose_name_plural = "vragen en antwoorden (VAC)"
        ordering = ["question", "pk"]  # pk: a stable order for equal questions

    def __str__(self):
        return self.question

    @property
    def title(self):
        return self.question

    @property
    def audiences(self):
        return ["burger", "ondernemer"] if self.audience == VACAudience.BEIDE else [self.audience]


class VACOverride(FieldOverride):
    entry = models.ForeignKey(VAC, verbose_name="VAC", on_delete=models.CASCADE, related_name="overrides")

    class Meta:
        verbose_name = "lokale afwijking (VAC)"
        verbose_name_plural = "lokale afwijkingen (VAC's)"
        constraints = [models.UniqueConstraint(fields=["entry", "gemeente", "field_name"], name="unique_vac_override")]
