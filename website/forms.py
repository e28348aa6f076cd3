"""Forms of the citizen websites."""

from django import forms

from kennisbank.text import strip_control

REMARK_MAX_LENGTH = 2000


class PlainTextField(forms.CharField):
    """Text without control characters (NUL above all: PostgreSQL refuses
    it), removed before validation instead of rejecting the remark."""

    def to_python(self, value):
        return strip_control(super().to_python(value))


class FeedbackForm(forms.Form):
    """'Was this helpful?': Ja or Nee (the button pressed) and an optional remark."""

    antwoord = forms.ChoiceField(
        choices=[("ja", "Ja"), ("nee", "Nee")],
        error_messages={"required": "Kies Ja of Nee.", "invalid_choice": "Kies Ja of Nee."},
    )
    opmerking = PlainTextField(
        required=False,
        max_length=REMARK_MAX_LENGTH,
        error_messages={"max_length": f"Uw opmerking is te lang: gebruik maximaal {REMARK_MAX_LENGTH} tekens."},
    )

    @property
    def kind(self):
        return "helpful" if self.cleaned_data["antwoord"] == "ja" else "not_helpful"


class RemarkForm(forms.Form):
    """After 'Nee': what could be better (may be left empty)."""

    opmerking = FeedbackForm.base_fields["opmerking"]
