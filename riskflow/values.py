"""One full-match ASCII parser for each kind of code, number and date people type, shared by every door.

Each pattern is matched whole (`re.fullmatch`) with ASCII semantics, and the same text is published as
the `pattern` of the OpenAPI document (`schema_pattern`), so pages, the API, commands and imports refuse
the same strings: no trailing newline, no digits of other scripts."""
from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import partial
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

UNIT_CODE = "[A-Za-z0-9][A-Za-z0-9_-]{0,31}"
# A unit filter's value for the items of no unit (the whole company's): never a unit code.
COMPANY_WIDE = "-"
USERNAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"
INDICATOR_CODE = "[A-Za-z0-9][A-Za-z0-9_.-]{0,31}"
RISK_CODE = "[A-Za-z0-9][A-Za-z0-9_.-]{0,31}"
CATEGORY_CODE = "[A-Za-z0-9][A-Za-z0-9_.-]{0,39}"
EMAIL = "[^@\\s]+@[^@\\s]+"
DATE = "[0-9]{4}-[0-9]{2}-[0-9]{2}"
WHOLE = "[0-9]{1,18}"
DECIMAL = "-?[0-9]{1,18}([.][0-9]{1,10})?"
# A web address a server may post to: http(s), a host, no spaces or control characters, at most 500 long.
HTTP_URL = "https?://[A-Za-z0-9.\\[\\]:_-]+([/?#][\\x21-\\x7e]*)?"
HTTP_URL_MESSAGE = _l("Give an http:// or https:// address (at most 500 characters).")

UNIT_CODE_MESSAGE = _l("Use 1 to 32 letters, digits, '-' or '_'.")
USERNAME_MESSAGE = _l("Use 1 to 64 letters, digits, '.', '-' or '_'.")
CODE_MESSAGE = _l("Use 1 to 32 letters, digits, '.', '-' or '_'.")
CATEGORY_CODE_MESSAGE = _l("Use 1 to 40 letters, digits, '.', '-' or '_'.")
DATE_MESSAGE = _l("Use YYYY-MM-DD.")
WHOLE_MESSAGE = _l("Must be a whole number.")
NUMBER_MESSAGE = _l("Must be a number.")


def schema_pattern(pattern: str) -> str:
    """PATTERN anchored for a JSON Schema `pattern` (ECMA-262, where `$` is the end of the text)."""
    return f"^{pattern}$"


def matches(pattern: str, text) -> bool:
    """True when TEXT is a string that PATTERN matches whole, ASCII only."""
    return isinstance(text, str) and re.fullmatch(pattern, text, re.ASCII) is not None


# One check per kind of code: True when the text is one.
is_unit_code = partial(matches, UNIT_CODE)
is_username = partial(matches, USERNAME)
is_indicator_code = partial(matches, INDICATOR_CODE)
is_risk_code = partial(matches, RISK_CODE)
is_category_code = partial(matches, CATEGORY_CODE)
is_email = partial(matches, EMAIL)


def is_http_url(text) -> bool:
    """True when TEXT is an http(s) address of at most 500 characters whose host and port read as such (what
    the pattern lets through, such as `http://[x/` or `http://host:abc/`, is no address: urlsplit refuses it)."""
    if not (isinstance(text, str) and len(text) <= 500 and matches(HTTP_URL, text)):
        return False
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 (raises ValueError for a port out of range or not a number)
    except ValueError:
        return False
    return bool(parts.hostname)


def whole(text) -> int:
    """A non-negative whole number written in ASCII digits (`int()` would take ' 7\\n' and '٧'); ValueError."""
    if not matches(WHOLE, text):
        raise ValueError(f"not a whole number: {text!r}")
    return int(text)


def whole_or(text, default):
    """The whole number TEXT writes in ASCII digits, or DEFAULT when it is not one."""
    return int(text) if matches(WHOLE, text) else default


def decimal(value) -> Decimal:
    """An exact number from a JSON number or from text such as `-12.5` (`Decimal()` would also take
    ' 12', '١٢', '1e5' and 'NaN'); ValueError."""
    if isinstance(value, bool):
        raise ValueError("true and false are not numbers")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, Decimal):  # parsed already, by a form field
        if not value.is_finite():
            raise ValueError(f"not a finite number: {value!r}")
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"not a finite number: {value!r}")
        return Decimal(str(value))
    if not matches(DECIMAL, value):
        raise ValueError(f"not a number: {value!r}")
    return Decimal(value)


def parse_date(text) -> date:
    """A calendar date written `YYYY-MM-DD` (`date.fromisoformat` also takes '20260105' and '2026-W01-1')."""
    if not matches(DATE, text):
        raise ValueError(f"not a YYYY-MM-DD date: {text!r}")
    return date.fromisoformat(text)


# Characters a stored or sent file name must not hold: control and format characters (a newline breaks the
# download's header; a right-to-left override disguises the extension), line separators, both path
# separators, and what Windows refuses in file names.
_FILENAME_REFUSED = set('/\\:*?"<>|')
_FILENAME_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}


def safe_filename(name: str, fallback: str = "file") -> str:
    """NAME as a file name that is safe to store and to send: no control characters, no path, at most
    255 characters; FALLBACK when nothing is left."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    spaced = "".join(" " if c in _FILENAME_REFUSED or unicodedata.category(c) in _FILENAME_REFUSED_CATEGORIES
                     else c for c in name)
    cleaned = " ".join(spaced.split()).strip(" .")
    if len(cleaned) > 255 and "." in cleaned:
        stem, extension = cleaned.rsplit(".", 1)
        cleaned = f"{stem[:254 - len(extension)]}.{extension}"
    return cleaned[:255] or fallback
