"""The OpenAPI 3.1 document of the JSON API, kept beside the routes it
describes (tests check that every route is documented)."""

from sharing.related import RELATED_LIMIT

GEMEENTE = {"name": "gemeente", "in": "path", "required": True, "schema": {"type": "string"}, "example": "roosendaal"}
QUERY_PARAMETERS = [
    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 500}, "description": "De zoekvraag; alles is toegestaan, er wordt niets als zoekmachine-syntax uitgevoerd. Langer dan 500 tekens: 400."},
    {"name": "type", "in": "query", "schema": {"type": "string", "example": "product,vac"}},
    {"name": "audience", "in": "query", "schema": {"type": "string", "enum": ["burger", "ondernemer"]}},
    {"name": "theme", "in": "query", "schema": {"type": "string", "pattern": "^[-a-zA-Z0-9_]{1,100}$"}, "description": "Slug van een thema"},
    {
        "name": "page",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "default": 1},
        "description": "Further results (\"meer resultaten\"): the next page with the same page_size. Only page 1 is logged "
        "(and has a log_id); send the click_token of the page before with a later page (click_token parameter) to get one that also covers its results. "
        "Promoted answers come on page 1 only.",
    },
    {"name": "page_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}},
    {
        "name": "click_token",
        "in": "query",
        "schema": {"type": "string", "maxLength": 20000},
        "description": "With page 2 or later: the click_token of the page before; the answer's click_token then covers this page too. "
        "An invalid one is ignored (click_token null). The address as a whole is at most API_MAX_URL_LENGTH (4000) characters, else 414.",
    },
]
HIT = {
    "type": "object",
    "properties": {
        "kind": {"type": "string", "enum": ["product", "vac"]},
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "url": {"type": "string"},
        "snippet": {"type": "string", "description": "HTML-escaped text with <mark> around matches"},
        "summary": {"type": "string"},
        "offered": {"type": "boolean"},
        "local": {"type": "boolean"},
        "promoted": {"type": "boolean"},
    },
}
SEARCH_RESULT = {
    "type": "object",
    "properties": {
        "query": {"type": "string"},
        "backend": {"type": "string", "enum": ["opensearch", "elasticsearch", "database", "none"], "description": "Which backend answered"},
        "total": {"type": "integer"},
        "page": {"type": "integer"},
        "page_size": {"type": "integer"},
        "hits": {"type": "array", "items": {"$ref": "#/components/schemas/Hit"}},
        "took_ms": {"type": "number"},
        "notice": {"type": "string"},
        "log_id": {"type": ["integer", "null"], "description": "The search's entry in the query log; null when it was not logged (pages after the first, or past the client's rate limit)"},
        "click_token": {
            "type": ["string", "null"],
            "description": "Send with a click on one of these hits to /zoekkliks. The server logs the search under the endpoint's channel "
            "(public: api, agent: widget); the client cannot choose it.",
        },
    },
}
SUGGESTIONS = {
    "type": "object",
    "required": ["backend", "suggestions"],
    "properties": {
        "backend": {"type": "string", "enum": ["opensearch", "elasticsearch", "database", "none"], "description": "none: an empty q"},
        "suggestions": {
            "type": "array",
            "description": "Public entries whose title matches what was typed so far, at most 8",
            "items": {
                "type": "object",
                "required": ["kind", "id", "title", "url"],
                "properties": {"kind": {"type": "string", "enum": ["product", "vac"]}, "id": {"type": "integer"}, "title": {"type": "string"}, "url": {"type": "string"}},
            },
        },
    },
}
ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string", "description": "What was wrong, for the developer"}},
    "description": "Every error of the API, whatever the status: 400 invalid input, 401/403 access, 404 unknown address, "
    "405 wrong method, 414 address too long, 415 not JSON, 429 too many requests (with Retry-After), 500 server error.",
}
COLLECTION = {"name": "collection", "in": "path", "required": True, "schema": {"type": "string", "enum": ["producten", "vacs"]}}
SLUG = {"name": "slug", "in": "path", "required": True, "schema": {"type": "string"}, "example": "paspoort"}
PAGING = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100_000, "default": 1}},
    {"name": "page_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
]
SUMMARY = {
    "type": "object",
    "properties": {
        "kind": {"type": "string"},
        "id": {"type": "integer"},
        "slug": {"type": "string"},
        "title": {"type": "string"},
        "summary": {"type": "string"},
        "url": {"type": "string", "description": "The page on the gemeente's own website"},
        "local": {"type": "boolean", "description": "A local entry of this gemeente (not shared)"},
        "offered": {
            "type": "boolean",
            "description": "Whether this gemeente offers it. Always true on public endpoints (they publish offered entries only); "
            "agent endpoints also list entries the gemeente does not offer, with false, so the agent can say so.",
        },
    },
}
ENTRY = {
    "allOf": [{"$ref": "#/components/schemas/Summary"}],
    "type": "object",
    "description": "The resolved entry for one gemeente. `answer` is the same HTML the website shows. "
    "Agent endpoints add handling_level, internal_explanation, notes, problems and key_facts. "
    "`related` lists a handful of related entries of the same gemeente, resolved for the same channel.",
    "properties": {
        "answer": {"type": "string"},
        "sections": {"type": "array", "items": {"type": "object", "properties": {"name": {"type": "string"}, "heading": {"type": "string"}, "html": {"type": "string"}}}},
        "themes": {"type": "array", "items": {"type": "string"}},
        "audiences": {"type": "array", "items": {"type": "string"}},
        "keywords": {"type": "array", "items": {"type": "string"}},
        "online_application_url": {"type": "string", "description": "Products"},
        "digid": {"type": ["string", "null"], "enum": ["geen", "basis", "midden", "substantieel", "hoog", None], "description": "Products"},
        "appointment_required": {"type": ["boolean", "null"], "description": "Products"},
        "bookable_online": {"type": ["boolean", "null"], "description": "Products"},
        "legal_basis": {"type": "string", "description": "Products"},
        "upl_name": {"type": "string", "description": "Products"},
        "upl_uri": {"type": "string", "description": "Products"},
        "life_events": {"type": "array", "items": {"type": "string"}, "description": "Products"},
        "handling_level": {"type": "string", "description": "Agent endpoints, products: how far the front office handles it itself"},
        "internal_explanation": {"type": "string", "description": "Agent endpoints, VACs: HTML"},
        "notes": {
            "type": "array",
            "description": "Agent endpoints: agent-only notes (shared, and this gemeente's own with `local`)",
            "items": {
                "type": "object",
                "properties": {"kind": {"type": "string"}, "kind_label": {"type": "string"}, "title": {"type": "string"}, "body": {"type": "string"}, "local": {"type": "boolean"}},
            },
        },
        "problems": {"type": "array", "items": {"type": "string"}, "description": "Agent endpoints: variables without a value for this gemeente"},
        "key_facts": {
            "type": "array",
            "description": "Agent endpoints, products: what the agent needs first on the phone, in this order and only when set: "
            "handling_level, costs, lead_time, required_documents, appointment, online_application. `html` is sanitised HTML.",
            "items": {
                "type": "object",
                "required": ["name", "label", "html"],
                "properties": {"name": {"type": "string"}, "label": {"type": "string"}, "html": {"type": "string"}},
            },
        },
        "related": {
            "type": "array",
            "maxItems": RELATED_LIMIT,
            "items": {"$ref": "#/components/schemas/Summary"},
            "description": "Related entries, best first: the editors' explicit relations, then entries sharing themes or life events. "
            "Only entries this gemeente publishes and offers (never another gemeente's local entries or entries not offered here), "
            "resolved for the same gemeente and channel.",
        },
    },
}

