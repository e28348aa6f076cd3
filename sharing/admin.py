"""Admin building blocks shared by every viewset of gemeente-scoped content.

The scope is decided in one place, the permission policy registered for the
model (GemeenteScopedPermissionPolicy); the viewset makes every one of its
views and its chooser ask it, so a view Wagtail adds later is covered too."""

from functools import wraps

from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_list_or_404
from django.utils.functional import classproperty
from wagtail.permissions import policy_registry, register_permission_policy
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import get_snippet_models
from wagtail.snippets.views import chooser

from .permission_policies import WRITE_ACTIONS, GemeenteScopedPermissionPolicy, is_gemeente_scoped, visible_instances

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def register_gemeente_scoped(model):
    """Every admin view of `model` goes through the sharing rules."""
    register_permission_policy(model, GemeenteScopedPermissionPolicy(model))


def scoped_object_view(view, model):
    """`view` for an object (a `pk` in the URL) only when the user may see that
    object — else a 404, as if it did not exist — and, for a POST, only when
    the user may also do the view's action (delete, publish, …) on it."""
    action = getattr(view.view_class, "permission_required", None)
    write_action = action if isinstance(action, str) and action in WRITE_ACTIONS else None

    @wraps(view)
    def scoped(request, *args, **kwargs):
        if "pk" in kwargs:
            try:
                instance = visible_instances(request.user, model).filter(pk=unquote(str(kwargs["pk"]))).first()
            except (ValueError, ValidationError):
                instance = None
            if instance is None:
                raise Http404
            if write_action and request.method not in SAFE_METHODS:
                policy = policy_registry.get_by_type(model)
                if not policy.user_has_permission_for_instance(request.user, write_action, instance):
                    raise PermissionDenied
        return view(request, *args, **kwargs)

    return scoped


class ScopedChooserMixin:
    """The chooser lists, and returns, only what the user may see."""

    def visible(self):
        return visible_instances(self.request.user, self.model_class)


class ScopedChooseView(ScopedChooserMixin, chooser.ChooseView):
    def get_object_list(self):
        return super().get_object_list() & self.visible()


class ScopedChooseResultsView(ScopedChooserMixin, chooser.ChooseResultsView):
    def get_object_list(self):
        return super().get_object_list() & self.visible()


class ScopedChosenView(ScopedChooserMixin, chooser.SnippetChosenView):
    def get_object(self, pk):
        return self.visible().get(pk=pk)


class ScopedChosenMultipleView(ScopedChooserMixin, chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return super().get_objects(pks) & self.visible()


class GemeenteScopedChooserViewSet(chooser.SnippetChooserViewSet):
    choose_view_class = ScopedChooseView
    choose_results_view_class = ScopedChooseResultsView
    chosen_view_class = ScopedChosenView
    chosen_multiple_view_class = ScopedChosenMultipleView


class GemeenteScopedViewSetMixin:
    """For the snippet viewset of a model registered with
    register_gemeente_scoped: its listing, every view of one object and its
    chooser show only what the policy lets the user see (the shared base
    plus the local items of their own gemeenten); writes are checked per
    object by the same policy."""

    chooser_viewset_class = GemeenteScopedChooserViewSet

    def get_queryset(self, request):
        return visible_instances(request.user, self.model)

    def construct_view(self, view_class, **kwargs):
        return scoped_object_view(super().construct_view(view_class, **kwargs), self.model)


class ScopedDeleteBulkAction(DeleteBulkAction):
    """Wagtail's bulk delete of the listings (admin/bulk/…/delete/?id=…), for
    gemeente-scoped snippets: what the user may not see is not found, nor
    named among the items they may not delete."""

    @classproperty
    def models(cls):
        return [model for model in get_snippet_models() if is_gemeente_scoped(model)]

    def get_queryset(self, model, object_ids):
        return get_list_or_404(visible_instances(self.request.user, model), pk__in=object_ids)
