"""The product's parts of a gemeente's website (website/, through the kind
hooks of pdc/kinds.py): what a product page shows besides the product's
sections, the A–Z list's products without text, the contact page's
"by appointment" list, the top tasks a web editor chooses and the
Samenwerkende Catalogi feed."""

from django.http import Http404, HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from kennisbank.text import safe_url
from sharing.kinds import get_kind

from .catalogi import build_feed
from .models import DigiD, Product
from .models.content import content_for_gemeente

FEED_PATH = "samenwerkende-catalogi.xml"


def page_context(entries, resolved, entry):
    """The product page: "Direct regelen" buttons, related products and
    VACs, themes and life events."""
    taxonomies = entries.taxonomy_links(entry)
    return {
        "crumbs": [{"title": "Producten A–Z", "url": entries.url("a_z")}],
        "tasks": task_links(entries, resolved.fields),
        "related_products": entries.related("product", Product._meta.get_field("related_products"), entry.pk),
        # The VACs whose related products name this one (their field, read backwards).
        "related_vacs": entries.related("vac", Product._meta.get_field("vacs").remote_field, entry.pk, reverse=True),
        "themes": taxonomies["themes"],
        "life_events": taxonomies["life_events"],
    }


def task_links(entries, fields):
    """The buttons of "Direct regelen", each with the text of what it does:
    the online application (with the DigiD level it needs) and making an
    appointment (the gemeente's own link, else its contact page)."""
    tasks = []
    online = safe_url(fields.get("online_application_url", ""))
    digid = dict(DigiD.choices).get(fields.get("digid")) if fields.get("digid") not in (None, DigiD.GEEN) else ""
    if online:
        tasks.append(
            {"label": _("Online aanvragen met DigiD") if digid else _("Online aanvragen"), "url": online, "hint": _("U logt in met %(digid)s.") % {"digid": digid} if digid else ""}
        )
    appointment = safe_url(fields.get("appointment_url", ""))
    if appointment or fields.get("appointment_required") or fields.get("bookable_online"):
        tasks.append(
            {
                "label": _("Afspraak maken"),
                "url": appointment or f"{entries.url('contact')}#afspraak",
                "hint": _("Hiervoor maakt u eerst een afspraak.") if fields.get("appointment_required") else "",
            }
        )
    return tasks


def not_offered_links(entries, entry):
    """On the page of a product or VAC the gemeente does not offer: the
    related products it does publish."""
    return entries.links(entries.published("product", entry.related_products.values_list("pk", flat=True)))


def without_content(gemeente):
    """Ids of the products without text for this gemeente (its own text on
    an empty shared product counts; so does an emptied one)."""
    from sharing.resolution import visible_queryset

    rows = visible_queryset(Product, gemeente).values_list("pk", "has_content")
    local = content_for_gemeente(Product, gemeente)
    return {pk for pk, has_content in rows if not local.get(pk, has_content)}


def appointment_ids():
    return Product.objects.filter(appointment_required=True).values_list("pk", flat=True)


def chosen_top_tasks(page):
    return list(page.top_tasks.values_list("product_id", flat=True))


def samenwerkende_catalogi(request):
    """/samenwerkende-catalogi.xml of each gemeente's site: the Samenwerkende
    Catalogi 4.0 feed the national harvester (overheid.nl) reads, built in
    pdc/catalogi.py from the public resolution of this gemeente's products."""
    from website.sitemaps import SITEMAP_MAX_AGE, site_of_request

    gemeente, home = site_of_request(request)
    root = request.build_absolute_uri("/").rstrip("/")
    url_prefix = get_kind(Product).url_prefix

    def product_url(slug):
        return f"{root}/{home.reverse_subpage('entry', args=(url_prefix, slug))}"

    def translated_url(language, slug):
        return f"{root}/{home.reverse_subpage('translated_entry', args=(language, url_prefix, slug))}"

    xml = build_feed(gemeente, product_url, translated_url=translated_url)
    if xml is None:  # the schema wants at least one product
        raise Http404(f"{gemeente.name} publiceert (nog) geen producten.")
    response = HttpResponse(xml, content_type="application/xml; charset=utf-8")
    # Like the sitemap: resolving every product is not cheap, so crawlers
    # and proxies may keep it a while. No Last-Modified: a product that goes
    # away changes no date; the ETag (from the content) is exact.
    patch_cache_control(response, public=True, max_age=SITEMAP_MAX_AGE)
    return response


def site_feeds():
    return [(FEED_PATH, samenwerkende_catalogi, "website-samenwerkende-catalogi", "Samenwerkende Catalogi 4.0")]
