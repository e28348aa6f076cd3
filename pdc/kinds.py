"""The product kind: what the generic layer and the channels know of a
product (sharing/kinds.py)."""

from typing import Literal, Optional

from django.utils.html import escape, format_html
from pydantic import BaseModel

from sharing.kinds import EntryKind

from . import site
from .models import DigiD, Product
from .sections import PRODUCT_SECTIONS

# The sections an agent reads out most on the phone.
KEY_SECTIONS = (("costs", "Kosten"), ("lead_time", "Termijn"), ("required_documents", "Meenemen"))
# What the SDG regulation (EU 2018/1724, art. 10) requires users to find
# about a procedure: the steps, the evidence, the fees, the time limits,
# what follows when the authority does not answer, and redress.
SDG_REQUIRED_SECTIONS = ("description", "procedure", "required_documents", "costs", "lead_time", "objection", "no_response")


class ProductSection(BaseModel):
    name: str
    heading: str
    html: str


class ProductFields(BaseModel):
    """The product's keys in the API's Entry (ProductKind.api_fields)."""

    sections: list[ProductSection]
    online_application_url: str
    digid: Optional[Literal[tuple(DigiD.values)]]
    appointment_required: Optional[bool]
    bookable_online: Optional[bool]
    legal_basis: str
    upl_name: str
    upl_uri: str
    life_events: list[str]


class ProductKind(EntryKind):
    name = "product"
    label = "Product"
    label_plural = "Producten"
    model = Product
    url_prefix = "producten"
    api_collection = "producten"
    title_field = "title"
    sections = PRODUCT_SECTIONS
    related_fields = ("related_products",)
    taxonomy_fields = ("themes", "life_events")
    database_search_columns = ("title_nl", "keywords", "summary_nl", "description_nl")
    admin_search_columns = ("title_nl", "title_en", "summary_nl", "keywords", "slug")
    template = "website/product_page.html"
    position = 10
    list_heading = "Producten en diensten"
    not_offered_notice = "Dit product biedt de gemeente {gemeente} niet aan."
    az_listed = True
    top_tasks = True

    def page_context(self, entries, resolved, entry):
        return site.page_context(entries, resolved, entry)

    def not_offered_links(self, entries, entry):
        return site.not_offered_links(entries, entry)

    def without_content(self, gemeente):
        return site.without_content(gemeente)

    def appointment_ids(self):
        return site.appointment_ids()

    def chosen_top_tasks(self, page):
        return site.chosen_top_tasks(page)

    def site_feeds(self):
        return site.site_feeds()

    def handling_levels(self, gemeente_ids):
        from .coverage import handling_levels

        return handling_levels(gemeente_ids)

    def required_sections(self, entry):
        return SDG_REQUIRED_SECTIONS if entry.upl_id and entry.upl.sdg else ()

    def fixed_fields(self, entry):
        return {
            "digid": entry.digid,
            "appointment_required": entry.appointment_required,
            "bookable_online": entry.bookable_online,
            "legal_basis": entry.legal_basis,
            "delivering_organisation": entry.delivering_organisation,
            "complexity": entry.complexity,
            "upl_name": entry.upl.name if entry.upl_id else "",
            "upl_uri": entry.upl.uri if entry.upl_id else "",
            "life_events": [e.name for e in entry.life_events.all()],
            "department": entry.department.name if entry.department_id else "",
        }

    api_schema = ProductFields
    objecttype = "kennisartikel"
    objecttype_summary = "Producten in de vorm van het SDG-kennisartikel-objecttype (KISS)"

    @property
    def objecttype_schema(self):
        from .objecttypes import Kennisartikel

        return Kennisartikel

    def objecttype_records(self, entries, gemeente, base):
        from .objecttypes import kennisartikel_records

        return kennisartikel_records(entries, gemeente, base)

    def api_fields(self, resolved):
        fields = resolved.fields
        return {
            "sections": [{"name": s.name, "heading": s.heading, "html": s.html} for s in resolved.sections],
            "online_application_url": fields.get("online_application_url", ""),
            "digid": fields.get("digid"),
            "appointment_required": fields.get("appointment_required"),
            "bookable_online": fields.get("bookable_online"),
            "legal_basis": fields.get("legal_basis", ""),
            "upl_name": fields.get("upl_name", ""),
            "upl_uri": fields.get("upl_uri", ""),
            "life_events": fields.get("life_events", []),
        }

    def key_facts(self, resolved):
        """Handling level, fee, lead time, what to bring, appointment and
        online application: only those with a value."""
        fields = resolved.fields
        facts = [("handling_level", "Afhandeling", escape(fields.get("handling_level", "")))]
        facts += [(name, label, fields.get(name, "")) for name, label in KEY_SECTIONS]
        facts.append(("appointment", "Afspraak", _appointment(fields)))
        facts.append(("online_application", "Online aanvragen", _online(fields)))
        return [(name, label, html) for name, label, html in facts if html]


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


PRODUCT = ProductKind()
