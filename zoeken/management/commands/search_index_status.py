from django.core.management.base import BaseCommand

from zoeken.engine import engine_status
from zoeken.outbox import lag


class Command(BaseCommand):
    help = "How far the search index lags behind the database: pending changes and the oldest one's age."

    def handle(self, *args, **options):
        engine = engine_status()
        state = lag()
        self.stdout.write(f"engine: {engine['kind']} ({engine['detail']}, reachable: {engine['reachable']})")
        self.stdout.write(f"pending changes: {state['pending']}")
        if state["pending"]:
            self.stdout.write(f"oldest pending since {state['oldest_pending_at']:%Y-%m-%d %H:%M:%S} ({state['lag_seconds']:.0f} s)")
            if state["last_error"]:
                self.stdout.write(f"last error ({state['failed_attempts']} attempts): {state['last_error']}")
