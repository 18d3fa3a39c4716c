"""The OpenAPI 3.1 document, built from the API's routes and the notes beside each view."""
from __future__ import annotations

import re

from flask import current_app

from .. import periods, values
from ..db import MAX_ID
from .core import bp, document
from .schemas import SCHEMAS
from .validate import query_schemas

STATUS_TEXT = {
    400: "Malformed request or JSON",
    401: "Missing, unknown or revoked token",
    403: "The caller's role may not do this",
    404: "Not found, or outside the caller's unit",
    409: "Conflict: duplicate, stale version or illegal transition",
    413: "The upload is too large",
    422: "Invalid field or failed guard",
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


# converter -> schema of the path parameter it matches
PATH_SCHEMAS = {
    "int": {"type": "integer", "minimum": 1, "maximum": MAX_ID},
    "period": {"type": "string", "pattern": values.schema_pattern(periods.PERIOD_PATTERN)},
    "quarter": {"type": "string", "pattern": values.schema_pattern(periods.QUARTER_PATTERN)},
}


def _path_of(rule: str) -> tuple[str, list[dict]]:
    params = []

    def sub(match):
        converter, arguments, name = match.group(1), match.group(2), match.group(3)
        schema = dict(PATH_SCHEMAS.get(converter, {"type": "string"}))
        if converter == "any":
            schema["enum"] = [a.strip().strip("'\"") for a in arguments.split(",")]
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    path = re.sub(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>", sub, rule)
    return path, params


def _operation(note: dict, path_params: list[dict]) -> dict:
    params = list(path_params) + [{"name": name, "in": "query", "required": required, "schema": schema}
                                  for name, required, schema in query_schemas(note)]
    body = _ref(note["response"]) if note["response"] else {"type": "object"}
    if note["paged"]:
        body = {
            "type": "object",
            "required": ["items", "total", "page", "per_page"],
            "properties": {
                "items": {"type": "array", "items": body},
                "total": {"type": "integer"},
                "page": {"type": "integer"},
                "per_page": {"type": "integer"},
            },
        }
    statuses = note["status"] if isinstance(note["status"], tuple) else (note["status"],)
    content = {media: {"schema": body if media == "application/json" else {"type": "string", "format": "binary"}}
               for media in note["media"]}
    responses = {str(code): {"description": "Success", "content": content} for code in statuses}
    # What the request check answers by itself: 400 for a body that is not a JSON object, 422 for a
    # field or parameter that breaks its schema, 404 for a path segment its converter does not match.
    error_codes = set(note["errors"])
    if note["request"]:
        error_codes |= {400, 422}
    if query_schemas(note):
        error_codes.add(422)
    if path_params:
        error_codes.add(404)
    for code in sorted(error_codes):
        responses[str(code)] = {
            "description": STATUS_TEXT[code],
            "content": {"application/json": {"schema": _ref("Error")}},
        }
    op = {"summary": note["summary"], "parameters": params, "responses": responses}
    if note["request"]:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(note["request"])}}}
    if note["errors"] and 401 in note["errors"]:
        op["security"] = [{"bearer": []}]
    else:
        op["security"] = []
    return op


def build_document() -> dict:
    """Describe every route of the API blueprint and the health check."""
    paths: dict[str, dict] = {}
    for rule in current_app.url_map.iter_rules():
        if not (rule.endpoint.startswith("api.") or rule.endpoint == "main.healthz"):
            continue
        view = current_app.view_functions[rule.endpoint]
        note = getattr(view, "openapi", None)
        if note is None:
            raise LookupError(f"API endpoint {rule.endpoint} has no OpenAPI note")
        path, path_params = _path_of(rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            paths.setdefault(path, {})[method.lower()] = _operation(note, path_params)
    return {
        "openapi": "3.1.0",
        "info": {"title": "riskflow API", "version": "1"},
        "servers": [{"url": "/"}],
        "paths": dict(sorted(paths.items())),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
@document("This document", errors=())
def openapi():
    return build_document()
