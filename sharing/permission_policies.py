"""Wagtail permission policy for everything that belongs to the shared base
(gemeente empty) or to one gemeente: the model permissions of the user's
groups, narrowed per object by the sharing rules. Every admin view of such a
model asks this policy, for the object and for listings alike (sharing.admin)."""

from django.db.models import Q
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import policy_registry

from .permissions import can_edit_base, can_edit_entry, can_read_entry, editable_gemeente_ids, readable_gemeente_ids
from .scope import shared_or_own

WRITE_ACTIONS = {"change", "delete", "publish", "unpublish", "lock", "unlock"}
# What opens an object or a listing at all (Wagtail's index and inspect views).
READ_ACTIONS = ("add", "change", "delete", "view")


def _in(ids, shared):
    """Rows of the gemeenten `ids` (None: all), plus the shared base if `shared`."""
    if ids is None:
        return Q()
    return shared_or_own(ids) if shared else Q(gemeente_id__in=ids)


class GemeenteScopedPermissionPolicy(ModelPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if not super().user_has_permission_for_instance(user, action, instance):
            return False
        if action in WRITE_ACTIONS:
            return can_edit_entry(user, instance)
        return can_read_entry(user, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        # Writing is a subset of reading, so any read action decides alone.
        reads = [action for action in actions if action not in WRITE_ACTIONS]
        writes = [action for action in actions if action in WRITE_ACTIONS]
        if self.user_has_any_permission(user, reads):
            scope = _in(readable_gemeente_ids(user), shared=True)
        elif self.user_has_any_permission(user, writes):
            scope = _in(editable_gemeente_ids(user), shared=can_edit_base(user))
        else:
            return self.model._default_manager.none()
        return self.model._default_manager.filter(scope)

    def users_with_any_permission_for_instance(self, actions, instance):
        return self.users_with_any_permission(actions)


def is_gemeente_scoped(model):
    return isinstance(policy_registry.get_by_type(model), GemeenteScopedPermissionPolicy)


def visible_instances(user, model):
    """What of a gemeente-scoped model the user may see at all."""
    return policy_registry.get_by_type(model).instances_user_has_any_permission_for(user, READ_ACTIONS)
