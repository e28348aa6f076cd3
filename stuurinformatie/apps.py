from django.apps import AppConfig
from django.db.models.signals import post_delete


class StuurinformatieConfig(AppConfig):
    name = "stuurinformatie"
    verbose_name = "Stuurinformatie"

    def ready(self):
        from gemeenten.models import Gemeente

        from .rollup import forget_all

        post_delete.connect(forget_all, sender=Gemeente, dispatch_uid="stuurinformatie_rollup_gemeente")
