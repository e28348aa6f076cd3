"""Editable taxonomies: themes, life events and departments (vakafdelingen)."""

from django.db import models


class Taxonomy(models.Model):
    name = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Theme(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "thema"
        verbose_name_plural = "thema's"


class LifeEvent(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "levensgebeurtenis"
        verbose_name_plural = "levensgebeurtenissen"


class Department(Taxonomy):
    class Meta(Taxonomy.Meta):
        verbose_name = "vakafdeling"
        verbose_name_plural = "vakafdelingen"
