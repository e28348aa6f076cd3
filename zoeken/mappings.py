"""Index settings and mappings, built with elasticsearch.dsl.

Dutch text: standard tokenizer, lower case, diacritics folded, Dutch stop
words and the Snowball Dutch stemmer. Compounds ("hondenbelasting" for
"hond") are reached through an edge n-gram sub-field; search-as-you-type
through a `search_as_you_type` field on the title."""

from elasticsearch.dsl import Boolean, Index, Integer, Keyword, Mapping, SearchAsYouType, Text, analyzer, token_filter, tokenizer

dutch_stop = token_filter("kb_dutch_stop", "stop", stopwords="_dutch_")
dutch_stemmer = token_filter("kb_dutch_stemmer", "stemmer", language="dutch")
edge = tokenizer("kb_edge", "edge_ngram", min_gram=3, max_gram=15, token_chars=["letter", "digit"])

dutch = analyzer("kb_dutch", tokenizer="standard", filter=["lowercase", "asciifolding", dutch_stop, dutch_stemmer])
folded = analyzer("kb_folded", tokenizer="standard", filter=["lowercase", "asciifolding"])
prefixes = analyzer("kb_prefixes", tokenizer=edge, filter=["lowercase", "asciifolding"])


def dutch_text(boost_prefixes=False):
    subfields = {"exact": Text(analyzer=folded)}
    if boost_prefixes:
        subfields["prefix"] = Text(analyzer=prefixes, search_analyzer=folded)
    return Text(analyzer=dutch, fields=subfields)


def properties(channel):
    fields = {
        "gemeente": Keyword(),
        "kind": Keyword(),
        "entry_id": Integer(),
        "slug": Keyword(),
        "url": Keyword(index=False),
        "local": Boolean(),
        "offered": Boolean(),
        "complete": Boolean(),
        "audiences": Keyword(),
        "themes": Keyword(),
        "title": dutch_text(boost_prefixes=True),
        "suggest": SearchAsYouType(analyzer=folded),
        "keywords": dutch_text(boost_prefixes=True),
        "summary": dutch_text(),
        "body": dutch_text(),
    }
    if channel == "agent":
        fields["agent_text"] = dutch_text()
    return fields


def index_body(channel):
    """The JSON body that creates an index for the given channel."""
    mapping = Mapping()
    for name, field in properties(channel).items():
        mapping.field(name, field)
    index = Index("kennisbank")
    index.settings(number_of_shards=1, number_of_replicas=0)
    index.mapping(mapping)
    return index.to_dict()
