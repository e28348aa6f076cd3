"""Wagtail permission policy for everything that belongs to the shared base
(gemeente empty) or to one gemeente: the model permissions of
the user's groups, narrowed per object by the sharing rules."""

from wagtail.permission_policies.base import ModelPermissionPolicy

from .permissions import can_edit_entry, editable_gemeente_ids

WRITE_ACTIONS = {"change", "delete", "publish", "unpublish", "lock", "unlock"}


class GemeenteScopedPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        allowed = super().user_has_permission_for_instance(user, action, instance)
        if action in WRITE_ACTIONS:
            return allowed and can_edit_entry(user, instance)
        return allowed

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if not set(actions) & WRITE_ACTIONS:
            return instances
        ids = editable_gemeente_ids(user)
        return instances if ids is None else instances.filter(gemeente_id__in=ids)

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions)