AGENT_GEMEENTEN = {
    "type": "object",
    "properties": {
        "results": {
            "type": "array",
            "description": "By name",
            "items": {
                "type": "object",
                "properties": {
                    "slug": {"type": "string"},
                    "name": {"type": "string"},
                    "own": {"type": "boolean", "description": "Named in one of the user's own roles (not only through a role for all gemeenten): the widget answers for it by default"},
                },
            },
        }
    },
}


def _page(item):
    return {
        "type": "object",
        "properties": {
            "count": {"type": "integer"},
            "page": {"type": "integer"},
            "page_size": {"type": "integer"},
            "next": {"type": ["integer", "null"], "description": "The next page number"},
            "previous": {"type": ["integer", "null"], "description": "The previous page number"},
            "results": {"type": "array", "items": {"$ref": f"#/components/schemas/{item}"}},
        },
    }


def _objects_api_object(data):
    return {
        "type": "object",
        "description": "Shaped like an object of the Objects API (only the shape: no filters, no objecttype URLs); "
        "`uuid` is stable per gemeente and entry, `url` is the entry's agent detail.",
        "required": ["url", "uuid", "record"],
        "properties": {
            "url": {"type": "string", "format": "uri"},
            "uuid": {"type": "string", "format": "uuid"},
            "record": {
                "type": "object",
                "properties": {
                    "data": {"$ref": f"#/components/schemas/{data}"},
                    "startAt": {"type": "string", "format": "date", "description": "First published (or created)"},
                    "registrationAt": {"type": "string", "format": "date", "description": "Last changed"},
                },
            },
        },
    }


