"""Widget tokens: how the widget signs in on a host page of another origin.

Such a page cannot use the agent's session cookie (it belongs to the app's
origin, and browsers no longer send it in third-party requests). The agent
signs in once in a popup on the app's origin; the popup hands the widget a
token for `Authorization: Bearer`. Only its hash is stored; it expires after
WIDGET_TOKEN_HOURS (one shift) and is only accepted on the JSON API.

A token ends earlier when it is revoked: by the widget's "Afmelden" (that
token), by signing out of the app (all of the user's tokens) or by a
curator in the admin ("Widgetaanmeldingen", widget/admin_views.py)."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.utils import timezone

from gemeenten.models import Membership, Role
from sharing.permissions import editable_gemeente_ids

# "Last used" is written at most this often per token, not on every request.
LAST_USED_PRECISION = timedelta(minutes=1)


def _hash(raw):
    return hashlib.sha256(raw.encode()).hexdigest()


class WidgetTokenQuerySet(models.QuerySet):
    def issue(self, user, origin):
        """A new token for `user` on the host page `origin`; returns (raw token, row)."""
        now = timezone.now()
        self.filter(user=user, expires_at__lte=now).delete()
        raw = secrets.token_urlsafe(32)
        row = self.create(
            user=user,
            origin=origin,
            key_hash=_hash(raw),
            expires_at=now + timedelta(hours=settings.WIDGET_TOKEN_HOURS),
        )
        return raw, row

    def active(self):
        return self.filter(expires_at__gt=timezone.now())

    def find(self, raw):
        """The unexpired token of an active user for `raw`, or None; notes its use."""
        row = self.active().filter(key_hash=_hash(raw), user__is_active=True).select_related("user").first()
        now = timezone.now()
        if row and (row.last_used_at is None or row.last_used_at < now - LAST_USED_PRECISION):
            row.last_used_at = now
            type(row).objects.filter(pk=row.pk).update(last_used_at=now)
        return row

    def visible_to(self, user):
        """The tokens `user` may see and revoke: a regional curator all, a
        municipal curator those of their gemeente's agents, anyone their own."""
        gemeente_ids = editable_gemeente_ids(user)
        if gemeente_ids is None:
            return self.all()
        agents = Membership.objects.filter(role=Role.AGENT, gemeente_id__in=gemeente_ids).values("user_id")
        return self.filter(Q(user=user) | Q(user__in=agents))


class WidgetToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="widget_tokens", verbose_name="gebruiker")
    origin = models.CharField("hostpagina (origin)", max_length=200)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("aangemaakt", auto_now_add=True)
    expires_at = models.DateTimeField("verloopt", db_index=True)
    last_used_at = models.DateTimeField("laatst gebruikt", null=True, blank=True)

    objects = WidgetTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "widgetaanmelding"
        verbose_name_plural = "widgetaanmeldingen"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.user} · {self.origin} · tot {timezone.localtime(self.expires_at):%Y-%m-%d %H:%M}"


@receiver(user_logged_out, dispatch_uid="widget-tokens-end-with-the-session")
def revoke_on_sign_out(sender, request, user, **kwargs):
    """Signing out of the app ends the widget's sign-ins of that user too."""
    if user is not None:
        WidgetToken.objects.filter(user=user).delete()
