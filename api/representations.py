"""JSON shapes of resolved entries, for every kind alike: the summary, the
text (`answer`: the resolved sections as the website shows them), the
kind's own keys (EntryKind.api_fields) and, on the agent channel, the
agent-only parts (agent fields, notes, problems, EntryKind.key_facts)."""

from sharing.kinds import get_kind, kinds
from sharing.resolution import AGENT, DUTCH


def site_url(gemeente, resolved):
    """The entry's page on the gemeente's site, in the resolved language."""
    root = gemeente.site.root_url if gemeente.site_id else ""
    language = "" if resolved.language == DUTCH else f"/{resolved.language}"
    return f"{root}{language}/{get_kind(resolved.kind).url_prefix}/{resolved.slug}/"


def summary_json(resolved, gemeente):
    """A list item: of a ResolvedSummary or of a whole ResolvedEntry."""
    return {
        "kind": resolved.kind,
        "id": resolved.id,
        "slug": resolved.slug,
        "title": resolved.title,
        "summary": resolved.summary,
        "url": site_url(gemeente, resolved),
        "local": resolved.local,
        # Always true on the public channel (it publishes offered entries
        # only); false on the agent channel when this gemeente does not offer it.
        "offered": resolved.offered,
    }


def entry_json(resolved, gemeente, related=None):
    """The full entry; `related` (summaries of the same gemeente and
    channel) is added as a list of summaries when given."""
    kind = get_kind(resolved.kind)
    data = summary_json(resolved, gemeente)
    data.update(themes=resolved.themes, audiences=resolved.audiences, keywords=resolved.keywords)
    data.update(audience=resolved.audience, variant_audiences=list(resolved.variant_audiences))
    data.update(language=resolved.language, fallback=sorted(resolved.fallback))
    data.update(kind.api_fields(resolved))
    data["answer"] = resolved.body_html
    if resolved.channel == AGENT:
        data.update(agent_json(resolved, kind))
    if related is not None:
        data["related"] = [summary_json(r, gemeente) for r in related]
    return data


def agent_field_names():
    """Every kind's agent-only fields: each agent detail has them all ("" where its kind has none)."""
    return tuple(dict.fromkeys(name for kind in kinds() for name in kind.model.agent_only_fields))


def agent_json(resolved, kind):
    return {
        **dict.fromkeys(agent_field_names(), ""),
        **resolved.agent_fields,
        "notes": [{"kind": n.kind, "kind_label": n.kind_label, "title": n.title, "body": n.body, "local": n.local} for n in resolved.notes],
        "problems": list(resolved.problems),
        # Scheduled content agents see before the public (sharing/scheduling.py).
        "public_from": resolved.public_from.isoformat() if resolved.public_from else None,
        "key_facts": [{"name": name, "label": label, "html": html} for name, label, html in kind.key_facts(resolved)],
    }
