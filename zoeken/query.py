"""Engine request bodies, built with elasticsearch.dsl.

Boosts: title above keywords above summary above body; an exact phrase in
the title or keywords adds more. Compounds: the `parts` sub-fields (parts of
compound words and neighbouring words joined, zoeken/mappings.py) and, for
half-typed words, the edge n-gram sub-fields. Synonyms from the editors'
list are added as extra, slightly weaker alternatives of the query. Entries
without text of their own (a UPL name with only a title) have their score
multiplied by NO_CONTENT_FACTOR: the short title of an empty page matches a
query word better than a written page does, but the written page is the
answer.

Typos cost: fuzzy matching expands every query word into up to
MAX_EXPANSIONS terms per field and made up most of the engine time, for the
few queries that need it. So a search is first sent without it, with a
term suggester (typo_check) that tells which query words long enough for a
typo are close to an indexed word that occurs in more entries than they do
("verhuising": its stem is in a few texts, verhuizing in many). Only for
such words is the search sent again (`typos=`), with them matched fuzzily
in the short fields (FUZZY_FIELDS): one edit in words of 5 to 9 letters, two from
10 letters on, first letter fixed (FUZZINESS)."""

from elasticsearch.dsl import Q, Search

from sharing.resolution import AGENT

from .compounds import split_words
from .mappings import WORDS_FIELD

TEXT_FIELDS = ["title^6", "keywords^4", "summary^2", "body"]
PARTS_FIELDS = ["title.parts^2", "keywords.parts"]
PREFIX_FIELDS = ["title.prefix^2", "keywords.prefix"]
FUZZY_FIELDS = ["title^6", "keywords^4", "summary^2"]
FUZZINESS = "AUTO:5,10"
TYPO_MIN_LENGTH = 5  # FUZZINESS allows no edit in shorter words
LONG_WORD = 10  # and two from this length
SUGGEST_MODE = "popular"
MAX_EXPANSIONS = 20
TYPOS = "typos"
NO_CONTENT_FACTOR = 0.1  # the same in the database fallback (zoeken/database.py)
NAMED = 20.0  # a title that holds every query word (as words or compound parts)
# The snippet: a fragment of the body (agent: or of the agent text); sites
# and widget show the summary where there is none.
HIGHLIGHTED = {False: ("body",), True: ("body", "agent_text")}
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


def typo_candidates(words):
    return [word for word in words.split() if len(word) >= TYPO_MIN_LENGTH]


def matching(words, alternatives, channel, typos=()):
    fields = text_fields(channel)
    # The compound parts are another way to match the same words, not a
    # second match: the best of the ways counts (a title that has the words
    # themselves gains nothing from also having them as parts).
    ways = [
        Q("multi_match", query=words, fields=fields, tie_breaker=0.3),
        Q("multi_match", query=words, fields=PARTS_FIELDS, operator="and"),
    ]
    split = split_words(words)
    if split != words:  # the query's compounds, split: the more parts match, the higher
        ways.append(Q("multi_match", query=split, fields=PARTS_FIELDS))
    should = [
        Q("dis_max", queries=ways),
        Q("multi_match", query=words, fields=["title^3", "keywords^2"], type="phrase", slop=2),
        Q("multi_match", query=words, fields=PREFIX_FIELDS, operator="and"),
    ]
    if typos:
        should.append(
            Q(
                "multi_match",
                query=" ".join(typos),
                fields=FUZZY_FIELDS,
                fuzziness=FUZZINESS,
                prefix_length=1,
                max_expansions=MAX_EXPANSIONS,
                tie_breaker=0.3,
            )
        )
    for alternative in alternatives:
        should.append(Q("multi_match", query=alternative, fields=fields, operator="and", boost=0.8))
        should.append(Q("multi_match", query=alternative, fields=["title^3", "keywords^2"], type="phrase", boost=0.8))
    return Q("bool", should=should, minimum_should_match=1)


def edits(word):
    """The typos FUZZINESS allows in a word of this length."""
    return 2 if len(word) >= LONG_WORD else 1


