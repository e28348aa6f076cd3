"""Import the Uniforme Productnamenlijst (UPL) from the national CSV.

The file is validated completely before anything is written; the import
itself runs in one transaction. Names are matched on their URI. Names that
are no longer in the file are marked expired, never deleted: products keep
their link.

The CSV has one row per (name, legal basis): a name with several legal
bases appears on several rows with the same URI. Those rows must agree on
the name and every flag; their legal bases are collected on one UPLRow.
"""

import csv
import io
import re
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone

from pdc.models import UPLName
from sharing.cache import bump_content_version

NAME_COLUMN = "UniformeProductnaam"
URI_COLUMN = "URI"
SDG_COLUMN = "SDG"
# CSV column -> UPLName field, for the columns that hold "X" or nothing.
FLAG_COLUMNS = {
    "Rijk": "rijk",
    "Provincie": "provincie",
    "Waterschap": "waterschap",
    "Gemeente": "gemeente",
    "Burger": "burger",
    "Bedrijf": "bedrijf",
    "Dienstenwet": "dienstenwet",
    "Autonomie": "autonomie",
    "Medebewind": "medebewind",
    "Aanvraag": "aanvraag",
    "Subsidie": "subsidie",
    "Melding": "melding",
    "Verplichting": "verplichting",
    "DigiDMacht": "digid_macht",
}
LEGAL_BASIS_COLUMNS = ("Grondslag", "Grondslaglabel", "Grondslaglink")
REQUIRED_COLUMNS = (NAME_COLUMN, URI_COLUMN, *FLAG_COLUMNS, SDG_COLUMN, *LEGAL_BASIS_COLUMNS)
# The UPLName fields an import writes (besides uri, imported_at, expired_at).
VALUE_FIELDS = ("name", *FLAG_COLUMNS.values(), "sdg", "sdg_codes", "grondslag", "grondslag_label", "grondslag_link")

# The SDG column holds Single Digital Gateway information-area codes such as
# "C1" or "E1;E3" rather than an "X"; older lists used "X".
SDG_CODES = re.compile(r"[A-Z][0-9]{1,2}(?:;[A-Z][0-9]{1,2})*")

# The copy of the national list that ships with the project (public reference
# data, see fixtures/data/upl/README.md): what import_upl and load_demo read
# when no other file or URL is given.
BUNDLED_UPL_CSV = Path(__file__).resolve().parents[1] / "fixtures" / "data" / "upl" / "UPL-actueel.csv"

MAX_SOURCE_BYTES = 20 * 1024 * 1024
MAX_LISTED_PROBLEMS = 20
BOM = "\ufeff"


class UPLImportError(Exception):
    """The UPL source cannot be read or is not a valid UPL CSV."""


def max_length(field_name):
    return UPLName._meta.get_field(field_name).max_length


@dataclass(frozen=True)
class LegalBasis:
    uri: str
    label: str
    link: str


@dataclass(frozen=True)
class UPLRow:
    """One product name from the file (one URI), with all its legal bases."""

    line: int
    name: str
    uri: str
    flags: dict[str, bool]
    sdg_codes: tuple[str, ...] = ()
    sdg: bool = False
    legal_bases: tuple[LegalBasis, ...] = ()

    def model_values(self) -> dict:
        """Field values for UPLName. The model holds one legal basis: the first."""
        basis = self.legal_bases[0] if self.legal_bases else LegalBasis("", "", "")
        return {
            "name": self.name,
            **self.flags,
            "sdg": self.sdg,
            "sdg_codes": ";".join(self.sdg_codes),
            "grondslag": basis.uri,
            "grondslag_label": basis.label,
            "grondslag_link": basis.link,
        }


# Reading the source


def load_upl_source(source: str | Path, *, timeout: float = 30) -> str:
    """The text of the CSV at a file path or an http(s) URL."""
    source = str(source)
    if "://" not in source:
        return decode_upl_bytes(read_file(Path(source)))
    if urlsplit(source).scheme.lower() not in ("http", "https"):
        raise UPLImportError(f"{source}: alleen een bestand of een http(s)-adres kan worden ingelezen.")
    return decode_upl_bytes(fetch_url(source, timeout))


