"""The OpenAPI 3.1 document of the JSON API, kept beside the routes it
describes (tests check that every route is documented)."""

GEMEENTE = {"name": "gemeente", "in": "path", "required": True, "schema": {"type": "string"}, "example": "roosendaal"}
QUERY_PARAMETERS = [
    {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 10000}, "description": "De zoekvraag; alles is toegestaan, er wordt niets als zoekmachine-syntax uitgevoerd."},
    {"name": "type", "in": "query", "schema": {"type": "string", "example": "product,vac"}},
    {"name": "audience", "in": "query", "schema": {"type": "string", "enum": ["burger", "ondernemer"]}},
    {"name": "theme", "in": "query", "schema": {"type": "string"}, "description": "Slug van een thema"},
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "page_size", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 50, "default": 10}},
    {"name": "channel", "in": "query", "schema": {"type": "string", "enum": ["site", "widget", "api"], "default": "api"}, "description": "Waar de zoekvraag vandaan komt (voor de zoekstatistiek)."},
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
        "log_id": {"type": ["integer", "null"], "description": "Send with a click to /zoekkliks"},
    },
}
ERROR = {"type": "object", "properties": {"error": {"type": "string"}}}


def _responses(*extra):
    responses = {
        "200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SearchResult"}}}},
        "400": {"description": "Invalid parameters", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
        "404": {"description": "Unknown gemeente", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
    }
    for status, description in extra:
        responses[status] = {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    return responses


def document(server_url="/api/v1/"):
    return {
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
                    "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}}},
                }
            },
            "/agent/gemeenten/{gemeente}/zoeken": {
                "get": {
                    "summary": "Zoeken voor KCC-medewerkers, met interne kennis",
                    "security": [{"session": []}],
                    "parameters": [GEMEENTE, *QUERY_PARAMETERS],
                    "responses": _responses(("401", "Not signed in"), ("403", "Not an agent of this gemeente")),
                }
            },
            "/zoekkliks": {
                "post": {
                    "summary": "Het aangeklikte resultaat van een zoekvraag vastleggen",
                    "requestBody": {
                        "content": {
                            "application/json": {
                                "schema": {
                                    "type": "object",
                                    "required": ["log_id", "kind", "id"],
                                    "properties": {"log_id": {"type": "integer"}, "kind": {"type": "string"}, "id": {"type": "integer"}},
                                }
                            }
                        }
                    },
                    "responses": {"200": {"description": "OK"}, "400": {"description": "Invalid body"}},
                }
            },
            "/openapi.json": {"get": {"summary": "Dit document", "responses": {"200": {"description": "OK"}}}},
        },
        "components": {
            "schemas": {"Hit": HIT, "SearchResult": SEARCH_RESULT, "Error": ERROR},
            "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "sessionid"}},
        },
    }
