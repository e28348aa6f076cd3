"""The one resolution function: entry × gemeente × audience × channel →
the entry as that channel publishes it for that gemeente.

Every channel (website, widget, API, feeds, search index) calls `resolve`
or `resolve_many`; nothing else combines base text, overrides and
variables. The public channel never reads agent-only fields or notes.

`resolve_summaries` is the same resolution cut down to what a list item
shows (title, summary, offered): it reads only those columns and their
overrides, and shares every rule with `resolve`."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.utils import translation
from wagtail.rich_text import expand_db_html

from .kinds import get_kind
from .models import has_text, split_variant_key
from .scheduling import agents_early_filter, as_agents_see, pending_override_changes, shown_to_agents_early, with_pending
from .scope import shared_or_own
from .variables import GemeenteContext

PUBLIC = "public"
AGENT = "agent"
CHANNELS = (PUBLIC, AGENT)
DUTCH = settings.LANGUAGE_CODE  # the language of every entry; others are translations


@dataclass(frozen=True)
class ResolvedNote:
    kind: str
    kind_label: str
    title: str
    body: str
    local: bool


@dataclass(frozen=True)
class ResolvedSection:
    """One non-empty section of a resolved entry, with its kind's heading
    and page anchor."""

    name: str
    heading: str
    anchor: str
    html: str


@dataclass(frozen=True)
class ResolvedEntry:
    """An entry as one channel publishes it for one gemeente. `fields` holds
    every resolved field by name; the typed parts (title, summary,
    sections, audiences, themes, keywords, agent_fields) follow the kind's
    schema, so channels iterate them instead of naming fields."""

    kind: str
    id: int
    slug: str
    gemeente: str
    channel: str
    language: str
    fields: dict
    offered: bool = True
    local: bool = False
    overridden: frozenset = frozenset()
    stale: frozenset = frozenset()
    notes: tuple = ()
    problems: tuple = field(default=())
    modified: datetime | None = None  # the entry's or this gemeente's overrides' latest change
    public_from: datetime | None = None  # agents see it, or a change of it, before the public (sharing/scheduling.py)
    # Translated fields shown in Dutch: no text in `language` (see _for_language).
    fallback: frozenset = frozenset()
    audience: str | None = None  # the audience resolved for (None: the general text)
    # {audience: {field name: text}}: where an audience's text differs from
    # the general text on this channel (an override of a variant, else the
    # shared variant); `fields` holds `audience`'s already.
    variants: dict = field(default_factory=dict)

    def __getitem__(self, name):
        return self.fields[name]

    @property
    def entry_kind(self):
        return get_kind(self.kind)

    @property
    def title(self):
        return self.fields[self.entry_kind.title_field]

    @property
    def summary(self):
        return self.fields.get("summary", "")

    @property
    def sections(self):
        """The non-empty sections of the page text, in the kind's order."""
        return tuple(
            ResolvedSection(s.name, _heading(s.heading, self.language), s.anchor or s.name, self.fields[s.name])
            for s in self.entry_kind.sections
            if self.fields.get(s.name)
        )

    @property
    def body_html(self):
        return "".join(section.html for section in self.sections)

    @property
    def audiences(self):
        """Whom the entry is for: its own audiences and those it has a variant for."""
        own = list(self.fields.get("audiences", []))
        return own + [a for a in self.variant_audiences if a not in own]

    @property
    def variant_audiences(self):
        """The audiences with their own text on this channel, by slug."""
        return tuple(self.variants)

    def for_audience(self, audience):
        """This general resolution as `audience` reads it: with its variant
        where it has one, else the general text. The same text as
        `resolve(…, audience=audience)`, without resolving again."""
        if self.audience is not None:
            raise ValueError("for_audience needs the general resolution")
        if not audience:
            return self
        return replace(self, audience=audience, fields={**self.fields, **self.variants.get(audience, {})})

    @property
    def themes(self):
        return self.fields.get("themes", [])

    @property
    def keywords(self):
        return self.fields.get("keywords", [])

    @property
    def agent_fields(self):
        """{name: value} of the agent-only fields (empty on the public channel)."""
        if self.channel != AGENT:
            return {}
        return {name: self.fields[name] for name in self.entry_kind.model.agent_only_fields if name in self.fields}


