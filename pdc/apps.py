from django.apps import AppConfig


class PdcConfig(AppConfig):
    name = "pdc"
    verbose_name = "Producten- en dienstencatalogus"

    def ready(self):
        from sharing.admin import register_gemeente_scoped
        from sharing.kinds import register

        from .kinds import PRODUCT

        from .models import Product

        register_gemeente_scoped(Product)
        register(PRODUCT)
