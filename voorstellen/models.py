"""Suggestions: what back-office experts (by a personal link, no account)
and agents (from the widget) propose, for a curator to accept or reject.

An entry is addressed as kind name + id (sharing.kinds), as feedback does;
nothing here names a kind."""

from django.conf import settings
from django.core import signing
from django.db import models
from django.utils import timezone

from feedback.models import load_entries, validate_kind_name
from gemeenten.models import Gemeente
from sharing.kinds import get_kind

TOKEN_SALT = "voorstellen.invitation"


class InvitationQuerySet(models.QuerySet):
    def usable(self, now=None):
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class Invitation(models.Model):
    """A back-office expert's personal link: for some entries and gemeenten,
    until it expires or is revoked. The link is the signed id; what it may
    do is read here on every request, so revoking takes effect at once."""

    name = models.CharField("naam", max_length=200)
    email = models.EmailField("e-mail")
    department = models.CharField("afdeling", max_length=200, blank=True)
    gemeenten = models.ManyToManyField(Gemeente, verbose_name="gemeenten", related_name="+", blank=True)
    regional = models.BooleanField(
        "gedeelde tekst", default=False, help_text="Mag ook de gedeelde (regionale) tekst voorstellen, los van een gemeente."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="uitgenodigd door", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    expires_at = models.DateTimeField("geldig tot")
    revoked_at = models.DateTimeField("ingetrokken op", null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = "uitnodiging"
        verbose_name_plural = "uitnodigingen"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.department or self.email})"

    @property
    def token(self):
        """The same link every time it is shown (expiry is the row's, not the token's)."""
        return signing.Signer(salt=TOKEN_SALT).sign_object(self.pk)

    @classmethod
    def from_token(cls, token):
        """The usable invitation of a link's token, or None (tampered,
        expired, revoked, unknown)."""
        try:
            pk = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
        except (signing.BadSignature, ValueError):  # ValueError: a signed value that is not ours (an older form)
            return None
        if type(pk) is not int:
            return None
        return cls.objects.usable().filter(pk=pk).first()

    def entry_references(self):
        return [(item.entry_kind, item.entry_id) for item in self.entries.all()]

    def covers_entry(self, kind_name, entry_id):
        return (kind_name, entry_id) in self.entry_references()

    def covers_gemeente(self, gemeente):
        """None stands for the shared text."""
        if gemeente is None:
            return self.regional
        return self.gemeenten.filter(pk=gemeente.pk).exists()

    def scoped_entries(self):
        """[(reference, entry)] in the order they were added; entries since deleted are left out."""
        references = self.entry_references()
        found = load_entries(references)
        return [(reference, found[reference]) for reference in references if reference in found]


class InvitationEntry(models.Model):
    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="entries")
    entry_kind = models.CharField("soort onderwerp", max_length=40, validators=[validate_kind_name])
    entry_id = models.PositiveBigIntegerField("onderwerp-id")

    class Meta:
        verbose_name = "onderwerp van een uitnodiging"
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["invitation", "entry_kind", "entry_id"], name="unique_invitation_entry")]


class Status(models.TextChoices):
    NEW = "new", "nieuw"
    ACCEPTED = "accepted", "overgenomen"
    PARTLY = "partly", "deels overgenomen"
    REJECTED = "rejected", "afgewezen"


class SuggestionQuerySet(models.QuerySet):
    def for_curator(self, gemeente_ids):
        """What a curator handles: None (a regional curator) sees all; a
        municipal curator only the suggestions made for their gemeenten."""
        return self if gemeente_ids is None else self.filter(gemeente_id__in=gemeente_ids)

    def open(self):
        return self.filter(status=Status.NEW)