class ResolvedSummary(NamedTuple):
    """An entry as a list item shows it: the title and summary `resolve`
    gives, and whether the gemeente offers it (see resolve_summaries). A
    named tuple: cached by the hundred, and cheap to pickle."""

    kind: str
    id: int
    slug: str
    gemeente: str
    channel: str
    language: str
    title: str
    summary: str
    offered: bool = True
    local: bool = False
    fallback: frozenset = frozenset()  # as ResolvedEntry.fallback


def has_title_in(resolved, language):
    """Whether a resolved entry or summary has its title in `language` (a
    kind without translations never has)."""
    kind = get_kind(resolved.kind)
    if kind.title_field not in kind.model.translated_fields:
        return False
    return bool(resolved.title) and resolved.language == language and kind.title_field not in resolved.fallback


def entry_kind(entry):
    """The kind name of an entry."""
    return get_kind(entry).name


def is_visible(entry, gemeente, channel):
    """Whether the entry exists at all for this gemeente on this channel."""
    if entry.gemeente_id not in (None, gemeente.pk):
        return False  # another gemeente's local entry
    if not entry.live and not (channel == AGENT and shown_to_agents_early(entry)):
        return False
    if channel == PUBLIC and not get_kind(entry).is_public(entry):
        return False
    return True


def resolve(entry, gemeente, *, channel=PUBLIC, audience=None, language="nl", fallback=True, context=None, overrides=None, notes=None, public_from=None, scheduled=True):
    """The resolved entry, or None when it does not exist for this gemeente,
    channel and audience (another gemeente's local entry, unpublished,
    not offered here on the public channel, not for this audience).
    A translated field without text in `language` falls back to Dutch
    (named in `fallback`, for the channel to mark), or is empty with
    `fallback=False`; a gemeente's own Dutch text outranks the shared
    translation (`_for_language`).

    On the agent channel, when `resolve` reads the overrides itself, it
    shows the scheduled changes agents see already (sharing/scheduling.py;
    `scheduled=False`: the live text, for a public page that borrows from
    the agent channel); a caller that passes `overrides` passes the state
    it wants (the batch functions below apply those changes themselves,
    `public_from` the date the first of the gemeente's goes public)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if not is_visible(entry, gemeente, channel):
        return None
    context = _context(context, gemeente, channel, scheduled)
    if overrides is None:
        overrides = {o.field_name: o for o in entry.overrides.filter(gemeente=gemeente)}
        if channel == AGENT and scheduled:
            (entry,) = as_agents_see([entry])
            kind = get_kind(entry)
            overrides, public_from = with_pending(kind, overrides, pending_override_changes(kind, [entry.pk], [gemeente.pk]).get((entry.pk, gemeente.pk)))
    merged = _for_language(entry, _merged(entry.base_values(), overrides), overrides, language)
    offered = _offered(merged)
    if channel == PUBLIC and not offered:
        return None

    fields, problems = {}, []
    for name in entry.overridable_fields:
        if name in entry.agent_only_fields and channel == PUBLIC:
            continue
        value = _in_language(entry, merged, name, language, fallback)
        fields[name], unresolved = _render(entry, name, value, context)
        problems += [f"{key} ({name})" for key in unresolved]
    raw_variants = _variants(entry, overrides, channel)
    if audience and audience not in entry.audiences and audience not in raw_variants:
        return None
    variants = _rendered_variants(entry, merged, raw_variants, fields, language, fallback, context, problems)
    fields.update(variants.get(audience, {}))
    fields.update(_fixed_fields(entry, channel, context, problems))
    fields.pop("offered", None)

    return ResolvedEntry(
        kind=entry_kind(entry),
        id=entry.pk,
        slug=entry.slug,
        gemeente=gemeente.slug,
        channel=channel,
        language=language,
        fields=fields,
        offered=offered,
        local=entry.gemeente_id is not None,
        overridden=frozenset(overrides),
        stale=frozenset(c for c, o in overrides.items() if o.base_changed),
        notes=_resolve_notes(entry, gemeente, channel, notes, context),
        problems=tuple(problems),
        modified=max(filter(None, [entry.updated_at, *(getattr(o, "updated_at", None) for o in overrides.values())]), default=None),
        public_from=_public_from(entry, public_from, _values_public_from(entry, merged, raw_variants, context)),
        fallback=_fallbacks(entry, {**merged, **raw_variants.get(audience, {})}, language, fields) if fallback else frozenset(),
        audience=audience or None,
        variants=variants,
    )


def _public_from(entry, *pending):
    """When what the agent channel shows of the entry becomes public: a not
    yet live entry's go-live, else the earliest of its scheduled change,
    the gemeente's scheduled override changes and the values agents see
    before the public (`pending`); None when all of it is public."""
    dates = [entry.go_live_at if not entry.live else getattr(entry, "_public_from", None), *pending]
    return min(filter(None, dates), default=None)


def _context(context, gemeente, channel, scheduled=True):
    """The gemeente's variables as this channel reads them: the agent
    channel (with its scheduled changes) has the values agents see before
    the public, no other does. The agents' context given for another
    channel is replaced (never a leak); a caller of the agent channel
    passes the agents' (sharing.cache.gemeente_context(gemeente, AGENT))."""
    agents = channel == AGENT and scheduled
    if context is None or (getattr(context, "agents", False) and not agents):
        return GemeenteContext.load(gemeente, agents=agents)
    return context


