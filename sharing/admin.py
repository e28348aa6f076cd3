"""Admin building blocks shared by every viewset of gemeente-scoped content."""

from django.db.models import Q
from wagtail.permissions import register_permission_policy

from .permission_policies import GemeenteScopedPermissionPolicy
from .permissions import is_regional_curator


def register_gemeente_scoped(model):
    """Every admin write to `model` goes through the sharing rules."""
    register_permission_policy(model, GemeenteScopedPermissionPolicy(model))


class GemeenteScopedViewSetMixin:
    """Editors see the shared base plus the local items of their own
    gemeenten; writes are checked per object by the permission policy
    (see register_gemeente_scoped)."""

    def get_queryset(self, request):
        queryset = self.model._default_manager.all()
        if is_regional_curator(request.user):
            return queryset
        own = {m.gemeente_id for m in request.user.memberships.all() if m.gemeente_id}
        return queryset.filter(Q(gemeente__isnull=True) | Q(gemeente_id__in=own))
