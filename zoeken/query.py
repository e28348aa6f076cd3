"""Engine request bodies, built with elasticsearch.dsl.

Boosts: title above keywords above summary above body; an exact phrase in
the title or keywords adds more. Typos: one edit in words of 5 to 9
letters, two from 10 letters on, first letter fixed (FUZZINESS). The
engine's default (one edit from 3 letters, two from 6) expands every term
into many more candidates over the long body fields: about 2.5 times the
engine time on the relevance set, for no better top-3 hit rate.
Compounds and half-typed words: the edge n-gram sub-fields.
Synonyms from the editors' list are added as extra, slightly weaker
alternatives of the query. Entries without text of their own (a UPL name
with only a title) have their score multiplied by NO_CONTENT_FACTOR: the
short title of an empty page matches a query word better than a written
page does, but the written page is the answer."""

from elasticsearch.dsl import Q, Search

from sharing.resolution import AGENT

TEXT_FIELDS = ["title^6", "title.exact^4", "keywords^4", "keywords.exact^3", "summary^2", "body"]
FUZZINESS = "AUTO:5,10"
MAX_EXPANSIONS = 20
NO_CONTENT_FACTOR = 0.1  # the same in the database fallback (zoeken/database.py)
SOURCE = ["gemeente", "kind", "entry_id", "slug", "url", "title", "summary", "offered", "local", "themes", "audiences"]


def text_fields(channel):
    return TEXT_FIELDS + (["agent_text^0.5"] if channel == AGENT else [])


def filters(gemeente_slug, kinds=(), audience=None, theme=None):
    clauses = [Q("term", gemeente=gemeente_slug)]
    if kinds:
        clauses.append(Q("terms", kind=list(kinds)))
    if audience:
        clauses.append(Q("term", audiences=audience))
    if theme:
        clauses.append(Q("term", themes=theme))
    return clauses


def matching(words, alternatives, channel):
    fields = text_fields(channel)
    should = [
        Q(
            "multi_match",
            query=words,
            fields=fields,
            fuzziness=FUZZINESS,
            prefix_length=1,
            max_expansions=MAX_EXPANSIONS,
            tie_breaker=0.3,
        ),
        Q("multi_match", query=words, fields=["title^3", "keywords^2"], type="phrase", slop=2),
        Q("multi_match", query=words, fields=["title.prefix^2", "keywords.prefix"], operator="and"),
    ]
    for alternative in alternatives:
        should.append(Q("multi_match", query=alternative, fields=fields, operator="and", boost=0.8))
        should.append(Q("multi_match", query=alternative, fields=["title^3", "keywords^2"], type="phrase", boost=0.8))
    return Q("bool", should=should, minimum_should_match=1)


def search_body(words, alternatives, gemeente_slug, *, channel, kinds=(), audience=None, theme=None, offset=0, size=10):
    query = Q(
        "bool",
        must=[matching(words, alternatives, channel)],
        filter=filters(gemeente_slug, kinds, audience, theme),
        should=[Q("term", offered={"value": True, "boost": 0.5})],
    )
    ranked = Q("boosting", positive=query, negative=Q("term", has_content=False), negative_boost=NO_CONTENT_FACTOR)
    search = (
        Search()
        .query(ranked)
        .source(SOURCE)
        .highlight("body", "summary", "agent_text" if channel == AGENT else "title")
        .highlight_options(
            encoder="html", pre_tags=["<mark>"], post_tags=["</mark>"], fragment_size=160, number_of_fragments=1
        )
        .extra(from_=offset, size=size, track_total_hits=True)
    )
    return search.to_dict()


def suggest_body(prefix, gemeente_slug, size=8):
    query = Q(
        "bool",
        must=[
            Q(
                "multi_match",
                query=prefix,
                type="bool_prefix",
                fields=["suggest", "suggest._2gram", "suggest._3gram", "title.prefix"],
            )
        ],
        filter=filters(gemeente_slug),
    )
    return Search().query(query).source(["kind", "entry_id", "slug", "url", "title"]).extra(size=size).to_dict()
