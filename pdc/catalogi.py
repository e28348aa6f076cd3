"""Samenwerkende Catalogi (SC) 4.0: the XML feed of one gemeente's products,
as the national harvester (overheid.nl) reads it.

The document follows the SC 4.0 schema (standaarden.overheid.nl/sc/4.0/xsd/sc.xsd):
`overheidproduct:scproducten` with one `scproduct` per product the gemeente
publishes. Every product is the public resolution for this gemeente
(`sharing.resolution.resolve_many`, channel PUBLIC): shared text with this
gemeente's overrides and variables, never agent-only fields or notes, never
another gemeente's overrides or local entries, nothing marked not offered.

Per product:

- owmskern: identifier (the product page on the gemeente's own site), title,
  language `nl`, type `productbeschrijving`, modified, spatial and authority
  (the gemeente, identified by its TOOI URI, which is built from its CBS code);
- owmsmantel: audience (`particulier` / `ondernemer`) and abstract (the
  summary; without one, the start of the description, else the title);
- scmeta: productID, onlineAanvragen (`ja` / `digid` / `nee`), aanvraagURL,
  uniformeProductnaam (the UPL name and URI) and gerelateerdProduct (the UPL
  names of related products this gemeente also publishes);
- body/productHTML: the product's sections as HTML, in the order every
  channel shows them. The schema only accepts XHTML elements there with a
  strict wildcard, so the HTML goes in as text (escaped), the form the
  harvester decodes.

A product with English text for this gemeente (its title resolves in
English, as for the site's /en/ pages) is in the feed a second time, in
English: `dcterms:language` `en` (SC 4.0 marks the language per
scproduct: 'nl', 'fy' or 'en'), the English page as identifier, and only
its English text (`resolve_many(..., language="en", fallback=False)`: no
Dutch filled in); the English section headings come from locale/en.
"""

import datetime
import functools
import re

from django.conf import settings
from django.utils import timezone
from lxml import etree

from kennisbank.sanitise import html_to_text, sanitise_html
from kennisbank.text import safe_url
from sharing.models import VariableValue
from sharing.resolution import DUTCH, PUBLIC, resolve_many, visible_queryset
from sharing.variables import GemeenteContext, variables_in

from .models import Audience, DigiD, Product, ProductOverride

SC_VERSION = "4.0"
PRODUCT_NS = "http://standaarden.overheid.nl/product/terms/"
DCTERMS_NS = "http://purl.org/dc/terms/"
OVERHEID_NS = "http://standaarden.overheid.nl/owms/terms/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
# The scheme attributes are QNames ("overheid:Gemeente"): the prefix
# `overheid` must be declared in the document, so the map is fixed.
NSMAP = {"overheidproduct": PRODUCT_NS, "dcterms": DCTERMS_NS, "overheid": OVERHEID_NS, "xsi": XSI_NS}
SCHEMA_LOCATION = f"{PRODUCT_NS} https://standaarden.overheid.nl/sc/{SC_VERSION}/xsd/sc.xsd"
TOOI_GEMEENTE = "https://identifier.overheid.nl/tooi/id/gemeente/gm{cbs_code}"
AUDIENCES = {Audience.BURGER: "particulier", Audience.ONDERNEMER: "ondernemer"}
ABSTRACT_LENGTH = 300

# Characters XML 1.0 cannot carry (control characters, lone surrogates,
# U+FFFE/U+FFFF): lxml refuses them, a harvester's parser would too.
NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value):
    """`value` as text XML can hold, trimmed."""
    return NOT_XML.sub("", str(value or "")).strip()


def tooi_uri(gemeente):
    """The gemeente's identifier in TOOI (the government's organisation list)."""
    return TOOI_GEMEENTE.format(cbs_code=gemeente.cbs_code)


@functools.lru_cache(maxsize=4096)
def clean_html(html):
    """Sanitised again on the way out: the stored text already is, but the
    feed leaves the house. Idempotent, so clean text comes out as the site
    shows it; cached, as most texts are the same for every request."""
    return xml_text(sanitise_html(xml_text(html)))


