"""Synthetic usage data for the management information of the demo."""

from django.core.management.base import BaseCommand
from django.db import transaction

from gemeenten.models import Gemeente
from stuurinformatie import demo, rollup
from zoeken.models import SearchQuery


class Command(BaseCommand):
    help = "Generate a few weeks of clearly synthetic searches, contact outcomes and feedback for the MI page (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=28)
        parser.add_argument("--searches", type=int, default=40, help="Searches per gemeente per working day.")
        parser.add_argument("--outcomes", type=int, default=15, help="Contact outcomes per gemeente per working day.")
        parser.add_argument("--replace", action="store_true", help="Remove earlier synthetic data (and every contact outcome) first.")

    @transaction.atomic
    def handle(self, *args, days, searches, outcomes, replace, **options):
        if replace:
            demo.clear()
        elif SearchQuery.objects.filter(backend=demo.SYNTHETIC).exists():
            self.stdout.write("Synthetic MI data is already there; use --replace to generate it again.")
            return
        written = demo.generate(list(Gemeente.objects.order_by("name")), days, searches, outcomes, log=self.stdout.write)
        rolled = rollup.roll_up()
        self.stdout.write(self.style.SUCCESS(
            f"Synthetic MI data: {written['searches']} searches, {written['outcomes']} contact outcomes, {written['feedback']} feedback items over {days} days"
            f" ({len(rolled)} complete days rolled up)."
        ))
