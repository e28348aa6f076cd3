"""Search documents: one per resolved entry per gemeente and channel.

Built only from `sharing.resolution` output, so the public document holds
exactly what the public channel publishes; agent-only text goes into the
separate agent index through `agent_text`."""

from kennisbank.sanitise import html_to_text as plain
from kennis.models import VAC
from pdc.models import Product
from sharing.resolution import AGENT

# The text that makes a page: its sections (a product) or its answer (a VAC).
BODY_FIELDS = {"product": Product.content_fields, "vac": VAC.content_fields}

URL_PREFIX = {"product": "/producten/", "vac": "/vragen/"}


def document_id(gemeente_slug, kind, entry_id):
    return f"{gemeente_slug}:{kind}:{entry_id}"


def build_document(resolved):
    fields = resolved.fields
    body_fields = BODY_FIELDS[resolved.kind]
    document = {
        "gemeente": resolved.gemeente,
        "kind": resolved.kind,
        "entry_id": resolved.id,
        "slug": resolved.slug,
        "url": f"{URL_PREFIX[resolved.kind]}{resolved.slug}/",
        "local": resolved.local,
        "offered": resolved.offered,
        "audiences": fields.get("audiences", []),
        "themes": fields.get("themes", []),
        "title": resolved.title,
        "suggest": resolved.title,
        "keywords": " ".join(fields.get("keywords", [])),
        "summary": plain(fields.get("summary", "")),
        "body": " ".join(plain(fields.get(name, "")) for name in body_fields).strip(),
    }
    # The body is the text that makes a page (ContentFlag.content_fields), as
    # this gemeente publishes it: its own text on a UPL name counts.
    document["has_content"] = bool(document["body"])
    if resolved.channel == AGENT:
        document["agent_text"] = agent_text(resolved)
    return document


def agent_text(resolved):
    parts = [plain(resolved.fields.get("internal_explanation", "")), resolved.fields.get("handling_level", "")]
    for note in resolved.notes:
        parts += [note.title, plain(note.body)]
    return " ".join(part for part in parts if part)
