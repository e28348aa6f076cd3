"""Coverage for the management information (ProductKind.handling_levels):
the front-office handling level of the live products per gemeente, each
gemeente's override taking the place of the shared value. Three aggregate
queries whatever the number of gemeenten and products."""

from collections import Counter

from django.db.models import Count

from .models import HandlingLevel, Product, ProductOverride

FIELD = "handling_level"


def handling_levels(gemeente_ids):
    live = Product.objects.filter(live=True)
    shared = Counter(dict(live.filter(gemeente=None).values_list(FIELD).annotate(n=Count("pk")).order_by()))
    counts = {pk: Counter(shared) for pk in gemeente_ids}
    local = live.filter(gemeente__in=gemeente_ids).values_list("gemeente", FIELD).annotate(n=Count("pk")).order_by()
    for gemeente_id, level, n in local:
        counts[gemeente_id][level] += n
    overridden = (
        ProductOverride.objects.filter(gemeente__in=gemeente_ids, field_name=FIELD, entry__live=True, entry__gemeente=None)
        .values_list("gemeente", "value", f"entry__{FIELD}").annotate(n=Count("pk")).order_by()
    )
    for gemeente_id, value, base, n in overridden:
        counts[gemeente_id][value] += n
        counts[gemeente_id][base] -= n
    labels = dict(HandlingLevel.choices)
    return {pk: {labels[level]: counts[pk][level] for level in labels} for pk in gemeente_ids}
