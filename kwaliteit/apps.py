from django.apps import AppConfig


class KwaliteitConfig(AppConfig):
    name = "kwaliteit"
    verbose_name = "Inhoudskwaliteit"
    default_auto_field = "django.db.models.BigAutoField"
