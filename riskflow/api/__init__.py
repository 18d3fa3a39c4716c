"""The JSON API under /api/v1: the same services as the pages, behind bearer tokens."""
from ..security import csrf
from . import validate  # noqa: F401  (checks each request after the token, before any view)
from . import actions, benefits, history, incident_rounds, incidents, indicators, inspections, notifications, openapi, register, reports, risks, rounds, supervision, supervision_figures, supervision_plans, transitions, units  # noqa: F401  (routes register on bp)
from . import notices  # noqa: F401  (notices and the filing form PDF)
from . import risk_proposals  # noqa: F401  (risklinks)
from .core import bp

# Bearer tokens, not cookies, authenticate the API: no CSRF token is needed or accepted as proof.
csrf.exempt(bp)
