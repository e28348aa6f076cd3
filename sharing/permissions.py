"""Who may change what. Enforced on the server by every write path
(override service, snippet permission policy), not by templates."""

from django.core.exceptions import PermissionDenied

from gemeenten.models import Role


def _memberships(user):
    if not getattr(user, "is_authenticated", False):
        return []
    cache = getattr(user, "_kennisbank_memberships", None)
    if cache is None:
        cache = list(user.memberships.all())
        user._kennisbank_memberships = cache
    return cache


def is_regional_curator(user):
    if getattr(user, "is_superuser", False):
        return True
    return any(m.role == Role.REGIONAL_CURATOR for m in _memberships(user))


def can_edit_base(user):
    """The shared (regional) base text: regional curators only."""
    return is_regional_curator(user)


def can_edit_gemeente(user, gemeente):
    """Overrides and local entries of one gemeente."""
    if gemeente is None:
        return False
    if is_regional_curator(user):
        return True
    return any(m.role == Role.MUNICIPAL_CURATOR and m.gemeente_id == gemeente.pk for m in _memberships(user))


def can_edit_entry(user, entry):
    return can_edit_base(user) if entry.gemeente_id is None else can_edit_gemeente(user, entry.gemeente)


def can_read_agent_content(user, gemeente):
    """Agent-only notes for a gemeente: its curators and the agents answering for it."""
    if is_regional_curator(user):
        return True
    return any(
        m.role in (Role.AGENT, Role.MUNICIPAL_CURATOR) and m.gemeente_id in (None, gemeente.pk)
        for m in _memberships(user)
    )


def readable_gemeente_ids(user):
    """Ids of gemeenten whose local content the user may read; None means all.
    Their curators and the agents answering for them (an agent without a
    gemeente answers for all)."""
    if is_regional_curator(user):
        return None
    memberships = [m for m in _memberships(user) if m.role in (Role.AGENT, Role.MUNICIPAL_CURATOR)]
    if any(m.gemeente_id is None for m in memberships):
        return None
    return {m.gemeente_id for m in memberships}


def can_read_entry(user, entry):
    """The shared base is read by everyone with the model permission; a local
    item only within the user's own gemeenten."""
    if entry.gemeente_id is None:
        return True
    ids = readable_gemeente_ids(user)
    return ids is None or entry.gemeente_id in ids


def editable_gemeente_ids(user):
    """Ids of gemeenten whose local content the user may change; None means all."""
    if is_regional_curator(user):
        return None
    return {m.gemeente_id for m in _memberships(user) if m.role == Role.MUNICIPAL_CURATOR}


def require(allowed, message="U mag deze wijziging niet doen."):
    if not allowed:
        raise PermissionDenied(message)
