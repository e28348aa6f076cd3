"""Property-based tests of the one resolution function, in memory: random
base texts, overrides and variables for a gemeente, on both channels."""

import re
from html import unescape
from types import SimpleNamespace

import pytest
from hypothesis import given, settings as hsettings, strategies as st

from gemeenten.models import Gemeente
from kennis.models import VAC, AgentNote
from pdc.models import Product
from sharing.resolution import AGENT, PUBLIC, resolve
from sharing.variables import GemeenteContext

# Entries are unsaved; the database is only read (empty taxonomies).
pytestmark = pytest.mark.django_db

CANARY = "INTERN-KANARIE"
KNOWN = {"gemeente.naam": ("text", "Roosendaal"), "leges.paspoort": ("money", "84.05"), "telefoon.wmo": ("phone", "0165 - 579300")}
RENDERED = {"gemeente.naam": "Roosendaal", "leges.paspoort": "€ 84,05", "telefoon.wmo": "0165 - 579300"}
UNKNOWN = ["leges.onbekend", "tarief.nergens"]
FALLBACKS = {"leges.onbekend": "vraag de kosten na"}

words = st.text(alphabet="abcdefghij klmnopq.,!?-éë", min_size=0, max_size=30)
variable = st.sampled_from(sorted(KNOWN) + UNKNOWN).map(lambda key: "{{ %s }}" % key)
text = st.lists(st.one_of(words, variable), max_size=6).map("".join)


def gemeente():
    return Gemeente(pk=1, name="Roosendaal", slug="roosendaal", cbs_code="1674")


def context_for(g):
    return GemeenteContext(gemeente=g, values=dict(KNOWN), fallbacks=dict(FALLBACKS))


def expected_text(raw):
    def substitute(match):
        key = match.group(1)
        return RENDERED.get(key, FALLBACKS.get(key, ""))

    return re.sub(r"\{\{ ([a-z._]+) \}\}", substitute, raw)


def unresolved_in(raw):
    return {key for key in re.findall(r"\{\{ ([a-z._]+) \}\}", raw) if key not in KNOWN}


def fake_override(column, value):
    return SimpleNamespace(field_name=column, value=value, base_changed=False)


product_text_columns = [c for c in Product.overridable_columns() if c.endswith("_nl")]


@hsettings(max_examples=100, deadline=None)
@given(
    base=st.fixed_dictionaries({c: text for c in product_text_columns}),
    local=st.dictionaries(st.sampled_from(product_text_columns), text, max_size=len(product_text_columns)),
    channel=st.sampled_from([PUBLIC, AGENT]),
    handling_override=st.booleans(),
)
def test_override_wins_where_set_base_elsewhere_variables_resolved_or_reported(base, local, channel, handling_override):
    g = gemeente()
    product = Product(pk=7, slug="p", live=True, handling_level="informatie", **base)
    overrides = {c: fake_override(c, v) for c, v in local.items()}
    if handling_override:
        overrides["handling_level"] = fake_override("handling_level", "intake")
    resolved = resolve(product, g, channel=channel, context=context_for(g), overrides=overrides, notes=[])

    expected_problems = set()
    for column in product_text_columns:
        name = column[: -len("_nl")]
        raw = local.get(column, base[column])
        if name in Product.rich_text_fields:
            assert _plain(resolved.fields[name]) == expected_text(raw)
        else:
            assert resolved.fields[name] == expected_text(raw)
        assert "{{" not in str(resolved.fields[name])
        expected_problems |= unresolved_in(raw)
    assert {p.split(" ")[0] for p in resolved.problems} == expected_problems
    assert resolved.overridden == frozenset(overrides)
    if channel == PUBLIC:
        assert "handling_level" not in resolved.fields
    else:
        assert resolved.fields["handling_level"] == ("intake" if handling_override else "informatie")


def _plain(html):
    """Rich fields hold escaped text and links (tel:, https:); compare their text."""
    return unescape(re.sub(r"<[^>]+>", "", html))


@hsettings(max_examples=80, deadline=None)
@given(question=text, answer=text, explanation=text, note_body=words)
def test_public_resolution_never_contains_agent_only_content(question, answer, explanation, note_body):
    g = gemeente()
    vac = VAC(
        pk=3, slug="v", live=True, question_nl=question or "vraag", answer_nl=answer,
        internal_explanation=f"<p>{CANARY}-toelichting {explanation}</p>",
    )
    note = AgentNote(kind="intake", title=f"{CANARY}-titel", body=f"<p>{CANARY}-notitie {note_body}</p>")
    public = resolve(vac, g, channel=PUBLIC, context=context_for(g), overrides={}, notes=[note])
    agent = resolve(vac, g, channel=AGENT, context=context_for(g), overrides={}, notes=[note])
    assert CANARY not in repr(public)
    assert "internal_explanation" not in public.fields and public.notes == ()
    assert CANARY in agent.fields["internal_explanation"]
    assert [n.title for n in agent.notes] == [f"{CANARY}-titel"]


@given(offered=st.booleans(), channel=st.sampled_from([PUBLIC, AGENT]))
def test_not_offered_is_hidden_from_the_public_and_marked_for_agents(offered, channel):
    g = gemeente()
    product = Product(pk=9, slug="p", live=True, title_nl="Parkeervergunning")
    overrides = {} if offered else {"offered": fake_override("offered", False)}
    resolved = resolve(product, g, channel=channel, context=context_for(g), overrides=overrides, notes=[])
    if channel == PUBLIC and not offered:
        assert resolved is None
    else:
        assert resolved.offered is offered


def test_another_gemeentes_local_entry_does_not_exist_here():
    g = gemeente()
    other = Gemeente(pk=2, name="Etten-Leur", slug="etten-leur", cbs_code="0777")
    local = Product(pk=5, slug="lokaal", live=True, title_nl="Lokale subsidie", gemeente=other)
    for channel in (PUBLIC, AGENT):
        assert resolve(local, g, channel=channel, context=context_for(g), overrides={}, notes=[]) is None
    assert resolve(local, other, context=context_for(other), overrides={}, notes=[]).local is True


def test_unpublished_and_inactive_entries_are_not_public():
    g = gemeente()
    draft = Product(pk=1, slug="d", live=False, title_nl="Concept")
    inactive = VAC(pk=2, slug="i", live=True, question_nl="Oud?", answer_nl="<p>x</p>", status="non-actief")
    assert resolve(draft, g, context=context_for(g), overrides={}, notes=[]) is None
    assert resolve(inactive, g, context=context_for(g), overrides={}, notes=[]) is None
    assert resolve(inactive, g, channel=AGENT, context=context_for(g), overrides={}, notes=[]) is not None


def test_audience_filter():
    g = gemeente()
    business = Product(pk=4, slug="b", live=True, title_nl="Terras", for_burger=False, for_ondernemer=True)
    assert resolve(business, g, audience="burger", context=context_for(g), overrides={}, notes=[]) is None
    assert resolve(business, g, audience="ondernemer", context=context_for(g), overrides={}, notes=[])


def test_english_falls_back_to_dutch_per_field():
    g = gemeente()
    product = Product(pk=4, slug="b", live=True, title_nl="Paspoort", title_en="Passport", summary_nl="Reisdocument")
    resolved = resolve(product, g, language="en", context=context_for(g), overrides={}, notes=[])
    assert resolved.fields["title"] == "Passport"
    assert resolved.fields["summary"] == "Reisdocument"
