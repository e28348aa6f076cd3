from django.apps import AppConfig, apps
from django.db.models.signals import post_delete


class FeedbackConfig(AppConfig):
    name = "feedback"
    verbose_name = "Terugkoppeling"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from sharing.models import SharedEntry

        from .models import Feedback, delete_feedback_on_entry
        from .permissions import FlagPermissionPolicy

        # The sharing rules plus the flags handed to the user (feedback/permissions.py).
        register_permission_policy(Feedback, FlagPermissionPolicy(Feedback))
        # Every model an entry kind can have: kinds register in their own
        # ready(), some after this one, so the models are found, not the kinds.
        for model in apps.get_models():
            if issubclass(model, SharedEntry):
                post_delete.connect(delete_feedback_on_entry, sender=model, dispatch_uid=f"feedback_of_{model._meta.label_lower}")
