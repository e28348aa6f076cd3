"""A new VAC drafted by an author (an agent's "Voeg toe", through
voorstellen/): once a curator accepts it, a draft VAC that is not live."""

from django.utils.text import slugify

from .models import VAC


def unique_slug(question):
    base = slugify(question)[:200] or "vraag"
    slug, number = base, 1
    while VAC.objects.filter(slug=slug).exists():
        number += 1
        slug = f"{base}-{number}"
    return slug


def new_draft(values, gemeente, user):
    vac = VAC(
        question_nl=values.get("question_nl", ""),
        answer_nl=values.get("answer_nl", ""),
        slug=unique_slug(values.get("question_nl", "")),
        gemeente=gemeente,
        owner=user,
        live=False,
        has_unpublished_changes=True,
    )
    vac.save()
    vac.save_revision(user=user, log_action="wagtail.create")
    return vac
