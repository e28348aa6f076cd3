"""The quality of one entry of any kind, read through the kind contract
(sharing/kinds.py): its title, summary and sections in Dutch, the
variables they use, and the required sections that are empty."""

from dataclasses import dataclass, field

from sharing.kinds import get_kind
from sharing.models import Variable
from sharing.variables import BUILTIN_KEYS

from .readability import Readability, analyse


@dataclass
class SectionQuality:
    name: str
    label: str
    readability: Readability


@dataclass
class EntryQuality:
    kind: object
    entry: object
    sections: list = field(default_factory=list)  # SectionQuality, non-empty texts only
    total: Readability = field(default_factory=Readability)
    empty_required: list = field(default_factory=list)  # labels
    unknown_variables: list = field(default_factory=list)

    @property
    def score(self):
        return self.total.score


def dutch_column(model, name):
    """The Dutch column of a logical field (title → title_nl when translated)."""
    columns = model.columns_of(name)
    return f"{name}_nl" if f"{name}_nl" in columns else columns[0]


def field_label(model, name):
    try:
        return str(model._meta.get_field(dutch_column(model, name)).verbose_name)
    except Exception:  # a section that is no column of its own
        return name


def text_fields(kind):
    """The logical fields of a kind whose running text readers read, in page
    order: the summary when the kind has one, the sections. Not the title:
    a heading of three words is no sentence and would skew the score."""
    names = ["summary", *(section.name for section in kind.sections if section.name != kind.title_field)]
    return [name for index, name in enumerate(names) if name not in names[:index] and _has_column(kind.model, name)]


def _has_column(model, name):
    try:
        model._meta.get_field(dutch_column(model, name))
        return True
    except Exception:
        return False


def defined_variables():
    return set(Variable.objects.values_list("key", flat=True)) | set(BUILTIN_KEYS)


def entry_quality(entry, defined=None):
    """The quality of a stored (or bound, unsaved) entry's Dutch text;
    `defined`: the known variable keys, when checking many entries."""
    kind = get_kind(entry)
    model = kind.model
    quality = EntryQuality(kind=kind, entry=entry)
    required = set(kind.required_sections(entry))
    for name in text_fields(kind):
        value = getattr(entry, dutch_column(model, name), "")
        value = value if isinstance(value, str) else ""
        readability = analyse(value)
        if readability.words or readability.variables:
            quality.sections.append(SectionQuality(name, field_label(model, name), readability))
            quality.total.add(readability)
        elif name in required:
            quality.empty_required.append(field_label(model, name))
    defined = defined_variables() if defined is None else defined
    quality.unknown_variables = [key for key in quality.total.variables if key not in defined]
    return quality
