"""A curator's work queue per gemeente: local texts whose shared text
changed, feedback still to handle, and variables used in published text
that have no value. Scoped to the gemeenten the user edits."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import CharField, Count, Q, TextField
from django.urls import reverse
from django.utils.http import urlencode

from feedback.models import Feedback, attach_entries
from gemeenten.models import Gemeente
from sharing.kinds import kinds
from sharing.models import Variable
from sharing.permissions import editable_gemeente_ids
from sharing.scope import shared_or_own
from sharing.variables import GemeenteContext


def curated_gemeenten(user):
    """The gemeenten whose local content the user edits (empty for agents)."""
    ids = editable_gemeente_ids(user)
    gemeenten = Gemeente.objects.order_by("name")
    return list(gemeenten if ids is None else gemeenten.filter(pk__in=ids))


@dataclass
class MissingValue:
    key: str
    gemeente: Gemeente
    entries: list = field(default_factory=list)
    variable: Variable | None = None

    @property
    def add_url(self):
        if self.variable is None:  # not a defined variable: a typo in the text
            return None
        query = urlencode({"variable": self.variable.pk, "gemeente": self.gemeente.pk})
        return f"{reverse('wagtailsnippets_sharing_variablevalue:add')}?{query}"


def _text_columns(model):
    return [
        column
        for column in model.overridable_columns()
        if isinstance(model._meta.get_field(column), (CharField, TextField))
    ]


def missing_variable_values(gemeente):
    """Variables in this gemeente's published texts (shared text, its local
    overrides, its local entries) without a value in force."""
    context = GemeenteContext.load(gemeente)
    missing = {}
    for kind in kinds():
        model, override_model = kind.model, kind.override_model
        columns = _text_columns(model)
        overrides = defaultdict(dict)
        for override in override_model.objects.filter(gemeente=gemeente):
            overrides[override.entry_id][override.field_name] = override.value
        uses_variable = Q(pk__in=[pk for pk, values in overrides.items() if "{{" in str(values)])
        for column in columns:
            uses_variable |= Q(**{f"{column}__contains": "{{"})
        entries = model.objects.filter(live=True).filter(shared_or_own(gemeente)).filter(uses_variable)
        for entry in entries:
            values = {column: getattr(entry, column) for column in columns} | overrides.get(entry.pk, {})
            if overrides.get(entry.pk, {}).get("offered") is False:
                continue
            for column in columns:
                for key in context.render(values.get(column), html=False)[1]:
                    item = missing.setdefault(key, MissingValue(key, gemeente))
                    if entry not in item.entries:
                        item.entries.append(entry)
    variables = Variable.objects.in_bulk(list(missing), field_name="key")
    for item in missing.values():
        item.variable = variables.get(item.key)
    return sorted(missing.values(), key=lambda item: item.key)


def flagged_overrides(gemeenten):
    """Local texts whose shared text changed since they were written."""
    items = []
    for kind in kinds():
        overrides = kind.override_model.objects.flagged().filter(gemeente__in=gemeenten).select_related("entry", "gemeente")
        for override in overrides:
            entry = override.entry
            items.append(
                {
                    "entry": entry,
                    "gemeente": override.gemeente,
                    "field": entry._meta.get_field(override.field_name).verbose_name,
                    "url": reverse("sharing:entry_editor", args=[kind.name, entry.pk, override.gemeente.slug]),
                }
            )
    return sorted(items, key=lambda item: (item["gemeente"].name, str(item["entry"]).lower()))


def open_feedback(gemeenten):
    return Feedback.objects.open().filter(gemeente__in=gemeenten).select_related("gemeente")


def feedback_list_url(**filters):
    return f"{reverse('wagtailsnippets_feedback_feedback:list')}?{urlencode(filters)}"


def work_queue(user, limit=10):
    """Everything the dashboard panels show; None when the user curates nothing."""
    gemeenten = curated_gemeenten(user)
    if not gemeenten:
        return None
    flagged = flagged_overrides(gemeenten)
    feedback = open_feedback(gemeenten)
    feedback_counts = dict(feedback.values_list("gemeente").annotate(n=Count("pk")).order_by())
    missing = {gemeente.pk: missing_variable_values(gemeente) for gemeente in gemeenten}
    rows = [
        {
            "gemeente": gemeente,
            "flagged": sum(item["gemeente"].pk == gemeente.pk for item in flagged),
            "flagged_url": f"{reverse('sharing:overview')}?{urlencode({'gemeente': gemeente.slug})}",
            "feedback": feedback_counts.get(gemeente.pk, 0),
            "feedback_url": feedback_list_url(status="open", gemeente=gemeente.pk),
            "missing": len(missing[gemeente.pk]),
        }
        for gemeente in gemeenten
    ]
    return {
        "rows": rows,
        "flagged": flagged[:limit],
        "flagged_total": len(flagged),
        "feedback": attach_entries(feedback[:limit]),
        "feedback_total": sum(feedback_counts.values()),
        "feedback_url": feedback_list_url(status="open"),
        "missing": [item for gemeente in gemeenten for item in missing[gemeente.pk]],
        "several_gemeenten": len(gemeenten) > 1,
    }
