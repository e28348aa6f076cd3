import time

from django.core.management.base import BaseCommand

from zoeken.outbox import lag, process


class Command(BaseCommand):
    help = "Apply pending search index changes (the outbox) in order; --follow keeps doing so."

    def add_arguments(self, parser):
        parser.add_argument("--follow", action="store_true", help="keep running, polling for new changes")
        parser.add_argument("--interval", type=float, default=2.0, help="seconds between polls with --follow")

    def handle(self, *args, **options):
        while True:
            applied, remaining = process()
            if applied or remaining or options["verbosity"] > 1:
                state = lag()
                error = f"; engine error: {state['last_error']}" if remaining and state["last_error"] else ""
                self.stdout.write(f"applied {applied}, pending {remaining}{error}")
            if not options["follow"]:
                return
            time.sleep(options["interval"])
