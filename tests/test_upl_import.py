import csv
import functools
import io
import socket
import threading
from datetime import timedelta
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.utils import timezone

from pdc import upl_import
from pdc.models import UPLName
from pdc.upl_import import BUNDLED_UPL_CSV, UPLImportError, import_upl, load_upl_source, parse_upl_csv

# The copy that ships with the project (fixtures/data/upl/), not ../shared.
UPL_CSV = BUNDLED_UPL_CSV

# The truth about the real file: 1,121 data lines, but 67 URIs are listed on
# several lines (171 lines in all), once per legal basis, always with the
# same name and flags. That leaves 1,017 names, 450 of them municipal.
LINES = 1121
NAMES = 1017
MUNICIPAL_NAMES = 450
MUNICIPAL_LINES = 503
REPEATED_URIS = 67
AANSCHRIJVING = "http://standaarden.overheid.nl/owms/terms/aanschrijving"  # lines 5, 6 and 7


@pytest.fixture(scope="module")
def upl_text():
    if not UPL_CSV.is_file():
        pytest.fail(f"The UPL file shipped with the project is missing: {UPL_CSV}", pytrace=False)
    return UPL_CSV.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def upl_rows(upl_text):
    return parse_upl_csv(upl_text)


@pytest.fixture
def imported(db, upl_rows):
    return import_upl(upl_rows)


def snapshot():
    return list(UPLName.objects.order_by("uri").values())


def without(row, *fields):
    return {key: value for key, value in row.items() if key not in fields}


def lines_of(text):
    return text.splitlines(keepends=True)


def replace_field(text, line, column, value):
    """text with one field of one line (1-based, as in error messages) replaced."""
    lines = lines_of(text)
    header = next(csv.reader([lines[0]]))
    fields = next(csv.reader([lines[line - 1]]))
    fields[header.index(column)] = value
    lines[line - 1] = to_csv_line(fields)
    return "".join(lines)


def to_csv_line(fields):
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(fields)
    return out.getvalue()


# Parsing the real file


def test_real_file_holds_the_expected_names(upl_text, upl_rows):
    assert len(lines_of(upl_text)) - 1 == LINES
    assert len(upl_rows) == len({row.uri for row in upl_rows}) == NAMES
    assert sum(row.flags["gemeente"] for row in upl_rows) == MUNICIPAL_NAMES
    data_lines = list(csv.DictReader(io.StringIO(upl_text)))
    assert sum(line["Gemeente"] == "X" for line in data_lines) == MUNICIPAL_LINES


def test_repeated_uris_are_one_name_with_several_legal_bases(upl_rows):
    repeated = [row for row in upl_rows if len(row.legal_bases) > 1]
    assert len(repeated) == REPEATED_URIS
    aanschrijving = next(row for row in upl_rows if row.uri == AANSCHRIJVING)
    assert aanschrijving.line == 5
    assert [basis.label for basis in aanschrijving.legal_bases] == [
        "Artikel 125 Gemeentewet",
        "Artikel 122 Provinciewet",
        "Artikel 61 Waterschapswet",
    ]


def test_sdg_column_holds_codes(upl_rows):
    coded = [row for row in upl_rows if row.sdg_codes]
    assert coded and all(row.sdg for row in coded)
    assert any(len(row.sdg_codes) > 1 for row in coded)


def test_identical_repeated_lines_are_accepted(upl_text):
    lines = lines_of(upl_text)
    rows = parse_upl_csv("".join(lines + [lines[1]]))
    assert len(rows) == NAMES


def test_windows_line_endings_are_accepted(upl_text):
    assert len(parse_upl_csv(upl_text.replace("\n", "\r\n"))) == NAMES
    with pytest.raises(UPLImportError, match="regel 57"):
        parse_upl_csv(replace_field(upl_text, 57, "URI", "x").replace("\n", "\r\n"))


