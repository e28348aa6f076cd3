"""The daily roll-up of the management information (stuurinformatie/rollup.py):
run it after midnight (cron, systemd timer); it adds only the complete days
still missing, so running it more often costs little."""

from django.core.management.base import BaseCommand

from stuurinformatie import rollup


class Command(BaseCommand):
    help = "Telt de complete dagen van het zoeklog en de contactuitkomsten op voor de stuurinformatie (alleen wat nog ontbreekt)."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Alle dagen opnieuw optellen (bijv. na een andere tijdzone).")

    def handle(self, *args, rebuild, **options):
        if rebuild:
            rollup.forget()
        days = rollup.roll_up(log=self.stdout.write if options["verbosity"] > 1 else None)
        self.stdout.write(f"{len(days)} dag(en) opgeteld.")
