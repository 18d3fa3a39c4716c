"""Finance's spreadsheets: a year's targets and monthly budgets, or a month's values, of many indicators at once
(.xlsx or .csv), all rows or none, every bad cell named by its row and its heading. Each row is written through
the same service functions as the pages, so the history and the warnings come out the same."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from .. import periods, tables, xlsx
from ..auth import policy
from ..errors import FieldErrors, Invalid
from ..i18n import current_language
from ..notifications import events
from . import service
from .models import MONTHS, Indicator

KINDS = ("targets", "values")
MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
               "November", "December")
# field -> the headings a file may give it: the template's Chinese and English headings first, then variants.
# Fields are named as the service names its errors (`monthly.5` is May's budget).
CODE = ("指标编码", "Code", "code", "编码", "指标代码", "Indicator code")
TARGET_COLUMNS = {
    "code": CODE,
    "annual": ("年度目标", "Annual target", "annual", "全年目标", "Annual"),
    **{f"monthly.{m}": (f"{m}月", MONTH_NAMES[m - 1][:3], f"m{m:02d}", f"{m:02d}月", f"{m}月预算",
                        MONTH_NAMES[m - 1]) for m in MONTHS},
}
VALUE_COLUMNS = {
    "code": CODE,
    "value": ("本月值", "Value", "value", "值", "实际值", "Value of the month"),
}
NAME = ("指标名称", "Name")  # in the template for people to read; an import ignores it
NOT_IMPORTED = _l("Nothing was imported.")


@dataclass
class Imported:
    """What an import wrote: how many indicators, how many rows had no figure (skipped), how many values breach."""

    count: int
    skipped: int = 0
    breached: int = 0


def _english() -> bool:
    return current_language() == "en"


def _heading(columns: dict, field: str) -> str:
    """FIELD's heading in the template, in the reader's language."""
    return columns[field][1 if _english() else 0]


def cell(number: int, column: str):
    """Where a refusal is: row NUMBER, under the heading COLUMN (or the row alone)."""
    return _l("row %(n)d, column “%(column)s”", n=number, column=column) if column else \
        _l("row %(n)d", n=number)


def _read(data: bytes, filename: str, columns: dict) -> tuple[list, dict]:
    """The file's rows and its heading of each field, every field's column required; an empty file refused."""
    rows = tables.read_table(data, filename)
    if not any(row is not None for row in rows):  # the columns are found in the rows: none, no columns
        message = _l("The file has no rows below its headings.")
        raise Invalid(message, {"file": [message]})
    return rows, tables.map_columns(rows, columns, tuple(columns), named=lambda field: _heading(columns, field))


class _Codes:
    """An indicator by the code in a row: among those KNOWN to the actor (another unit's reads as unknown, as
    anywhere else), once per file."""

    def __init__(self, known: dict[str, Indicator]):
        self.known = known
        self.seen: dict[str, int] = {}

    def find(self, number: int, code: str, errors: FieldErrors) -> Indicator | None:
        if not code:
            errors.add("code", _l("An indicator code is required."))
            return None
        indicator = self.known.get(code)
        if indicator is None:
            errors.add("code", _l("Unknown indicator %(code)s.", code=code))
            return None
        if code in self.seen:
            errors.add("code", _l("Indicator %(code)s is in row %(n)d already.", code=code, n=self.seen[code]))
            return None
        self.seen[code] = number
        return indicator


def _known(session: Session, actor) -> dict[str, Indicator]:
    return {ind.code: ind for ind in session.scalars(service.query(actor)).unique()}


def _year(value, errors: FieldErrors) -> int | None:
    if isinstance(value, str):
        try:
            value = periods.parse_year(value.strip())
        except ValueError:
            pass
    return service.check_year(value, errors)


def _checked(session: Session, actor, data: bytes, filename: str, columns: dict, check) -> tuple[list, int]:
    """Every row of the file with its indicator and CHECK(indicator, {field: cell text}, errors)'s figures, and
    how many rows CHECK found without figures (None); or ImportFailed naming every bad cell of every row."""
    rows, mapping = _read(data, filename, columns)
    codes = _Codes(_known(session, actor))
    checked = []
    skipped = 0

    def handle(number, row):
        nonlocal skipped
        problems = FieldErrors()
        indicator = codes.find(number, row.get(mapping["code"], ""), problems)
        figures = check(indicator, {field: row.get(header, "") for field, header in mapping.items()}, problems)
        problems.raise_if_any(NOT_IMPORTED)
        if figures is None:
            skipped += 1
        else:
            checked.append((indicator, *figures))

    tables.run_rows(rows, handle, mapping, None, cell=cell)
    if not checked:
        message = _l("Nothing was imported: the file has no figures.")
        raise Invalid(message, {"file": [message]})
    return checked, skipped


def import_targets(session: Session, actor, data: bytes, filename: str, year) -> Imported:
    """Set YEAR's annual target and twelve monthly budgets of every indicator in the file (columns 指标编码,
    年度目标, 1月 … 12月; an empty cell is no target), or of none. A row without any figure is skipped."""
    policy.require(actor, "indicator.manage")
    errors = FieldErrors()
    year = _year(year, errors)
    errors.raise_if_any(NOT_IMPORTED)

    def check(indicator, cells, problems):
        if not any(cells[field] for field in TARGET_COLUMNS if field != "code"):
            return None
        return service.check_targets({"annual": cells["annual"] or None,
                                      "monthly": [cells[f"monthly.{m}"] or None for m in MONTHS]}, problems)

    checked, skipped = _checked(session, actor, data, filename, TARGET_COLUMNS, check)
    with events.warnings_told_together(session):
        for indicator, annual, budgets in checked:
            service.store_targets(session, actor, indicator, year, annual, budgets)
    return Imported(len(checked), skipped)


def import_values(session: Session, actor, data: bytes, filename: str, period) -> Imported:
    """Record PERIOD's value of every indicator in the file (columns 指标编码 and 本月值), or of none; a row with
    an empty value is skipped. Only indicators ACTOR may record: another unit's code is unknown."""
    policy.require(actor, "indicator.read")
    errors = FieldErrors()
    period = service.check_month(period, errors)
    errors.raise_if_any(NOT_IMPORTED)

    def check(indicator, cells, problems):
        if indicator is not None and not service.may_record(actor, indicator):
            problems.add("code", _l("You may not record the values of %(code)s.", code=indicator.code))
        if cells["value"] == "":
            return None
        return (service.number(cells["value"], "value", problems),)

    checked, skipped = _checked(session, actor, data, filename, VALUE_COLUMNS, check)
    with events.warnings_told_together(session):
        stored = [service.store_value(session, actor, indicator, period, value)[0] for indicator, value in checked]
    return Imported(len(stored), skipped, sum(1 for row in stored if row.breached))


def template(session: Session, actor, kind: str, out) -> int:
    """Write the workbook to fill in for KIND to OUT: the headings an import reads, in the reader's language, and
    a row for each active indicator ACTOR may import (targets: the risk manager's; values: those ACTOR records)."""
    if kind == "targets":
        policy.require(actor, "indicator.manage")
        columns, widths = TARGET_COLUMNS, [16, 28, 12] + [9] * 12
    else:
        policy.require(actor, "indicator.read")
        columns, widths = VALUE_COLUMNS, [16, 28, 14]
    indicators = [ind for ind in session.scalars(service.query(actor, active=True)).unique()
                  if kind == "targets" or service.may_record(actor, ind)]
    header = [_heading(columns, "code"), NAME[1 if _english() else 0]] + \
        [_heading(columns, field) for field in columns if field != "code"]
    title = ("Indicator targets" if kind == "targets" else "Indicator values") if _english() else \
        ("指标年度目标" if kind == "targets" else "指标本月值")
    return xlsx.write(out, title, header, ([ind.code, ind.name] for ind in indicators), widths)
