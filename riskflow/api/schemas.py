"""JSON Schemas of the API's bodies, for the OpenAPI document."""

ERROR = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {"type": "string"},
        "errors": {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}},
    },
}

SCHEMAS = {
    "Error": ERROR,
    "Unit": {
        "type": "object",
        "required": ["id", "code", "name", "kind", "active"],
        "properties": {
            "id": {"type": "integer"},
            "code": {"type": "string"},
            "name": {"type": "string"},
            "kind": {"type": "string", "enum": ["sales", "inspection", "management"]},
            "active": {"type": "boolean"},
        },
    },
    "UnitCreate": {
        "type": "object",
        "required": ["code", "name"],
        "properties": {
            "code": {"type": "string", "pattern": "^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$"},
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "kind": {"type": "string", "enum": ["sales", "inspection", "management"]},
        },
    },
    "Change": {
        "type": "object",
        "required": ["at", "actor", "action", "from_state", "to_state", "changes"],
        "properties": {
            "at": {"type": "string", "format": "date-time"},
            "actor": {"type": "string"},
            "action": {"type": "string"},
            "from_state": {"type": ["string", "null"]},
            "to_state": {"type": ["string", "null"]},
            "comment": {"type": ["string", "null"]},
            "changes": {"type": "object"},
        },
    },
    "Health": {
        "type": "object",
        "required": ["status", "database"],
        "properties": {"status": {"type": "string"}, "database": {"type": "string"}},
    },
}