def test_utf8_byte_order_mark_is_accepted(upl_text):
    assert len(parse_upl_csv(b"\xef\xbb\xbf" + upl_text.encode())) == NAMES
    assert len(parse_upl_csv("\ufeff" + upl_text)) == NAMES


def test_model_values_cover_the_fields_that_are_written(upl_rows):
    assert tuple(upl_rows[0].model_values()) == upl_import.VALUE_FIELDS


# Importing


def test_first_import_creates_every_name(imported, upl_rows):
    assert (imported.created, imported.updated, imported.unchanged) == (NAMES, 0, 0)
    assert (imported.revived, imported.expired, imported.municipal) == (0, 0, MUNICIPAL_NAMES)
    assert UPLName.objects.count() == NAMES
    assert UPLName.objects.current().municipal().count() == MUNICIPAL_NAMES
    assert not UPLName.objects.filter(imported_at__isnull=True).exists()
    name = UPLName.objects.get(uri=AANSCHRIJVING)
    assert (name.name, name.gemeente, name.provincie, name.rijk) == ("aanschrijving", True, True, False)
    assert name.grondslag_label == "Artikel 125 Gemeentewet"


def test_long_legal_basis_labels_and_sdg_codes_are_kept_whole(imported):
    longest = max(UPLName.objects.values_list("grondslag_label", flat=True), key=len)
    assert len(longest) > 255 and not longest.endswith("…")
    assert UPLName.objects.exclude(sdg_codes="").filter(sdg=True).exists()
    assert not UPLName.objects.filter(sdg=False).exclude(sdg_codes="").exists()


def test_second_import_changes_nothing(imported, upl_rows):
    before = snapshot()
    report = import_upl(upl_rows, now=timezone.now() + timedelta(days=1))
    assert (report.created, report.updated, report.unchanged, report.revived, report.expired) == (0, 0, NAMES, 0, 0)
    assert [without(row, "imported_at") for row in snapshot()] == [without(row, "imported_at") for row in before]


def test_changed_name_is_updated(imported, upl_text):
    changed = replace_field(upl_text, 3, "Bedrijf", "X")
    report = import_upl(parse_upl_csv(changed))
    assert (report.updated, report.unchanged) == (1, NAMES - 1)
    assert UPLName.objects.get(name="aanleunwoning").bedrijf


def test_names_missing_from_the_file_expire_and_come_back(imported, upl_text, upl_rows):
    gone = {upl_rows[0].uri, upl_rows[1].uri, upl_rows[400].uri, AANSCHRIJVING}  # the last on three lines
    shorter = "".join(line for line in lines_of(upl_text) if next(csv.reader([line]))[1] not in gone)
    yesterday = timezone.now() - timedelta(days=1)

    report = import_upl(parse_upl_csv(shorter), now=yesterday)
    assert (report.expired, report.unchanged, report.created) == (len(gone), NAMES - len(gone), 0)
    assert UPLName.objects.count() == NAMES
    assert set(UPLName.objects.filter(expired_at__isnull=False).values_list("uri", flat=True)) == gone
    assert all(name.expired_at == yesterday for name in UPLName.objects.filter(uri__in=gone))

    again = import_upl(parse_upl_csv(shorter))
    assert (again.expired, again.unchanged) == (0, NAMES - len(gone))  # expired once, not twice
    assert UPLName.objects.get(uri=next(iter(gone))).expired_at == yesterday

    back = import_upl(upl_rows)
    assert (back.revived, back.unchanged, back.expired, back.created) == (len(gone), NAMES - len(gone), 0, 0)
    assert not UPLName.objects.filter(expired_at__isnull=False).exists()


def test_dry_run_reports_but_writes_nothing(db, upl_rows):
    report = import_upl(upl_rows, dry_run=True)
    assert (report.created, report.dry_run) == (NAMES, True)
    assert not UPLName.objects.exists()


def test_empty_list_of_rows_is_refused(imported):
    with pytest.raises(UPLImportError):
        import_upl([])
    assert not UPLName.objects.filter(expired_at__isnull=False).exists()


