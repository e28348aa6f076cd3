"""Entry kinds: the one contract between a kind of entry (a product, a VAC,
…) and everything generic — resolution, the sites, the API, search, the
admin work queue, the leak crawl.

A kind's own app subclasses `EntryKind` and registers an instance in its
`AppConfig.ready()`. Everything outside that app asks the registry
(`kinds()`, `get_kind(…)`) and never names a kind: adding a kind is one app
plus one registration (see docs/architecture.md)."""

from dataclasses import dataclass

from django.db.models import Q

_registry = {}


@dataclass(frozen=True)
class Section:
    """One part of the text that makes an entry's page, in the order every
    channel shows it. `heading` is the public heading ("" when a kind's
    body is a single unheaded text); `anchor` the fragment on the page."""

    name: str
    heading: str = ""
    anchor: str = ""


class EntryKind:
    """What a kind provides. Class attributes are data; methods are the
    kind-specific parts of each channel, with generic defaults."""

    name = ""  # key in URLs, search documents and JSON ("kind")
    label = ""  # "Product", "Vraag en antwoord"
    label_plural = ""
    model = None  # a sharing.models.SharedEntry subclass
    url_prefix = ""  # path segment of its pages on a site: /<url_prefix>/<slug>/
    api_collection = ""  # path segment in the objecttypes API
    title_field = "title"  # the logical field that is the entry's title
    sections: tuple = ()  # Section, in page order: the text that makes a page
    # Many-to-many fields to other entries an editor sets (explicit relations)
    # and to taxonomies other kinds share (themes, life events): related entries.
    related_fields: tuple = ()
    taxonomy_fields: tuple = ()
    # Columns the public visibility rule reads (besides live and gemeente).
    visibility_columns: tuple = ()
    # Columns the database search fallback matches, best first.
    database_search_columns: tuple = ()
    # Columns the curators' admin search (redactie) matches, the title column
    # first; empty: the database search columns.
    admin_search_columns: tuple = ()
    template = ""  # the site page template
    notes_relation = "agent_notes"  # reverse relation of agent notes, when the kind has them
    position = 100  # where the kind comes in lists of kinds (lower first)

    # -- derived from the model -------------------------------------------------

    @property
    def override_model(self):
        return self.model.overrides.rel.related_model

    @property
    def model_label(self):
        return self.model._meta.label_lower

    @property
    def has_notes(self):
        return hasattr(self.model, self.notes_relation)

    # -- visibility ---------------------------------------------------------------

    def is_public(self, entry):
        """Whether a live entry may be published on the public channel at all
        (a VAC that is not active may not); offered is decided by resolution."""
        return True

    def public_filter(self):
        """`is_public` as a queryset filter."""
        return Q()

    # -- resolution ---------------------------------------------------------------

    def fixed_fields(self, entry):
        """Fields never overridden that every channel publishes, as plain
        values ({name: value}); audiences, keywords and taxonomies are added
        generically."""
        return {}

    # -- content quality (kwaliteit/) ---------------------------------------------

    def required_sections(self, entry):
        """Names of the sections that must not be empty for this entry (e.g.
        the information the SDG requires of an SDG product); none by default."""
        return ()

    # -- channels -----------------------------------------------------------------

    def api_fields(self, resolved):
        """Extra keys of the kind in the API representation of a resolved entry."""
        return {}

    # A pydantic model of the keys `api_fields` returns, for the generated
    # OpenAPI document (api/schemas.py); None when there are none.
    api_schema = None

    # An objecttype the agent API exports the kind's entries in (KISS and
    # the like): its name in the URL (…/objecttypes/<objecttype>), a summary
    # for the OpenAPI document and a pydantic model of one record's `data`.
    objecttype = ""
    objecttype_summary = ""
    objecttype_schema = None

    def objecttype_records(self, entries, gemeente, base):
        """The objects (api/objecttypes.py `as_object`) of a page of entries
        (a queryset), resolved for agents of `gemeente`; links absolute on `base`."""
        return []

    def key_facts(self, resolved):
        """[(name, label, html)]: what an agent needs first on the phone."""
        return []

    def page_context(self, entries, resolved, entry):
        """Extra template context of the kind's site page; `entries` is the
        site's website.entries.Entries of this request."""
        return {}

    # -- the sites (website/) -------------------------------------------------------

    list_heading = ""  # heading of a list of the kind's entries on a site page ("": label_plural)
    list_with_summary = True  # such a list shows each entry's summary
    # The notice on the page of an entry the gemeente does not offer.
    not_offered_notice = "Deze informatie geldt niet voor de gemeente {gemeente}."
    az_listed = False  # the kind's entries make the site's A–Z list
    top_tasks = False  # the kind's entries can be the home page's top tasks

    def not_offered_links(self, entries, entry):
        """Links (website.entries.Link) on the page of an entry the gemeente
        does not offer: what the visitor may be looking for instead."""
        return []

    def without_content(self, gemeente):
        """Ids of entries that have no text for this gemeente (listed by
        name only, if at all, on the A–Z list)."""
        return set()

    def appointment_ids(self):
        """Ids of the entries for which a visitor makes an appointment (the
        site's contact page lists those the gemeente publishes)."""
        return []

    def chosen_top_tasks(self, page):
        """Ids of the entries a web editor chose as top tasks of a home page."""
        return []

    def site_feeds(self):
        """Per-site files of the kind besides its pages: [(path, view, name,
        robots comment)], served on every gemeente's site (website/urls.py)."""
        return []

    # -- management information ---------------------------------------------------

    def handling_levels(self, gemeente_ids):
        """Coverage: how far the front office handles the kind's live
        entries itself, per gemeente, as {gemeente id: {level label: count}}
        with each gemeente's own value where it overrides it; None when the
        kind has no such level (stuurinformatie/)."""
        return None

    # -- suggestions (voorstellen/) ------------------------------------------------

    # Agents may draft a new entry of this kind from the widget ("Voeg toe"):
    # the columns of the draft, title first.
    draft_columns: tuple = ()

    def new_draft(self, values, gemeente, user):
        """A new entry of the kind from an accepted suggestion ({column:
        sanitised value}), saved as a draft (not live) of the shared base
        (gemeente None) or of one gemeente."""
        raise NotImplementedError(f"{self.name} has no drafts from suggestions")

    def __repr__(self):
        return f"<EntryKind {self.name}>"