VAC_OBJECT = {
    "type": "object",
    "description": "The `data` of a record of the VAC objecttype (KISS), resolved for agents of this gemeente: "
    "its overrides and local VACs, never another gemeente's. `toelichting` is the agent-only explanation followed by the agent notes; "
    "an active VAC this gemeente switched off has status `non-actief`; related VACs and products are the `related` entries "
    "of the agent detail, as addresses of their agent details.",
    "required": ["doelgroep", "status", "vraag", "antwoord"],
    "properties": {
        "vraag": {"type": "string"},
        "antwoord": {"type": "string", "description": "HTML"},
        "status": {"type": "string", "enum": ["actief", "non-actief", "te-verwijderen"]},
        "doelgroep": {"type": "string", "enum": ["eu-burger", "eu-bedrijf", "eu-burger-bedrijf"]},
        "afdelingen": {"type": "array", "items": {"type": "object"}},
        "toelichting": {"type": "string", "description": "HTML, agent-only"},
        "trefwoorden": {"type": "array", "items": {"type": "object"}},
        "gerelateerdeVACs": {"type": "array", "items": {"type": "object"}},
        "gerelateerdeProducten": {"type": "array", "items": {"type": "object"}},
    },
}
KENNISARTIKEL = {
    "type": "object",
    "description": "The `data` of a record of the SDG kennisartikel objecttype (KISS): one product, resolved for agents of this gemeente. "
    "`productAanwezig` is false when the gemeente does not offer it; `vertalingen` has `nl` and, when the product has English text, `en` "
    "(no Dutch in its place); `deskMemo` (agent-only) holds the front-office handling level and the agent notes. "
    "`uuid` is stable per gemeente and product; `url` is the product's agent detail.",
    "required": ["url", "uuid", "upnUri", "publicatieDatum", "productAanwezig", "productValtOnder", "verantwoordelijkeOrganisatie", "locaties", "doelgroep", "vertalingen", "beschikbareTalen"],
    "properties": {
        "url": {"type": "string", "format": "uri"},
        "uuid": {"type": "string", "format": "uuid"},
        "upnUri": {"type": "string", "format": "uri"},
        "publicatieDatum": {"type": ["string", "null"], "format": "date"},
        "productAanwezig": {"type": ["boolean", "null"]},
        "productValtOnder": {"type": "null"},
        "verantwoordelijkeOrganisatie": {"type": "object"},
        "locaties": {"type": "null"},
        "doelgroep": {"type": "string", "enum": ["eu-burger", "eu-bedrijf"]},
        "afdelingen": {"type": "array", "items": {"type": "object"}},
        "vertalingen": {"type": "array", "items": {"type": "object"}},
        "beschikbareTalen": {"type": "array", "items": {"type": "string", "enum": ["nl", "en"]}},
    },
}


