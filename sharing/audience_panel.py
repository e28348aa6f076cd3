"""Editing a shared entry's audience variants in the admin: one panel on
the entry's `audience_variants` (a JSON field) that shows, per audience of
the region, an editor for each text field (rich text with the same editor
as the field itself) and stores the non-empty ones. A gemeente's own
variants are overrides, edited in the local editor (sharing/views.py)."""

import json

from django import forms
from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import capfirst
from wagtail.admin.panels import FieldPanel


class AudienceVariantsWidget(forms.Widget):
    template_name = "sharing/widgets/audience_variants.html"

    def __init__(self, model, attrs=None):
        super().__init__(attrs)
        self.model = model

    def columns(self):
        """The Dutch and untranslated columns that can have a variant."""
        model = self.model
        return [c for c in model.variant_columns() if model.field_of(c) not in model.translated_fields or c == f"{model.field_of(c)}_{settings.LANGUAGE_CODE}"]

    def sub_widget(self, column):
        return self.model._meta.get_field(column).formfield().widget

    def label(self, column):
        return capfirst(self.model._meta.get_field(self.model.field_of(column)).verbose_name)

    @staticmethod
    def audiences():
        from .models import Audience

        return list(Audience.objects.filter(gemeente__isnull=True))

    @staticmethod
    def sub_name(name, audience, column):
        return f"{name}__{audience}__{column}"

    @property
    def media(self):
        media = forms.Media()
        for column in self.columns():
            media += self.sub_widget(column).media
        return media

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        variants = _as_dict(value)
        context["groups"] = [
            {
                "audience": audience,
                "used": bool(variants.get(audience.slug)),
                "fields": [
                    {
                        "id": f"id_{self.sub_name(name, audience.slug, column)}",
                        "label": self.label(column),
                        "html": self.sub_widget(column).render(
                            self.sub_name(name, audience.slug, column),
                            variants.get(audience.slug, {}).get(column, ""),
                            attrs={"id": f"id_{self.sub_name(name, audience.slug, column)}"},
                        ),
                    }
                    for column in self.columns()
                ],
            }
            for audience in self.audiences()
        ]
        return context

    def value_from_datadict(self, data, files, name):
        variants = {}
        for audience in self.audiences():
            for column in self.columns():
                value = self.sub_widget(column).value_from_datadict(data, files, self.sub_name(name, audience.slug, column))
                if isinstance(value, str) and strip_tags(value).strip():
                    variants.setdefault(audience.slug, {})[column] = value
        return json.dumps(variants)

    def value_omitted_from_data(self, data, files, name):
        # A form posted without the variants (an API or script) keeps the entry's own.
        return not any(key.startswith(f"{name}__") for key in data)


def _as_dict(value):
    if isinstance(value, dict):
        return value
    try:
        found = json.loads(value or "{}")
    except (TypeError, ValueError):
        return {}
    return found if isinstance(found, dict) else {}


class AudienceVariantsPanel(FieldPanel):
    """FieldPanel("audience_variants") with the per-audience editors."""

    def __init__(self, field_name="audience_variants", **kwargs):
        kwargs.setdefault("heading", "Tekst per doelgroep")
        kwargs.setdefault(
            "help_text",
            "Alleen invullen waar de tekst voor een doelgroep anders is (bijv. voor ondernemers); leeg: de algemene tekst. "
            "De website toont dan een keuze 'Particulier / Ondernemer'. Gemeenten kunnen een variant lokaal aanpassen.",
        )
        super().__init__(field_name, **kwargs)

    def get_form_options(self):
        options = super().get_form_options()
        options.setdefault("widgets", {})[self.field_name] = AudienceVariantsWidget(self.model)
        return options
