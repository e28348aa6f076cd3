from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def csv_query(context, key):
    """This page's query string (scope and period) asking for one table as CSV."""
    query = context["request"].GET.copy()
    query["csv"] = key
    return query.urlencode()


@register.filter
def percent(value):
    return "—" if value is None else f"{value:.1f}%".replace(".", ",")


@register.filter
def get_table(tables, key):
    return tables[key]
