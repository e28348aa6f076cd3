"""Municipal variables in shared text: {{ gemeente.naam }}, {{ leges.paspoort }}.

Values are typed (money, phone, url, text) and rendered per gemeente. A
variable without a value never reaches a reader as {{ … }}: its fallback
text is shown and the key is reported as a problem for the editors."""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.html import escape, format_html

from gemeenten.models import WEEKDAYS
from kennisbank.text import is_http_url

from .models import Variable, VariableValue

VARIABLE_PATTERN = re.compile(r"\{\{\s*([a-z][a-z0-9_]*(?:\.[a-z0-9_]+)+)\s*\}\}")
BUILTIN_KEYS = (
    "gemeente.naam",
    "gemeente.telefoon",
    "gemeente.adres",
    "gemeente.email",
    "gemeente.website",
    "gemeente.openingstijden",
)


def format_money(value):
    amount = Decimal(value).quantize(Decimal("0.01"))
    if not amount:
        return "gratis"  # never "€ 0,00"
    whole, cents = f"{amount:,.2f}".split(".")
    return f"€ {whole.replace(',', '.')},{cents}"


def render_typed(kind, value, html, link_text=""):
    """A variable's value as text or as safe HTML; ValueError if malformed.
    A URL in HTML is a link with `link_text` (the variable's label), not
    the bare address, as text."""
    if kind == Variable.Kind.MONEY:
        try:
            text = format_money(value)
        except (InvalidOperation, ValueError) as exc:
            raise ValueError(f"geen bedrag: {value!r}") from exc
        return escape(text) if html else text
    if kind == Variable.Kind.URL:
        if not is_http_url(value):
            raise ValueError(f"geen http(s)-adres: {value!r}")
        return format_html('<a href="{}">{}</a>', value, link_text or value) if html else value
    if kind == Variable.Kind.PHONE:
        digits = re.sub(r"[^\d+]", "", value)
        return format_html('<a href="tel:{}">{}</a>', digits, value) if html else value
    return escape(value) if html else value


def display_value(kind, value):
    """A value as readers see it, as plain text (money as € 329,76); a
    malformed value as typed, so an editor can spot it."""
    try:
        return render_typed(kind, value, html=False)
    except ValueError:
        return value


def opening_hours_text(gemeente):
    parts = []
    for location in gemeente.locations.all():
        hours = ", ".join(
            f"{WEEKDAYS[h.weekday]} {h.opens:%H:%M}–{h.closes:%H:%M}" for h in location.opening_hours.all()
        )
        if hours:
            parts.append(f"{location.name}: {hours}")
    return "; ".join(parts)


