"""JSON shapes of resolved entries. The answer HTML is the resolved field as
is: the website templates render the very same strings."""

from pdc.sections import sections
from sharing.resolution import AGENT
from zoeken.documents import URL_PREFIX


def site_url(gemeente, resolved):
    root = gemeente.site.root_url if gemeente.site_id else ""
    return f"{root}{URL_PREFIX[resolved.kind]}{resolved.slug}/"


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
    data = summary_json(resolved, gemeente)
    fields = resolved.fields
    data.update(themes=fields.get("themes", []), audiences=fields.get("audiences", []), keywords=fields.get("keywords", []))
    if resolved.kind == "product":
        data["sections"] = [{"name": name, "heading": heading, "html": html} for name, heading, html in sections(resolved)]
        data["answer"] = "".join(html for _, _, html in sections(resolved))
        data.update(
            online_application_url=fields.get("online_application_url", ""),
            digid=fields.get("digid"),
            appointment_required=fields.get("appointment_required"),
            bookable_online=fields.get("bookable_online"),
            legal_basis=fields.get("legal_basis", ""),
            upl_name=fields.get("upl_name", ""),
            upl_uri=fields.get("upl_uri", ""),
            life_events=fields.get("life_events", []),
        )
    else:
        data["answer"] = fields.get("answer", "")
    if resolved.channel == AGENT:
        data.update(
            handling_level=fields.get("handling_level", ""),
            internal_explanation=fields.get("internal_explanation", ""),
            notes=[{"kind": n.kind, "kind_label": n.kind_label, "title": n.title, "body": n.body, "local": n.local} for n in resolved.notes],
            problems=list(resolved.problems),
        )
    if related is not None:
        data["related"] = [summary_json(r, gemeente) for r in related]
    return data
