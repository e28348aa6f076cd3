import re
from decimal import Decimal

from sharing.forms import GemeenteScopedForm
from sharing.models import Variable

# "329,76", "€ 1.329,76", "1329", and the stored form "1329.76".
DUTCH_AMOUNT = re.compile(r"^(?:€\s*)?(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$")
STORED_AMOUNT = re.compile(r"^\d+(?:\.\d{1,2})?$")


def parse_money(text):
    """An amount as a curator types it, as stored: "€ 1.329,76" → "1329.76"."""
    text = text.strip().replace("\u00a0", " ")
    if STORED_AMOUNT.match(text):
        return f"{Decimal(text):.2f}"
    match = DUTCH_AMOUNT.match(text)
    if not match:
        raise ValueError(text)
    whole, cents = match.group(1).replace(".", ""), (match.group(2) or "").ljust(2, "0")
    return f"{int(whole)}.{cents}"


class VariableValueForm(GemeenteScopedForm):
    """A money value may be typed the Dutch way; it is stored as 1329.76 and
    shown to readers as "€ 1.329,76"."""

    def clean(self):
        cleaned = super().clean()
        variable, value = cleaned.get("variable"), cleaned.get("value")
        if variable is not None and value and variable.kind == Variable.Kind.MONEY:
            try:
                cleaned["value"] = parse_money(value)
            except ValueError:
                self.add_error("value", "Geen bedrag: schrijf bijvoorbeeld 329,76 of € 1.329,76.")
        self._stays_in_its_gemeente(cleaned.get("gemeente"))
        return cleaned

    def _stays_in_its_gemeente(self, gemeente):
        """A change that a second curator approves (four eyes) belongs to one
        gemeente: a value does not move out of or into such a gemeente."""
        old = self.instance.gemeente if self.instance.pk else None
        if old and gemeente and gemeente != old and (old.four_eyes or gemeente.four_eyes):
            self.add_error("gemeente", "Een waarde verhuist niet naar een andere gemeente: maak daar een nieuwe waarde aan.")
