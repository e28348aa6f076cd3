"""The promoted-answer form: one chooser per registered kind, of which the
curator fills exactly one. The kinds are known once the apps are ready, so
the form class is built then (`promotion_form_class`), not at import."""

from django import forms
from django.core.exceptions import ValidationError
from wagtail.snippets.widgets import AdminSnippetChooser

from sharing.forms import GemeenteScopedForm
from sharing.kinds import kinds


class PromotionForm(GemeenteScopedForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.kind in self.fields:
            self.initial.setdefault(self.instance.kind, self.instance.entry_id)

    def clean(self):
        cleaned = super().clean()
        chosen = [cleaned[kind.name] for kind in kinds() if cleaned.get(kind.name)]
        if len(chosen) != 1:
            raise ValidationError(f"Kies precies één {' of één '.join(kind.label.lower() for kind in kinds())}.")
        self.instance.entry = chosen[0]
        return cleaned


def entry_field(kind):
    """A choice of the kind's entries; the scoped form narrows it to those
    the curator may see. A chooser where the kind's model is a snippet."""
    widget = AdminSnippetChooser(kind.model) if hasattr(kind.model, "snippet_viewset") else None
    return forms.ModelChoiceField(kind.model.objects.all(), required=False, label=kind.label, widget=widget)


def promotion_form_class():
    fields = {kind.name: entry_field(kind) for kind in kinds()}
    return type(PromotionForm)("PromotionForm", (PromotionForm,), {**fields, "__module__": __name__})
