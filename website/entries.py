"""Resolved entries for the citizen pages of one gemeente.

Everything a page shows of a product or VAC comes from
`sharing.resolution` (public channel); this module only chooses which
entries to resolve, in batches, and turns them into what templates need.
Lists of links (related entries, themes, A–Z, top tasks) are summaries
(`resolve_summaries`: title and summary only), most of them read from the
gemeente's published summaries (`sharing.cache.published_summaries`)."""

from dataclasses import dataclass

from django.http import Http404

from kennisbank.text import fold

from kennis.models import VAC
from pdc.models import Product
from sharing.cache import gemeente_context, published_summaries, shared_entry
from sharing.resolution import AGENT, PUBLIC, is_visible, resolve, resolve_summaries, visible_queryset

MODELS = {"product": Product, "vac": VAC}
ROUTES = {"product": "product", "vac": "vac"}
KIND_LABELS = {"product": "Product", "vac": "Vraag en antwoord"}


def sort_key(title):
    return fold(title).lstrip("'\"‘’“”(«[ ")


def first_letter(title):
    """'a'…'z', or '0-9' for a title that starts with a digit or with a
    character outside a–z."""
    for char in fold(title):
        if "a" <= char <= "z":
            return char
        if char.isalnum():
            return "0-9"
    return "0-9"


def variables(request, gemeente):
    """The gemeente's variables, once per request (and cached per content
    version)."""
    cached = getattr(request, "_website_variables", None)
    if cached is None or cached.gemeente.pk != gemeente.pk:
        cached = gemeente_context(gemeente)
        request._website_variables = cached
    return cached


@dataclass
class Link:
    """An entry as a list item: resolved title and summary, and its URL."""

    kind: str
    id: int
    slug: str
    title: str
    summary: str
    url: str

    @property
    def kind_label(self):
        return KIND_LABELS[self.kind]


class Entries:
    """The public entries of one gemeente on one request."""

    def __init__(self, page, request, gemeente):
        self.page, self.request, self.gemeente = page, request, gemeente
        self.root = page.get_url(request) or "/"

    @property
    def context(self):
        return variables(self.request, self.gemeente)

    def url(self, route, *args):
        return self.root + self.page.reverse_subpage(route, args=args)

    def entry_url(self, kind, slug):
        return self.url(ROUTES[kind], slug)

    def queryset(self, kind):
        model = MODELS[kind]
        return (
            visible_queryset(model, self.gemeente)
            .select_related(*model.resolution_select_related)
            .prefetch_related(*model.resolution_prefetch_related)
        )

    def one(self, kind, **lookup):
        """(entry, resolved) of the entry with this slug (or pk), or Http404:
        another gemeente's, not live, not offered here, not active."""
        entry = shared_entry(MODELS[kind], lookup["slug"]) if "slug" in lookup else None
        entry = entry or self.queryset(kind).filter(**lookup).first()
        resolved = resolve(entry, self.gemeente, channel=PUBLIC, context=self.context) if entry else None
        if resolved is None:
            raise Http404("Deze pagina bestaat niet voor deze gemeente.")
        return entry, resolved

    def withdrawn(self, kind, slug):
        """{"title", "note"} of an entry this gemeente could publish but
        marks "not offered here" (live, shared or its own, active); else None.
        The public channel has no such entry, so it is resolved on the agent
        channel and only the title and the "not offered" note (both public
        text) are taken from it."""
        entry = shared_entry(MODELS[kind], slug) or self.queryset(kind).filter(slug=slug).first()
        if entry is None or not is_visible(entry, self.gemeente, PUBLIC):
            return None
        resolved = resolve(entry, self.gemeente, channel=AGENT, context=self.context)
        if resolved is None or resolved.offered:
            return None
        related = entry.related_products.values_list("pk", flat=True)
        return {
            "kind": kind,
            "title": resolved.title,
            "note": resolved.fields.get("not_offered_note", ""),
            "related_products": self.links(self.published("product", related)),
        }

    def one_with_related(self, kind, slug, relation):
        """(resolved entry, summaries of its related entries of the same
        kind, by title); Http404 when the entry does not exist here.
        `relation` is the entry's many-to-many field to its own kind
        (related_products)."""
        entry, resolved = self.one(kind, slug=slug)
        through = getattr(MODELS[kind], relation).through
        related_ids = through.objects.filter(**{f"from_{kind}": entry.pk}).values_list(f"to_{kind}", flat=True)
        return resolved, self.published(kind, related_ids)

    def published(self, kind, ids):
        """Summaries of those of these entries that this gemeente publishes,
        by title (from the gemeente's published summaries)."""
        found = published_summaries(MODELS[kind], self.gemeente)
        return sorted((found[pk] for pk in set(ids) if pk in found), key=lambda r: sort_key(r.title))

    def summaries(self, kind, queryset):
        """Summaries of the entries of a queryset (one batch), by title."""
        found = resolve_summaries(queryset, self.gemeente, channel=PUBLIC, context=self.context)
        return sorted(found, key=lambda r: sort_key(r.title))

    def summaries_of(self, kind, ids):
        """Summaries of the entries with these ids, in the order given."""
        if not ids:
            return []
        found = resolve_summaries(visible_queryset(MODELS[kind], self.gemeente).filter(pk__in=ids), self.gemeente, channel=PUBLIC, context=self.context)
        position = {pk: index for index, pk in enumerate(ids)}
        return sorted(found, key=lambda r: position[r.id])

    def links(self, summaries):
        return [self.link(r) for r in summaries]

    def link(self, resolved):
        """A list item of a ResolvedSummary (or a whole ResolvedEntry)."""
        return Link(
            kind=resolved.kind,
            id=resolved.id,
            slug=resolved.slug,
            title=resolved.title,
            summary=resolved.summary,
            url=self.entry_url(resolved.kind, resolved.slug),
        )

    def list(self, kind, **filters):
        """Links to the entries with these filters that this gemeente publishes, by title."""
        return self.links(self.published(kind, MODELS[kind].objects.filter(**filters).values_list("pk", flat=True)))
