from django.apps import AppConfig


class VoorstellenConfig(AppConfig):
    name = "voorstellen"
    verbose_name = "Voorstellen"
