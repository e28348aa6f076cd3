from django.apps import AppConfig


class StuurinformatieConfig(AppConfig):
    name = "stuurinformatie"
    verbose_name = "Stuurinformatie"