class Suggestion(models.Model):
    """One submission: field proposals, fee values and/or a comment about an
    entry, or a draft of a new entry (entry_id empty)."""

    invitation = models.ForeignKey(
        Invitation, verbose_name="uitnodiging", null=True, blank=True, on_delete=models.SET_NULL, related_name="suggestions"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="medewerker", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField("ingediend door", max_length=200)
    gemeente = models.ForeignKey(
        Gemeente, verbose_name="gemeente", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
        help_text="Leeg: voor de gedeelde (regionale) tekst of voor alle gemeenten.",
    )  # fmt: skip
    entry_kind = models.CharField("soort onderwerp", max_length=40, validators=[validate_kind_name])
    entry_id = models.PositiveBigIntegerField("onderwerp-id", null=True, blank=True, help_text="Leeg: een nieuw onderwerp.")
    comment = models.TextField("opmerking", blank=True, max_length=4000)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.NEW, db_index=True)
    reason = models.TextField("reden", blank=True, max_length=2000)
    created_at = models.DateTimeField("ingediend op", auto_now_add=True)
    decided_at = models.DateTimeField("behandeld op", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="behandeld door", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The draft entry a new-entry suggestion became.
    created_entry_id = models.PositiveBigIntegerField("concept-id", null=True, blank=True)

    objects = SuggestionQuerySet.as_manager()

    class Meta:
        verbose_name = "voorstel"
        verbose_name_plural = "voorstellen"
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["entry_kind", "entry_id"], name="suggestion_entry")]

    def __str__(self):
        return f"Voorstel van {self.author_name}: {self.subject}"

    @property
    def kind(self):
        return get_kind(self.entry_kind)

    @property
    def is_new_entry(self):
        return self.entry_id is None

    @property
    def entry(self):
        if self.is_new_entry:
            return None
        cached = self.__dict__.get("_entry")
        if cached is None:
            cached = self.__dict__["_entry"] = self.kind.model._default_manager.filter(pk=self.entry_id).first()
        return cached

    @property
    def subject(self):
        entry = self.entry
        if entry is not None:
            return str(entry)
        title = self.proposals.filter(field_name__startswith=self.kind.title_field).first()
        return f"nieuw: {title.proposed_text}" if title else "nieuw onderwerp"

    @property
    def scope_label(self):
        return self.gemeente.name if self.gemeente_id else "regionaal"


class Target(models.TextChoices):
    SHARED = "shared", "gedeelde tekst"
    LOCAL = "local", "lokale tekst van de gemeente"


class ProposalStatus(models.TextChoices):
    OPEN = "open", "open"
    ACCEPTED = "accepted", "overgenomen"
    REJECTED = "rejected", "niet overgenomen"


class FieldProposal(models.Model):
    """New text for one field (a column), against the text the author saw.
    Rich text is stored sanitised, plain text without markup."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="proposals")
    field_name = models.CharField("veld", max_length=64)
    target = models.CharField("voor", max_length=10, choices=Target.choices, default=Target.SHARED)
    seen_text = models.TextField("tekst die de indiener zag", blank=True)
    proposed_text = models.TextField("voorgestelde tekst")
    accepted_text = models.TextField("overgenomen tekst", blank=True)
    status = models.CharField("status", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)

    class Meta:
        verbose_name = "voorgestelde tekst"
        ordering = ["pk"]

    def __str__(self):
        return f"{self.field_name} ({self.get_target_display()})"


class FeeProposal(models.Model):
    """A new value of a municipal variable (a fee) from a date on."""

    suggestion = models.ForeignKey(Suggestion, on_delete=models.CASCADE, related_name="fees")
    variable = models.ForeignKey("sharing.Variable", verbose_name="variabele", on_delete=models.CASCADE, related_name="+")
    value = models.CharField("nieuwe waarde", max_length=500)
    valid_from = models.DateField("geldig vanaf")
    status = models.CharField("status", max_length=10, choices=ProposalStatus.choices, default=ProposalStatus.OPEN)

    class Meta:
        verbose_name = "voorgesteld bedrag"
        ordering = ["pk"]


def entry_references(suggestions):
    """{(kind name, id): entry} of a list of suggestions, one query per kind."""
    return load_entries((s.entry_kind, s.entry_id) for s in suggestions if s.entry_id)