def _values_public_from(entry, merged, variants, context):
    """When the first value that the entry's text uses and that agents see
    before the public goes public (None: none, or not the agent channel)."""
    if not getattr(context, "public_from", None):
        return None
    texts = [*merged.values(), *(getattr(entry, name, None) for name in entry.agent_only_fields)]
    texts += [text for values in variants.values() for text in values.values()]
    return context.public_from_of(texts)


def resolve_many(entries, gemeente, **kwargs):
    """Resolve a batch (a queryset or a list of entries of one model, order
    kept) with a fixed number of queries: overrides and notes of this
    gemeente are fetched once for all entries."""
    queryset, order = _batch(entries)
    if queryset is None:
        return []
    model = queryset.model
    override_model = model.overrides.rel.related_model
    # The public channel never reads agent notes: not even a query for them.
    channel = kwargs.get("channel", PUBLIC)
    context = _context(kwargs.pop("context", None), gemeente, channel)
    kind = get_kind(model)
    notes_prefetch = (
        [Prefetch(kind.notes_relation, queryset=_notes_query(model, gemeente), to_attr="_local_notes")]
        if channel == AGENT and kind.has_notes
        else []
    )
    fetched = list(
        queryset.select_related(*model.resolution_select_related).prefetch_related(
            *model.resolution_prefetch_related,
            Prefetch("overrides", queryset=override_model.objects.filter(gemeente=gemeente), to_attr="_local_overrides"),
            *notes_prefetch,
        )
    )
    _keep_order(fetched, order)
    pending = {}
    if channel == AGENT:
        fetched = as_agents_see(fetched)
        pending = pending_override_changes(kind, [e.pk for e in fetched], [gemeente.pk])

    def overrides_of(entry):
        return with_pending(kind, {o.field_name: o for o in entry._local_overrides}, pending.get((entry.pk, gemeente.pk)))

    resolved = (
        resolve(entry, gemeente, context=context, overrides=overrides, notes=getattr(entry, "_local_notes", ()), public_from=public_from, **kwargs)
        for entry in fetched
        for overrides, public_from in [overrides_of(entry)]
    )
    return [r for r in resolved if r is not None]