def product_html(resolved):
    """The product's sections as one HTML text, in the order of every channel."""
    parts = []
    for section in resolved.sections:
        content = clean_html(section.html)
        if content:
            parts.append(f"<h2>{section.heading}</h2>\n{content}")
    return "\n".join(parts)


def abstract(resolved):
    summary = xml_text(resolved.fields.get("summary"))
    if summary:
        return summary
    description = xml_text(html_to_text(resolved.fields.get("description")))
    if len(description) > ABSTRACT_LENGTH:
        description = description[: ABSTRACT_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return description or title(resolved)


def title(resolved):
    return xml_text(resolved.title) or resolved.slug


def application_url(resolved):
    return safe_url(xml_text(resolved.fields.get("online_application_url")))


def online_aanvragen(resolved):
    if not application_url(resolved):
        return "nee"
    return "ja" if resolved.fields.get("digid") in (None, "", DigiD.GEEN) else "digid"


def modified_dates(gemeente, products):
    """When each product's text for this gemeente last changed: the entry,
    this gemeente's overrides of it, and the values of the variables it uses
    that came into force since (new fees on 1 January)."""
    published = {p.id for p in products}
    columns = [f"{name}_nl" for name in Product.translated_fields]
    # Filtered like the feed itself, not by a list of ids: no limit on the
    # number of products a database takes in one query.
    rows = [
        row
        for row in visible_queryset(Product, gemeente).values_list("pk", "updated_at", *columns)
        if row[0] in published
    ]
    texts = {pk: [text for text in texts if text] for pk, updated, *texts in rows}
    modified = {pk: updated for pk, updated, *_ in rows}
    overrides = (
        ProductOverride.objects.filter(gemeente=gemeente)
        .exclude(field_name__in=Product.agent_only_fields)
        .values_list("entry_id", "field_name", "updated_at", "value")
    )
    for entry_id, column, updated, value in overrides:
        if entry_id not in modified or column.endswith("_en"):
            continue  # not in the feed, or English text the feed does not carry
        modified[entry_id] = max(modified[entry_id], updated)
        if isinstance(value, str):
            texts[entry_id].append(value)
    in_force = {
        key: row.valid_from for key, row in VariableValue.objects.in_force(gemeente).items() if row.valid_from
    }
    if in_force:
        zone = timezone.get_current_timezone()
        for pk, pieces in texts.items():
            starts = [in_force[key] for text in pieces for key in variables_in(text) if key in in_force]
            if starts:
                became = datetime.datetime.combine(max(starts), datetime.time.min, tzinfo=zone)
                modified[pk] = max(modified[pk], became)
    return modified


def related_upl(products):
    """product id -> [(UPL name, URI)] of its related products in this feed."""
    published = {p.id for p in products}
    through = Product.related_products.through
    related = {}
    rows = (
        through.objects.filter(to_product__live=True, to_product__upl__isnull=False)
        .order_by("to_product__upl__name")
        .values_list("from_product_id", "to_product_id", "to_product__upl__name", "to_product__upl__uri")
    )
    for product_id, other_id, name, uri in rows:
        if product_id in published and other_id in published and (name, uri) not in related.setdefault(product_id, []):
            related[product_id].append((name, uri))
    return related


def published_products(gemeente, context=None):
    """The products the gemeente publishes, resolved for the public, by title."""
    context = context or GemeenteContext.load(gemeente)
    products = resolve_many(visible_queryset(Product, gemeente).order_by("slug"), gemeente, channel=PUBLIC, context=context)
    return sorted(products, key=lambda r: (r.title.lower(), r.slug))


def translated_products(gemeente, products, context=None):
    """{language: [resolved]} of the published `products` that have a title
    in a language besides Dutch, resolved with only that language's text."""
    context = context or GemeenteContext.load(gemeente)
    ids = {p.id for p in products}
    found = {}
    for language in (code for code, _ in settings.LANGUAGES if code != DUTCH):
        resolved = resolve_many(
            visible_queryset(Product, gemeente).order_by("slug"), gemeente, channel=PUBLIC, language=language, fallback=False, context=context
        )
        found[language] = sorted((r for r in resolved if r.id in ids and r.title), key=lambda r: (r.title.lower(), r.slug))
    return found


def _add(parent, namespace, tag, text=None, **attributes):
    element = etree.SubElement(parent, f"{{{namespace}}}{tag}", {k.replace("_", "-"): v for k, v in attributes.items()})
    if text is not None:
        element.text = text
    return element


def scproduct(parent, resolved, gemeente, url, modified, related, language=DUTCH):
    product = _add(parent, PRODUCT_NS, "scproduct", owms_version=SC_VERSION)
    meta = _add(product, PRODUCT_NS, "meta")

    kern = _add(meta, PRODUCT_NS, "owmskern")
    _add(kern, DCTERMS_NS, "identifier", url)
    _add(kern, DCTERMS_NS, "title", title(resolved))
    _add(kern, DCTERMS_NS, "language", language)
    _add(kern, DCTERMS_NS, "type", "productbeschrijving", scheme="overheid:Informatietype")
    _add(kern, DCTERMS_NS, "modified", timezone.localtime(modified).replace(microsecond=0).isoformat())
    gemeente_name, gemeente_uri = xml_text(gemeente.name), tooi_uri(gemeente)
    _add(kern, DCTERMS_NS, "spatial", gemeente_name, scheme="overheid:Gemeente", resourceIdentifier=gemeente_uri)
    _add(kern, OVERHEID_NS, "authority", gemeente_name, scheme="overheid:Gemeente", resourceIdentifier=gemeente_uri)

    audiences = [AUDIENCES[a] for a in resolved.fields.get("audiences", []) if a in AUDIENCES]
    if audiences:  # the schema wants one or two audiences in owmsmantel
        mantel = _add(meta, PRODUCT_NS, "owmsmantel")
        for audience in audiences:
            _add(mantel, DCTERMS_NS, "audience", audience, scheme="overheid:Doelgroep")
        _add(mantel, DCTERMS_NS, "abstract", abstract(resolved))

    sc = _add(meta, PRODUCT_NS, "scmeta")
    _add(sc, PRODUCT_NS, "productID", str(resolved.id))
    _add(sc, PRODUCT_NS, "onlineAanvragen", online_aanvragen(resolved))
    if application_url(resolved):
        _add(sc, PRODUCT_NS, "aanvraagURL", "Online aanvragen", resourceIdentifier=application_url(resolved))
    upl_name, upl_uri = xml_text(resolved.fields.get("upl_name")), xml_text(resolved.fields.get("upl_uri"))
    if upl_name and upl_uri:
        _add(sc, PRODUCT_NS, "uniformeProductnaam", upl_name, scheme="overheid:UniformeProductnaam", resourceIdentifier=upl_uri)
    for name, uri in related:
        if xml_text(name) and xml_text(uri):
            _add(sc, PRODUCT_NS, "gerelateerdProduct", xml_text(name), scheme="overheid:UniformeProductnaam", resourceIdentifier=xml_text(uri))

    body = _add(product, PRODUCT_NS, "body")
    html = product_html(resolved)
    if html:
        _add(body, PRODUCT_NS, "productHTML", html)
    return product


def build_feed(gemeente, product_url, products=None, translated_url=None):
    """The SC 4.0 document (bytes, UTF-8) of the gemeente's published
    products, or None when it publishes none (the schema wants at least one).

    `product_url(slug)` gives the absolute address of a product page on the
    gemeente's own site: that address is the product's identifier;
    `translated_url(language, slug)` that of its page in another language
    (without it, the feed is Dutch only)."""
    products = published_products(gemeente) if products is None else products
    if not products:
        return None
    modified = modified_dates(gemeente, products)
    related = related_upl(products)
    root = etree.Element(f"{{{PRODUCT_NS}}}scproducten", nsmap=NSMAP)
    root.set(f"{{{XSI_NS}}}schemaLocation", SCHEMA_LOCATION)
    for resolved in products:
        scproduct(root, resolved, gemeente, product_url(resolved.slug), modified[resolved.id], related.get(resolved.id, ()))
    if translated_url is not None:
        for language, found in translated_products(gemeente, products).items():
            for resolved in found:
                url = translated_url(language, resolved.slug)
                scproduct(root, resolved, gemeente, url, modified[resolved.id], related.get(resolved.id, ()), language=language)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
