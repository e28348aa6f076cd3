"""Where an admin link to an entry goes, by what the user may do with it."""

from django.contrib.admin.utils import quote
from django.urls import reverse

from sharing.permissions import can_edit_gemeente
from sharing.resolution import entry_kind


def entry_admin_url(entry, user):
    """The edit form when the user may change the entry, else its read-only
    view; None for a kind without an admin of its own, and for an entry the
    user may not open (another gemeente's local entry a flag handed to them
    is about)."""
    viewset = getattr(entry, "snippet_viewset", None)
    if viewset is None:
        return None
    policy = viewset.permission_policy
    may_change = policy.user_has_permission_for_instance(user, "change", entry)
    if not may_change and not policy.user_has_permission_for_instance(user, "view", entry):
        return None
    return reverse(viewset.get_url_name("edit" if may_change else "inspect"), args=[quote(entry.pk)])


def local_view_url(entry, gemeente, user):
    """The gemeente's side-by-side view of a shared entry, when the user
    works on that gemeente's local texts; None otherwise."""
    if entry is None or entry.gemeente_id is not None or gemeente is None:
        return None
    if not can_edit_gemeente(user, gemeente):
        return None
    return reverse("sharing:entry_editor", args=[entry_kind(entry), entry.pk, gemeente.slug])
