"""Spreadsheet files (CSV, XLSX, ODS): the one place in Razem that writes them.

Every CSV is semicolon-separated UTF-8 with a byte order mark, which Excel in a Polish
office opens with the columns split and the diacritics right.
"""

from __future__ import annotations

import tablib

from app.exports import Table

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


def _dataset(table: Table, title: str = "") -> tablib.Dataset:
    rows = [[inert(value) for value in row] for row in table.rows]
    headers = [str(inert(header)) for header in table.headers]
    return tablib.Dataset(*rows, headers=headers, title=title[:31])


def write_tables(tables: list[Table], file_format: str) -> bytes:
    """The tables as one file: one sheet each, or the first table alone in a CSV."""
    if file_format not in TABLE_FORMATS:
        raise ValueError(f"not a table format: {file_format!r}")
    if file_format == "csv":
        text = _dataset(tables[0]).export("csv", delimiter=CSV_DELIMITER)
        return text.encode("utf-8-sig")
    book = tablib.Databook()
    for index, table in enumerate(tables, start=1):
        book.add_sheet(_dataset(table, table.caption or f"Arkusz {index}"))
    return book.export(file_format)


def write_table(headers: list[str], rows: list[list[str]], file_format: str) -> bytes:
    return write_tables([Table(headers, rows)], file_format)


def restored(text: str) -> str:
    """A cell that inert() changed, as it was: Razem's own export imports unchanged."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text
