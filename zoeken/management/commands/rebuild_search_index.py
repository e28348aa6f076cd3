from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from gemeenten.models import Gemeente
from sharing.resolution import CHANNELS
from zoeken.engine import EngineNotConfigured
from zoeken.indexing import entry_models, rebuild


class Command(BaseCommand):
    help = "Build new public and agent indexes for every gemeente and swap the aliases when complete."

    def handle(self, *args, **options):
        gemeenten = list(Gemeente.objects.all())
        steps = len(gemeenten) * len(CHANNELS) * len(entry_models())
        try:
            with tqdm(total=steps, desc="indexeren", unit="stap", file=self.stderr, disable=options["verbosity"] == 0) as bar:
                counts = rebuild(gemeenten, progress=bar.update)
        except EngineNotConfigured as exc:
            raise CommandError(f"{exc} Set SEARCH_ENGINE and SEARCH_ENGINE_URL.") from exc
        except Exception as exc:
            raise CommandError(f"Rebuild failed, the old index stays in use: {exc!r}") from exc
        for channel, count in counts.items():
            self.stdout.write(f"{channel}: {count} documents")
