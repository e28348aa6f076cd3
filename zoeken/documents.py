"""Search documents: one per resolved entry per gemeente and channel.

Built only from `sharing.resolution` output, so the public document holds
exactly what the public channel publishes; agent-only text goes into the
separate agent index through `agent_text`. Every kind's document has the
same fields, filled from the typed parts of its resolved entry."""

from functools import lru_cache

from kennisbank.sanitise import html_to_text
from sharing.resolution import AGENT

# The same shared text recurs in every gemeente's documents: a rebuild
# converts it once.
plain = lru_cache(maxsize=20_000)(html_to_text)


def document_id(gemeente_slug, kind, entry_id):
    return f"{gemeente_slug}:{kind}:{entry_id}"


def build_document(resolved):
    document = {
        "gemeente": resolved.gemeente,
        "kind": resolved.kind,
        "entry_id": resolved.id,
        "slug": resolved.slug,
        "url": f"/{resolved.entry_kind.url_prefix}/{resolved.slug}/",
        "local": resolved.local,
        "offered": resolved.offered,
        "audiences": resolved.audiences,
        "themes": resolved.themes,
        "title": resolved.title,
        "suggest": resolved.title,
        "keywords": " ".join(resolved.keywords),
        "summary": plain(resolved.summary),
        "body": body_text(resolved),
    }
    # The body is the text that makes a page (the kind's sections), as this
    # gemeente publishes it: its own text on a UPL name counts.
    document["has_content"] = bool(document["body"])
    # An audience's own text (a business owner's wording) is found too.
    document["body"] = " ".join(filter(None, [document["body"], variant_text(resolved)]))
    if resolved.channel == AGENT:
        document["agent_text"] = agent_text(resolved)
    return document


def body_text(resolved):
    """The sections' text in the kind's order. An empty section still takes
    its place in the join, so documents stay as they were indexed before."""
    texts = {section.name: plain(section.html) for section in resolved.sections}
    return " ".join(texts.get(section.name, "") for section in resolved.entry_kind.sections).strip()


def variant_text(resolved):
    """The text of the entry's audience variants on its channel."""
    model = resolved.entry_kind.model
    return " ".join(
        plain(value) if name in model.rich_text_fields else value
        for texts in resolved.variants.values()
        for name, value in texts.items()
        if isinstance(value, str) and value and name not in model.unsearched_fields
    )


def agent_text(resolved):
    model = resolved.entry_kind.model
    fields = {name: value for name, value in resolved.agent_fields.items() if name not in model.unsearched_fields}
    parts = [plain(value) if name in model.rich_text_fields else value for name, value in fields.items()]
    for note in resolved.notes:
        parts += [note.title, plain(note.body)]
    return " ".join(part for part in parts if part)
