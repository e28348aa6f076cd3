"""Import the Uniforme Productnamenlijst from a CSV file or URL.

    python manage.py import_upl                      # the copy shipped in fixtures/data/upl/
    python manage.py import_upl https://…/UPL-actueel.csv
    python manage.py import_upl UPL-actueel.csv --dry-run
"""

import sys

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from pdc.upl_import import BUNDLED_UPL_CSV, UPLImportError, import_upl, load_upl_source, parse_upl_csv


class Command(BaseCommand):
    help = (
        "Import the UPL (CSV from a path or an http(s) URL): create or update names by URI and "
        "mark names that are no longer listed as expired. A file with errors changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "source",
            nargs="?",
            default=str(BUNDLED_UPL_CSV),
            help="path or http(s) URL of the UPL CSV (default: the copy shipped with the project)",
        )
        parser.add_argument("--dry-run", action="store_true", help="validate and report, write nothing")
        parser.add_argument("--timeout", type=float, default=30, help="seconds to wait for a URL (default 30)")

    def handle(self, *args, source, dry_run, timeout, **options):
        try:
            rows = parse_upl_csv(load_upl_source(source, timeout=timeout))
            # tqdm writes straight to stderr (Django's wrapper would add newlines)
            # and hides itself when stderr is not a terminal.
            with tqdm(total=len(rows), desc="UPL", unit=" namen", file=sys.stderr, disable=None) as bar:
                report = import_upl(rows, progress=bar.update, dry_run=dry_run)
        except UPLImportError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(report.summary())