def test_database_error_halfway_rolls_everything_back(imported, upl_text, monkeypatch):
    before = snapshot()
    real_apply = upl_import.apply_plan

    def apply_then_fail(plan, now):
        real_apply(plan, now)
        raise DatabaseError("disk full")

    monkeypatch.setattr(upl_import, "apply_plan", apply_then_fail)
    shorter = "".join(lines_of(upl_text)[:-5])
    with pytest.raises(DatabaseError):
        import_upl(parse_upl_csv(replace_field(shorter, 3, "Bedrijf", "X")))
    assert snapshot() == before


# Malformed files: each names the line and changes nothing


def drop_column(text, column):
    rows = list(csv.reader(io.StringIO(text)))
    index = rows[0].index(column)
    return "".join(to_csv_line(row[:index] + row[index + 1 :]) for row in rows)


def drop_last_field(text, line):
    lines = lines_of(text)
    lines[line - 1] = lines[line - 1].rstrip("\n").rsplit(",", 1)[0] + "\n"
    return "".join(lines)


def first_non_ascii_line(text):
    return next(number for number, line in enumerate(lines_of(text), start=1) if not line.isascii())


MALFORMED = {
    "bad URI": (lambda text: replace_field(text, 57, "URI", "standaarden.overheid.nl/x"), ["regel 57", "URI"]),
    "ftp URI": (lambda text: replace_field(text, 58, "URI", "ftp://example.nl/x"), ["regel 58"]),
    "renamed column": (lambda text: text.replace("Gemeente,", "Gemeenten,", 1), ["regel 1", "Gemeente", "Gemeenten"]),
    "missing column": (lambda text: drop_column(text, "Bedrijf"), ["regel 1", "Bedrijf"]),
    "too few fields": (lambda text: drop_last_field(text, 200), ["regel 200", "19 velden"]),
    "empty name": (lambda text: replace_field(text, 300, "UniformeProductnaam", " "), ["regel 300", "leeg"]),
    "bad flag": (lambda text: replace_field(text, 400, "Gemeente", "ja"), ["regel 400", "Gemeente", "'ja'"]),
    "bad SDG code": (lambda text: replace_field(text, 401, "SDG", "C1,E3"), ["regel 401", "SDG"]),
    "bad legal basis link": (lambda text: replace_field(text, 402, "Grondslaglink", "wetten.nl"), ["regel 402"]),
    "conflicting repeated URI": (lambda text: replace_field(text, 7, "Rijk", "X"), ["regel 7", "regel 5", "Rijk"]),
    "URI reused by another name": (
        lambda text: replace_field(text, 900, "URI", AANSCHRIJVING),
        ["regel 900", "regel 5", "UniformeProductnaam"],
    ),
    "unterminated quote": (lambda text: text.replace("\naanleunwoning,", '\n"aanleunwoning,', 1), ["regel 3"]),
    "header only": (lambda text: lines_of(text)[0], ["geen productnamen"]),
    "empty file": (lambda text: "", ["regel 1", "leeg"]),
    "not UTF-8": (lambda text: text.encode("cp1252"), [f"regel {first_non_ascii_line(UPL_CSV.read_text())}", "UTF-8"]),
}


@pytest.mark.parametrize("kind", MALFORMED)
def test_malformed_file_names_the_line_and_changes_nothing(kind, imported, upl_text, tmp_path):
    mutate, expected_fragments = MALFORMED[kind]
    before = snapshot()
    malformed = mutate(upl_text)
    path = tmp_path / "upl.csv"
    path.write_bytes(malformed if isinstance(malformed, bytes) else malformed.encode())

    with pytest.raises(UPLImportError) as error:
        import_upl(parse_upl_csv(load_upl_source(path)))
    for fragment in expected_fragments:
        assert fragment in str(error.value)
    assert snapshot() == before