def register(kind):
    """Register an EntryKind instance (from the kind's AppConfig.ready()).
    Its app's models become content (sharing/effects.py)."""
    if not kind.name or kind.model is None:
        raise ValueError(f"{kind!r} needs a name and a model")
    existing = _registry.get(kind.name)
    if existing is not None and existing.model is not kind.model:
        raise ValueError(f"kind {kind.name!r} is already registered for {existing.model}")
    _registry[kind.name] = kind
    from .effects import watch

    watch(kind)  # its saves bump the content version and reach search
    return kind


def kinds():
    """Every registered kind, by position (then name)."""
    return sorted(_registry.values(), key=lambda kind: (kind.position, kind.name))


def kind_names():
    return tuple(kind.name for kind in kinds())


def get_kind(key):
    """The kind of a name, a model, an entry or a resolved entry; KeyError
    for anything else (an unknown kind name in a URL, say)."""
    if isinstance(key, EntryKind):
        return key
    if isinstance(key, str):
        return _registry[key]
    kind_name = getattr(key, "kind", None)
    if isinstance(kind_name, str) and kind_name in _registry:
        return _registry[kind_name]
    model = key if isinstance(key, type) else type(key)
    model = model._meta.concrete_model if hasattr(model, "_meta") else model
    for kind in _registry.values():
        if kind.model is model:
            return kind
    raise KeyError(key)


def kind_of_url_prefix(prefix):
    for kind in _registry.values():
        if kind.url_prefix == prefix:
            return kind
    raise KeyError(prefix)
