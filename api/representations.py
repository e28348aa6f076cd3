"""JSON shapes of resolved entries. The answer HTML is the resolved field as
is: the website templates render the very same strings."""

from django.utils.html import escape, format_html

from pdc.models import DigiD
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
            key_facts=key_facts(resolved),
        )
    if related is not None:
        data["related"] = [summary_json(r, gemeente) for r in related]
    return data


# The sections an agent reads out most on the phone.
KEY_SECTIONS = (("costs", "Kosten"), ("lead_time", "Termijn"), ("required_documents", "Meenemen"))


def key_facts(resolved):
    """What an agent needs first on the phone, from the agent resolution of
    a product: handling level, fee, lead time, what to bring, appointment and
    online application; [{name, label, html}], only the facts that have a value."""
    if resolved.kind != "product":
        return []
    fields = resolved.fields
    facts = [("handling_level", "Afhandeling", escape(fields.get("handling_level", "")))]
    facts += [(name, label, fields.get(name, "")) for name, label in KEY_SECTIONS]
    facts.append(("appointment", "Afspraak", _appointment(fields)))
    facts.append(("online_application", "Online aanvragen", _online(fields)))
    return [{"name": name, "label": label, "html": html} for name, label, html in facts if html]


def _appointment(fields):
    if fields.get("appointment_required") is None:
        return ""
    if not fields["appointment_required"]:
        return "niet nodig"
    return "nodig, online te maken" if fields.get("bookable_online") else "nodig"


def _online(fields):
    url = fields.get("online_application_url")
    if not url:
        return ""
    digid = DigiD(fields["digid"]).label if fields.get("digid") in DigiD.values else ""
    return format_html('<a href="{}">Aanvraagformulier</a>{}', url, f" ({digid})" if digid else "")
