"""The JSON API (version 1) on django-ninja: one NinjaAPI with the content
operations (api/views.py) and the search operations (zoeken/views.py).

Every error is JSON in one shape, {"error": "<message>"} (api.schemas.Error,
kennisbank/errors.py): ninja's own errors (validation, authentication,
HttpError) are turned into it here; a server error goes to Django's
handler500, which answers the same shape under /api/. The OpenAPI document
is generated from the operations and their schemas (`document`)."""

import json
from functools import wraps

from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from kennisbank.errors import api_error

from .schemas import Error

NOT_SIGNED_IN = "sign in as an agent"


class KennisbankAPI(NinjaAPI):
    def get_content_type(self):
        return "application/json"  # as Django's JsonResponse, which the error pages use too

    def document(self, server_url):
        """The OpenAPI document, for clients of `server_url`: paths
        relative to it, and every operation answering any other error status
        in the Error shape. Plain JSON values (status codes as strings)."""
        schema = json.loads(json.dumps(self.get_openapi_schema(path_prefix="")))
        schema["servers"] = [{"url": server_url}]
        schema["components"]["schemas"].update(BODY_SCHEMAS)
        for operations in schema["paths"].values():
            for operation in operations.values():
                operation["responses"].setdefault("default", error_response("Any other error (405, 414, 415, 429, 500, …)"))
        return schema


def json_only(view):
    """A POST that takes `Content-Type: application/json` only (else 415): a
    page of another site cannot send that with the agent's cookie (no form
    can; fetch needs a CORS preflight that does not allow credentials), so
    the API's POSTs need no CSRF token."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.content_type != "application/json":
            return api_error(415, "Stuur de body als application/json.")
        return view(request, *args, **kwargs)

    return wrapped


def error_response(description):
    return {"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


# Request bodies are read by the operations themselves (kennisbank.http.json_object
# refuses hostile JSON with a message that says what is wrong); their models
# describe them in the document.
BODY_SCHEMAS = {"Error": Error.model_json_schema()}


def request_body(model):
    schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
    BODY_SCHEMAS.update(schema.pop("$defs", {}))
    BODY_SCHEMAS[model.__name__] = schema
    ref = {"$ref": f"#/components/schemas/{model.__name__}"}
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": ref}}}}


api = KennisbankAPI(
    title="Kennisbank API",
    version="1",
    description="Gedeelde kennis en producten, per gemeente opgelost.",
    urls_namespace="api",
    openapi_url=None,  # served by an operation of its own (api/views.py), with this host as the server
    docs_url=None,
)


@api.exception_handler(HttpError)
def http_error(request, exc):
    if isinstance(exc, AuthenticationError) and exc.message == "Unauthorized":
        return api_error(401, NOT_SIGNED_IN)  # no credentials at all
    return api_error(exc.status_code, exc.message)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return api_error(400, "; ".join(f"{'.'.join(str(part) for part in e['loc'][1:])}: {e['msg']}" for e in exc.errors))


@api.exception_handler(Http404)
def not_found(request, exc):
    return api_error(404)


@api.exception_handler(Exception)
def server_error(request, exc):
    raise exc  # Django's handler500 answers (and logs) it: kennisbank/errors.py
