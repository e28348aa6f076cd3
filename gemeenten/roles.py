"""The three roles as Django groups with their model permissions.

Model permissions say what kind of object a role may touch; the sharing
rules (sharing.permissions) then narrow writes to the user's gemeente."""

import logging

from django.contrib.auth.models import Group, Permission

from sharing.kinds import kinds

from .models import Role

logger = logging.getLogger(__name__)

GROUP_NAMES = {
    Role.REGIONAL_CURATOR: "Regionale kennisregisseurs",
    Role.MUNICIPAL_CURATOR: "Gemeentelijke kennisregisseurs",
    Role.AGENT: "KCC-medewerkers",
}
ALL = ("add", "change", "delete", "view")
# Besides every entry kind's model and notes (entry_grants).
PERMISSIONS = {
    Role.REGIONAL_CURATOR: {
        "sharing.variable": ALL,
        "sharing.variablevalue": ALL,
        "pdc.theme": ALL,
        "pdc.lifeevent": ALL,
        "pdc.department": ALL,
        "pdc.uplname": ("view",),
        "gemeenten.gemeente": ("change", "view"),
        "gemeenten.membership": ALL,
        "zoeken.synonym": ALL,
        "zoeken.promotion": ALL,
        "feedback.feedback": ("change", "view"),
        "sharing.team": ALL,
        "redactie.reviewcycle": ALL,
        "sharing.audience": ALL,
    },
    Role.MUNICIPAL_CURATOR: {
        "sharing.variablevalue": ALL,
        "sharing.variable": ("view",),
        "pdc.uplname": ("view",),
        "gemeenten.gemeente": ("view",),
        "zoeken.synonym": ALL,
        "zoeken.promotion": ALL,
        "feedback.feedback": ("change", "view"),
        "sharing.team": ALL,
        "redactie.reviewcycle": ("view",),
        "sharing.audience": ALL,  # its own (sharing.permissions: writes narrowed to the gemeente)
    },
    Role.AGENT: {},
}


def entry_grants(role):
    """{model label: actions} of every registered kind: curators edit and
    publish entries and their agent notes, agents read them."""
    grants = {}
    for kind in kinds():
        curating = role != Role.AGENT
        # Wagtail makes "publish" only for the kinds edited as snippets.
        publish = ("publish",) if hasattr(kind.model, "snippet_viewset") else ()
        grants[kind.model_label] = ALL + publish if curating else ("view",)
        if kind.has_notes:
            notes = kind.model._meta.get_field(kind.notes_relation).related_model
            grants[notes._meta.label_lower] = ALL if curating else ("view",)
    return grants


def grants_of(role):
    return {**entry_grants(role), **PERMISSIONS[role]}


def ensure_role_groups():
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for role in PERMISSIONS:
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
        permissions = [admin_access]
        for label, actions in grants_of(role).items():
            app_label, model = label.split(".")
            wanted = {f"{action}_{model}" for action in actions}
            found = list(Permission.objects.filter(content_type__app_label=app_label, codename__in=wanted))
            missing = wanted - {permission.codename for permission in found}
            if missing:
                # A grant that silently matches nothing is how a role lost "publish" once.
                logger.warning("Role %s: permissions %s of %s do not exist (yet)", role, sorted(missing), app_label)
            permissions += found
        group.permissions.set(permissions)
        groups[role] = group
    return groups


def group_for(role):
    return Group.objects.get_or_create(name=GROUP_NAMES[role])[0]


def sync_role_groups(user):
    """A user is in exactly the role groups their memberships name; other
    groups (made by hand in the admin) are left alone."""
    wanted = {group_for(role) for role in user.memberships.values_list("role", flat=True).distinct()}
    stale = Group.objects.filter(name__in=GROUP_NAMES.values()).exclude(pk__in=[group.pk for group in wanted])
    user.groups.remove(*stale)
    user.groups.add(*wanted)
