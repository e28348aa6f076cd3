from django.core.management.base import BaseCommand

from kwaliteit.links import check_links, collect_links
from kwaliteit.tasks import check_all_links


class Command(BaseCommand):
    help = "Zoek alle uitgaande links in items en lokale afwijkingen en controleer ze (gepland, bijv. elke nacht)."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=None, help="Hoogstens zoveel links per keer (standaard LINKCHECK_BATCH).")
        parser.add_argument("--enqueue", action="store_true", help="Als achtergrondtaak in de wachtrij zetten (task_worker).")

    def handle(self, *args, limit=None, enqueue=False, **options):
        if enqueue:
            result = check_all_links.enqueue(limit=limit)
            self.stdout.write(f"In de wachtrij: {result.id}")
            return
        uses = collect_links()
        checked = check_links(limit=limit)
        self.stdout.write(f"{uses} keer een link gevonden; {checked} links gecontroleerd.")