def resolve_across(entries, gemeenten, *, channel=PUBLIC, contexts=None):
    """Resolve a batch of entries of one model (a queryset or a list) for
    many gemeenten in one pass: the entries once, their overrides of all
    these gemeenten in one query, their notes in one, the gemeenten's
    variables in a fixed number (or `contexts`, {gemeente pk: context}).
    Yields (gemeente, entry pk, ResolvedEntry or None) per entry and
    gemeente, each exactly what `resolve_many` gives for that gemeente."""
    queryset, order = _batch(entries)
    if queryset is None:
        return
    gemeenten = list(gemeenten)
    agents = channel == AGENT
    if not contexts or (not agents and any(getattr(c, "agents", False) for c in contexts.values())):
        contexts = GemeenteContext.load_many(gemeenten, agents=agents)
    model = queryset.model
    kind = get_kind(model)
    fetched = list(queryset.select_related(*model.resolution_select_related).prefetch_related(*model.resolution_prefetch_related))
    _keep_order(fetched, order)
    if channel == AGENT:
        fetched = as_agents_see(fetched)
    pks, gemeente_pks = [e.pk for e in fetched], [g.pk for g in gemeenten]
    pending = pending_override_changes(kind, pks, gemeente_pks) if channel == AGENT else {}
    overrides = {}
    for o in kind.override_model.objects.filter(entry_id__in=pks, gemeente_id__in=gemeente_pks):
        overrides.setdefault((o.entry_id, o.gemeente_id), {})[o.field_name] = o
    notes = {}
    if channel == AGENT and kind.has_notes:
        relation = getattr(model, kind.notes_relation).rel
        rows = relation.related_model.objects.filter(**{f"{relation.field.attname}__in": pks}).filter(shared_or_own(gemeente_pks))
        for note in rows:
            notes.setdefault(getattr(note, relation.field.attname), []).append(note)
    names = [(name, tuple(model.columns_of(name))) for name in model.overridable_fields]
    for entry in fetched:
        entry_notes = notes.get(entry.pk, ())
        shared_notes = [n for n in entry_notes if n.gemeente_id is None]
        shared = _shared_resolution(entry, gemeenten, channel, contexts, shared_notes, names)
        for gemeente in gemeenten:
            local_notes = [n for n in entry_notes if n.gemeente_id in (None, gemeente.pk)]
            entry_overrides, public_from = with_pending(kind, overrides.get((entry.pk, gemeente.pk), {}), pending.get((entry.pk, gemeente.pk)))
            context = contexts[gemeente.pk]
            if shared:
                resolved = _with_overrides(shared, entry, gemeente, entry_overrides, local_notes, context, names)
                if resolved is not None and public_from:
                    resolved = replace(resolved, public_from=_public_from(entry, public_from, resolved.public_from))
            else:
                resolved = resolve(entry, gemeente, channel=channel, context=context, overrides=entry_overrides, notes=local_notes, public_from=public_from)
            yield gemeente, entry.pk, resolved


@dataclass(frozen=True)
class _Shared:
    """A shared entry resolved once without overrides, and what of it
    depends on the gemeente: the fields whose text uses variables, the
    agent fields that do, whether the notes do."""

    resolved: ResolvedEntry
    base: dict
    variable_fields: frozenset
    variable_agent_fields: tuple
    variable_notes: bool
    variable_variants: bool


def _uses_variables(value):
    return isinstance(value, str) and "{{" in value


def _shared_resolution(entry, gemeenten, channel, contexts, shared_notes, names):
    """A shared entry resolved without overrides for the first gemeente
    (None for a local entry or where it does not resolve)."""
    if entry.gemeente_id is not None or not gemeenten:
        return None
    first = gemeenten[0]
    resolved = resolve(entry, first, channel=channel, context=contexts[first.pk], overrides={}, notes=shared_notes)
    if resolved is None:
        return None
    base = entry.base_values()
    return _Shared(
        resolved=resolved,
        base=base,
        variable_fields=frozenset(name for name, columns in names if any(_uses_variables(base[c]) for c in columns)),
        variable_agent_fields=tuple(
            name for name in entry.agent_only_fields if channel == AGENT and name not in entry.overridable_fields and _uses_variables(getattr(entry, name))
        ),
        variable_notes=any(_uses_variables(n.title) or _uses_variables(n.body) for n in shared_notes),
        variable_variants=any(_uses_variables(value) for value in entry.shared_variants().values()),
    )


