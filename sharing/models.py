"""The sharing mechanism: shared base entries, per-gemeente field overrides
and municipal variables. Products (pdc) and VACs (kennis) build on these."""

import datetime
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.utils import timezone
from django.utils.html import strip_tags
from modelcluster.models import ClusterableModel
from wagtail.models import DraftStateMixin, LockableMixin, RevisionMixin, WorkflowMixin

from gemeenten.models import Gemeente
from kennisbank.sanitise import sanitise_html

from .forms import GemeenteScopedForm
from .scope import shared_or_own
from .text import differs

# An override or shared variant of a column for one audience is keyed
# "<column>@<audience slug>" ("summary_nl@ondernemer"): the override
# machinery (staleness, revert, history, four eyes) works on it unchanged.
VARIANT_SEPARATOR = "@"


def variant_key(column, audience):
    return f"{column}{VARIANT_SEPARATOR}{audience}"


def split_variant_key(key):
    """(column, audience slug) of a variant key; (column, None) of a column."""
    column, _, audience = key.partition(VARIANT_SEPARATOR)
    return column, audience or None


def has_text(value):
    """Whether a variant says anything: an emptied rich-text editor leaves
    "<p></p>", which means no variant (the general text)."""
    if not isinstance(value, str):
        return bool(value)
    return bool(strip_tags(value).strip())


def variant_base(key, base_values):
    """The shared value an override of `key` is compared with: the shared
    variant where there is one, else the general text; None when neither
    is among `base_values`."""
    if key in base_values:
        return base_values[key]
    column, audience = split_variant_key(key)
    return base_values.get(column) if audience else None


@lru_cache(maxsize=None)
def _text_columns(model):
    return tuple(
        column
        for column in model.overridable_columns()
        if isinstance(model._meta.get_field(column), (models.CharField, models.TextField)) and not model._meta.get_field(column).choices
    )


