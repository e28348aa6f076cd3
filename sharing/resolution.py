"""The one resolution function: entry × gemeente × audience × channel →
the entry as that channel publishes it for that gemeente.

Every channel (website, widget, API, feeds, search index) calls `resolve`
or `resolve_many`; nothing else combines base text, overrides and
variables. The public channel never reads agent-only fields or notes."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from wagtail.rich_text import expand_db_html

from .variables import GemeenteContext

PUBLIC = "public"
AGENT = "agent"
CHANNELS = (PUBLIC, AGENT)


@dataclass(frozen=True)
class ResolvedNote:
    kind: str
    kind_label: str
    title: str
    body: str
    local: bool


@dataclass(frozen=True)
class ResolvedEntry:
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

    def __getitem__(self, name):
        return self.fields[name]

    @property
    def title(self):
        return self.fields["title"] if "title" in self.fields else self.fields["question"]


def entry_kind(entry):
    return entry._meta.model_name


def is_visible(entry, gemeente, channel):
    """Whether the entry exists at all for this gemeente on this channel."""
    if entry.gemeente_id not in (None, gemeente.pk):
        return False  # another gemeente's local entry
    if not entry.live:
        return False
    if channel == PUBLIC and getattr(entry, "status", "actief") != "actief":
        return False
    return True


def resolve(entry, gemeente, *, channel=PUBLIC, audience=None, language="nl", context=None, overrides=None, notes=None):
    """The resolved entry, or None when it does not exist for this gemeente,
    channel and audience (another gemeente's local entry, unpublished,
    not offered here on the public channel, not for this audience)."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    if not is_visible(entry, gemeente, channel):
        return None
    if audience and audience not in entry.audiences:
        return None
    context = context or GemeenteContext.load(gemeente)
    if overrides is None:
        overrides = {o.field_name: o for o in entry.overrides.filter(gemeente=gemeente)}
    merged = {column: base for column, base in entry.base_values().items()}
    merged.update({column: o.value for column, o in overrides.items() if column in merged})
    offered = bool(merged.get("offered", True))
    if channel == PUBLIC and not offered:
        return None

    fields, problems = {}, []
    for name in entry.overridable_fields:
        if name in entry.agent_only_fields and channel == PUBLIC:
            continue
        value = _in_language(entry, merged, name, language)
        fields[name], unresolved = _render(entry, name, value, context)
        problems += [f"{key} ({name})" for key in unresolved]
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
    )


def resolve_many(entries, gemeente, **kwargs):
    """Resolve a batch (a queryset or a list of entries of one model, order
    kept) with a fixed number of queries: overrides and notes of this
    gemeente are fetched once for all entries."""
    if isinstance(entries, QuerySet):
        queryset, order = entries, None
    else:
        entries = list(entries)
        if not entries:
            return []
        order = [e.pk for e in entries]
        queryset = type(entries[0]).objects.filter(pk__in=order)
    model = queryset.model
    context = kwargs.pop("context", None) or GemeenteContext.load(gemeente)
    override_model = model.overrides.rel.related_model
    # The public channel never reads agent notes: not even a query for them.
    channel = kwargs.get("channel", PUBLIC)
    notes_prefetch = (
        [Prefetch("agent_notes", queryset=_notes_query(model, gemeente), to_attr="_local_notes")] if channel == AGENT else []
    )
    fetched = list(
        queryset.select_related(*model.resolution_select_related).prefetch_related(
            *model.resolution_prefetch_related,
            Prefetch("overrides", queryset=override_model.objects.filter(gemeente=gemeente), to_attr="_local_overrides"),
            *notes_prefetch,
        )
    )
    if order is not None:
        position = {pk: index for index, pk in enumerate(order)}
        fetched.sort(key=lambda entry: position[entry.pk])
    resolved = (
        resolve(
            entry,
            gemeente,
            context=context,
            overrides={o.field_name: o for o in entry._local_overrides},
            notes=getattr(entry, "_local_notes", ()),
            **kwargs,
        )
        for entry in fetched
    )
    return [r for r in resolved if r is not None]


def visible_queryset(model, gemeente):
    """Live entries a gemeente can see: shared ones and its own local ones."""
    return model.objects.filter(live=True).filter(Q(gemeente__isnull=True) | Q(gemeente=gemeente))


def published_queryset(model, gemeente, channel=PUBLIC):
    """The entries `resolve` publishes for this gemeente on this channel
    (audience aside), as a queryset: to count and page a listing without
    resolving every entry. The agent channel has every visible entry; the
    public channel leaves out inactive VACs and what this gemeente does not
    offer (its own "offered" override first, else the base), decided here
    with the same bool() as `resolve`."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    queryset = visible_queryset(model, gemeente)
    if channel == AGENT:
        return queryset
    if any(f.name == "status" for f in model._meta.fields):
        queryset = queryset.filter(status="actief")
    override_model = model.overrides.rel.related_model
    local = dict(override_model.objects.filter(gemeente=gemeente, field_name="offered").values_list("entry_id", "value"))
    offered_here = [pk for pk, value in local.items() if bool(value)]
    not_offered_here = [pk for pk, value in local.items() if not bool(value)]
    return queryset.filter(Q(offered=True) | Q(pk__in=offered_here)).exclude(pk__in=not_offered_here)


def _notes_query(model, gemeente):
    from kennis.models import AgentNote

    return AgentNote.objects.filter(Q(gemeente__isnull=True) | Q(gemeente=gemeente))


def _in_language(entry, merged, name, language):
    if name not in entry.translated_fields:
        return merged[name]
    return merged.get(f"{name}_{language}") or merged.get(f"{name}_nl") or ""


def _render(entry, name, value, context):
    if not isinstance(value, str):
        return value, []
    is_html = name in entry.rich_text_fields
    rendered, unresolved = context.render(value, html=is_html)
    if is_html and "linktype=" in rendered:
        rendered = expand_db_html(rendered)
    return rendered, unresolved


def _fixed_fields(entry, channel, context, problems):
    """Fields that are never overridden, per entry type."""
    fields = {"audiences": list(entry.audiences), "keywords": _split(entry.keywords)}
    fields["themes"] = [t.name for t in entry.themes.all()]
    if entry_kind(entry) == "product":
        fields.update(
            digid=entry.digid,
            appointment_required=entry.appointment_required,
            bookable_online=entry.bookable_online,
            legal_basis=entry.legal_basis,
            delivering_organisation=entry.delivering_organisation,
            complexity=entry.complexity,
            upl_name=entry.upl.name if entry.upl_id else "",
            upl_uri=entry.upl.uri if entry.upl_id else "",
            life_events=[e.name for e in entry.life_events.all()],
            department=entry.department.name if entry.department_id else "",
        )
    else:
        fields.update(status=entry.status, departments=[d.name for d in entry.departments.all()])
    for name in entry.agent_only_fields:
        if channel == AGENT and name not in entry.overridable_fields:
            fields[name], unresolved = _render(entry, name, getattr(entry, name), context)
            problems += [f"{key} ({name})" for key in unresolved]
    return fields


def _resolve_notes(entry, gemeente, channel, notes, context):
    if channel != AGENT:
        return ()
    if notes is None:
        notes = _notes_query(type(entry), gemeente).filter(**{entry_kind(entry): entry})
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