def test_every_problem_in_a_file_is_listed(upl_text):
    broken = replace_field(replace_field(upl_text, 10, "URI", "x"), 20, "Burger", "?")
    with pytest.raises(UPLImportError) as error:
        parse_upl_csv(broken)
    assert "regel 10" in str(error.value) and "regel 20" in str(error.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(UPLImportError, match="niet te lezen"):
        load_upl_source(tmp_path / "bestaat-niet.csv")


def test_other_url_schemes_are_refused():
    with pytest.raises(UPLImportError, match="http"):
        load_upl_source("ftp://example.nl/UPL-actueel.csv")


# Importing from a URL


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def no_proxy(monkeypatch):
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


@pytest.fixture
def http_server(tmp_path, no_proxy):
    """Serves tmp_path on 127.0.0.1; yields its base URL."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(tmp_path)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_import_from_an_http_url(db, http_server, upl_text, tmp_path):
    (tmp_path / "UPL-actueel.csv").write_bytes(b"\xef\xbb\xbf" + upl_text.encode())
    report = import_upl(parse_upl_csv(load_upl_source(f"{http_server}/UPL-actueel.csv", timeout=5)))
    assert (report.created, report.municipal) == (NAMES, MUNICIPAL_NAMES)


def test_http_error_is_a_clear_error(http_server):
    with pytest.raises(UPLImportError, match="404"):
        load_upl_source(f"{http_server}/ontbreekt.csv", timeout=5)


def test_unreachable_url_is_a_clear_error(no_proxy):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free_port = probe.getsockname()[1]
    with pytest.raises(UPLImportError, match="ophalen mislukt"):
        load_upl_source(f"http://127.0.0.1:{free_port}/UPL-actueel.csv", timeout=5)


# The management command


def test_command_imports_and_prints_the_summary(db, http_server, upl_text, tmp_path):
    (tmp_path / "UPL-actueel.csv").write_text(upl_text, encoding="utf-8")
    out = io.StringIO()
    call_command("import_upl", f"{http_server}/UPL-actueel.csv", stdout=out, stderr=io.StringIO())
    assert f"{NAMES} namen ({MUNICIPAL_NAMES} gemeentelijk)" in out.getvalue()
    assert f"{NAMES} nieuw" in out.getvalue()
    assert UPLName.objects.count() == NAMES


def test_command_without_a_source_imports_the_copy_shipped_with_the_project(db):
    assert UPL_CSV.is_relative_to(Path(__file__).resolve().parents[1])
    out = io.StringIO()
    call_command("import_upl", stdout=out, stderr=io.StringIO())
    assert f"{NAMES} nieuw" in out.getvalue()
    assert UPLName.objects.current().municipal().count() == MUNICIPAL_NAMES


def test_command_dry_run_writes_nothing(db):
    out = io.StringIO()
    call_command("import_upl", str(UPL_CSV), "--dry-run", stdout=out, stderr=io.StringIO())
    assert "niets opgeslagen" in out.getvalue() and f"{NAMES} nieuw" in out.getvalue()
    assert not UPLName.objects.exists()


def test_command_fails_on_a_bad_file(imported, upl_text, tmp_path):
    before = snapshot()
    path = tmp_path / "kapot.csv"
    path.write_text(replace_field(upl_text, 57, "URI", "geen-uri"), encoding="utf-8")
    with pytest.raises(CommandError, match="regel 57"):
        call_command("import_upl", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert snapshot() == before


def test_a_name_linked_to_a_product_expires_but_stays_linked_and_cannot_be_deleted(imported, upl_rows):
    from django.db.models import ProtectedError

    from .factories import make_product

    paspoort = UPLName.objects.get(name="paspoort")
    product = make_product(upl=paspoort)
    import_upl([row for row in upl_rows if row.uri != paspoort.uri])
    product.refresh_from_db()
    assert product.upl == paspoort
    assert product.upl.expired_at is not None
    with pytest.raises(ProtectedError):
        paspoort.delete()
