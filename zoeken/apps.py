from django.apps import AppConfig


class ZoekenConfig(AppConfig):
    name = "zoeken"
    verbose_name = "Zoeken"
