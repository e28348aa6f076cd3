"""The A–Z list of a gemeente's site: the entries of the kinds listed there
(a kind's `az_listed`, sharing/kinds.py), one letter per page.

Resolving all ~500 entries of a gemeente for one page is slow, so a letter
page resolves only the entries that can start with that letter: those whose
shared title does, plus every entry whose title this gemeente overrides or
that contains a variable (those are resolved first to learn their letter).

Entries without text (a kind's `without_content`: UPL names nobody has
written yet) are left out, unless the gemeente chooses to list them
(az_lists_products_without_content): then they are names without a link to
their empty page, pointing to the contact page instead."""

from dataclasses import dataclass
from urllib.parse import urlencode

from sharing.kinds import kinds
from sharing.resolution import visible_queryset

from .audiences import PARAMETER
from .entries import Link, first_letter, sort_key

LETTERS = tuple("abcdefghijklmnopqrstuvwxyz") + ("0-9",)


def letter_label(letter):
    return "0–9" if letter == "0-9" else letter.upper()


def letter_links(present, current, url_of, audience=None):
    """The letter navigation of an A–Z page: a link per letter (`url_of(letter)`,
    keeping the audience asked for), which letters have entries (`present`)
    and which is shown."""
    keep = f"?{urlencode({PARAMETER: audience})}" if audience else ""
    return [
        {"letter": key, "label": letter_label(key), "present": key in present, "url": url_of(key) + keep, "current": key == current}
        for key in LETTERS
    ]


@dataclass
class Name(Link):
    """An entry listed by name only: it has no text, so no page to link to."""

    without_content: bool = True


class AZ:
    def __init__(self, entries):
        self.entries = entries
        self.kinds = [kind for kind in kinds() if kind.az_listed]
        self.by_letter, self.special, self.without_content = {}, [], set()
        for kind in self.kinds:
            self._index(kind)

    def _index(self, kind):
        """Sort the kind's public entries by the first letter of their shared
        title; resolve those whose title may differ here."""
        gemeente = self.entries.gemeente
        title_columns = (kind.title_field, *kind.model.columns_of(kind.title_field))
        public = visible_queryset(kind.model, gemeente).filter(kind.public_filter())
        rows = public.values_list("pk", title_columns[1])
        overridden = set(
            kind.override_model.objects.filter(gemeente=gemeente, field_name__in=title_columns).values_list("entry_id", flat=True)
        )
        without_content = kind.without_content(gemeente)
        self.without_content |= {(kind.name, pk) for pk in without_content}
        left_out = set() if gemeente.az_lists_products_without_content else without_content
        special = []
        for pk, title in rows:
            if pk in left_out:
                continue
            if pk in overridden or "{{" in (title or ""):
                special.append(pk)
            else:
                self.by_letter.setdefault(first_letter(title), {}).setdefault(kind, []).append(pk)
        if special:
            self.special += self.entries.summaries(kind.name, public.filter(pk__in=special))

    @property
    def letters(self):
        """[(letter, present)] for the letter navigation."""
        present = {letter for letter, found in self.by_letter.items() if any(found.values())}
        present |= {first_letter(r.title) for r in self.special}
        return [(letter, letter in present) for letter in LETTERS]

    def first_present(self):
        return next((letter for letter, present in self.letters if present), "a")

    def items(self, letter):
        resolved = []
        for kind, pks in self.by_letter.get(letter, {}).items():
            resolved += self.entries.summaries(kind.name, visible_queryset(kind.model, self.entries.gemeente).filter(pk__in=pks))
        resolved += [r for r in self.special if first_letter(r.title) == letter]
        return [self.item(r) for r in sorted(resolved, key=lambda r: sort_key(r.title))]

    def item(self, resolved):
        link = self.entries.link(resolved)
        if (resolved.kind, resolved.id) not in self.without_content:
            return link
        return Name(**{**vars(link), "url": self.entries.url("contact")})
