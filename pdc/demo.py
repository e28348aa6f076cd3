"""The product kind's part of the demo content: how an item of
fixtures/content/products.json (and a gemeente's "local_products" in
local.json) becomes a Product, its themes and relations, a home page's top
tasks, and the minimal products that cover the rest of the municipal UPL.

fixtures/loader.py finds this module through the kind (`<app>.demo`) and
drives it; the data and the order of loading stay there."""

from functools import cache

from django.utils.text import slugify

from kennisbank.sanitise import markdown_to_html

from .models import Department, LifeEvent, Product, Theme, UPLName

SHARED_FILE = "products.json"  # in fixtures/content/
LOCAL_KEY = "local_products"  # a gemeente's own products in local.json
MARKDOWN = ("description", "conditions", "procedure", "required_documents", "costs", "lead_time", "objection", "no_response")
# English text (title, summary, description) of SDG products that are made
# from UPL names (create_upl_products), by UPL name.
ENGLISH_FILE = "products_en.json"
PLACEHOLDER_UPL_NAME = "UPL-naam nog niet beschikbaar"
# A product's text per audience where it differs (a business owner's), by key.
AUDIENCES_FILE = "product_audiences.json"


def department(name):
    if not name:
        return None
    found, _ = Department.objects.get_or_create(slug=slugify(name), defaults={"name_nl": name, "name_en": name})
    return found


def upl_name(name):
    if not name:
        return None
    return UPLName.objects.filter(name=name, gemeente=True).order_by("expired_at").first()


def values(item):
    """The columns of a product item (the loader adds gemeente and owner)."""
    columns = {
        "title_nl": item["title"],
        "title_en": item.get("title_en", ""),
        "summary_nl": item.get("summary", ""),
        "summary_en": item.get("summary_en", ""),
        "online_application_url": item.get("online_application_url", ""),
        "digid": item.get("digid", "geen"),
        "appointment_required": item.get("appointment_required", False),
        "bookable_online": item.get("bookable_online", False),
        "appointment_url": item.get("appointment_url", ""),
        "legal_basis": item.get("legal_basis", ""),
        "for_burger": "burger" in item.get("audiences", ["burger"]),
        "for_ondernemer": "ondernemer" in item.get("audiences", []),
        "upl": upl_name(item.get("upl")),
        "department": department(item.get("department")),
        "delivering_organisation": item.get("delivering_organisation") or "gemeente",
        "complexity": item.get("complexity", "enkelvoudig"),
        "handling_level": item.get("handling_level", "informatie"),
        "keywords": ", ".join(item.get("keywords", [])),
        "audience_variants": audience_variants(item),
    }
    columns.update({f"{name}_nl": markdown_to_html(item.get(name, "")) for name in MARKDOWN})
    columns.update({f"{name}_en": markdown_to_html(item.get(f"{name}_en", "")) for name in MARKDOWN})
    return columns


@cache
def audience_texts():
    from fixtures.loader import read

    return read(AUDIENCES_FILE)


def audience_variants(item):
    """{audience: {column: text}} of the item's shared audience variants (Dutch)."""
    return {
        audience: {f"{name}_nl": markdown_to_html(text) if name in MARKDOWN else text for name, text in texts.items()}
        for audience, texts in audience_texts().get(item.get("key"), {}).items()
    }


def prepare(read):
    """The themes and life events the products refer to (taxonomies.json)."""
    data = read("taxonomies.json")
    for model, items in ((Theme, data["themes"]), (LifeEvent, data["life_events"])):
        for item in items:
            model.objects.update_or_create(
                slug=item["slug"], defaults={"name_nl": item["name"], "name_en": item.get("name_en") or item["name"]}
            )


def set_taxonomies(product, item):
    product.themes.set(Theme.objects.filter(slug__in=item.get("themes", [])))
    product.life_events.set(LifeEvent.objects.filter(slug__in=item.get("life_events", [])))


def link_related(product, item):
    """Relations to other entries, once every entry of every kind exists."""
    product.related_products.set(Product.objects.filter(slug__in=item.get("related", [])))


def load_local(gemeente, data, user):
    """What a gemeente's local.json adds for products: its home page's top tasks."""
    load_top_tasks(gemeente, data.get("top_tasks", []), user)


def load_top_tasks(gemeente, keys, user):
    """The products under "Direct regelen" on the gemeente's home page, in
    this order, published as an editor would (a new revision only when the
    list changed)."""
    from website.models import HomePage

    home = HomePage.objects.get(pk=gemeente.site.root_page_id)
    products = [Product.objects.get(slug=key) for key in keys]
    if [task.product_id for task in home.top_tasks.all()] == [product.pk for product in products]:
        return
    top_task = home.top_tasks.model
    home.top_tasks = [top_task(product=product, sort_order=order) for order, product in enumerate(products)]
    home.save_revision(user=user).publish(user=user)


def finish(user, log):
    """After all content: a minimal product for every municipal UPL name without one."""
    from fixtures.loader import read

    covered = Product.objects.exclude(upl=None).values_list("upl_id", flat=True)
    log(f"  {create_upl_products(user, covered)} new products from municipal UPL names")
    log(f"  {translate_upl_products(read(ENGLISH_FILE))} of them with English text")


def translate_upl_products(items):
    """English title, summary and description of the shared products made
    from these UPL names; a product that has an English title keeps it."""
    count = 0
    for item in items:
        product = Product.objects.filter(gemeente=None, upl__name=item["upl"]).order_by("pk").first()
        if product is None or product.title_en:
            continue
        product.title_en, product.summary_en = item["title_en"], item["summary_en"]
        product.description_en = markdown_to_html(item["description_en"])
        product.save()
        count += 1
    return count


def create_upl_products(user, covered_upl_ids):
    """Every municipal UPL name without a product of its own gets a minimal
    shared entry, so the catalogue covers the whole municipal UPL."""
    created = 0
    names = UPLName.objects.current().municipal().exclude(pk__in=covered_upl_ids)
    for name in names.exclude(name__istartswith=PLACEHOLDER_UPL_NAME):
        slug = slugify(name.name)[:200] or f"upl-{name.pk}"
        if Product.objects.filter(slug=slug).exists():
            continue
        Product(
            slug=slug,
            title_nl=name.name[:1].upper() + name.name[1:],
            upl=name,
            for_burger=name.burger or not name.bedrijf,
            for_ondernemer=name.bedrijf,
            legal_basis=name.grondslag_label,
            live=True,
            owner=user,
        ).save()
        created += 1
    return created
