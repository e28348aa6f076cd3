"""Resolved entries for the citizen pages of one gemeente.

Everything a page shows of an entry (of any registered kind,
sharing/kinds.py) comes from `sharing.resolution` (public channel); this
module only chooses which entries to resolve, in batches, and turns them
into what templates need. Lists of links (related entries, themes, A–Z, top
tasks) are summaries (`resolve_summaries`: title and summary only), most of
them read from the gemeente's published summaries
(`sharing.cache.published_summaries`)."""

from dataclasses import dataclass

from django.conf import settings
from django.http import Http404

from kennisbank.text import fold
from sharing.cache import cached, content_version, gemeente_context, published_summaries, remember, shared_entry, visible_entry
from sharing.kinds import get_kind
from sharing.models import split_variant_key
from sharing.resolution import AGENT, DUTCH, PUBLIC, is_visible, resolve, resolve_summaries, visible_queryset

ENTRY_ROUTE, FEEDBACK_ROUTE = "entry", "entry_feedback"  # routes of website/models.HomePage
TRANSLATED_ENTRY_ROUTE, TRANSLATED_HOME_ROUTE = "translated_entry", "translated_home"  # /en/…, website/english.py
# The taxonomies entries share (a kind's `taxonomy_fields`): their routes on
# a site and the title of their index page.
TAXONOMIES = {
    "themes": {"index_route": "themes", "route": "theme", "title": "Thema's"},
    "life_events": {"index_route": "life_events", "route": "life_event", "title": "Levensgebeurtenissen"},
}


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
    found = getattr(request, "_website_variables", None)
    if found is None or found.gemeente.pk != gemeente.pk:
        found = gemeente_context(gemeente)
        request._website_variables = found
    return found


class Variables:
    """The gemeente's variables for resolution, loaded when a text first
    uses one (most texts use none: then no query for them)."""

    def __init__(self, request, gemeente):
        self.request, self.gemeente = request, gemeente

    def render(self, text, *, html):
        return variables(self.request, self.gemeente).render(text, html=html)


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
        return get_kind(self.kind).label


def relation_ids(field, reverse=False):
    """{entry id: [related entry ids]} of a many-to-many field between
    entries, for every entry (one query, remembered until the relation
    changes)."""
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    if reverse:
        source, target = target, source

    def load():
        found = {}
        for key, value in field.remote_field.through.objects.values_list(f"{source}_id", f"{target}_id"):
            found.setdefault(key, []).append(value)
        return found

    through = field.remote_field.through
    return remember(f"website-relation:{field.model._meta.label_lower}.{field.name}", (source,), load, scopes={through._meta.label_lower}, immutable=True)


