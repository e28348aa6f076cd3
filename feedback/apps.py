from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Terugkoppeling"

    def ready(self):
        from sharing.admin import register_gemeente_scoped

        from .models import Feedback

        register_gemeente_scoped(Feedback)
