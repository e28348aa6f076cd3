"""The A–Z list of a gemeente's products, one letter per page.

Resolving all ~500 products of a gemeente for one page is slow, so a letter
page resolves only the products that can start with that letter: those whose
shared title does, plus every product whose title this gemeente overrides or
that contains a variable (those are resolved first to learn their letter)."""

from pdc.models import Product, ProductOverride
from sharing.resolution import visible_queryset

from .entries import first_letter, sort_key

LETTERS = tuple("abcdefghijklmnopqrstuvwxyz") + ("0-9",)
TITLE_COLUMNS = ("title", "title_nl")


class AZ:
    def __init__(self, entries):
        self.entries = entries
        gemeente = entries.gemeente
        rows = visible_queryset(Product, gemeente).values_list("pk", "title_nl")
        overridden = set(
            ProductOverride.objects.filter(gemeente=gemeente, field_name__in=TITLE_COLUMNS).values_list("entry_id", flat=True)
        )
        self.by_letter, special = {}, []
        for pk, title in rows:
            if pk in overridden or "{{" in (title or ""):
                special.append(pk)
            else:
                self.by_letter.setdefault(first_letter(title), []).append(pk)
        self.special = entries.summaries("product", visible_queryset(Product, gemeente).filter(pk__in=special)) if special else []

    @property
    def letters(self):
        """[(letter, present)] for the letter navigation."""
        present = {letter for letter, pks in self.by_letter.items() if pks}
        present |= {first_letter(r.title) for r in self.special}
        return [(letter, letter in present) for letter in LETTERS]

    def first_present(self):
        return next((letter for letter, present in self.letters if present), "a")

    def products(self, letter):
        pks = self.by_letter.get(letter, [])
        resolved = self.entries.summaries("product", visible_queryset(Product, self.entries.gemeente).filter(pk__in=pks)) if pks else []
        resolved += [r for r in self.special if first_letter(r.title) == letter]
        return self.entries.links(sorted(resolved, key=lambda r: sort_key(r.title)))
