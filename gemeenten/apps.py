from django.apps import AppConfig


class GemeentenConfig(AppConfig):
    name = "gemeenten"
    verbose_name = "Gemeenten"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate

        post_migrate.connect(_ensure_role_groups, sender=self)
        post_delete.connect(_membership_deleted, sender="gemeenten.Membership", dispatch_uid="gemeenten-membership-delete")


def _membership_deleted(sender, instance, **kwargs):
    from django.contrib.auth import get_user_model

    from .roles import sync_role_groups

    # Deleting the user cascades here too; then there is nothing to sync.
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if user is not None:
        sync_role_groups(user)


def _ensure_role_groups(apps=None, **kwargs):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    from .roles import ensure_role_groups

    # post_migrate reaches this app before later apps have their permissions.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0)
    ensure_role_groups()