def _with_overrides(shared, entry, gemeente, overrides, notes, context, names):
    """What `resolve` gives for this gemeente, from the shared resolution:
    only the fields its overrides touch or whose text uses variables are
    resolved again (in `resolve`'s order, so the problems come out alike),
    the notes only when it has its own or they use variables."""
    resolved = shared.resolved
    if (
        not overrides
        and not shared.variable_fields
        and not shared.variable_agent_fields
        and not shared.variable_notes
        and not shared.variable_variants
        and len(notes) == len(resolved.notes)
    ):
        return replace(resolved, gemeente=gemeente.slug)
    merged = _for_language(entry, _merged(shared.base, overrides), overrides, resolved.language)
    offered = _offered(merged)
    if resolved.channel == PUBLIC and not offered:
        return None
    fields, problems = dict(resolved.fields), []
    for name, columns in names:
        if name in fields and (name in shared.variable_fields or any(column in overrides for column in columns)):
            fields[name], unresolved = _render(entry, name, _in_language(entry, merged, name, resolved.language), context)
            problems += [f"{key} ({name})" for key in unresolved]
    for name in shared.variable_agent_fields:
        fields[name], unresolved = _render(entry, name, getattr(entry, name), context)
        problems += [f"{key} ({name})" for key in unresolved]
    raw_variants = _variants(entry, overrides, resolved.channel)
    variants = _rendered_variants(entry, merged, raw_variants, fields, resolved.language, True, context, problems)
    public_from = _public_from(entry, _values_public_from(entry, merged, raw_variants, context))
    own_notes = len(notes) != len(resolved.notes) or shared.variable_notes
    return replace(
        resolved,
        gemeente=gemeente.slug,
        fields=fields,
        offered=offered,
        overridden=frozenset(overrides),
        stale=frozenset(c for c, o in overrides.items() if o.base_changed),
        notes=_resolve_notes(entry, gemeente, resolved.channel, notes, context) if own_notes else resolved.notes,
        problems=tuple(problems),
        variants=variants,
        modified=max(filter(None, [entry.updated_at, *(getattr(o, "updated_at", None) for o in overrides.values())]), default=None),
        public_from=public_from,
    )


def summary_columns(model):
    """The overridable columns a summary reads: the title, summary and
    offered, in every language."""
    names = (get_kind(model).title_field, "summary", "offered")
    return [column for name in model.overridable_fields if name in names for column in model.columns_of(name)]


