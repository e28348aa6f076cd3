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


translated_columns = [f"{name}_{code}" for name in Product.translated_fields for code in ("nl", "en")]


def expected_in_english(name, base, local):
    """(raw text, shown in Dutch) of a translated field on an English page:
    the gemeente's English text, else the shared English unless the
    gemeente has its own Dutch text, else the Dutch text (marked)."""
    english = local.get(f"{name}_en", "" if f"{name}_nl" in local else base[f"{name}_en"])
    dutch = local.get(f"{name}_nl", base[f"{name}_nl"])
    return (english, False) if english else (dutch, bool(dutch))


@hsettings(max_examples=120, deadline=None)
@given(
    base=st.fixed_dictionaries({c: text for c in translated_columns}),
    local=st.dictionaries(st.sampled_from(translated_columns), text, max_size=len(translated_columns)),
    channel=st.sampled_from([PUBLIC, AGENT]),
    fallback=st.booleans(),
)
def test_english_where_set_local_english_wins_dutch_fallback_marked(base, local, channel, fallback):
    g = gemeente()
    product = Product(pk=7, slug="p", live=True, spoken_answer=f"{CANARY} gesproken", email_template=f"{CANARY} e-mail", **base)
    overrides = {c: fake_override(c, v) for c, v in local.items()}
    overrides["spoken_answer"] = fake_override("spoken_answer", f"{CANARY} lokaal")
    resolved = resolve(product, g, channel=channel, language="en", fallback=fallback, context=context_for(g), overrides=overrides, notes=[])

    marked = set()
    for name in Product.translated_fields:
        raw, in_dutch = expected_in_english(name, base, local)
        if in_dutch and not fallback:
            raw = ""  # no Dutch filled in (the SC feed, the objecttypes)
        value = _plain(resolved.fields[name]) if name in Product.rich_text_fields else resolved.fields[name]
        assert value == expected_text(raw), name
        if in_dutch and fallback:
            marked.add(name)
    assert resolved.fallback == frozenset(marked)
    assert resolved.language == "en"
    if channel == PUBLIC:
        assert CANARY not in repr(resolved) and not resolved.agent_fields
    else:
        assert resolved.agent_fields["spoken_answer"] == f"{CANARY} lokaal"


@hsettings(max_examples=60, deadline=None)
@given(base=st.fixed_dictionaries({c: words for c in translated_columns}), local=st.dictionaries(st.sampled_from(translated_columns), words, max_size=6))
def test_dutch_resolution_marks_nothing_and_ignores_english(base, local):
    g = gemeente()
    product = Product(pk=8, slug="q", live=True, **base)
    resolved = resolve(product, g, context=context_for(g), overrides={c: fake_override(c, v) for c, v in local.items()}, notes=[])
    assert resolved.fallback == frozenset()
    assert resolved.fields["title"] == local.get("title_nl", base["title_nl"])


def test_section_headings_follow_the_language():
    g = gemeente()
    product = Product(pk=4, slug="b", live=True, title_nl="Paspoort", title_en="Passport", costs_nl="<p>€ 84</p>", costs_en="<p>€ 84</p>")
    english = resolve(product, g, language="en", context=context_for(g), overrides={}, notes=[])
    dutch = resolve(product, g, context=context_for(g), overrides={}, notes=[])
    assert [s.heading for s in english.sections] == ["Costs"] and [s.heading for s in dutch.sections] == ["Kosten"]


# Audience variants: audience × gemeente × channel ------------------------------

AUDIENCES = ["burger", "ondernemer"]
variant_columns = [c for c in Product.variant_columns() if c.endswith("_nl")] + ["spoken_answer"]
maybe_empty_text = st.one_of(st.just(""), text)


def expected_for_audience(column, audience, base, shared, local):
    """The raw text of a column for an audience: the gemeente's own variant
    (an empty one, or only spaces: the general text), else the shared
    variant, else the general text (the gemeente's own, else the base)."""
    general = local.get(column, base[column])
    if audience is None:
        return general
    key = f"{column}@{audience}"
    if key in local:
        return local[key] if local[key].strip() else general
    shared_text = shared.get(audience, {}).get(column, "")
    return shared_text if shared_text.strip() else general


@hsettings(max_examples=120, deadline=None)
@given(
    base=st.fixed_dictionaries({c: text for c in variant_columns}),
    shared=st.dictionaries(st.sampled_from(AUDIENCES), st.dictionaries(st.sampled_from(variant_columns), maybe_empty_text, max_size=4), max_size=2),
    locals_=st.lists(
        st.dictionaries(
            st.one_of(st.sampled_from(variant_columns), st.builds(lambda c, a: f"{c}@{a}", st.sampled_from(variant_columns), st.sampled_from(AUDIENCES))),
            maybe_empty_text,
            max_size=6,
        ),
        min_size=2,
        max_size=2,
    ),
    audience=st.sampled_from([None, *AUDIENCES]),
    channel=st.sampled_from([PUBLIC, AGENT]),
)
def test_variant_wins_where_set_local_variant_over_shared_agent_only_never_public(base, shared, locals_, audience, channel):
    gemeenten = [gemeente(), Gemeente(pk=2, name="Etten-Leur", slug="etten-leur", cbs_code="0777")]
    base = {**base, "spoken_answer": f"{CANARY} {base['spoken_answer']}"}
    shared = {a: {c: (f"{CANARY} {v}" if c == "spoken_answer" and v else v) for c, v in cols.items()} for a, cols in shared.items()}
    product = Product(pk=7, slug="p", live=True, for_burger=True, for_ondernemer=False, audience_variants=shared, **base)
    for g, local in zip(gemeenten, locals_):
        local = {k: (f"{CANARY} {v}" if k.startswith("spoken_answer") and v else v) for k, v in local.items()}
        overrides = {k: fake_override(k, v) for k, v in local.items()}
        general = resolve(product, g, channel=channel, context=context_for(g), overrides=overrides, notes=[])
        resolved = resolve(product, g, channel=channel, audience=audience, context=context_for(g), overrides=overrides, notes=[])

        visible = [c for c in variant_columns if channel == AGENT or c != "spoken_answer"]
        with_variant = {
            a for a in AUDIENCES
            if any(expected_for_audience(c, a, base, shared, local) != expected_for_audience(c, None, base, shared, local) for c in visible)
        }
        assert set(general.variant_audiences) == with_variant
        if audience == "ondernemer" and audience not in with_variant:
            assert resolved is None  # not for business owners and no business text here
            continue
        assert resolved.audience == audience
        for column in visible:
            name = column.removesuffix("_nl")
            raw = expected_for_audience(column, audience, base, shared, local)
            value = resolved.fields[name]
            assert (_plain(value) if name in Product.rich_text_fields else value) == expected_text(raw), (column, audience)
        assert general.for_audience(audience).fields == resolved.fields  # the sites' and APIs' switch is resolution's
        if channel == PUBLIC:
            assert CANARY not in repr(resolved) and CANARY not in repr(general)
            assert "spoken_answer" not in resolved.fields
        assert set(resolved.audiences) == {"burger"} | with_variant
