"""The API blueprint: bearer-token sign-in, JSON bodies, pagination and the OpenAPI notes."""
from __future__ import annotations

from flask import Blueprint, g, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import values
from ..auth import service as auth_service
from ..db import get_session
from ..errors import FieldErrors, Unauthorized

bp = Blueprint("api", __name__, url_prefix="/api/v1")

MAX_PER_PAGE = 200
MAX_PAGE = 1_000_000
DEFAULT_PER_PAGE = 50
PUBLIC_ENDPOINTS = {"api.openapi"}


@bp.before_request
def authenticate():
    """Every call but the OpenAPI document needs `Authorization: Bearer TOKEN`."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Unauthorized(_l("An API token is required: Authorization: Bearer TOKEN."))
    db = get_session()
    user = auth_service.user_for_token(db, token.strip())
    if user is None:
        raise Unauthorized(_l("The API token is unknown or revoked."))
    if db.dirty:
        db.commit()  # the token's last use, kept to the minute
    g.api_user = user


@bp.after_request
def challenge(response):
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="riskflow"'
    return response


def caller():
    """The user the request's token belongs to."""
    return g.api_user


def json_body() -> dict:
    """The request's JSON object, already checked against the endpoint's published schema."""
    body = g.get("api_body")
    if body is None:
        raise LookupError(f"{request.endpoint} reads a JSON body but its OpenAPI note names no request schema")
    return body


def page_args() -> tuple[int, int]:
    """`page` and `per_page` from the query string, checked."""
    errors = FieldErrors()
    found = {}
    for name, default, high in (("page", 1, MAX_PAGE), ("per_page", DEFAULT_PER_PAGE, MAX_PER_PAGE)):
        raw = request.args.get(name) or str(default)
        try:
            value = values.whole(raw)
        except ValueError:
            errors.add(name, values.WHOLE_MESSAGE)
            continue
        if not 1 <= value <= high:
            errors.add(name, _l("Must be between 1 and %(high)s.", high=high))
        found[name] = value
    errors.raise_if_any(_l("Invalid paging."))
    return found["page"], found["per_page"]


def paginate(session, stmt, serialize=None, *, serialize_page=None) -> dict:
    """Run STMT for the requested page: `{items, total, page, per_page}`.

    SERIALIZE turns one row into JSON; SERIALIZE_PAGE turns the page's rows at
    once, for views that load related rows in one query.
    """
    page, per_page = page_args()
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = list(session.scalars(stmt.limit(per_page).offset((page - 1) * per_page)).unique())
    items = serialize_page(rows) if serialize_page else [serialize(r) for r in rows]
    return {"items": items, "total": total, "page": page, "per_page": per_page}


def document(summary: str, *, request_schema: str | None = None, response: str | None = None,
             status: int | tuple = 200, errors=(401,), params=(), paged: bool = False, media=("application/json",)):
    """Describe an endpoint for the OpenAPI document, beside its code.

    PARAMS: (name, required, schema) of each query parameter, the schema a dict, a JSON type's name, or a
    function returning the schema when the document is built. MEDIA: the success response's content types
    (a file download's are not JSON)."""

    def wrap(view):
        view.openapi = {
            "summary": summary,
            "request": request_schema,
            "response": response,
            "status": status,
            "errors": tuple(errors),
            "params": tuple(params),
            "paged": paged,
            "media": tuple(media),
        }
        return view

    return wrap
