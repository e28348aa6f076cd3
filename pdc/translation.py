from modeltranslation.translator import TranslationOptions, register

from .models import Department, LifeEvent, Product, Theme


@register(Product)
class ProductTranslation(TranslationOptions):
    fields = Product.translated_fields
    required_languages = {"nl": ("title",)}


@register(Theme)
@register(LifeEvent)
@register(Department)
class TaxonomyTranslation(TranslationOptions):
    fields = ("name",)
