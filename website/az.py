"""The A–Z list of a gemeente's products, one letter per page.

Resolving all ~500 products of a gemeente for one page is slow, so a letter
page resolves only the products that can start with that letter: those whose
shared title does, plus every product whose title this gemeente overrides or
that contains a variable (those are resolved first to learn their letter).

Products without text (UPL names nobody has written yet) are left out,
unless the gemeente chooses to list them (az_lists_products_without_content):
then they are names without a link to their empty page, pointing to the
contact page instead."""

from dataclasses import dataclass

from pdc.models import Product, ProductOverride
from pdc.models.content import content_for_gemeente
from sharing.resolution import visible_queryset

from .entries import Link, first_letter, sort_key

LETTERS = tuple("abcdefghijklmnopqrstuvwxyz") + ("0-9",)
TITLE_COLUMNS = ("title", "title_nl")


@dataclass
class Name(Link):
    """A product listed by name only: it has no text, so no page to link to."""

    without_content: bool = True


class AZ:
    def __init__(self, entries):
        self.entries = entries
        gemeente = entries.gemeente
        rows = visible_queryset(Product, gemeente).values_list("pk", "title_nl", "has_content")
        overridden = set(
            ProductOverride.objects.filter(gemeente=gemeente, field_name__in=TITLE_COLUMNS).values_list("entry_id", flat=True)
        )
        local_content = content_for_gemeente(Product, gemeente)
        self.without_content = {pk for pk, _, has_content in rows if not local_content.get(pk, has_content)}
        left_out = set() if gemeente.az_lists_products_without_content else self.without_content
        self.by_letter, special = {}, []
        for pk, title, _ in rows:
            if pk in left_out:
                continue
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
        return [self.item(r) for r in sorted(resolved, key=lambda r: sort_key(r.title))]

    def item(self, resolved):
        link = self.entries.link(resolved)
        if resolved.id not in self.without_content:
            return link
        return Name(**{**vars(link), "url": self.entries.url("contact")})
