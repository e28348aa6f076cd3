from django.apps import AppConfig, apps as global_apps
from django.db import DEFAULT_DB_ALIAS


class GemeentenConfig(AppConfig):
    name = "gemeenten"
    verbose_name = "Gemeenten"

    def ready(self):
        from django.db.models.signals import post_delete, post_migrate

        # No sender: the handler waits for the last app's signal (see below).
        post_migrate.connect(_ensure_role_groups, dispatch_uid="gemeenten-role-groups")
        post_delete.connect(_membership_deleted, sender="gemeenten.Membership", dispatch_uid="gemeenten-membership-delete")


def _membership_deleted(sender, instance, **kwargs):
    from django.contrib.auth import get_user_model

    from .roles import sync_role_groups

    # Deleting the user cascades here too; then there is nothing to sync.
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if user is not None:
        sync_role_groups(user)


def _last_migrated_app():
    """migrate and flush send post_migrate once per app with models, in
    INSTALLED_APPS order (django.core.management.sql.emit_post_migrate_signal)."""
    return [config for config in global_apps.get_app_configs() if config.models_module is not None][-1]


def _ensure_role_groups(app_config, using=DEFAULT_DB_ALIAS, **kwargs):
    # Permissions are made by other apps' post_migrate handlers: Django's per
    # app, Wagtail's snippets app the publish/lock permissions of every
    # DraftStateMixin/LockableMixin snippet. Syncing at our own app's signal
    # (gemeenten comes first) found no publish permissions on a fresh
    # database, so the groups are synced at the last app's signal, once every
    # earlier app's handlers have run.
    if app_config.label != _last_migrated_app().label:
        return
    from django.contrib.auth.management import create_permissions

    from .roles import ensure_role_groups

    # Django's own handler for this last app runs after ours (it connected
    # later): create the model permissions here so the order cannot matter.
    for config in global_apps.get_app_configs():
        create_permissions(config, verbosity=0, using=using)
    ensure_role_groups()
