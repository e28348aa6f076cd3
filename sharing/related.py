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

from kennis.models import VAC
from pdc.models import Product

from .cache import published_summaries
from .resolution import AGENT, PUBLIC, ResolvedEntry, entry_kind, resolve_many, visible_queryset
from .variables import GemeenteContext

RELATED_LIMIT = 5
EXPLICIT = 100  # an editor's explicit relation outweighs shared taxonomies
MODELS = {"product": Product, "vac": VAC}
KIND_CODES = {"product": 1, "vac": 2}
KINDS = {code: kind for kind, code in KIND_CODES.items()}


def related_keys(entry, gemeente, *, limit=RELATED_LIMIT):
    """[(kind, id)] of the entries related to `entry` (a Product or VAC, or
    its ResolvedEntry) that this gemeente publishes, best first, at most
    `limit`.

    Explicit relations come before shared themes and life events; within
    each of those two tiers the kinds alternate (a product's related
    questions are as useful to an agent as its related products), each kind
    in order of score, then title."""
    return [(kind, summary.id) for kind, summary in _related(entry, gemeente, limit)]


def related_entries(entry, gemeente, *, channel=PUBLIC, limit=RELATED_LIMIT):
    """The summaries (ResolvedSummary) of the entries related to `entry` (a
    Product or VAC, or its ResolvedEntry) for this gemeente and channel,
    best first."""
    if channel not in (PUBLIC, AGENT):
        raise ValueError(f"unknown channel {channel!r}")
    return [summary._replace(channel=channel) for _, summary in _related(entry, gemeente, limit)]


def resolve_with_related(entry, gemeente, *, channel=PUBLIC, limit=RELATED_LIMIT, context=None):
    """(the resolved entry or None, the summaries of its related entries)."""
    if channel not in (PUBLIC, AGENT):
        raise ValueError(f"unknown channel {channel!r}")
    context = context or GemeenteContext.load(gemeente)
    model = MODELS[entry_kind(entry)]
    main = next(iter(resolve_many(visible_queryset(model, gemeente).filter(pk=entry.pk), gemeente, channel=channel, context=context)), None)
    return main, related_entries(entry, gemeente, channel=channel, limit=limit)


def _related(entry, gemeente, limit):
    """[(kind, public summary)] of the related entries, best first."""
    scores = _candidate_scores(entry)
    if not scores or limit < 1:
        return []
    tiers = {True: {kind: [] for kind in MODELS}, False: {kind: [] for kind in MODELS}}
    for kind, model in MODELS.items():
        published = published_summaries(model, gemeente) if any(k == kind for k, _ in scores) else {}
        for pk in [pk for (k, pk) in scores if k == kind and pk in published]:
            score = scores[kind, pk]
            tiers[score >= EXPLICIT][kind].append((-score, published[pk].title.casefold(), pk, published[pk]))
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
    """{(kind, id): score} of every entry related to `entry`, itself excluded:
    one query (a UNION ALL over the relation tables)."""
    kind, pk = (entry.kind, entry.id) if isinstance(entry, ResolvedEntry) else (entry_kind(entry), entry.pk)
    product_themes = Product.themes.through.objects
    vac_themes = VAC.themes.through.objects
    life_events = Product.life_events.through.objects
    related_products = Product.related_products.through.objects
    vac_products = VAC.related_products.through.objects
    related_vacs = VAC.related_vacs.through.objects

    def rows(queryset, target_kind, column, weight):
        # (kind code, id, weight): the same three integer columns in every part.
        return queryset.annotate(k=Value(KIND_CODES[target_kind], IntegerField()), w=Value(weight, IntegerField())).values_list("k", column, "w")

    if kind == "product":
        themes = product_themes.filter(product_id=pk).values("theme_id")
        parts = [
            rows(related_products.filter(from_product_id=pk), "product", "to_product_id", EXPLICIT),
            rows(related_products.filter(to_product_id=pk), "product", "from_product_id", EXPLICIT),
            rows(vac_products.filter(product_id=pk), "vac", "vac_id", EXPLICIT),
            rows(product_themes.filter(theme_id__in=themes), "product", "product_id", 1),
            rows(vac_themes.filter(theme_id__in=themes), "vac", "vac_id", 1),
            rows(life_events.filter(lifeevent_id__in=life_events.filter(product_id=pk).values("lifeevent_id")), "product", "product_id", 1),
        ]
    elif kind == "vac":
        themes = vac_themes.filter(vac_id=pk).values("theme_id")
        parts = [
            rows(related_vacs.filter(from_vac_id=pk), "vac", "to_vac_id", EXPLICIT),
            rows(related_vacs.filter(to_vac_id=pk), "vac", "from_vac_id", EXPLICIT),
            rows(vac_products.filter(vac_id=pk), "product", "product_id", EXPLICIT),
            rows(vac_themes.filter(theme_id__in=themes), "vac", "vac_id", 1),
            rows(product_themes.filter(theme_id__in=themes), "product", "product_id", 1),
        ]
    else:
        raise ValueError(f"no related entries for {kind!r}")
    scores = Counter()
    for code, target, weight in parts[0].union(*parts[1:], all=True):
        scores[KINDS[code], target] += weight
    scores.pop((kind, pk), None)
    return scores


__all__ = ["RELATED_LIMIT", "related_entries", "related_keys", "resolve_with_related"]
