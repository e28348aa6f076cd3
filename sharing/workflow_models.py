"""Four eyes and scheduled changes: the models (the rules are in
sharing/workflow.py).

- `FourEyesTask`: the one task of the "Vier ogen" workflow that shared
  entries (and local entries of a gemeente with four eyes) go through:
  a second curator approves, never the one who submitted or last edited.
- `OverrideChange`: a change of a gemeente's local text that waits for a
  second curator (four eyes) or for its date (scheduled), or that was
  applied or rejected — the override's own history.
- `ValueChange`: a gemeente's new, changed or deleted variable value (a
  fee from a date) that waits for approval, like an `OverrideChange`.
- `ScheduleRun`: when the scheduled publication last ran, so that the next
  run knows what became due since."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import models
from wagtail.models import Task, TaskState

from gemeenten.models import Gemeente


class FourEyesTask(Task):
    """Approved by a curator who may edit the entry and is neither the one
    who submitted it nor the author of the revision under review."""

    class Meta:
        verbose_name = "vier-ogentaak"
        verbose_name_plural = "vier-ogentaken"

    def _reviewable(self, obj, user):
        from .permissions import can_edit_entry
        from .workflow import is_author_of_change

        return can_edit_entry(user, obj) and not is_author_of_change(obj, user)

    def user_can_access_editor(self, obj, user):
        from .permissions import can_edit_entry

        return can_edit_entry(user, obj)

    def get_actions(self, obj, user):
        if not self._reviewable(obj, user):
            return []
        return [
            ("reject", "Wijzigingen vragen", True),
            # A modal either way: it shows what changes on which gemeente's channels.
            ("approve", "Goedkeuren", True),
        ]

    def on_action(self, task_state, user, action_name, **kwargs):
        # The edit view checks get_actions too; this holds for every caller.
        if not self._reviewable(task_state.workflow_state.content_object, user):
            raise PermissionDenied("Een tweede kennisregisseur keurt goed, niet wie de wijziging maakte.")
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_template_for_action(self, action):
        return "sharing/four_eyes_action.html"

    def get_task_states_user_can_moderate(self, user, **kwargs):
        return self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS).exclude(workflow_state__requested_by=user)

    @classmethod
    def get_description(cls):
        return "Een tweede kennisregisseur keurt de wijziging goed (niet wie haar maakte)"


class HeldChange(models.Model):
    """Who submitted a held change and who approved or rejected it, when and why."""

    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="ingediend door", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField("ingediend op", auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="beoordeeld door", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField("beoordeeld op", null=True)
    reason = models.TextField("reden", blank=True)
    # Agents first: from this moment the agent channel shows the approved,
    # scheduled change (sharing/scheduling.py); the public from its own date
    # (an override change's go_live_at, a value's valid_from).
    agents_from = models.DateTimeField("voor KCC-medewerkers vanaf", null=True, blank=True)

    class Meta:
        abstract = True


class OverrideChangeQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(status=OverrideChange.Status.PENDING)

    def scheduled(self):
        return self.filter(status=OverrideChange.Status.SCHEDULED)


class OverrideChange(HeldChange):
    class Status(models.TextChoices):
        PENDING = "pending", "wacht op goedkeuring"
        SCHEDULED = "scheduled", "goedgekeurd, gepland"
        APPLIED = "applied", "live"
        REJECTED = "rejected", "afgewezen"

    SET, REVERT = "set", "revert"

    # The entry, addressed as kind name + id (sharing/kinds.py).
    entry_kind = models.CharField("soort", max_length=40)
    entry_id = models.PositiveBigIntegerField()
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    field_name = models.CharField("veld", max_length=64)
    action = models.CharField(max_length=10, choices=[(SET, "lokale tekst"), (REVERT, "terug naar gedeelde tekst")])
    value = models.JSONField("nieuwe lokale waarde", null=True, blank=True)
    old_value = models.JSONField("lokale waarde ervoor", null=True, blank=True)
    go_live_at = models.DateTimeField("live vanaf", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    applied_at = models.DateTimeField("live gegaan op", null=True)

    objects = OverrideChangeQuerySet.as_manager()

    class Meta:
        verbose_name = "lokale wijziging"
        verbose_name_plural = "lokale wijzigingen"
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["entry_kind", "entry_id", "gemeente"])]

    def __str__(self):
        return f"{self.entry_kind} {self.entry_id} · {self.field_name} · {self.gemeente} ({self.get_status_display()})"

    @property
    def entry(self):
        from .kinds import get_kind

        return get_kind(self.entry_kind).model.objects.get(pk=self.entry_id)


class ValueChange(HeldChange):
    """A new value of a gemeente's variable (a fee) from a date on, held
    until it is approved (sharing/workflow.py): an accepted suggestion's
    fee, or a curator's edit of a value in a gemeente with four eyes (then
    `value_row` is the value changed or deleted). Approving writes the
    dated `VariableValue`, which every channel shows from its date
    (`VariableValueQuerySet.in_force_many`), the agent channel from its
    `agents_from` (agents first)."""

    class Status(models.TextChoices):
        PENDING = "pending", "wacht op goedkeuring"
        APPLIED = "applied", "goedgekeurd"
        REJECTED = "rejected", "afgewezen"

    SET, DELETE = "set", "delete"

    variable = models.ForeignKey("sharing.Variable", verbose_name="variabele", on_delete=models.CASCADE, related_name="+")
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=10, choices=[(SET, "nieuwe waarde"), (DELETE, "waarde verwijderen")], default=SET)
    # The value it changes or deletes; none for a new value (or one deleted since).
    value_row = models.ForeignKey(
        "sharing.VariableValue", verbose_name="bestaande waarde", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Whether it changes or deletes a value that existed when it was held:
    # then a `value_row` that is gone was deleted since (`value_gone`).
    of_existing_value = models.BooleanField("van een bestaande waarde", default=False)
    value = models.CharField("nieuwe waarde", max_length=500, blank=True)
    valid_from = models.DateField("geldig vanaf", null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)

    class Meta:
        verbose_name = "nieuwe waarde van een variabele"
        verbose_name_plural = "nieuwe waarden van variabelen"
        ordering = ["submitted_at", "pk"]

    def __str__(self):
        when = f" vanaf {self.valid_from:%d-%m-%Y}" if self.valid_from else ""
        what = "verwijderen" if self.action == self.DELETE else f"= {self.value}"
        return f"{self.variable} {what}{when} · {self.gemeente} ({self.get_status_display()})"

    @property
    def value_gone(self):
        """The value it changes or deletes was deleted since it was held."""
        return self.of_existing_value and self.value_row_id is None


class ScheduleRun(models.Model):
    """One row: when `publish_scheduled` last ran."""

    ran_at = models.DateTimeField()

    class Meta:
        verbose_name = "geplande publicatie"
        verbose_name_plural = "geplande publicaties"