def typo_check(words):
    """Term suggesters over every indexed word: for each typo candidate
    the closest indexed word within the edits FUZZINESS allows that occurs
    in more entries than the candidate (SUGGEST_MODE)."""
    check = {}
    for count in (1, 2):
        candidates = [word for word in typo_candidates(words) if edits(word) == count]
        if candidates:
            check[f"{TYPOS}{count}"] = {
                "text": " ".join(candidates),
                "term": {"field": WORDS_FIELD, "suggest_mode": SUGGEST_MODE, "max_edits": count, "prefix_length": 1, "min_word_length": TYPO_MIN_LENGTH, "size": 1},
            }
    return check


def likely_typos(response, words):
    """The typo candidates close to a more frequent indexed word (from a
    body without `typos`): worth a fuzzy search."""
    typos = []
    for count in (1, 2):
        entries = response.get("suggest", {}).get(f"{TYPOS}{count}", [])
        offset = 0
        for word in (word for word in typo_candidates(words) if edits(word) == count):
            if any(offset <= entry["offset"] < offset + len(word) and entry.get("options") for entry in entries):
                typos.append(word)
            offset += len(word) + 1
    return typos


def named(words):
    """A title that holds every word of the query, as words or as parts of
    its compounds (the query's own or split), names what was asked for: it
    ranks above titles that hold only some of them, also when the entry has
    no text of its own (a UPL name: "collecte vergunning" is
    Collectevergunning, "ouderendagbesteding" is Dagbesteding ouderen).
    Among such titles the written entries stay first (NO_CONTENT_FACTOR).
    Only for a query of several words or parts (names_several).
    A constant, so short titles gain nothing over long ones."""
    ways = [Q("match", **{"title.parts": {"query": text, "operator": "and"}}) for text in dict.fromkeys((words, split_words(words)))]
    return Q("constant_score", filter=Q("bool", should=ways), boost=NAMED)


def names_several(words):
    """Whether the query has several words (or a compound of several parts)
    for a title to bring together; a single word is measured by the title
    match itself, and written entries with it in the text stay above empty
    pages with it in the title ("bijstand")."""
    return len(split_words(words).split()) > 1


def highlight_query(words, alternatives, channel, typos=()):
    """What the snippet marks: the query's words, synonyms and corrected
    typos in the highlighted fields; cheaper for the highlighter than the
    whole ranking query."""
    fields = HIGHLIGHTED[channel == AGENT]
    should = [Q("multi_match", query=text, fields=fields) for text in (words, *alternatives)]
    if typos:
        should.append(Q("multi_match", query=" ".join(typos), fields=fields, fuzziness=FUZZINESS, prefix_length=1, max_expansions=MAX_EXPANSIONS))
    return Q("bool", should=should)


def search_body(words, alternatives, gemeente_slug, *, channel, kinds=(), audience=None, theme=None, offset=0, size=10, typos=()):
    """The search request; `typos`: words to match fuzzily as well. Without
    them the body asks which query words are likely typos (likely_typos)."""
    query = Q(
        "bool",
        must=[matching(words, alternatives, channel, typos)],
        filter=filters(gemeente_slug, kinds, audience, theme),
        should=[Q("term", offered={"value": True, "boost": 0.5})],
    )
    ranked = Q(
        "bool",
        must=[Q("boosting", positive=query, negative=Q("term", has_content=False), negative_boost=NO_CONTENT_FACTOR)],
        should=[named(words)] if names_several(words) else [],
    )
    search = (
        Search()
        .query(ranked)
        .source(SOURCE)
        .highlight(*HIGHLIGHTED[channel == AGENT])
        .highlight_options(
            highlight_query=highlight_query(words, alternatives, channel, typos).to_dict(),
            encoder="html",
            pre_tags=["<mark>"],
            post_tags=["</mark>"],
            fragment_size=160,
            number_of_fragments=1,
        )
        .extra(from_=offset, size=size, track_total_hits=True)
    )
    if not typos:
        search = search.extra(suggest=typo_check(words))
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
