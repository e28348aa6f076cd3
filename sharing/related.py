"""Related entries: what else a gemeente publishes that goes with one entry.

Candidates come from the editors' explicit relations (a product's related
products and the products that name it, a VAC's related VACs and products
and the VACs that name it) and from shared themes and life events. They are
filtered to what this gemeente publishes and ranked (explicit relations
first, then shared themes and life events; within each, products and VACs
alternate, each by score, then title). Not offered here, another gemeente's
local entries, unpublished entries and inactive VACs are never related
entries, on either channel. What the gemeente publishes comes as summaries
(`resolve_summaries`: title, summary; the same rules as `resolve`) from
`sharing.cache.published_summaries`, computed once per gemeente and content
version; the summaries shown are those, for the channel asked for.

One query (all candidates), and the gemeente's published summaries."""

from collections import Counter

from django.db.models import IntegerField, Value

from .cache import published_summaries
from .kinds import get_kind, kinds
from .resolution import AGENT, PUBLIC, ResolvedEntry, resolve_many, visible_queryset

RELATED_LIMIT = 5
EXPLICIT = 100  # an editor's explicit relation outweighs shared taxonomies


def related_keys(entry, gemeente, *, limit=RELATED_LIMIT):
    """[(kind name, id)] of the entries related to `entry` (an entry or its
    ResolvedEntry) that this gemeente publishes, best first, at most
    `limit`.

    Explicit relations come before shared themes and life events; within
    each of those two tiers the kinds alternate (a product's related
    questions are as useful to an agent as its related products), each kind
    in order of score, then title."""
    return [(kind, summary.id) for kind, summary in _related(entry, gemeente, limit)]


def related_entries(entry, gemeente, *, channel=PUBLIC, limit=RELATED_LIMIT):
    """The summaries (ResolvedSummary) of the entries related to `entry` (an
    entry or its ResolvedEntry) for this gemeente and channel,
    best first."""
    if channel not in (PUBLIC, AGENT):
        raise ValueError(f"unknown channel {channel!r}")
    return [summary._replace(channel=channel) for _, summary in _related(entry, gemeente, limit)]


def resolve_with_related(entry, gemeente, *, channel=PUBLIC, limit=RELATED_LIMIT, context=None):
    """(the resolved entry or None, the summaries of its related entries)."""
    if channel not in (PUBLIC, AGENT):
        raise ValueError(f"unknown channel {channel!r}")
    model = get_kind(entry).model
    main = next(iter(resolve_many(visible_queryset(model, gemeente).filter(pk=entry.pk), gemeente, channel=channel, context=context)), None)
    return main, related_entries(entry, gemeente, channel=channel, limit=limit)


def _related(entry, gemeente, limit):
    """[(kind, public summary)] of the related entries, best first."""
    scores = _candidate_scores(entry)
    if not scores or limit < 1:
        return []
    names = [kind.name for kind in kinds()]
    tiers = {True: {name: [] for name in names}, False: {name: [] for name in names}}
    for kind in kinds():
        published = published_summaries(kind.model, gemeente) if any(k == kind.name for k, _ in scores) else {}
        for pk in [pk for (k, pk) in scores if k == kind.name and pk in published]:
            score = scores[kind.name, pk]
            tiers[score >= EXPLICIT][kind.name].append((-score, published[pk].title.casefold(), pk, published[pk]))
    chosen = []
    for explicit in (True, False):
        queues = {kind: sorted(rows) for kind, rows in tiers[explicit].items() if rows}
        # The kind with the best candidate in this tier goes first.
        order = sorted(queues, key=lambda kind: queues[kind][0][:3])
        while queues and len(chosen) < limit:
            for kind in order:
                if queues.get(kind):
                    chosen.append((kind, queues[kind].pop(0)[3]))
                    if len(chosen) == limit:
                        break
            queues = {kind: rows for kind, rows in queues.items() if rows}
    return chosen


def _candidate_scores(entry):
    """{(kind name, id): score} of every entry related to `entry`, itself
    excluded: one query (a UNION ALL over the relation tables)."""
    kind = get_kind(entry)
    pk = entry.id if isinstance(entry, ResolvedEntry) else entry.pk
    parts = [*_explicit_relations(kind, pk), *_shared_taxonomies(kind, pk)]
    if not parts:
        return Counter()
    codes = {index: other.name for index, other in enumerate(kinds())}
    scores = Counter()
    for code, target, weight in parts[0].union(*parts[1:], all=True):
        scores[codes[code], target] += weight
    scores.pop((kind.name, pk), None)
    return scores


def _rows(queryset, target, column, weight):
    """(kind code, id, weight): the same three integer columns in every part."""
    code = kinds().index(target)
    return queryset.annotate(k=Value(code, IntegerField()), w=Value(weight, IntegerField())).values_list("k", column, "w")


def _explicit_relations(kind, pk):
    """The entries an editor related to this one, and those that name it:
    every kind's related_fields, read in both directions."""
    for source in kinds():
        for name in source.related_fields:
            field = source.model._meta.get_field(name)
            target = get_kind(field.related_model)
            through = field.remote_field.through
            source_column, target_column = field.m2m_column_name(), field.m2m_reverse_name()
            if source is kind:
                yield _rows(through.objects.filter(**{source_column: pk}), target, target_column, EXPLICIT)
            if target is kind:
                yield _rows(through.objects.filter(**{target_column: pk}), source, source_column, EXPLICIT)


def _shared_taxonomies(kind, pk):
    """Entries of every kind that share a theme or life event with this one."""
    for name in kind.taxonomy_fields:
        field = kind.model._meta.get_field(name)
        through = field.remote_field.through
        values = through.objects.filter(**{field.m2m_column_name(): pk}).values(field.m2m_reverse_name())
        for other in kinds():
            if name not in other.taxonomy_fields:
                continue
            other_field = other.model._meta.get_field(name)
            other_through = other_field.remote_field.through
            filter_ = {f"{other_field.m2m_reverse_name()}__in": values}
            yield _rows(other_through.objects.filter(**filter_), other, other_field.m2m_column_name(), 1)


__all__ = ["RELATED_LIMIT", "related_entries", "related_keys", "resolve_with_related"]
