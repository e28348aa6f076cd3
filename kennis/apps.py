from django.apps import AppConfig


class KennisConfig(AppConfig):
    name = "kennis"
    verbose_name = "Kennisbank (VAC)"
