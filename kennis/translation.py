from modeltranslation.translator import TranslationOptions, register

from .models import VAC


@register(VAC)
class VACTranslation(TranslationOptions):
    fields = VAC.translated_fields
    required_languages = {"nl": ("question", "answer")}
