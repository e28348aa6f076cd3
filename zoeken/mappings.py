"""Index settings and mappings, built with elasticsearch.dsl.

Two analysis modes (settings.SEARCH_ANALYSIS), with the same fields and
sub-fields so that the queries in zoeken/query.py work on both:

- "dutch" (default): standard tokenizer, lower case, diacritics folded,
  Dutch stop words and the Snowball Dutch stemmer. Compounds: a `parts`
  sub-field of title and keywords with the parts of compound words (a
  dictionary_decompounder with the parts of our vocabulary's compounds) and
  neighbouring words joined, and an edge n-gram sub-field for half-typed
  words ("hond" for "hondenbelasting"); search-as-you-type
  through a `search_as_you_type` field on the title. Needs the engine's
  analysis-common and mapper-extras modules (every OpenSearch and
  Elasticsearch distribution has them; Elasticsearch's integ-test zip on
  Maven Central does not).
- "standard": only analysis built into the engine's core: the `standard`
  analyzer (with Dutch stop words), the `shingle` token filter and the
  `index_prefixes` option of text fields. No stemming, no diacritic folding,
  no compounds (`parts` holds whole words); `suggest` is a text field with shingle sub-fields named like
  the ones `search_as_you_type` creates. Runs on any engine.
"""

from django.conf import settings
from elasticsearch.dsl import Boolean, Index, Integer, Keyword, Mapping, SearchAsYouType, Text, analyzer, token_filter, tokenizer

from .compounds import compound_parts

ANALYSIS_MODES = ("dutch", "standard")

# "dutch": needs the analysis-common module.
dutch_stop = token_filter("kb_dutch_stop", "stop", stopwords="_dutch_")
dutch_stemmer = token_filter("kb_dutch_stemmer", "stemmer", language="dutch")
edge = tokenizer("kb_edge", "edge_ngram", min_gram=3, max_gram=15, token_chars=["letter", "digit"])

# Compounds: the parts of our own vocabulary's compound words
# (scripts/compound_parts.py). Indexed titles and keywords get their parts
# ("identiteitskaart" → identiteit, kaart) and each pair of neighbouring words
# joined ("afval container" → afvalcontainer); a query's compounds are split
# into their parts (zoeken/compounds.py). So "identiteits kaart" finds Identiteitskaart and
# "afvalcontainer" finds "Afval container".
def parts_analyzers():
    """(index analyzer, search analyzer) of the `parts` sub-fields."""
    parts = token_filter("kb_compound_parts", "dictionary_decompounder", word_list=list(compound_parts()), min_subword_size=4, only_longest_match=True)
    joined = token_filter("kb_joined_pairs", "shingle", min_shingle_size=2, max_shingle_size=2, token_separator="", output_unigrams=True)
    return (
        analyzer("kb_parts", tokenizer="standard", filter=["lowercase", "asciifolding", joined, parts, dutch_stop, dutch_stemmer]),
        # Not the decompounder: it would put every part at the word's position,
        # so one part would do; zoeken/compounds.py splits the query instead.
        analyzer("kb_parts_search", tokenizer="standard", filter=["lowercase", "asciifolding", dutch_stop, dutch_stemmer]),
    )


dutch = analyzer("kb_dutch", tokenizer="standard", filter=["lowercase", "asciifolding", dutch_stop, dutch_stemmer])
folded = analyzer("kb_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
prefixes = analyzer("kb_prefixes", tokenizer=edge, filter=["lowercase", "asciifolding"])

# "standard": core analysis only (standard analyzer, stop words, shingles).
plain_dutch = analyzer("kb_plain_dutch", "standard", stopwords="_dutch_")
shingles = {
    size: analyzer(
        f"kb_shingles_{size}",
        tokenizer="standard",
        filter=[
            "lowercase",
            token_filter(f"kb_shingle_{size}", "shingle", min_shingle_size=size, max_shingle_size=size, output_unigrams=False),
        ],
    )
    for size in (2, 3)
}
PREFIX_LENGTHS = {"min_chars": 1, "max_chars": 10}
# Offsets in the postings let the highlighter find the matches without
# analysing the whole body again for every hit (about a third of the
# engine time of a search).
OFFSETS = "offsets"
WORDS_FIELD = "words"


class UnknownAnalysisMode(ValueError):
    pass


def analysis_mode():
    mode = getattr(settings, "SEARCH_ANALYSIS", "dutch")
    if mode not in ANALYSIS_MODES:
        raise UnknownAnalysisMode(f"SEARCH_ANALYSIS={mode!r} is not supported; use one of {', '.join(ANALYSIS_MODES)}.")
    return mode


def words_field(mode):
    """Every word of the text fields, for one cheap question per query
    word: does it occur in the matching entries? (zoeken/query.py)"""
    if mode == "standard":
        return Text(analyzer=plain_dutch, index_options="docs", norms=False)
    return Text(analyzer=dutch, index_options="docs", norms=False)


def dutch_text(mode, boost_prefixes=False):
    if mode == "standard":
        subfields = {"exact": Text(analyzer="standard")}
        if boost_prefixes:
            # Whole words only (no edge n-grams in core); prefix queries on it are fast.
            subfields["prefix"] = Text(analyzer="standard", index_prefixes=PREFIX_LENGTHS)
            subfields["parts"] = Text(analyzer="standard")  # no decompounder in core: whole words
        return Text(analyzer=plain_dutch, fields=subfields, index_options=OFFSETS, copy_to=WORDS_FIELD)
    subfields = {"exact": Text(analyzer=folded)}
    if boost_prefixes:
        subfields["prefix"] = Text(analyzer=prefixes, search_analyzer=folded)
        index_parts, search_parts = parts_analyzers()
        subfields["parts"] = Text(analyzer=index_parts, search_analyzer=search_parts)
    return Text(analyzer=dutch, fields=subfields, index_options=OFFSETS, copy_to=WORDS_FIELD)


def suggest_field(mode):
    if mode == "standard":
        # What search_as_you_type builds, from core parts: the field itself,
        # word pairs and triples (`_2gram`, `_3gram`) and indexed prefixes.
        return Text(
            analyzer="standard",
            index_prefixes=PREFIX_LENGTHS,
            fields={f"_{size}gram": Text(analyzer=shingles[size], search_analyzer=shingles[size]) for size in (2, 3)},
        )
    return SearchAsYouType(analyzer=folded)


def properties(channel, mode=None):
    mode = mode or analysis_mode()
    fields = {
        "gemeente": Keyword(),
        "kind": Keyword(),
        "entry_id": Integer(),
        "slug": Keyword(),
        "url": Keyword(index=False),
        "local": Boolean(),
        "offered": Boolean(),
        "has_content": Boolean(),
        "audiences": Keyword(),
        "themes": Keyword(),
        "title": dutch_text(mode, boost_prefixes=True),
        "suggest": suggest_field(mode),
        "keywords": dutch_text(mode, boost_prefixes=True),
        "summary": dutch_text(mode),
        "body": dutch_text(mode),
        WORDS_FIELD: words_field(mode),
    }
    if channel == "agent":
        fields["agent_text"] = dutch_text(mode)
    return fields


def index_body(channel, mode=None):
    """The JSON body that creates an index for the given channel."""
    mapping = Mapping()
    for name, field in properties(channel, mode).items():
        mapping.field(name, field)
    index = Index("kennisbank")
    index.settings(number_of_shards=1, number_of_replicas=getattr(settings, "SEARCH_INDEX_REPLICAS", 0))
    index.mapping(mapping)
    return index.to_dict()
