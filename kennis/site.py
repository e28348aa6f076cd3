"""The VAC's parts of a gemeente's website (website/, through the kind
hooks of kennis/kinds.py): what a VAC page shows besides the answer."""

from .models import VAC


def page_context(entries, resolved, entry):
    """The VAC page: its answer, related products and VACs and its themes."""
    return {
        "crumbs": [],
        "answer": resolved["answer"],
        "related_products": entries.related("product", VAC._meta.get_field("related_products"), entry.pk),
        "related_vacs": entries.related("vac", VAC._meta.get_field("related_vacs"), entry.pk),
        "themes": entries.taxonomy_links(entry)["themes"],
    }


def not_offered_links(entries, entry):
    """On the page of a VAC the gemeente does not offer: its related
    products that the gemeente publishes."""
    return entries.links(entries.published("product", entry.related_products.values_list("pk", flat=True)))
