"""What readers tell the curators: "was this helpful?" on the websites, and
answers flagged as wrong or missing by agents in the widget."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from sharing.kinds import get_kind, kind_names


def validate_kind_name(value):
    if value not in kind_names():
        raise ValidationError(f"“{value}” is geen soort onderwerp", code="invalid")


def handed_to(user):
    """The condition "its owner is this user or a team of theirs" (a
    subquery: one row per flag, whatever the team's size)."""
    if not getattr(user, "is_authenticated", False):
        return models.Q(pk__in=[])
    from sharing.models import Team

    return models.Q(assignee=user) | models.Q(assignee_team__in=Team.objects.filter(members=user))


class FeedbackQuerySet(models.QuerySet):
    def open(self):
        """What still asks for a curator: not resolved, and not a plain "nuttig"."""
        return self.filter(status__in=Feedback.OPEN_STATUSES).exclude(kind=Feedback.Kind.HELPFUL)

    def flags(self):
        """What the owners of texts handle: agents' flags and citizens'
        "niet nuttig" with a remark."""
        return self.filter(models.Q(kind__in=Feedback.FLAG_KINDS) | (models.Q(kind=Feedback.Kind.NOT_HELPFUL) & ~models.Q(remark="")))

    def routed_to(self, user):
        """Routed to this user: to them, to a team of theirs, or, with no
        owner set, to the curators they are one of (the regional curators
        for shared text, the gemeente's own for its local text)."""
        from sharing.permissions import editable_gemeente_ids, is_regional_curator

        unowned = models.Q(assignee__isnull=True, assignee_team__isnull=True)
        ids = editable_gemeente_ids(user)
        mine = handed_to(user)
        if is_regional_curator(user):
            mine |= unowned & ~models.Q(route=Feedback.Route.LOCAL)
        elif ids:
            mine |= unowned & models.Q(route=Feedback.Route.LOCAL, gemeente__in=ids)
        return self.filter(mine).distinct()

    def handed_to(self, user):
        """Handed to this user (routed or "Doorsturen"): to them, or to a team of theirs."""
        return self.filter(handed_to(user))

    def about(self, entry):
        """Feedback on this entry."""
        return self.filter(entry_kind=get_kind(entry).name, entry_id=entry.pk)

    def about_entries(self):
        return self.exclude(entry_kind="")

    def about_searches(self):
        return self.filter(entry_kind="")


def load_entries(references):
    """{(kind name, id): entry} of (kind name, id) pairs, one query per kind;
    a kind no longer registered finds nothing."""
    ids = {}
    for name, pk in references:
        ids.setdefault(name, set()).add(pk)
    found = {}
    for name, kind_ids in ids.items():
        if name in kind_names():
            found |= {(name, pk): entry for pk, entry in get_kind(name).model._default_manager.in_bulk(kind_ids).items()}
    return found


def attach_entries(items):
    """Load the entries of a list of feedback with one query per kind."""
    items = list(items)
    found = load_entries((item.entry_kind, item.entry_id) for item in items if item.entry_kind)
    for item in items:
        if item.entry_kind:
            item.__dict__["_entry"] = found.get((item.entry_kind, item.entry_id))
    return items


def delete_feedback_on_entry(sender, instance, **kwargs):
    """The feedback on an entry goes with it (as a foreign key's cascade would)."""
    try:
        kind = get_kind(sender)
    except KeyError:
        return  # a shared entry model that is not (yet) a registered kind
    Feedback.objects.filter(entry_kind=kind.name, entry_id=instance.pk).delete()


class Feedback(models.Model):
    class Kind(models.TextChoices):
        HELPFUL = "helpful", "nuttig"
        NOT_HELPFUL = "not_helpful", "niet nuttig"
        WRONG = "wrong", "antwoord klopt niet"
        MISSING = "missing", "antwoord ontbreekt"
        UNCLEAR = "unclear", "antwoord is onduidelijk"

    class Status(models.TextChoices):
        NEW = "new", "nieuw"
        IN_PROGRESS = "in_progress", "in behandeling"
        FIXED = "fixed", "opgelost"
        REJECTED = "rejected", "afgewezen"

    class Route(models.TextChoices):
        """Whose text it is about: the gemeente's own (an override or a local
        entry) or the shared base (also a missing answer)."""

        LOCAL = "local", "lokale tekst van de gemeente"
        SHARED = "shared", "gedeelde tekst"

    FLAG_KINDS = (Kind.WRONG, Kind.MISSING, Kind.UNCLEAR)
    OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS)

    class Origin(models.TextChoices):
        """Where it came from: an origin, not a resolution channel (docs/glossary.md)."""

        SITE = "site", "website"
        WIDGET = "widget", "kenniswidget"

    gemeente = models.ForeignKey("gemeenten.Gemeente", verbose_name="gemeente", on_delete=models.CASCADE, related_name="+")
    # The entry it is about, by its kind's name (sharing.kinds) and id; both
    # empty for a missing answer. Deleting the entry deletes its feedback (apps.py).
    entry_kind = models.CharField("soort onderwerp", max_length=40, blank=True, validators=[validate_kind_name])
    entry_id = models.PositiveBigIntegerField("onderwerp-id", null=True, blank=True)
    kind = models.CharField("soort", max_length=20, choices=Kind.choices)
    origin = models.CharField("kanaal", max_length=10, choices=Origin.choices)
    remark = models.TextField("opmerking", blank=True, max_length=2000)
    query = models.CharField("zoekvraag", max_length=500, blank=True, help_text="Bij 'ontbreekt': waar werd naar gezocht")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="gemeld door",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="De KCC-medewerker die het meldde; leeg bij een inwoner.",
    )
    created_at = models.DateTimeField("ontvangen op", auto_now_add=True, db_index=True)
    field_name = models.CharField("veld", max_length=64, blank=True, help_text="Het deel van het antwoord waar de melding over gaat.")
    # Where it went (feedback/routing.py): set when it is received.
    route = models.CharField("tekst van", max_length=10, choices=Route.choices, blank=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="eigenaar", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text="Leeg: de kennisregisseurs (van de gemeente bij een lokale tekst, anders van de regio).",
    )
    assignee_team = models.ForeignKey("sharing.Team", verbose_name="eigenaar (team)", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # What a curator changes; everything above is what the reader wrote.
    status = models.CharField("status", max_length=12, choices=Status.choices, default=Status.NEW, db_index=True)
    status_reason = models.TextField(
        "reden", blank=True, max_length=1000, help_text="Bij afwijzen verplicht; de melder ziet deze reden in de kenniswidget."
    )
    status_changed_at = models.DateTimeField("status gewijzigd op", null=True, blank=True)
    note = models.TextField("notitie van de redactie", blank=True, max_length=2000, help_text="Intern: wat ermee gedaan is.")

    objects = FeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "terugkoppeling"
        verbose_name_plural = "terugkoppelingen"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["entry_kind", "entry_id"], name="feedback_entry")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(entry_kind="", entry_id__isnull=True) | (~models.Q(entry_kind="") & models.Q(entry_id__isnull=False)),
                name="feedback_entry_kind_and_id_together",
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.subject} ({self.gemeente})"

    @property
    def entry(self):
        """The entry (of any kind) the feedback is about, or None."""
        if not self.entry_kind:
            return None
        cached = self.__dict__.get("_entry")
        if cached is None or cached.pk != self.entry_id:
            cached = self.__dict__["_entry"] = get_kind(self.entry_kind).model._default_manager.filter(pk=self.entry_id).first()
        return cached

    @entry.setter
    def entry(self, entry):
        """`Feedback(entry=…)`, `Feedback.objects.create(entry=…)`."""
        self.entry_kind, self.entry_id = (get_kind(entry).name, entry.pk) if entry is not None else ("", None)
        self.__dict__["_entry"] = entry

    entry.fget.short_description = "onderwerp"

    def get_entry_display(self):
        """As the admin shows it (the inspect view asks for this)."""
        entry = self.entry
        return "—" if entry is None else str(entry)

    def clean(self):
        super().clean()
        if self.status == self.Status.REJECTED and not self.status_reason.strip():
            raise ValidationError({"status_reason": "Geef een reden waarom de melding wordt afgewezen."})

    def save(self, *args, **kwargs):
        if self.entry_kind:
            validate_kind_name(self.entry_kind)
        if self._state.adding and not self.route:
            from .routing import route

            route(self)
        super().save(*args, **kwargs)

    @property
    def is_open(self):
        return self.status in self.OPEN_STATUSES

    @property
    def owner_display(self):
        """Whom it went to, as the admin lists it."""
        if self.assignee_id or self.assignee_team_id:
            return " · ".join(str(owner) for owner in (self.assignee, self.assignee_team) if owner)
        if self.route == self.Route.LOCAL:
            return f"kennisregisseurs {self.gemeente}"
        return "regionale kennisregisseurs" if self.route else "—"

    @property
    def subject(self):
        """What the feedback is about: the entry, or what was searched for."""
        entry = self.entry
        if entry is not None:
            return str(entry)
        return f"zoekvraag “{self.query}”" if self.query else "—"
