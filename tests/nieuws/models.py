from django.db import models
from wagtail.fields import RichTextField

from sharing.models import FieldOverride, SharedEntry


class NewsItem(SharedEntry):
    overridable_fields = ("title", "summary", "body", "agent_hint", "offered")
    rich_text_fields = ("body",)
    agent_only_fields = ("agent_hint",)

    title = models.CharField("titel", max_length=255)
    slug = models.SlugField(max_length=255, unique=True)
    summary = models.TextField("samenvatting", blank=True)
    body = RichTextField("bericht", blank=True)
    agent_hint = models.TextField("voor de KCC-medewerker", blank=True)
    offered = models.BooleanField("van toepassing", default=True)
    keywords = models.CharField("trefwoorden", max_length=500, blank=True)
    has_content = models.BooleanField(default=True)

    class Meta:
        verbose_name = "nieuwsbericht"
        ordering = ["title", "pk"]

    def __str__(self):
        return self.title

    @property
    def audiences(self):
        return ["burger"]


class NewsItemOverride(FieldOverride):
    entry = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="overrides")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["entry", "gemeente", "field_name"], name="unique_news_override")]