@dataclass
class GemeenteContext:
    """Everything needed to fill variables for one gemeente, loaded once
    (a fixed number of queries, whatever the number of gemeenten)."""

    gemeente: object
    values: dict = field(default_factory=dict)  # key -> (kind, value)
    fallbacks: dict = field(default_factory=dict)  # key -> fallback text
    link_texts: dict = field(default_factory=dict)  # key -> text of a URL variable's link
    # The agent channel's variables (agents first): values agents see before
    # the public, and when each goes public (key -> datetime).
    agents: bool = False
    public_from: dict = field(default_factory=dict)

    @classmethod
    def load(cls, gemeente, on=None, agents=False):
        """`agents`: as the agent channel reads them now, with the later
        values agents see already (`in_force_many(agents_at=)`)."""
        definitions = {v.key: v for v in Variable.objects.all()}
        on = on or timezone.localdate()
        rows = VariableValue.objects.in_force(gemeente, on=on, agents_at=timezone.now() if agents else None)
        return cls._for_channel(gemeente, definitions, rows, on, agents)

    @classmethod
    def load_many(cls, gemeenten, on=None, agents=False):
        """{gemeente pk: context} for many gemeenten in a fixed number of
        queries (definitions, values, sites, locations, opening hours), the
        same contexts `load` gives one by one."""
        gemeenten = list(gemeenten)
        prefetch_related_objects(gemeenten, "site", "locations__opening_hours")
        definitions = {v.key: v for v in Variable.objects.all()}
        on = on or timezone.localdate()
        in_force = VariableValue.objects.in_force_many(gemeenten, on=on, agents_at=timezone.now() if agents else None)
        return {g.pk: cls._for_channel(g, definitions, in_force[g.pk], on, agents) for g in gemeenten}

    @classmethod
    def load_per_channel(cls, gemeenten, on=None):
        """{agents: {gemeente pk: context}} for the public (False) and the
        agents (True): `load_many` for both channels, sharing the queries."""
        gemeenten = list(gemeenten)
        prefetch_related_objects(gemeenten, "site", "locations__opening_hours")
        definitions = {v.key: v for v in Variable.objects.all()}
        on = on or timezone.localdate()
        in_force = dict(zip((False, True), VariableValue.objects.in_force_per_channel(gemeenten, agents_at=timezone.now(), on=on)))
        return {
            agents: {g.pk: cls._for_channel(g, definitions, in_force[agents][g.pk], on, agents) for g in gemeenten} for agents in (False, True)
        }

    @classmethod
    def _for_channel(cls, gemeente, definitions, rows, on, agents):
        from .scheduling import value_goes_public

        context = cls._with_builtins(gemeente, definitions, {key: (row.variable.kind, row.value) for key, row in rows.items()})
        context.agents = agents
        context.public_from = {key: value_goes_public(row.valid_from) for key, row in rows.items() if row.valid_from and row.valid_from > on}
        return context

    def public_from_of(self, texts):
        """When the first value these texts use that agents see before the
        public goes public; None when they use none."""
        if not self.public_from:
            return None
        dates = [self.public_from[key] for text in texts if isinstance(text, str) for key in variables_in(text) if key in self.public_from]
        return min(dates, default=None)

    @classmethod
    def _with_builtins(cls, gemeente, definitions, values):
        site = gemeente.site
        builtins = {
            "gemeente.naam": (Variable.Kind.TEXT, gemeente.name),
            "gemeente.telefoon": (Variable.Kind.PHONE, gemeente.phone),
            "gemeente.adres": (Variable.Kind.TEXT, gemeente.visiting_address),
            "gemeente.email": (Variable.Kind.TEXT, gemeente.email),
            "gemeente.website": (Variable.Kind.URL, site.root_url if site else ""),
            "gemeente.openingstijden": (Variable.Kind.TEXT, opening_hours_text(gemeente)),
        }
        values.update({key: kv for key, kv in builtins.items() if kv[1]})
        fallbacks = {key: d.fallback for key, d in definitions.items()}
        link_texts = {key: d.label for key, d in definitions.items() if d.kind == Variable.Kind.URL}
        link_texts["gemeente.website"] = f"de website van gemeente {gemeente.name}"
        return cls(gemeente=gemeente, values=values, fallbacks=fallbacks, link_texts=link_texts)

    def render(self, text, *, html):
        """Fill the variables in `text`; returns (text, unresolved keys)."""
        if not text or "{{" not in text:
            return text, []
        unresolved = []

        def value_of(key):
            kind_value = self.values.get(key)
            if kind_value:
                try:
                    return render_typed(kind_value[0], kind_value[1], html, self.link_texts.get(key, ""))
                except ValueError:
                    pass
            return None

        def substitute(match):
            key = match.group(1)
            value = value_of(key)
            if value is not None:
                return value
            unresolved.append(key)
            fallback = self.fallbacks.get(key, "")
            # A fallback may name the gemeente's own details ("bel {{ gemeente.telefoon }}"), nothing else.
            return VARIABLE_PATTERN.sub(
                lambda m: (value_of(m.group(1)) or "") if m.group(1) in BUILTIN_KEYS else "",
                escape(fallback) if html else fallback,
            )

        rendered = VARIABLE_PATTERN.sub(substitute, text)
        # Anything still shaped like {{ … }} is malformed: never show it raw.
        rendered = re.sub(r"\{\{.*?\}\}", lambda m: unresolved.append(m.group(0)) or "", rendered)
        return rendered, unresolved


def variables_in(text):
    return VARIABLE_PATTERN.findall(text or "")


def unknown_variables(text):
    """Keys used in `text` that are neither built in nor defined."""
    used = set(variables_in(text))
    if not used:
        return []
    defined = set(Variable.objects.filter(key__in=used).values_list("key", flat=True))
    return sorted(used - defined - set(BUILTIN_KEYS))
