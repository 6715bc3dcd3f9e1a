"""Spreadsheet files (CSV, XLSX, ODS): the one place in Razem that writes them.

Every CSV is semicolon-separated UTF-8 with a byte order mark, which Excel in a Polish
office opens with the columns split and the diacritics right. An XLSX keeps numbers as
numbers (shares with a percent format), names each sheet after its table, and shows the
header row in bold, frozen above the rows.
"""

from __future__ import annotations

import io
import re

import tablib
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from app.exports import Cell, Money, Percent, Table, Toned, cell_text

TABLE_FORMATS = ("csv", "xlsx", "ods")
CSV_DELIMITER = ";"
# A cell starting with one of these is run as a formula by Excel or LibreOffice; a
# name like "=HYPERLINK(...)" typed into a profile must not run on a clerk's computer.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value: object) -> object:
    """The cell as text a spreadsheet shows rather than runs."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Excel's limits on a sheet's name: 31 characters, none of these.
SHEET_NAME_LENGTH = 31
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
PERCENT_FORMAT = "0%"
MONEY_FORMAT = '#,##0.00 "zł"'
MAX_COLUMN_WIDTH = 60


def sheet_names(tables: list[Table]) -> list[str]:
    """Each table's caption as a sheet name Excel accepts, cut after a whole word, unique."""
    names: list[str] = []
    for index, table in enumerate(tables, start=1):
        name = NOT_IN_SHEET_NAMES.sub("-", table.caption).strip() or f"Arkusz {index}"
        if len(name) > SHEET_NAME_LENGTH:
            name = name[: SHEET_NAME_LENGTH - 1].rsplit(" ", 1)[0].rstrip(" ,.;:–-") + "…"
        while name.casefold() in (n.casefold() for n in names):
            suffix = f" ({index})"
            name = name[: SHEET_NAME_LENGTH - len(suffix)] + suffix
        names.append(name)
    return names


def _text(value: Cell) -> str:
    return str(value) if isinstance(value, Toned) else cell_text(value)


def _dataset(table: Table, title: str = "") -> tablib.Dataset:
    rows = [[inert(_text(value)) for value in row] for row in table.rows]
    headers = [str(inert(header)) for header in table.headers]
    return tablib.Dataset(*rows, headers=headers, title=title)


def _xlsx(tables: list[Table]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table, name in zip(tables, sheet_names(tables), strict=True):
        sheet = book.create_sheet(name)
        sheet.append([inert(header) for header in table.headers])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_xlsx_value(value) for value in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=True):
                _format(cell, value)
        sheet.freeze_panes = "A2"
        for column in sheet.columns:
            width = max(len(str(cell.value or "")) for cell in column)
            sheet.column_dimensions[column[0].column_letter].width = min(
                width + 2, MAX_COLUMN_WIDTH
            )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _format(cell, value: Cell) -> None:
    if isinstance(value, Percent):
        cell.number_format = PERCENT_FORMAT
    elif isinstance(value, Money):
        cell.number_format = MONEY_FORMAT
    elif isinstance(value, Toned):
        cell.fill = PatternFill("solid", fgColor=value.colour.lstrip("#").upper())


def _xlsx_value(value: Cell) -> object:
    return inert(str(value)) if isinstance(value, str) else float(value)


def write_tables(tables: list[Table], file_format: str) -> bytes:
    """The tables as one file: one sheet each, or the first table alone in a CSV."""
    if file_format not in TABLE_FORMATS:
        raise ValueError(f"not a table format: {file_format!r}")
    if file_format == "csv":
        text = _dataset(tables[0]).export("csv", delimiter=CSV_DELIMITER)
        return text.encode("utf-8-sig")
    if file_format == "xlsx":
        return _xlsx(tables)
    book = tablib.Databook()
    for table, name in zip(tables, sheet_names(tables), strict=True):
        book.add_sheet(_dataset(table, name))
    return book.export(file_format)


def write_table(headers: list[str], rows: list[list[Cell]], file_format: str) -> bytes:
    return write_tables([Table(headers, rows)], file_format)


def restored(text: str) -> str:
    """A cell that inert() changed, as it was: Razem's own export imports unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
