"""The sections of a product page, in the order every channel shows them
(the Samenwerkende Catalogi / SDG order), with their public headings and
their anchors on the page. The headings are Dutch; resolution gives them
in the entry's language from the interface translations (locale/)."""

from django.utils.translation import gettext_noop as _

from sharing.kinds import Section

PRODUCT_SECTIONS = (
    Section("description", _("Wat is het?"), "wat-is-het"),
    Section("conditions", _("Voorwaarden"), "voorwaarden"),
    Section("procedure", _("Aanvragen"), "aanvragen"),
    Section("required_documents", _("Wat neemt u mee?"), "meenemen"),
    Section("costs", _("Kosten"), "kosten"),
    Section("lead_time", _("Hoe lang duurt het?"), "termijn"),
    Section("objection", _("Bezwaar en beroep"), "bezwaar"),
    Section("no_response", _("Reageert de gemeente niet op tijd?"), "geen-reactie"),
)
