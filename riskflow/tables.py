"""Reading an imported table: the rows of an .xlsx or .csv file, its columns found by their headings, and
every row checked before one refusal names every bad row and column (the register's and the indicators'
imports alike)."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Callable

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from openpyxl import load_workbook

from .errors import FieldErrors, Invalid, RiskflowError

MAX_ROWS = 100_000


class ImportFailed(Invalid):
    """A file refused whole; `errors` names every bad row and column."""


def read_table(data: bytes, filename: str) -> list[dict[str, str]]:
    """The rows of an .xlsx or .csv file as {header: text}; blank rows are skipped."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise Invalid(_l("The file is not a readable .xlsx workbook."), {"file": [str(exc)[:200]]})
        rows = book.worksheets[0].iter_rows(values_only=True)
        table = [[_text(v) for v in row] for row in rows]
        book.close()
    elif suffix == ".csv":
        for encoding in ("utf-8-sig", "gb18030"):  # Excel saves Chinese CSV as GB18030 on Windows
            try:
                text = data.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise Invalid(_l("The file is neither UTF-8 nor GB18030 text."))
        table = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text))]
    else:
        raise Invalid(_l("Upload an .xlsx or .csv file."), {"file": [_l("Upload an .xlsx or .csv file.")]})
    if not table:
        raise Invalid(_l("The file is empty."))
    headers = [h.strip() for h in table[0]]
    rows = []
    for values in table[1:]:
        if not any(values):
            rows.append(None)  # keep numbering: row N of the sheet stays row N in messages
            continue
        rows.append({h: (values[i] if i < len(values) else "") for i, h in enumerate(headers) if h})
    if len([r for r in rows if r is not None]) > MAX_ROWS:
        raise Invalid(_l("At most %(n)d rows in one file.", n=MAX_ROWS))
    return rows


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def map_columns(rows, columns: dict, required: tuple, named=None) -> dict[str, str]:
    """field -> the header the file gives it, or ImportFailed naming the missing columns (NAMED(field) when
    given, else the field's first Chinese heading and its name)."""
    headers = set()
    for row in rows:
        if row is not None:
            headers = set(row)
            break
    mapping = {}
    for field, aliases in columns.items():
        for alias in aliases:
            if alias in headers:
                mapping[field] = alias
                break
    missing = [named(f) if named else columns[f][1] + f" ({f})" for f in required if f not in mapping]
    if missing:
        raise ImportFailed(_l("Missing columns: %(names)s.", names=", ".join(missing)),
                           {"columns": [_l("Missing columns: %(names)s.", names=", ".join(missing))]})
    return mapping


def row_column(number: int, column: str):
    """Where a refusal is: "row 3, likelihood", or the row alone."""
    return _l("row %(n)d, %(column)s", n=number, column=column) if column else _l("row %(n)d", n=number)


def run_rows(rows, handle: Callable[[int, dict], None], mapping: dict, progress, cell=row_column) -> int:
    """Feed every row to HANDLE; collect each row's refusal; raise ImportFailed naming them all, each at
    CELL(row number, the column's heading as the file has it, or "" for the whole row)."""
    errors = FieldErrors()
    bad_rows = set()
    done = 0
    total = len(rows)
    for index, row in enumerate(rows):
        number = index + 2  # the header is row 1
        if row is not None:
            try:
                handle(number, row)
                done += 1
            except RiskflowError as exc:
                bad_rows.add(number)
                fields = exc.errors or {"": [exc.message]}
                for field, messages in fields.items():
                    column = mapping.get(field, field)  # name the column as the file does
                    label = cell(number, column)
                    for message in messages:
                        errors.add(str(label), message)
        if progress is not None and (index % 50 == 0 or index == total - 1):
            progress(index + 1, total)
    if errors:
        raise ImportFailed(lazy_ngettext("Nothing was imported: %(num)d row has errors.",
                                          "Nothing was imported: %(num)d rows have errors.", len(bad_rows)), errors.errors)
    return done


def read_path(path: str) -> tuple[bytes, str]:
    """The bytes and the name of a file on disk."""
    file = Path(path)
    if not file.is_file():
        raise Invalid(_l("No such file: %(path)s", path=path))
    return file.read_bytes(), file.name


def rows_from_path(path: str) -> list:
    """The rows of a file on disk."""
    return read_table(*read_path(path))