def _responses(*extra):
    responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}}},
        "400": {"description": "Invalid parameters", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "404": {"description": "Unknown gemeente", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
    }
    for status, description in extra:
        responses[status] = {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return responses


TOO_MANY = {
    "description": "Too many requests from this client (per account when signed in, else per address); try again after Retry-After seconds",
    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}

# Either one: the session on the app's own origin, or the widget token elsewhere.
AGENT_SECURITY = [{"session": []}, {"widgetToken": []}]

def _json(schema_name, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema_name}"}}}}


STRING = {"type": "string"}


def _results(item):
    """{"results": [item, …]}; item is a schema or the properties of an object."""
    items = item if "$ref" in item else {"type": "object", "properties": item}
    return {"description": "OK", "content": {"application/json": {"schema": {"type": "object", "required": ["results"], "properties": {"results": {"type": "array", "items": items}}}}}}


# The body is not read, but must be JSON (json_post): no other site's form can send that with the agent's cookie.
SIGN_OUT_BODY = {"required": True, "content": {"application/json": {"schema": {"type": "object", "description": "{}"}}}}


def _content_paths():
    agent = {"security": AGENT_SECURITY}
    denied = {"401": _json("Error", "Not signed in"), "403": _json("Error", "Not an agent of this gemeente")}
    listing = {"parameters": [GEMEENTE, COLLECTION, *PAGING], "responses": {"200": _json("Page"), "400": _json("Error"), "404": _json("Error")}}
    detail = {"parameters": [GEMEENTE, COLLECTION, SLUG], "responses": {"200": _json("Entry"), "404": _json("Error")}}

    def objecttype(page):
        return {"parameters": [GEMEENTE, *PAGING], "responses": {"200": _json(page), "400": _json("Error"), "404": _json("Error"), **denied}}

    return {
        "/gemeenten": {"get": {"summary": "De gemeenten en hun websites", "responses": {"200": _results({"slug": STRING, "name": STRING, "url": STRING})}}},
        "/gemeenten/{gemeente}/themas": {"get": {"summary": "Thema's", "parameters": [GEMEENTE], "responses": {"200": _results({"slug": STRING, "name": STRING}), "404": _json("Error")}}},
        "/gemeenten/{gemeente}/{collection}": {"get": {"summary": "Producten of VAC's van een gemeente (openbaar)", **listing}},
        "/gemeenten/{gemeente}/{collection}/{slug}": {"get": {"summary": "Eén product of VAC (openbaar)", **detail}},
        "/agent/gemeenten": {"get": {"summary": "Gemeenten waarvoor de medewerker antwoordt", **agent, "responses": {"200": _json("AgentGemeenten"), "401": denied["401"]}}},
        "/agent/afmelden": {"post": {"summary": "Afmelden: trekt het widgettoken in, of beëindigt de sessie (en daarmee alle tokens van de gebruiker)", **agent, "requestBody": SIGN_OUT_BODY, "responses": {"200": {"description": "Signed out", "content": {"application/json": {"schema": {"type": "object", "required": ["afgemeld"], "properties": {"afgemeld": {"const": True}}}}}}, "401": denied["401"], "415": _json("Error", "Not application/json")}}},
        "/agent/gemeenten/{gemeente}/top": {"get": {"summary": "Meest geopende antwoorden", **agent, "parameters": [GEMEENTE], "responses": {"200": _results({"$ref": "#/components/schemas/Summary"}), "404": _json("Error"), **denied}}},
        "/agent/gemeenten/{gemeente}/objecttypes/vac": {"get": {"summary": "VAC's in de vorm van het VAC-objecttype (KISS)", **agent, **objecttype("VACObjectPage")}},
        "/agent/gemeenten/{gemeente}/objecttypes/kennisartikel": {"get": {"summary": "Producten in de vorm van het SDG-kennisartikel-objecttype (KISS)", **agent, **objecttype("KennisartikelPage")}},
        "/agent/gemeenten/{gemeente}/{collection}": {"get": {"summary": "Producten of VAC's met interne kennis", **agent, **listing, "responses": {**listing["responses"], **denied}}},
        "/agent/gemeenten/{gemeente}/{collection}/{slug}": {"get": {"summary": "Eén antwoord met interne kennis", **agent, **detail, "responses": {**detail["responses"], **denied}}},
        "/terugkoppeling": {
            "post": {
                "summary": "Was dit nuttig? (iedereen) / antwoord klopt niet of ontbreekt (medewerkers)",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["gemeente", "kind"],
                                "properties": {
                                    "gemeente": {"type": "string"},
                                    "kind": {"type": "string", "enum": ["helpful", "not_helpful", "wrong", "missing"]},
                                    "entry": {
                                        "type": ["object", "null"],
                                        "required": ["kind", "id"],
                                        "properties": {"kind": {"type": "string", "enum": ["product", "vac"]}, "id": {"type": "integer", "minimum": 1}},
                                        "description": "Required unless kind is missing",
                                    },
                                    "remark": {"type": "string", "maxLength": 2000},
                                    "query": {"type": "string", "maxLength": 500},
                                },
                            }
                        }
                    }
                },
                "responses": {
                    "201": {"description": "Created", "content": {"application/json": {"schema": {"type": "object", "required": ["id"], "properties": {"id": {"type": "integer"}}}}}},
                    "400": _json("Error", "Invalid body, or too long (remark over 2000, query over 500 characters)"),
                    **denied,
                    "415": _json("Error", "Not application/json"),
                    "429": TOO_MANY,
                },
            }
        },
    }