def resolve_summaries(entries, gemeente, *, channel=PUBLIC, language="nl", context=None):
    """Title, summary and offered of a batch (a queryset or a list of
    entries of one model, order kept), exactly as `resolve` gives them, in
    two queries (the entries' few columns, this gemeente's overrides of
    those columns) and without the rest of the entry: no other text, no
    taxonomies, no notes. The same entries are left out as by `resolve`
    (audiences aside). The gemeente's variables are loaded only when a
    title or summary uses one and no `context` is given. The agent channel
    shows the scheduled changes agents see already, as `resolve` does."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    queryset, order = _batch(entries)
    if queryset is None:
        return []
    if context is not None and getattr(context, "agents", False) and channel != AGENT:
        context = None  # the agents' variables: the public ones are loaded when used
    model = queryset.model
    columns = summary_columns(model)
    kind = get_kind(model)
    scheduled = ("has_unpublished_changes",) if channel == AGENT else ()
    fetched = list(
        queryset.select_related(None).prefetch_related(None).only("pk", "slug", "gemeente", "live", *scheduled, *kind.visibility_columns, *columns).prefetch_related(
            Prefetch(
                "overrides",
                queryset=kind.override_model.objects.filter(gemeente=gemeente, field_name__in=columns).only("entry", "field_name", "value"),
                to_attr="_summary_overrides",
            )
        )
    )
    _keep_order(fetched, order)
    pending = {}
    if channel == AGENT:
        fetched = as_agents_see(fetched)
        pending = pending_override_changes(kind, [e.pk for e in fetched], [gemeente.pk])
    title_name = kind.title_field
    summaries = []
    for entry in fetched:
        if not is_visible(entry, gemeente, channel):
            continue
        changes = [c for c in pending.get((entry.pk, gemeente.pk), ()) if c.field_name in columns]
        local, _ = with_pending(kind, {o.field_name: o for o in entry._summary_overrides}, changes)
        merged = _for_language(entry, _merged({column: getattr(entry, column) for column in columns}, local), local, language)
        offered = _offered(merged)
        if channel == PUBLIC and not offered:
            continue
        texts = {name: _in_language(entry, merged, name, language) for name in (title_name, "summary") if name in model.overridable_fields}
        if context is None and any(isinstance(text, str) and "{{" in text for text in texts.values()):
            context = _context(None, gemeente, channel)
        rendered = {name: _render(entry, name, text, context)[0] for name, text in texts.items()}
        summaries.append(
            ResolvedSummary(
                kind=kind.name,
                id=entry.pk,
                slug=entry.slug,
                gemeente=gemeente.slug,
                channel=channel,
                language=language,
                title=rendered[title_name],
                summary=rendered.get("summary", ""),
                offered=offered,
                local=entry.gemeente_id is not None,
                fallback=_fallbacks(entry, merged, language, texts),
            )
        )
    return summaries


def visible_queryset(model, gemeente, channel=PUBLIC):
    """Live entries a gemeente can see: shared ones and its own local ones;
    on the agent channel also those scheduled to reach agents first."""
    live = Q(live=True) | agents_early_filter() if channel == AGENT else Q(live=True)
    return model.objects.filter(live).filter(shared_or_own(gemeente))


def published_queryset(model, gemeente, channel=PUBLIC):
    """The entries `resolve` publishes for this gemeente on this channel
    (audience aside), as a queryset: to count and page a listing without
    resolving every entry. The agent channel has every visible entry; the
    public channel leaves out what the kind does not publish (an inactive
    VAC) and what this gemeente does not offer (its own "offered" override
    first, else the base), decided here with the same bool() as `resolve`."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    queryset = visible_queryset(model, gemeente, channel)
    if channel == AGENT:
        return queryset
    kind = get_kind(model)
    queryset = queryset.filter(kind.public_filter())
    override_model = kind.override_model
    local = dict(override_model.objects.filter(gemeente=gemeente, field_name="offered").values_list("entry_id", "value"))
    offered_here = [pk for pk, value in local.items() if bool(value)]
    not_offered_here = [pk for pk, value in local.items() if not bool(value)]
    return queryset.filter(Q(offered=True) | Q(pk__in=offered_here)).exclude(pk__in=not_offered_here)


def _batch(entries):
    """(queryset, order of the given entries or None) of a queryset or a
    list of entries of one model; (None, None) for an empty list."""
    if isinstance(entries, QuerySet):
        return entries, None
    entries = list(entries)
    if not entries:
        return None, None
    order = [e.pk for e in entries]
    return type(entries[0]).objects.filter(pk__in=order), order


def _keep_order(fetched, order):
    if order is not None:
        position = {pk: index for index, pk in enumerate(order)}
        fetched.sort(key=lambda entry: position[entry.pk])


def _merged(base_values, overrides):
    """Base values with this gemeente's overrides of those columns."""
    merged = dict(base_values)
    merged.update({column: o.value for column, o in overrides.items() if column in merged})
    return merged


def _offered(merged):
    return bool(merged.get("offered", True))


def _variants(entry, overrides, channel):
    """{audience: {column: text}} of the variants this gemeente publishes
    on the channel: its override of a variant (an empty one: none, the
    general text instead), else the shared variant."""
    columns = set(entry.variant_columns())
    if channel == PUBLIC:
        columns -= {column for name in entry.agent_only_fields for column in entry.columns_of(name)}
    found = {}
    for key, value in entry.shared_variants().items():
        column, audience = split_variant_key(key)
        if column in columns:
            found.setdefault(audience, {})[column] = value
    for key, override in overrides.items():
        column, audience = split_variant_key(key)
        if audience is None or column not in columns:
            continue
        if has_text(override.value):
            found.setdefault(audience, {})[column] = override.value
        else:
            found.get(audience, {}).pop(column, None)
    return {audience: values for audience, values in sorted(found.items()) if values}


