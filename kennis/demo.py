"""The VAC kind's part of the demo content: how an item of
fixtures/content/vacs.json (and a gemeente's "local_vacs" in local.json)
becomes a VAC and its relations.

fixtures/loader.py finds this module through the kind (`<app>.demo`) and
drives it; the data and the order of loading stay there."""

from functools import cache

from fixtures.loader import read
from kennisbank.sanitise import markdown_to_html
from pdc.demo import department
from pdc.models import Product

from .models import VAC

SHARED_FILE = "vacs.json"  # in fixtures/content/
LOCAL_KEY = "local_vacs"  # a gemeente's own VACs in local.json
CHANNELS_FILE = "vac_channels.json"  # spoken answers and e-mail answers per VAC key
EMAIL = "Geachte heer/mevrouw,\n\n{answer}\n\nMet vriendelijke groet,\n\nKlantcontactcentrum gemeente {{{{ gemeente.naam }}}}\nTelefoon {{{{ gemeente.telefoon }}}}\n{{{{ gemeente.website }}}}"


@cache
def channels():
    return read(CHANNELS_FILE)


def channel_values(item):
    """The agent-only channel variants: the spoken answer and the e-mail template."""
    found = channels().get(item.get("key"), {})
    email = found.get("email_answer")
    return {"spoken_answer": found.get("spoken_answer", ""), "email_template": EMAIL.format(answer=email) if email else ""}


def values(item):
    """The columns of a VAC item (the loader adds gemeente and owner)."""
    return {
        "question_nl": item["question"],
        "answer_nl": markdown_to_html(item["answer"]),
        "internal_explanation": markdown_to_html(item.get("internal_explanation", "")),
        "audience": item.get("audience", "burger"),
        "keywords": ", ".join(item.get("keywords", [])),
        **channel_values(item),
    }


def set_taxonomies(vac, item):
    vac.departments.set([department(name) for name in item.get("departments", [])])


def link_related(vac, item):
    """Relations to other entries, once every entry of every kind exists."""
    vac.related_products.set(Product.objects.filter(slug__in=item.get("related_products", [])))
    vac.related_vacs.set(VAC.objects.filter(slug__in=item.get("related_vacs", [])))
