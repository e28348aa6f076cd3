"""Widget tokens: how the widget signs in on a host page of another origin.

Such a page cannot use the agent's session cookie (it belongs to the app's
origin, and browsers no longer send it in third-party requests). The agent
signs in once in a popup on the app's origin; the popup hands the widget a
token for `Authorization: Bearer`. Only its hash is stored; it expires after
WIDGET_TOKEN_HOURS (one shift) and is only accepted on the JSON API."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


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

    def user_for(self, raw):
        """The active user of an unexpired token, or None."""
        row = (
            self.filter(key_hash=_hash(raw), expires_at__gt=timezone.now(), user__is_active=True)
            .select_related("user")
            .first()
        )
        return row.user if row else None


class WidgetToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="widget_tokens")
    origin = models.CharField("hostpagina (origin)", max_length=200)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField("verloopt", db_index=True)

    objects = WidgetTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "widgettoken"
        verbose_name_plural = "widgettokens"

    def __str__(self):
        return f"{self.user} · {self.origin} · tot {self.expires_at:%Y-%m-%d %H:%M}"
