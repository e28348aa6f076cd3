"""The sections of a product page, in the order every channel shows them
(the Samenwerkende Catalogi / SDG order), with their public headings and
their anchors on the page."""

from sharing.kinds import Section

PRODUCT_SECTIONS = (
    Section("description", "Wat is het?", "wat-is-het"),
    Section("conditions", "Voorwaarden", "voorwaarden"),
    Section("procedure", "Aanvragen", "aanvragen"),
    Section("required_documents", "Wat neemt u mee?", "meenemen"),
    Section("costs", "Kosten", "kosten"),
    Section("lead_time", "Hoe lang duurt het?", "termijn"),
    Section("objection", "Bezwaar en beroep", "bezwaar"),
    Section("no_response", "Reageert de gemeente niet op tijd?", "geen-reactie"),
)
