"""Who sees and handles a flag in the admin: the sharing rules (the curators
of its gemeente, the regional curators) and also whoever it was handed to —
its owner and the members of its team — whatever their own gemeente, so a
regional team's members see the flags of every gemeente handed to their
team. Their role still decides what they may do (a municipal curator views
and changes a flag; an agent has no flags in the admin at all)."""

from sharing.permission_policies import GemeenteScopedPermissionPolicy

# What being handed a flag allows, when the role has the model permission.
HANDLING_ACTIONS = ("view", "change")


class FlagPermissionPolicy(GemeenteScopedPermissionPolicy):
    def user_has_permission_for_instance(self, user, action, instance):
        if super().user_has_permission_for_instance(user, action, instance):
            return True
        return (
            action in HANDLING_ACTIONS
            and self.user_has_permission(user, action)
            and self.model._default_manager.handed_to(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        scoped = super().instances_user_has_any_permission_for(user, actions)
        if not self.user_has_any_permission(user, [action for action in actions if action in HANDLING_ACTIONS]):
            return scoped
        return scoped | self.model._default_manager.handed_to(user)