class Entries:
    """The public entries of one gemeente on one request, resolved in
    `language` (the English pages: website/english.py)."""

    def __init__(self, page, request, gemeente, language=DUTCH):
        self.page, self.request, self.gemeente, self.language = page, request, gemeente, language
        self.root = page.get_url(request) or "/"

    @property
    def context(self):
        return Variables(self.request, self.gemeente)

    def url(self, route, *args):
        return self.root + self.page.reverse_subpage(route, args=args)

    def entry_url(self, kind, slug):
        return self.url(ENTRY_ROUTE, get_kind(kind).url_prefix, slug)

    def fragment(self, kind, slug, audience):
        """{"key", "timeout"} of the cached HTML of an entry page's content
        (`{% cache %}` in its template): the same for every visitor of this
        page in this content version (the feedback form, which holds the
        visitor's CSRF token, stays outside it). Without a content version
        nothing is cached (timeout 0), as for the content itself."""
        version = content_version()
        key = (version, self.gemeente.pk, self.root, kind, slug, audience or "", self.language)
        return {"key": key, "timeout": settings.CONTENT_CACHE_TIMEOUT if version else 0}

    def feedback_url(self, kind, slug):
        return self.url(FEEDBACK_ROUTE, get_kind(kind).url_prefix, slug)

    def translated_url(self, language, kind=None, slug=None):
        """The page in `language` (/en/…): the entry's, or the language's home."""
        if kind is None:
            return self.url(TRANSLATED_HOME_ROUTE, language)
        return self.url(TRANSLATED_ENTRY_ROUTE, language, get_kind(kind).url_prefix, slug)

    def taxonomy_links(self, entry):
        """{taxonomy field: [{"name", "url"}]} of an entry's themes, life
        events…, by name (from the entry's prefetched taxonomies)."""
        return {
            name: [
                {"name": item.name, "url": self.url(TAXONOMIES[name]["route"], item.slug)}
                for item in sorted(getattr(entry, name).all(), key=lambda item: item.name)
            ]
            for name in get_kind(entry).taxonomy_fields
        }

    def queryset(self, kind):
        model = get_kind(kind).model
        return (
            visible_queryset(model, self.gemeente)
            .select_related(*model.resolution_select_related)
            .prefetch_related(*model.resolution_prefetch_related)
        )

    def one(self, kind, **lookup):
        """(entry, resolved) of the entry with this slug (or pk), or Http404:
        another gemeente's, not live, not offered here, not active."""
        if "slug" in lookup:
            entry = visible_entry(get_kind(kind).model, lookup["slug"], self.gemeente)
        else:
            entry = self.queryset(kind).filter(**lookup).first()
        overrides = self.public_overrides(kind).get(entry.pk, {}) if entry else None
        resolved = resolve(entry, self.gemeente, channel=PUBLIC, language=self.language, context=self.context, overrides=overrides) if entry else None
        if resolved is None:
            raise Http404("Deze pagina bestaat niet voor deze gemeente.")
        return entry, resolved

    def withdrawn(self, kind, slug):
        """{"title", "note"} of an entry this gemeente could publish but
        marks "not offered here" (live, shared or its own, active); else None.
        The public channel has no such entry, so it is resolved on the agent
        channel and only the title and the "not offered" note (both public
        text) are taken from it."""
        entry_kind = get_kind(kind)
        entry = shared_entry(entry_kind.model, slug) or self.queryset(kind).filter(slug=slug).first()
        if entry is None or not is_visible(entry, self.gemeente, PUBLIC):
            return None
        # The live text only: agents may already see a change scheduled for later.
        resolved = resolve(entry, self.gemeente, channel=AGENT, context=self.context, scheduled=False)
        if resolved is None or resolved.offered:
            return None
        return {
            "kind": kind,
            "title": resolved.title,
            "notice": entry_kind.not_offered_notice.format(gemeente=self.gemeente.name),
            "note": resolved.fields.get("not_offered_note", ""),
            "links": entry_kind.not_offered_links(self, entry),
        }

    def public_overrides(self, kind):
        """{entry id: {column: override}} of this gemeente's overrides of
        the kind's public columns (agent-only ones are left out): one query
        for every page of the gemeente, remembered until an override of the
        kind changes."""
        model = get_kind(kind).model
        agent_only = [column for name in model.agent_only_fields for column in model.columns_of(name)]

        def load():
            found = {}
            for override in get_kind(kind).override_model.objects.filter(gemeente=self.gemeente).exclude(field_name__in=agent_only):
                if split_variant_key(override.field_name)[0] in agent_only:
                    continue  # an audience's variant of an agent-only field
                found.setdefault(override.entry_id, {})[override.field_name] = override
            return found

        return cached(self.gemeente, PUBLIC, "website-overrides", (kind,), load, scopes={get_kind(kind).override_model._meta.label_lower})

    def related(self, kind, relation, entry_id, reverse=False):
        """Links to the entries of a kind that an entry is related to by a
        many-to-many field between entries (`relation`, read from the side
        that declares it unless `reverse`) and that this gemeente publishes,
        by title. The relation is the same for every gemeente: read in one
        query, remembered per content version."""
        return self.links(self.published(kind, relation_ids(relation, reverse).get(entry_id, ())))

    def published(self, kind, ids):
        """Summaries of those of these entries that this gemeente publishes,
        by title (from the gemeente's published summaries)."""
        found = published_summaries(get_kind(kind).model, self.gemeente)
        return sorted((found[pk] for pk in set(ids) if pk in found), key=lambda r: sort_key(r.title))

    def summaries(self, kind, queryset):
        """Summaries of the entries of a queryset (one batch), by title."""
        found = resolve_summaries(queryset, self.gemeente, channel=PUBLIC, context=self.context)
        return sorted(found, key=lambda r: sort_key(r.title))

    def summaries_of(self, kind, ids):
        """Summaries of the entries with these ids, in the order given."""
        if not ids:
            return []
        queryset = visible_queryset(get_kind(kind).model, self.gemeente).filter(pk__in=ids)
        found = resolve_summaries(queryset, self.gemeente, channel=PUBLIC, context=self.context)
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
        return self.links(self.published(kind, get_kind(kind).model.objects.filter(**filters).values_list("pk", flat=True)))
