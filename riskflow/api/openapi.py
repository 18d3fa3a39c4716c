"""The OpenAPI 3.1 document, built from the API's routes and the notes beside each view."""
from __future__ import annotations

import re

from flask import current_app

from .core import bp, document
from .schemas import SCHEMAS

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


def _path_of(rule: str) -> tuple[str, list[dict]]:
    params = []

    def sub(match):
        converter, arguments, name = match.group(1), match.group(2), match.group(3)
        schema = {"type": "integer" if converter == "int" else "string"}
        if converter == "any":
            schema["enum"] = [a.strip().strip("'\"") for a in arguments.split(",")]
        params.append({"name": name, "in": "path", "required": True, "schema": schema})
        return "{" + name + "}"

    path = re.sub(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>", sub, rule)
    return path, params


def _operation(note: dict, path_params: list[dict]) -> dict:
    params = list(path_params)
    for name, required, kind in note["params"]:
        params.append({"name": name, "in": "query", "required": required, "schema": {"type": kind}})
    if note["paged"]:
        params += [
            {"name": "page", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": 1_000_000}},
            {"name": "per_page", "in": "query", "required": False,
             "schema": {"type": "integer", "minimum": 1, "maximum": 200}},
        ]
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
    responses = {str(code): {"description": "Success", "content": {"application/json": {"schema": body}}}
                 for code in statuses}
    error_codes = set(note["errors"]) | ({422} if note["paged"] else set())
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