class Audience(models.Model):
    """A doelgroep an entry's text can have a variant for ("burger",
    "ondernemer"); of the region (gemeente empty) or one gemeente's own
    ("instelling"), whose variants only its own overrides can give."""

    slug = models.SlugField(
        "sleutel", max_length=30, help_text="Bijv. ondernemer; in de API en in links: ?audience=ondernemer. Uniek binnen de gemeente en de regio."
    )
    name = models.CharField("naam", max_length=60, help_text="Zoals de website het toont: Particulier, Ondernemer.")
    gemeente = models.ForeignKey(
        Gemeente, verbose_name="gemeente", null=True, blank=True, on_delete=models.CASCADE, related_name="+", help_text="Leeg: een doelgroep van de regio."
    )
    position = models.PositiveSmallIntegerField("volgorde", default=100)

    base_form_class = GemeenteScopedForm

    class Meta:
        verbose_name = "doelgroep"
        verbose_name_plural = "doelgroepen"
        ordering = ["position", "slug"]
        # A slug names one audience wherever it is used (?doelgroep=, variant
        # keys "<column>@<slug>"): unique among the region's audiences and
        # among one gemeente's own; two gemeenten may each have "instelling".
        # That a gemeente's own does not reuse a region slug is `clean`'s.
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(gemeente__isnull=True),
                name="audience_slug_unique_in_region",
                violation_error_message="De regio heeft al een doelgroep met deze sleutel. Kies een andere sleutel.",
            ),
            models.UniqueConstraint(
                fields=["gemeente", "slug"],
                name="audience_slug_unique_per_gemeente",
                violation_error_message="Deze gemeente heeft al een doelgroep met deze sleutel. Kies een andere sleutel.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        """The slug is free where this audience is shown: in its gemeente
        (its own and the region's) or, for the region's, in every gemeente.
        Said on the slug field; the constraints hold it in the database."""
        super().clean()
        if not self.slug:
            return
        others = Audience.objects.filter(slug=self.slug).exclude(pk=self.pk)
        if others.filter(gemeente__isnull=True).exists():
            raise ValidationError({"slug": f"De regio heeft al een doelgroep met de sleutel '{self.slug}'. Kies een andere sleutel."})
        if self.gemeente_id is not None and others.filter(gemeente_id=self.gemeente_id).exists():
            raise ValidationError({"slug": f"Deze gemeente heeft al een doelgroep met de sleutel '{self.slug}'. Kies een andere sleutel."})
        if self.gemeente_id is None:
            taken = sorted(str(a.gemeente) for a in others.select_related("gemeente"))
            if taken:
                raise ValidationError({"slug": f"De sleutel '{self.slug}' is al een eigen doelgroep van {', '.join(taken)}. Kies een andere sleutel."})

    @classmethod
    def of(cls, gemeente=None):
        """The region's audiences and, with a gemeente, its own."""
        return cls.objects.filter(shared_or_own(gemeente))


class SharedEntry(WorkflowMixin, DraftStateMixin, LockableMixin, RevisionMixin, ClusterableModel):
    """An entry written once for the region (gemeente empty) or a local-only
    entry of one gemeente. Subclasses declare which fields municipalities
    may override, which are rich text and which are for agents only."""

    # Logical field names; a translated field stands for its _nl/_en columns.
    overridable_fields: tuple = ()
    translated_fields: tuple = ()
    rich_text_fields: tuple = ()
    agent_only_fields: tuple = ()
    # Agent-only fields that agent search leaves out (boilerplate such as a
    # reply template's greeting would match every entry).
    unsearched_fields: tuple = ()
    # Relations resolution reads, fetched up front when resolving in bulk.
    resolution_select_related: tuple = ()
    resolution_prefetch_related: tuple = ()

    gemeente = models.ForeignKey(
        Gemeente,
        verbose_name="alleen voor gemeente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Leeg: gedeeld (regionaal). Ingevuld: lokaal item van één gemeente.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="eigenaar",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    owner_team = models.ForeignKey(
        "sharing.Team",
        verbose_name="eigenaar (team)",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Een team of afdeling als eigenaar, naast of in plaats van een persoon.",
    )
    review_date = models.DateField("herzien vóór", null=True, blank=True)
    agents_from = models.DateTimeField(
        "voor KCC-medewerkers vanaf",
        null=True,
        blank=True,
        help_text="Bij geplande publicatie: KCC-medewerkers zien het item al vanaf dit moment, "
        "het publiek pas vanaf 'live vanaf'. Bijv. 27 december voor een campagne per 1 januari.",
    )
    reviewed_at = models.DateTimeField("laatst gecontroleerd", null=True, blank=True)
    # {audience slug: {column: text}}: the shared text for one audience
    # where it differs from the general text (variant_columns only).
    audience_variants = models.JSONField("doelgroepvarianten", default=dict, blank=True)
    created_at = models.DateTimeField("aangemaakt op", auto_now_add=True)
    updated_at = models.DateTimeField("laatst gewijzigd", auto_now=True)
    _revisions = GenericRelation("wagtailcore.Revision", related_query_name="%(class)s")

    class Meta:
        abstract = True

    @property
    def revisions(self):
        return self._revisions

    # Four eyes (sharing/workflow.py): shared entries always, a local entry
    # when its gemeente says so; the workflow is not chosen per content type.
    @classmethod
    def get_default_workflow(cls):
        from .workflow import four_eyes_workflow

        return four_eyes_workflow()

    def get_workflow(self):
        from .workflow import needs_four_eyes

        return self.get_default_workflow() if needs_four_eyes(self) else None

    # A live entry that was never published through a revision (loaded or
    # imported with live=True) has no live revision, and Wagtail takes an
    # entry without one offline when a change of it is scheduled for later.
    # So its live state becomes its live revision before anything is
    # published, and a revision keeps the entry's live revision (as a
    # page's does).
    def with_content_json(self, content):
        obj = super().with_content_json(content)
        obj.live_revision_id = self.live_revision_id
        return obj

    def publish(self, revision, *args, **kwargs):
        if self.pk and self.live and not self.live_revision_id and self._scheduled(revision):
            self._record_live_revision(before=revision)
        return super().publish(revision, *args, **kwargs)

    @staticmethod
    def _scheduled(revision):
        go_live_at = revision.as_object().go_live_at
        return go_live_at is not None and go_live_at > timezone.now()

    def _record_live_revision(self, before):
        """The live state as a revision, dated just before the one being
        published (so that one stays the latest: no unpublished changes)."""
        from wagtail.models import Revision

        live = type(self).objects.get(pk=self.pk)
        revision = Revision.objects.create(
            content_object=live, base_content_type=live.get_base_content_type(), content=live.serializable_data(), object_str=str(live)
        )
        Revision.objects.filter(pk=revision.pk).update(created_at=before.created_at - datetime.timedelta(microseconds=1))
        type(self).objects.filter(pk=self.pk).update(live_revision=revision)
        self.live_revision = revision

    @property
    def is_shared(self):
        return self.gemeente_id is None

    @property
    def scope(self):
        return self.gemeente.name if self.gemeente_id else "gedeeld"

    @classmethod
    def columns_of(cls, name):
        """The database columns behind a logical field."""
        if name in cls.translated_fields:
            return [f"{name}_{code}" for code, _ in settings.LANGUAGES]
        return [name]

    @classmethod
    def overridable_columns(cls):
        return [column for name in cls.overridable_fields for column in cls.columns_of(name)]

    @classmethod
    def field_of(cls, column):
        """The logical field of a column (or of a variant key): summary_nl → summary."""
        column = split_variant_key(column)[0]
        if column in cls.overridable_fields or column not in cls.overridable_columns():
            return column
        return column.rsplit("_", 1)[0]

    @classmethod
    def variant_columns(cls):
        """The overridable text columns that can have a variant per audience."""
        return _text_columns(cls)

    def shared_variants(self):
        """{variant key: text} of the non-empty shared variants."""
        columns = set(self.variant_columns())
        return {
            variant_key(column, audience): value
            for audience, values in (self.audience_variants or {}).items()
            for column, value in values.items()
            if column in columns and has_text(value)
        }

    def shared_value(self, key):
        """The shared value of a column, or of a variant key (the shared
        variant; without one, the general text)."""
        column, audience = split_variant_key(key)
        if audience is None:
            return getattr(self, column)
        value = (self.audience_variants or {}).get(audience, {}).get(column)
        return value if has_text(value) else getattr(self, column)

    def base_values(self):
        values = {column: getattr(self, column) for column in self.overridable_columns()}
        values.update(self.shared_variants())
        return values

    def clean(self):
        super().clean()
        from .variables import unknown_variables

        errors = {}
        for column in self.overridable_columns():
            value = getattr(self, column)
            unknown = unknown_variables(value) if isinstance(value, str) else []
            if unknown:
                errors[column] = f"Onbekende variabele(n): {', '.join(unknown)}. Definieer ze onder Variabelen."
        for key, value in self.shared_variants().items():
            column, audience = split_variant_key(key)
            label = f"Doelgroepvariant {audience} van {self._meta.get_field(self.field_of(column)).verbose_name}"
            unknown = unknown_variables(value) if isinstance(value, str) else []
            if unknown:
                errors.setdefault(NON_FIELD_ERRORS, []).append(f"{label}: onbekende variabele(n): {', '.join(unknown)}.")
            try:
                self._meta.get_field(column).run_validators(value)  # a link stays a link, lengths hold
            except ValidationError as error:
                errors.setdefault(NON_FIELD_ERRORS, []).append(f"{label}: {' '.join(error.messages)}")
        if self.agents_from and self.go_live_at and self.agents_from > self.go_live_at:
            errors["agents_from"] = "KCC-medewerkers zien een gepland item vóór of op 'live vanaf', niet erna."
        if errors:
            raise ValidationError(errors)

    def sanitise_rich_text(self):
        for name in self.rich_text_fields:
            for column in self.columns_of(name):
                value = getattr(self, column)
                if value:
                    setattr(self, column, sanitise_html(value))
        for values in (self.audience_variants or {}).values():
            for column, value in values.items():
                if value and isinstance(value, str) and self.field_of(column) in self.rich_text_fields:
                    values[column] = sanitise_html(value)

    def save(self, *args, **kwargs):
        # One save, one transaction: what it does besides writing the row
        # (sanitise, flag stale overrides, bump the content version, queue
        # the search update: sharing/effects.py) commits or rolls back with it.
        with transaction.atomic():
            super().save(*args, **kwargs)

    def published_base_values(self, update_fields=None):
        """The base values this save made public; empty when it published none.

        A draft or autosave of a live entry only writes the revision pointer
        (save(update_fields=["latest_revision", …])) while the instance holds
        the draft's values: those are not the base anyone sees yet. A row
        that is not live is no published base either."""
        if not self.live:
            return {}
        values = self.base_values()
        if update_fields is None:
            return values
        return {
            key: value
            for key, value in values.items()
            if split_variant_key(key)[0] in update_fields or (key != split_variant_key(key)[0] and "audience_variants" in update_fields)
        }


class FieldOverrideQuerySet(models.QuerySet):
    def update_staleness(self, base_values):
        """Flag every override whose base text differs from the current base,
        and clear the flag where the base is back to that text.

        Comparing with the base the override was written against (not with
        the previous save) means a change that is undone flags nothing, and
        comparing normalised text means an editor's round trip that only moves
        whitespace or markup details flags nothing."""
        variants = models.Q(field_name__contains=VARIANT_SEPARATOR)
        for override in self.filter(models.Q(field_name__in=base_values) | variants):
            base = variant_base(override.field_name, base_values)
            if base is None:
                continue
            stale = differs(override.base_value, base)
            if stale != override.base_changed:
                override.base_changed = stale
                override.save(update_fields=["base_changed"])

    def flagged(self):
        return self.filter(base_changed=True)


class FieldOverride(models.Model):
    """One municipality's value for one field of a shared entry.

    `base_value` is the shared text the override was written (or last
    reviewed) against: with the entry's current text it gives the editor
    old base / new base / local text when the base changes."""

    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="+")
    field_name = models.CharField("veld", max_length=64)
    value = models.JSONField("lokale waarde")
    base_value = models.JSONField("gedeelde waarde bij het afwijken", null=True, blank=True)
    base_changed = models.BooleanField("gedeelde tekst gewijzigd", default=False, db_index=True)
    updated_at = models.DateTimeField("laatst gewijzigd", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="gewijzigd door", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = FieldOverrideQuerySet.as_manager()

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.entry} · {self.field_name} · {self.gemeente}"


class Team(models.Model):
    """A team or department that owns texts: of the region (gemeente empty)
    or of one gemeente. Its members get the flags and the review digest."""

    name = models.CharField("naam", max_length=100)
    gemeente = models.ForeignKey(
        Gemeente, verbose_name="gemeente", null=True, blank=True, on_delete=models.CASCADE, related_name="+", help_text="Leeg: een team van de regio."
    )
    email = models.EmailField("e-mailadres", blank=True, help_text="Gedeelde mailbox voor het overzicht; leeg: de e-mailadressen van de leden.")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="leden", blank=True, related_name="teams")

    base_form_class = GemeenteScopedForm

    class Meta:
        verbose_name = "team"
        verbose_name_plural = "teams"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["name", "gemeente"], name="unique_team_name_per_gemeente")]

    def __str__(self):
        return f"{self.name} ({self.gemeente})" if self.gemeente_id else self.name


