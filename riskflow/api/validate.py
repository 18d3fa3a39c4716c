"""Every API request checked against what the OpenAPI document publishes for it, in one place: the JSON body
against its schema, each query parameter against its own. A wrong type, a missing field or a value out of
range is a 422 naming each field, in the user's language, and the services then check the business rules
(unknown codes, dates in the future, ...).

Query parameters are refused before the view runs. A body is checked before the view too, but a bad one is
refused when the body is first read: the services decide who may act (403) and on which item (404, another
unit's item included) before they read what was sent, and that order must not depend on the body."""
from __future__ import annotations

import re
from functools import lru_cache

from flask import current_app, g, request
from flask_babel import lazy_gettext as _l
from jsonschema import Draft202012Validator, ValidationError
from jsonschema.validators import extend

from .. import periods, values
from ..errors import BadRequest, FieldErrors
from .core import bp
from .schemas import SCHEMAS

SUMMARY = _l("Some fields are invalid; nothing was changed.")
TYPE_MESSAGES = {
    "string": _l("Must be text."),
    "integer": values.WHOLE_MESSAGE,
    "number": _l("Must be a number."),
    "boolean": _l("Must be true or false."),
    "array": _l("Must be a list."),
    "object": _l("Must be an object."),
    "null": _l("Invalid value."),
}
# A pattern's meaning, said the way people write the value.
PATTERN_MESSAGES = {values.schema_pattern(pattern): message for pattern, message in (
    (periods.PERIOD_PATTERN, periods.PERIOD_MESSAGE), (periods.QUARTER_PATTERN, periods.QUARTER_MESSAGE),
    (periods.YEAR_PATTERN, periods.YEAR_MESSAGE), (periods.ANY_PERIOD_PATTERN, periods.ANY_PERIOD_MESSAGE),
    (values.UNIT_CODE, values.UNIT_CODE_MESSAGE),
    (values.USERNAME, values.USERNAME_MESSAGE), (values.INDICATOR_CODE, values.CODE_MESSAGE),
    (values.RISK_CODE, values.CODE_MESSAGE), (values.CATEGORY_CODE, values.CATEGORY_CODE_MESSAGE),
    (values.DATE, values.DATE_MESSAGE))}


@lru_cache(maxsize=None)
def _ecma(pattern: str) -> re.Pattern:
    # JSON Schema patterns are ECMA-262 regular expressions: there `$` is the end of the text and `\d` an
    # ASCII digit; Python's `$` also matches before a final newline, so it becomes `\Z`.
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern, re.ASCII)


