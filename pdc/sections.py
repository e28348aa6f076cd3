"""The sections of a product page, in the order every channel shows them
(the Samenwerkende Catalogi / SDG order), with their public headings."""

PRODUCT_SECTIONS = (
    ("description", "Wat is het?"),
    ("conditions", "Voorwaarden"),
    ("procedure", "Aanvragen"),
    ("required_documents", "Wat neemt u mee?"),
    ("costs", "Kosten"),
    ("lead_time", "Hoe lang duurt het?"),
    ("objection", "Bezwaar en beroep"),
    ("no_response", "Reageert de gemeente niet op tijd?"),
)


def sections(resolved):
    """[(name, heading, html)] of the non-empty sections of a resolved product."""
    return [(name, heading, resolved.fields[name]) for name, heading in PRODUCT_SECTIONS if resolved.fields.get(name)]
