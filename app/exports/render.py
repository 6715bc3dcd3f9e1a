"""Rendering a Document to files, and the job that does it in the background."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document as DocxDocument
from flask import render_template
from flask_babel import force_locale
from odf.opendocument import OpenDocumentText
from odf.style import Style, TextProperties
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableRow
from odf.text import H, List, ListItem, P
from weasyprint import HTML

from app.exports import Document, Table, build
from app.exports.tables import TABLE_FORMATS, write_tables
from app.jobs import job
from app.storage import storage

FORMATS = {"pdf", "docx", "odt", *TABLE_FORMATS}
MIMETYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
}


def to_pdf(document: Document) -> bytes:
    html = render_template("exports/document.html", document=document)
    return HTML(string=html).write_pdf()


def to_docx(document: Document) -> bytes:
    doc = DocxDocument()
    doc.core_properties.title = document.title
    doc.add_heading(document.title, level=0)
    if document.subtitle:
        doc.add_paragraph(document.subtitle)
    for block in document.blocks:
        if block.kind == "heading":
            doc.add_heading(block.text, level=block.level)
        elif block.kind == "paragraph":
            for line in block.text.split("\n"):
                doc.add_paragraph(line)
        elif block.kind == "list":
            for item in block.items:
                doc.add_paragraph(item, style="List Bullet")
        elif block.table is not None:
            table = doc.add_table(rows=1, cols=len(block.table.headers), style="Table Grid")
            for cell, header in zip(table.rows[0].cells, block.table.headers, strict=True):
                cell.text = header
            for row in block.table.rows:
                for cell, value in zip(table.add_row().cells, row, strict=True):
                    cell.text = value
    if document.footer:
        doc.add_paragraph(document.footer)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def to_odt(document: Document) -> bytes:
    odt = OpenDocumentText()
    bold = Style(name="Bold", family="text")
    bold.addElement(TextProperties(fontweight="bold"))
    odt.automaticstyles.addElement(bold)
    odt.text.addElement(H(outlinelevel=1, text=document.title))
    if document.subtitle:
        odt.text.addElement(P(text=document.subtitle))
    for block in document.blocks:
        if block.kind == "heading":
            odt.text.addElement(H(outlinelevel=block.level, text=block.text))
        elif block.kind == "paragraph":
            for line in block.text.split("\n"):
                odt.text.addElement(P(text=line))
        elif block.kind == "list":
            items = List()
            for item in block.items:
                entry = ListItem()
                entry.addElement(P(text=item))
                items.addElement(entry)
            odt.text.addElement(items)
        elif block.table is not None:
            table = OdfTable()
            table.addElement(TableColumn(numbercolumnsrepeated=len(block.table.headers)))
            for row in [block.table.headers, *block.table.rows]:
                table_row = TableRow()
                for value in row:
                    cell = TableCell()
                    cell.addElement(P(text=value))
                    table_row.addElement(cell)
                table.addElement(table_row)
            odt.text.addElement(table)
    if document.footer:
        odt.text.addElement(P(text=document.footer))
    buffer = io.BytesIO()
    odt.save(buffer)
    return buffer.getvalue()


def to_table_file(file_format: str) -> Callable[[Document], bytes]:
    """A spreadsheet of the document's tables (a CSV holds the first one)."""
    return lambda document: write_tables(document.tables() or [_text_table(document)], file_format)


def _text_table(document: Document) -> Table:
    """A document of prose (the minutes, a programme) as one column, a line a row: a
    spreadsheet cannot be empty, and the text is what was asked for."""
    lines = [document.subtitle]
    for block in document.blocks:
        lines.extend([block.text, *block.items])
    lines.append(document.footer)
    return Table([document.title], [[line] for line in lines if line])


RENDERERS: dict[str, Callable[[Document], bytes]] = {
    "pdf": to_pdf,
    "docx": to_docx,
    "odt": to_odt,
    **{file_format: to_table_file(file_format) for file_format in TABLE_FORMATS},
}


@job("exports.render", timeout=900)
def render(record, *, document: str, file_format: str, arguments: dict) -> None:
    # Official documents are in Polish, whoever starts the export.
    with force_locale("pl"):
        built, stem = build(document, **arguments)
        data = RENDERERS[file_format](built)
    name = f"{stem}.{file_format}"
    record.result_key = storage().save(record.tenant_id, name, data)
    record.result_name = name
