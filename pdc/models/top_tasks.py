from django.db import models
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel
from wagtail.models import Orderable


class HomePageTopTask(Orderable):
    """A product an editor puts at the top of a gemeente's home page
    ("toptaak"; the home page's `top_tasks`, ProductKind.chosen_top_tasks).
    Its table is the one it had in the website app."""

    page = ParentalKey("website.HomePage", on_delete=models.CASCADE, related_name="top_tasks")
    product = models.ForeignKey("pdc.Product", verbose_name="product", on_delete=models.CASCADE, related_name="+")

    panels = [FieldPanel("product")]

    class Meta(Orderable.Meta):
        db_table = "website_homepagetoptask"
        verbose_name = "toptaak"
        verbose_name_plural = "toptaken"
