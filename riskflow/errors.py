"""Errors a user can cause; every door (page, API, command) shows them its own way."""
from __future__ import annotations


class RiskflowError(Exception):
    """A refused request: a message in the user's language and, optionally, field errors."""

    status = 400

    def __init__(self, message, errors: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.errors = errors or {}

    def to_dict(self) -> dict:
        """The contract's error shape."""
        body = {"error": str(self.message)}
        if self.errors:
            body["errors"] = {field: [str(m) for m in msgs] for field, msgs in self.errors.items()}
        return body


class BadRequest(RiskflowError):
    status = 400


class Unauthorized(RiskflowError):
    status = 401


class Forbidden(RiskflowError):
    status = 403


class NotFound(RiskflowError):
    status = 404


class Conflict(RiskflowError):
    """A duplicate, a stale version or an illegal transition."""

    status = 409


class Invalid(RiskflowError):
    """An invalid field or a failed guard."""

    status = 422

    @classmethod
    def field(cls, name: str, message) -> "Invalid":
        """An error naming one field."""
        return cls(message, {name: [message]})


class FieldErrors:
    """Collects every invalid field before raising one Invalid naming them all."""

    def __init__(self):
        self.errors: dict[str, list] = {}

    def add(self, field: str, message) -> None:
        self.errors.setdefault(field, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self, summary) -> None:
        if self.errors:
            raise Invalid(summary, self.errors)
