"""The JSON API under /api/v1: the same services as the pages, behind bearer tokens."""
from ..security import csrf
from . import validate  # noqa: F401  (checks each request after the token, before any view)
from . import actions, history, incident_rounds, incidents, indicators, notifications, openapi, register, reports, risks, rounds, supervision, supervision_figures, transitions, units  # noqa: F401  (routes register on bp)
from .core import bp

# Bearer tokens, not cookies, authenticate the API: no CSRF token is needed or accepted as proof.
csrf.exempt(bp)