def _rendered_variants(entry, merged, variants, fields, language, fallback, context, problems):
    """{audience: {field name: rendered text}} of the fields in `fields`
    whose text in `language` a variant changes."""
    rendered = {}
    for audience, columns in variants.items():
        overlay = {**merged, **columns}
        texts = {}
        for name in entry.overridable_fields:
            if name not in fields or not any(column in columns for column in entry.columns_of(name)):
                continue
            value = _in_language(entry, overlay, name, language, fallback)
            if value == _in_language(entry, merged, name, language, fallback):
                continue
            texts[name], unresolved = _render(entry, name, value, context)
            problems += [f"{key} ({name}, {audience})" for key in unresolved]
        if texts:
            rendered[audience] = texts
    return rendered


def _notes_query(model, gemeente):
    """The agent notes of a kind's entries that this gemeente sees: shared ones and its own."""
    notes_model = getattr(model, get_kind(model).notes_relation).rel.related_model
    return notes_model.objects.filter(shared_or_own(gemeente))


def _for_language(entry, merged, overrides, language):
    """`merged` for resolving in `language`: where this gemeente has its own
    Dutch text of a translated field and no own text in `language`, the
    shared translation is dropped, so the local Dutch text is shown (marked
    as Dutch) instead of a shared translation that does not hold here."""
    if language == DUTCH:
        return merged
    dropped = {
        f"{name}_{language}": ""
        for name in entry.translated_fields
        if f"{name}_{DUTCH}" in overrides and f"{name}_{language}" not in overrides and f"{name}_{language}" in merged
    }
    return {**merged, **dropped} if dropped else merged


def _fallbacks(entry, merged, language, fields):
    """The translated fields among `fields` that `_in_language` shows in Dutch."""
    if language == DUTCH:
        return frozenset()
    return frozenset(
        name for name in entry.translated_fields if name in fields and not merged.get(f"{name}_{language}") and merged.get(f"{name}_{DUTCH}")
    )


def _heading(heading, language):
    """A kind's (Dutch) section heading in `language`, from the interface
    translations (locale/)."""
    if not heading or language == DUTCH:
        return heading
    with translation.override(language):
        return translation.gettext(heading)


def _in_language(entry, merged, name, language, fallback=True):
    if name not in entry.translated_fields:
        return merged[name]
    return merged.get(f"{name}_{language}") or (fallback and merged.get(f"{name}_nl")) or ""


def _render(entry, name, value, context):
    if not isinstance(value, str):
        return value, []
    is_html = name in entry.rich_text_fields
    # Text without variables needs no context (resolve_summaries may have none).
    rendered, unresolved = context.render(value, html=is_html) if "{{" in value else (value, [])
    if is_html and "linktype=" in rendered:
        rendered = expand_db_html(rendered)
    return rendered, unresolved


def _fixed_fields(entry, channel, context, problems):
    """Fields that are never overridden: audiences, keywords, themes and the kind's own."""
    kind = get_kind(entry)
    fields = {"audiences": list(entry.audiences), "keywords": _split(getattr(entry, "keywords", ""))}
    if "themes" in kind.taxonomy_fields:
        fields["themes"] = [t.name for t in entry.themes.all()]
    fields.update(kind.fixed_fields(entry))
    for name in entry.agent_only_fields:
        if channel == AGENT and name not in entry.overridable_fields:
            fields[name], unresolved = _render(entry, name, getattr(entry, name), context)
            problems += [f"{key} ({name})" for key in unresolved]
    return fields


def _resolve_notes(entry, gemeente, channel, notes, context):
    kind = get_kind(entry)
    if channel != AGENT or not kind.has_notes:
        return ()
    if notes is None:
        notes = getattr(entry, kind.notes_relation).filter(shared_or_own(gemeente))
    return tuple(
        ResolvedNote(
            kind=note.kind,
            kind_label=note.get_kind_display(),
            title=context.render(note.title, html=False)[0],
            body=context.render(note.body, html=True)[0],
            local=note.gemeente_id is not None,
        )
        for note in notes
    )


def _split(keywords):
    return [k.strip() for k in (keywords or "").split(",") if k.strip()]