def _pattern(validator, pattern, instance, schema):
    if validator.is_type(instance, "string") and not _ecma(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


# `format` stays an annotation, as JSON Schema 2020-12 has it: the services parse dates themselves.
Validator = extend(Draft202012Validator, {"pattern": _pattern})


def _name(path) -> str:
    # Items of a list are named by the list: `risk_ids`, `items.incident_id`.
    return ".".join(str(part) for part in path if not isinstance(part, int))


def _joined(prefix: str, name: str) -> str:
    return f"{prefix}.{name}" if prefix and name else prefix or name


def _bounds(schema: dict):
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    return low, high


def _message(error: ValidationError):
    """The user's sentence for one violation of the schema."""
    keyword, expected, schema = error.validator, error.validator_value, error.schema
    if keyword == "type":
        kinds = [expected] if isinstance(expected, str) else [k for k in expected if k != "null"] or ["null"]
        return TYPE_MESSAGES[kinds[0]]
    if keyword == "enum":
        return _l("One of: %(names)s.", names=", ".join(str(v) for v in expected if v is not None))
    if keyword == "minLength":
        return _l("Must not be empty.") if expected == 1 else _l("At least %(n)d characters.", n=expected)
    if keyword == "maxLength":
        return _l("At most %(n)d characters.", n=expected)
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        low, high = _bounds(schema)
        if low is not None and high is not None and "exclusiveMaximum" not in schema:
            return _l("Must be between %(low)s and %(high)s.", low=low, high=high)
        return {"minimum": _l("Must be at least %(n)s.", n=expected),
                "maximum": _l("Must be at most %(n)s.", n=expected),
                "exclusiveMinimum": _l("Must be more than %(n)s.", n=expected),
                "exclusiveMaximum": _l("Must be less than %(n)s.", n=expected)}[keyword]
    if keyword == "pattern":
        return PATTERN_MESSAGES.get(expected, _l("Not in the expected form."))
    if keyword == "minItems":
        return _l("Name at least %(n)d.", n=expected)
    if keyword == "maxItems":
        return _l("At most %(n)d items.", n=expected)
    if keyword == "uniqueItems":
        return _l("Name each only once.")
    return _l("Invalid value.")


def add_errors(schema: dict, instance, errors: FieldErrors, prefix: str = "") -> None:
    """Add to ERRORS every way INSTANCE breaks SCHEMA, each under the field it concerns."""
    seen = set()

    def add(field: str, message) -> None:
        if (field, str(message)) not in seen:
            seen.add((field, str(message)))
            errors.add(field, message)

    for error in Validator(schema).iter_errors(instance):
        path = _joined(prefix, _name(error.absolute_path))
        if error.validator == "required":
            for name in error.validator_value:
                if isinstance(error.instance, dict) and name not in error.instance:
                    add(_joined(path, name), _l("This field is required."))
        elif error.validator == "additionalProperties" and isinstance(error.instance, dict):
            known = error.schema.get("properties", {})
            for name in sorted(set(error.instance) - set(known)):
                add(path or name, _l("Unknown field %(name)s.", name=name))
        else:
            add(path, _message(error))


def _query_value(raw: str, schema: dict, name: str, errors: FieldErrors):
    """A query parameter's text as the value its schema describes, or None with the error added."""
    kind = schema.get("type")
    if kind == "integer":
        try:
            return values.whole(raw)
        except ValueError:
            errors.add(name, values.WHOLE_MESSAGE)
            return None
    if kind == "boolean":
        if raw in ("true", "1", "false", "0"):
            return raw in ("true", "1")
        errors.add(name, TYPE_MESSAGES["boolean"])
        return None
    return raw


def query_schemas(note: dict) -> list[tuple[str, bool, dict]]:
    """(name, required, schema) of each query parameter an endpoint's note declares, paging included."""
    params = [(name, required, kind() if callable(kind) else kind if isinstance(kind, dict) else {"type": kind})
              for name, required, kind in note["params"]]
    if note["paged"]:
        params += [("page", False, {"type": "integer", "minimum": 1, "maximum": 1_000_000}),
                   ("per_page", False, {"type": "integer", "minimum": 1, "maximum": 200})]
    return params


def _check_query(note: dict, errors: FieldErrors) -> None:
    for name, required, schema in query_schemas(note):
        raw = request.args.get(name, "")
        if raw == "":  # an empty filter, as a form sends it, is no filter
            if required:
                errors.add(name, _l("This field is required."))
            continue
        before = len(errors.errors.get(name, ()))
        value = _query_value(raw, schema, name, errors)
        if len(errors.errors.get(name, ())) == before:
            add_errors(schema, value, errors, name)


class RequestBody(dict):
    """A JSON body that breaks its schema: reading any of it raises the 422 naming every bad field."""

    def __init__(self, data: dict, errors: FieldErrors):
        super().__init__(data)
        self.errors = errors

    def _refuse(self, *_args, **_kwargs):
        self.errors.raise_if_any(SUMMARY)

    get = __getitem__ = __contains__ = __iter__ = __len__ = keys = values = items = copy = _refuse


def _unicode(value) -> bool:
    """True when every string in VALUE (keys too) is text UTF-8 can store: JSON's \\u escapes also spell
    lone surrogates, which no database or document takes."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(_unicode(k) and _unicode(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_unicode(v) for v in value)
    return True


def _checked_body(schema_name: str) -> dict:
    data = request.get_json(silent=True)
    if data is None:
        raise BadRequest(_l("The body must be valid JSON."))
    if not isinstance(data, dict):
        raise BadRequest(_l("The body must be a JSON object."))
    if not _unicode(data):
        raise BadRequest(_l("The body must be valid JSON."))  # a lone surrogate (\ud800) is no character
    errors = FieldErrors()
    add_errors(SCHEMAS[schema_name], data, errors)
    return RequestBody(data, errors) if errors else data


@bp.before_request
def check_request():
    """Check a request against its endpoint's published schemas (after the token is checked)."""
    view = current_app.view_functions.get(request.endpoint)
    note = getattr(view, "openapi", None)
    if note is None:
        return
    if note["request"] and request.method in ("POST", "PUT", "PATCH"):
        g.api_body = _checked_body(note["request"])
    errors = FieldErrors()
    _check_query(note, errors)
    errors.raise_if_any(SUMMARY)