def document(server_url="/api/v1/"):
    return _with_default_errors({
        "openapi": "3.1.0",
        "info": {"title": "Kennisbank API", "version": "1", "description": "Gedeelde kennis en producten, per gemeente opgelost."},
        "servers": [{"url": server_url}],
        "paths": {
            "/gemeenten/{gemeente}/zoeken": {
                "get": {
                    "summary": "Zoeken in de openbare kennis van een gemeente",
                    "parameters": [GEMEENTE, *QUERY_PARAMETERS],
                    "responses": _responses(),
                }
            },
            "/gemeenten/{gemeente}/suggesties": {
                "get": {
                    "summary": "Suggesties terwijl u typt",
                    "parameters": [GEMEENTE, QUERY_PARAMETERS[0]],
                    "responses": {"200": _json("Suggestions"), "400": _json("Error", "q over 500 characters"), "404": _json("Error")},
                }
            },
            "/agent/gemeenten/{gemeente}/zoeken": {
                "get": {
                    "summary": "Zoeken voor KCC-medewerkers, met interne kennis",
                    "security": AGENT_SECURITY,
                    "parameters": [GEMEENTE, *QUERY_PARAMETERS],
                    "responses": _responses(("401", "Not signed in"), ("403", "Not an agent of this gemeente")),
                }
            },
            "/zoekkliks": {
                "post": {
                    "summary": "Het aangeklikte resultaat van een zoekvraag vastleggen",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["token", "kind", "id"],
                                    "properties": {
                                        "token": {"type": "string", "description": "click_token of the search that showed the hit"},
                                        "kind": {"type": "string", "enum": ["product", "vac"]},
                                        "id": {"type": "integer", "minimum": 1},
                                    },
                                }
                            }
                        }
                    },
                    "responses": {
                        "200": {
                            "description": "recorded: false when the search already had its click (one per search)",
                            "content": {"application/json": {"schema": {"type": "object", "required": ["recorded"], "properties": {"recorded": {"type": "boolean"}}}}},
                        },
                        "400": _json("Error", "Invalid body, a token that is forged, expired or not of this API, or a hit the search did not show"),
                        "415": _json("Error", "Not application/json"),
                        "429": TOO_MANY,
                    },
                }
            },
            "/openapi.json": {"get": {"summary": "Dit document", "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object", "required": ["openapi", "paths"]}}}}}}},
            **_content_paths(),
        },
        "components": {
            "schemas": {
                "Hit": HIT,
                "SearchResult": SEARCH_RESULT,
                "Suggestions": SUGGESTIONS,
                "Error": ERROR,
                "Summary": SUMMARY,
                "Entry": ENTRY,
                "AgentGemeenten": AGENT_GEMEENTEN,
                "Page": _page("Summary"),
                "VACObject": VAC_OBJECT,
                "VACObjectItem": _objects_api_object("VACObject"),
                "VACObjectPage": _page("VACObjectItem"),
                "Kennisartikel": KENNISARTIKEL,
                "KennisartikelItem": _objects_api_object("Kennisartikel"),
                "KennisartikelPage": _page("KennisartikelItem"),
            },
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
                "widgetToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "For the widget on a host page of another origin: a token from the sign-in popup /widget/aanmelden/?origin=<host origin>",
                },
            },
        },
    })


def _with_default_errors(doc):
    """Every operation answers any other error status as JSON in the Error shape."""
    for operations in doc["paths"].values():
        for operation in operations.values():
            operation["responses"].setdefault("default", _json("Error", "Any other error (405, 414, 415, 429, 500, …)"))
    return doc
