"""The three roles as Django groups with their model permissions.

Model permissions say what kind of object a role may touch; the sharing
rules (sharing.permissions) then narrow writes to the user's gemeente."""

import logging

from django.contrib.auth.models import Group, Permission

from .models import Role

logger = logging.getLogger(__name__)

GROUP_NAMES = {
    Role.REGIONAL_CURATOR: "Regionale kennisregisseurs",
    Role.MUNICIPAL_CURATOR: "Gemeentelijke kennisregisseurs",
    Role.AGENT: "KCC-medewerkers",
}
ALL = ("add", "change", "delete", "view")
PERMISSIONS = {
    Role.REGIONAL_CURATOR: {
        "pdc.product": ALL + ("publish",),
        "kennis.vac": ALL + ("publish",),
        "kennis.agentnote": ALL,
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
    },
    Role.MUNICIPAL_CURATOR: {
        "pdc.product": ALL + ("publish",),
        "kennis.vac": ALL + ("publish",),
        "kennis.agentnote": ALL,
        "sharing.variablevalue": ALL,
        "sharing.variable": ("view",),
        "pdc.uplname": ("view",),
        "gemeenten.gemeente": ("view",),
        "zoeken.synonym": ALL,
        "zoeken.promotion": ALL,
        "feedback.feedback": ("change", "view"),
    },
    Role.AGENT: {
        "pdc.product": ("view",),
        "kennis.vac": ("view",),
        "kennis.agentnote": ("view",),
    },
}


def ensure_role_groups():
    admin_access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    groups = {}
    for role, grants in PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
        permissions = [admin_access]
        for label, actions in grants.items():
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