class LocalOwnership(models.Model):
    """Who owns one gemeente's local texts (its overrides) of one shared
    entry, and when they are next reviewed. The entry is addressed by its
    kind's name and id (sharing/kinds.py); a shared or local entry keeps its
    own owner and review date on its row."""

    entry_kind = models.CharField("soort onderwerp", max_length=40)
    entry_id = models.PositiveBigIntegerField("onderwerp-id")
    gemeente = models.ForeignKey(Gemeente, verbose_name="gemeente", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="eigenaar", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    owner_team = models.ForeignKey(Team, verbose_name="eigenaar (team)", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    review_date = models.DateField("herzien vóór", null=True, blank=True)
    reviewed_at = models.DateTimeField("laatst gecontroleerd", null=True, blank=True)

    class Meta:
        verbose_name = "eigenaar van lokale teksten"
        verbose_name_plural = "eigenaren van lokale teksten"
        constraints = [models.UniqueConstraint(fields=["entry_kind", "entry_id", "gemeente"], name="unique_local_ownership")]
        indexes = [models.Index(fields=["gemeente", "review_date"], name="local_ownership_due")]

    def __str__(self):
        return f"{self.entry_kind} {self.entry_id} · {self.gemeente}"


class Variable(models.Model):
    """A municipal variable usable in shared text as {{ key }}."""

    class Kind(models.TextChoices):
        TEXT = "text", "tekst"
        MONEY = "money", "bedrag"
        PHONE = "phone", "telefoonnummer"
        URL = "url", "internetadres"

    key = models.CharField(
        "sleutel", max_length=64, unique=True, help_text="Bijv. leges.paspoort; in tekst: {{ leges.paspoort }}"
    )
    kind = models.CharField("soort", max_length=10, choices=Kind.choices, default=Kind.TEXT)
    label = models.CharField("omschrijving", max_length=200)
    fallback = models.CharField(
        "tekst als de gemeente geen waarde heeft",
        max_length=200,
        blank=True,
        help_text="Burgers zien nooit {{ … }}: zonder waarde verschijnt deze tekst en krijgt de redactie een melding.",
    )

    class Meta:
        verbose_name = "gemeentelijke variabele"
        verbose_name_plural = "gemeentelijke variabelen"
        ordering = ["key"]

    def __str__(self):
        return self.key


def _latest_per_key(gemeenten, rows):
    """{gemeente pk: {key: row}} of rows ordered by valid_from: the value in force comes last."""
    values = {gemeente.pk: {} for gemeente in gemeenten}
    for row in rows:
        values[row.gemeente_id][row.variable.key] = row
    return values


class VariableValueQuerySet(models.QuerySet):
    def in_force_many(self, gemeenten, on=None, agents_at=None):
        """The one rule for "the value on a date" (a fee from 1 January), for
        every channel: {gemeente pk: {key: value row}}, per gemeente and
        variable the latest valid_from ≤ the date (today by default; a value
        without a date counts as valid since ever). `agents_at`: the agent
        channel at that moment, which also has the later values whose
        "voor KCC-medewerkers vanaf" has passed (agents first)."""
        gemeenten = list(gemeenten)
        on = on or timezone.localdate()
        return _latest_per_key(gemeenten, self._candidates(gemeenten, on, agents_at))

    def in_force_per_channel(self, gemeenten, agents_at, on=None):
        """(public, agents): `in_force_many` for the public on `on` and for
        agents at `agents_at`, from one query (the agents' rows are a
        superset of the public's)."""
        gemeenten = list(gemeenten)
        on = on or timezone.localdate()
        rows = list(self._candidates(gemeenten, on, agents_at))
        public = [row for row in rows if row.valid_from is None or row.valid_from <= on]
        return _latest_per_key(gemeenten, public), _latest_per_key(gemeenten, rows)

    def _candidates(self, gemeenten, on, agents_at):
        in_force = models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=on)
        if agents_at is not None:
            in_force |= models.Q(agents_from__lte=agents_at)
        return (
            self.filter(gemeente__in=gemeenten)
            .filter(in_force)
            .select_related("variable")
            .order_by("gemeente_id", "variable_id", models.F("valid_from").asc(nulls_first=True))
        )

    def in_force(self, gemeente, on=None, agents_at=None):
        """{key: value row} of one gemeente on a date (`in_force_many`)."""
        return self.in_force_many([gemeente], on=on, agents_at=agents_at)[gemeente.pk]


class VariableValue(models.Model):
    variable = models.ForeignKey(Variable, verbose_name="variabele", on_delete=models.CASCADE, related_name="values")
    gemeente = models.ForeignKey(Gemeente, on_delete=models.CASCADE, related_name="variable_values")
    value = models.CharField("waarde", max_length=500)
    valid_from = models.DateField(
        "geldig vanaf", null=True, blank=True, help_text="Leeg: geldt nu. Bijv. 1 januari voor nieuwe leges."
    )
    agents_from = models.DateTimeField(
        "voor KCC-medewerkers vanaf",
        null=True,
        blank=True,
        help_text="Bij een latere 'geldig vanaf': KCC-medewerkers zien de nieuwe waarde al vanaf dit moment, het publiek pas vanaf 'geldig vanaf'.",
    )

    objects = VariableValueQuerySet.as_manager()
    base_form_class = GemeenteScopedForm

    class Meta:
        verbose_name = "waarde van een variabele"
        verbose_name_plural = "waarden van variabelen"
        constraints = [
            models.UniqueConstraint(
                fields=["variable", "gemeente", "valid_from"], name="unique_variable_value_per_date"
            )
        ]

    def __str__(self):
        from .variables import display_value

        return f"{self.variable.key} = {display_value(self.variable.kind, self.value)} ({self.gemeente})"

    def clean(self):
        from .scheduling import agents_date_error, value_goes_public

        super().clean()
        error = agents_date_error(self.agents_from, value_goes_public(self.valid_from), "geldig vanaf")
        if error:
            raise ValidationError({"agents_from": error})


class ContentVersion(models.Model):
    """A slot whose token a content change replaces, in the same
    transaction as the change (sharing/cache.py): cached resolutions are
    keyed by the tokens of all slots, so all processes stop using them at
    once; writers spread over the slots, so they rarely wait for each other."""

    token = models.CharField(max_length=32)  # of everything
    scopes = models.JSONField(default=dict, blank=True)  # {model label: token of that model's changes}
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = "inhoudsversie"
        verbose_name_plural = "inhoudsversie"

    def __str__(self):
        return f"{self.token} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


from .workflow_models import FourEyesTask, OverrideChange, ScheduleRun, ValueChange  # noqa: E402,F401  (models of this app)
