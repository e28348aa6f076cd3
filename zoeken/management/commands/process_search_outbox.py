import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, connections

from zoeken.outbox import lag, process


class Command(BaseCommand):
    help = "Apply pending search index changes (the outbox) in order; --follow keeps doing so."

    def add_arguments(self, parser):
        parser.add_argument("--follow", action="store_true", help="keep running, polling for new changes")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls with --follow")

    def handle(self, *args, **options):
        while True:
            try:
                self.report(*process(), options["verbosity"])
            except DatabaseError as exc:
                if not options["follow"]:
                    raise
                # The database restarted or is out of reach for a moment: the
                # worker keeps running and polls again on fresh connections.
                self.stderr.write(f"database error, trying again in {options['interval']:g} s: {exc}".strip())
                connections.close_all()
            if not options["follow"]:
                return
            time.sleep(options["interval"])

    def report(self, applied, remaining, verbosity):
        if applied or remaining or verbosity > 1:
            state = lag()
            error = f"; engine error: {state['last_error']}" if remaining and state["last_error"] else ""
            self.stdout.write(f"applied {applied}, pending {remaining}{error}")
