"""Where a flag goes: to the owner of the text the reader actually saw.

- a local entry of the gemeente: the entry's own owner;
- a field of a shared entry that the gemeente overrides: the owner of the
  gemeente's local texts of that entry (sharing.models.LocalOwnership);
- any other field of a shared entry (or the answer as a whole): the shared
  entry's owner.

With no owner set there, the flag goes to the curators of that text: the
gemeente's own for its local text, the regional curators for shared text
(`route` says which; Feedback.objects.routed_to reads it). A missing answer
is about no text yet: the regional curators."""

from sharing.kinds import get_kind
from sharing.models import LocalOwnership

from .models import Feedback


def overrides_field(entry, gemeente, field_name):
    """Whether the gemeente shows its own text for this field of a shared entry."""
    if not field_name:
        return False
    kind = get_kind(entry)
    columns = kind.model.columns_of(field_name) if field_name in kind.model.overridable_fields else [field_name]
    return kind.override_model.objects.filter(entry=entry, gemeente=gemeente, field_name__in=columns).exists()


def owner_of(entry, gemeente, field_name=""):
    """(route, owner, team) of the text of `field_name` that agents and
    visitors of `gemeente` see."""
    if entry.gemeente_id is not None:
        return Feedback.Route.LOCAL, entry.owner, entry.owner_team
    if overrides_field(entry, gemeente, field_name):
        local = LocalOwnership.objects.filter(entry_kind=get_kind(entry).name, entry_id=entry.pk, gemeente=gemeente).select_related("owner", "owner_team").first()
        return Feedback.Route.LOCAL, getattr(local, "owner", None), getattr(local, "owner_team", None)
    return Feedback.Route.SHARED, entry.owner, entry.owner_team


def route(feedback):
    """Set where a new piece of feedback goes (not saved here)."""
    entry = feedback.entry
    if entry is None:
        feedback.route, feedback.assignee, feedback.assignee_team = Feedback.Route.SHARED, None, None
        return
    feedback.route, feedback.assignee, feedback.assignee_team = owner_of(entry, feedback.gemeente, feedback.field_name)


def valid_field_names(entry):
    """The field names a flag on this entry may name: its overridable fields."""
    return set(get_kind(entry).model.overridable_fields)