def fetch_url(url, timeout):
    request = urllib.request.Request(url, headers={"User-Agent": "kennisbank-upl-import"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(MAX_SOURCE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise UPLImportError(f"{url}: de server antwoordde {exc.code} {exc.reason}.") from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise UPLImportError(f"{url}: ophalen mislukt ({reason}).") from exc
    return check_size(data, url)


def read_file(path):
    try:
        with path.open("rb") as file:
            data = file.read(MAX_SOURCE_BYTES + 1)
    except OSError as exc:
        raise UPLImportError(f"{path}: bestand niet te lezen ({exc.strerror or exc}).") from exc
    return check_size(data, path)


def check_size(data, source):
    if len(data) > MAX_SOURCE_BYTES:
        raise UPLImportError(f"{source}: groter dan {MAX_SOURCE_BYTES // 1024 // 1024} MB, dat is geen UPL.")
    return data


def decode_upl_bytes(data: bytes) -> str:
    """UTF-8, with or without a byte order mark; anything else is an error."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UPLImportError(
            f"regel {line}: het bestand is geen UTF-8 (byte 0x{data[exc.start]:02x} op positie {exc.start})."
        ) from exc


# Parsing and validating


class Problems:
    """Collects every problem in a file, so one run lists all of them."""

    def __init__(self):
        self.messages = []

    def add(self, line, message):
        self.messages.append(f"regel {line}: {message}")

    def raise_if_any(self):
        if not self.messages:
            return
        listed = self.messages[:MAX_LISTED_PROBLEMS]
        more = len(self.messages) - len(listed)
        if more:
            listed.append(f"… en nog {more} problemen.")
        raise UPLImportError("Ongeldige UPL-CSV:\n" + "\n".join(listed))


def parse_upl_csv(data: str | bytes) -> list[UPLRow]:
    """Validate the whole file and return one UPLRow per URI, in file order.

    Raises UPLImportError naming the line of every problem found."""
    text = decode_upl_bytes(data) if isinstance(data, bytes) else data.removeprefix(BOM)
    if not text.strip():
        raise UPLImportError("regel 1: het bestand is leeg.")
    records = numbered_records(text)
    header = read_header(next(records))
    problems = Problems()
    rows = {}
    for line, record in records:
        if not record:
            continue  # blank line
        row = parse_record(line, record, header, problems)
        if row is not None:
            merge_row(rows, row, problems)
    problems.raise_if_any()
    if not rows:
        raise UPLImportError("regel 2: het bestand bevat geen productnamen.")
    return list(rows.values())


def numbered_records(text):
    """(line number where the record starts, fields) for every CSV record."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    while True:
        line = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UPLImportError(f"regel {line}: geen geldige CSV ({exc}).") from exc
        yield line, record


def read_header(numbered_record):
    _, header = numbered_record
    header = [column.strip() for column in header]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    duplicated = sorted({column for column in header if header.count(column) > 1})
    if missing or duplicated:
        unknown = [column for column in header if column not in REQUIRED_COLUMNS]
        details = []
        if missing:
            details.append(f"kolom ontbreekt: {', '.join(missing)}")
        if unknown:
            details.append(f"onbekende kolom: {', '.join(unknown)}")
        if duplicated:
            details.append(f"dubbele kolom: {', '.join(duplicated)}")
        raise UPLImportError(f"regel 1 (kopregel): {'; '.join(details)}.")
    return header


def parse_record(line, record, header, problems):
    if len(record) != len(header):
        problems.add(line, f"{len(record)} velden in plaats van {len(header)}.")
        return None
    values = {column: value.strip() for column, value in zip(header, record)}
    before = len(problems.messages)
    name = values[NAME_COLUMN]
    uri = values[URI_COLUMN]
    check_name(line, name, problems)
    check_url(line, URI_COLUMN, uri, problems, required=True, limit=max_length("uri"))
    flags = {
        field_name: parse_flag(line, column, values[column], problems) for column, field_name in FLAG_COLUMNS.items()
    }
    sdg_codes, sdg = parse_sdg(line, values[SDG_COLUMN], problems)
    basis = parse_legal_basis(line, values, problems)
    if len(problems.messages) > before:
        return None
    return UPLRow(line, name, uri, flags, sdg_codes, sdg, (basis,) if basis else ())


def check_name(line, name, problems):
    if not name:
        problems.add(line, f"{NAME_COLUMN} is leeg.")
    elif "\n" in name or "\r" in name:
        problems.add(line, f"{NAME_COLUMN} bevat een regeleinde.")
    elif len(name) > max_length("name"):
        problems.add(line, f"{NAME_COLUMN} is langer dan {max_length('name')} tekens.")


def check_url(line, column, value, problems, *, required, limit):
    if not value:
        if required:
            problems.add(line, f"{column} is leeg.")
        return
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or re.search(r"\s", value):
        problems.add(line, f"{column} {value!r} is geen http(s)-adres.")
    elif len(value) > limit:
        problems.add(line, f"{column} is langer dan {limit} tekens.")


def parse_flag(line, column, value, problems):
    if value not in ("X", ""):
        problems.add(line, f"kolom {column} bevat {value!r}; verwacht X of leeg.")
    return value == "X"


def parse_sdg(line, value, problems):
    if value in ("", "X"):
        return (), value == "X"
    if not SDG_CODES.fullmatch(value):
        problems.add(line, f"kolom {SDG_COLUMN} bevat {value!r}; verwacht X, leeg of SDG-codes zoals C1;E3.")
        return (), False
    return tuple(value.split(";")), True


def parse_legal_basis(line, values, problems):
    uri, label, link = (values[column] for column in LEGAL_BASIS_COLUMNS)
    check_url(line, "Grondslag", uri, problems, required=False, limit=max_length("grondslag"))
    check_url(line, "Grondslaglink", link, problems, required=False, limit=max_length("grondslag_link"))
    if not (uri or label or link):
        return None
    return LegalBasis(uri, label, link)


def merge_row(rows, row, problems):
    """Add row; a URI seen before must have the same name and flags, and only
    contributes its legal basis."""
    first = rows.get(row.uri)
    if first is None:
        rows[row.uri] = row
        return
    differences = describe_differences(first, row)
    if differences:
        problems.add(
            row.line,
            f"URI {row.uri} staat ook op regel {first.line}, met een andere {', '.join(differences)}.",
        )
        return
    new_bases = tuple(basis for basis in row.legal_bases if basis not in first.legal_bases)
    rows[row.uri] = UPLRow(
        first.line, first.name, first.uri, first.flags, first.sdg_codes, first.sdg, first.legal_bases + new_bases
    )


def describe_differences(first, other):
    columns = []
    if first.name != other.name:
        columns.append(NAME_COLUMN)
    columns += [column for column, name in FLAG_COLUMNS.items() if first.flags[name] != other.flags[name]]
    if (first.sdg, first.sdg_codes) != (other.sdg, other.sdg_codes):
        columns.append(SDG_COLUMN)
    return columns


# Writing to the database


@dataclass
class UPLImportReport:
    """What an import did (or, with dry_run, would do).

    Every name in the file counts once: created, revived (it was expired and
    is back), updated or unchanged. expired counts names newly marked
    expired because they are no longer in the file."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    revived: int = 0
    expired: int = 0
    municipal: int = 0
    dry_run: bool = False

    @property
    def names(self):
        return self.created + self.updated + self.unchanged + self.revived

    def summary(self) -> str:
        prefix = "Proefimport, niets opgeslagen" if self.dry_run else "UPL geïmporteerd"
        return (
            f"{prefix}: {self.names} namen ({self.municipal} gemeentelijk): "
            f"{self.created} nieuw, {self.updated} bijgewerkt, {self.unchanged} ongewijzigd, "
            f"{self.revived} teruggekeerd, {self.expired} vervallen."
        )


@dataclass
class ImportPlan:
    new: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    expired: list = field(default_factory=list)


def import_upl(
    rows: Iterable[UPLRow],
    *,
    now: datetime | None = None,
    progress: Callable[[int], object] | None = None,
    dry_run: bool = False,
) -> UPLImportReport:
    """Bring UPLName in line with rows, in one transaction.

    progress, if given, is called with 1 for every row handled (tqdm's
    update fits). With dry_run nothing is written."""
    rows = list(rows)
    check_rows(rows)
    now = now or timezone.now()
    report = UPLImportReport(dry_run=dry_run, municipal=sum(row.flags["gemeente"] for row in rows))
    with transaction.atomic():
        existing = {name.uri: name for name in UPLName.objects.select_for_update()}
        plan = ImportPlan()
        for row in rows:
            plan_row(row, existing.pop(row.uri, None), now, plan, report)
            if progress:
                progress(1)
        plan.expired = [name for name in existing.values() if name.expired_at is None]
        report.expired = len(plan.expired)
        if not dry_run:
            apply_plan(plan, now)
    return report


def check_rows(rows):
    if not rows:
        raise UPLImportError("Geen productnamen om te importeren; alle namen zouden vervallen.")
    seen = {}
    for row in rows:
        if row.uri in seen:
            raise UPLImportError(f"regel {row.line}: URI {row.uri} staat ook op regel {seen[row.uri]}.")
        seen[row.uri] = row.line


def plan_row(row, name, now, plan, report):
    values = row.model_values()
    if name is None:
        plan.new.append(UPLName(uri=row.uri, imported_at=now, **values))
        report.created += 1
        return
    differs = any(getattr(name, field_name) != value for field_name, value in values.items())
    if name.expired_at is not None:
        report.revived += 1
    elif differs:
        report.updated += 1
    else:
        plan.unchanged.append(name.pk)
        report.unchanged += 1
        return
    for field_name, value in values.items():
        setattr(name, field_name, value)
    name.expired_at = None
    name.imported_at = now
    plan.changed.append(name)


BATCH_SIZE = 500


def apply_plan(plan, now):
    UPLName.objects.bulk_create(plan.new, batch_size=BATCH_SIZE)
    UPLName.objects.bulk_update(plan.changed, [*VALUE_FIELDS, "imported_at", "expired_at"], batch_size=BATCH_SIZE)
    for batch in batches(plan.unchanged):
        UPLName.objects.filter(pk__in=batch).update(imported_at=now)
    for batch in batches([name.pk for name in plan.expired]):
        UPLName.objects.filter(pk__in=batch).update(expired_at=now)
    # Bulk writes send no signals: products show their UPL name.
    bump_content_version()


def batches(items):
    for start in range(0, len(items), BATCH_SIZE):
        yield items[start : start + BATCH_SIZE]
