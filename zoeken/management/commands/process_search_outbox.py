from django.core.management.base import BaseCommand

from zoeken.outbox import lag, process


class Command(BaseCommand):
    help = (
        "Apply every pending search index change (the outbox) in order, once. "
        "Normally drains enqueued after each change do this (the task worker in production, "
        "`manage.py task_worker`); run it after bulk writes or to catch up by hand."
    )

    def handle(self, *args, **options):
        applied, remaining = process()
        if applied or remaining or options["verbosity"] > 1:
            state = lag()
            error = f"; engine error: {state['last_error']}" if remaining and state["last_error"] else ""
            self.stdout.write(f"applied {applied}, pending {remaining}{error}")
