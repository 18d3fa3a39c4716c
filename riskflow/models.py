"""Imports every feature's models so that the metadata, and Alembic, see all tables."""
from .auth.models import ApiToken, Unit, User  # noqa: F401
from .history import ChangeRecord  # noqa: F401
