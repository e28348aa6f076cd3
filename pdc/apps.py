from django.apps import AppConfig


class PdcConfig(AppConfig):
    name = "pdc"
    verbose_name = "Producten- en dienstencatalogus"
