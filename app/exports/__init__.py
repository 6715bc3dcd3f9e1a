"""The one export pipeline: a feature builds a Document; it is rendered to PDF (WeasyPrint),
DOCX (python-docx), ODT (odfpy) or XLSX (tablib) by a background job, with a download link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from flask import Blueprint, Flask


@dataclass
class Table:
    headers: list[str]
    rows: list[list[str]]
    caption: str = ""


@dataclass
class Block:
    kind: str  # "heading" | "paragraph" | "list" | "table"
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: Table | None = None
    level: int = 2


@dataclass
class Document:
    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    footer: str = ""

    def heading(self, text: str, level: int = 2) -> Document:
        self.blocks.append(Block("heading", text=text, level=level))
        return self

    def paragraph(self, text: str) -> Document:
        if text:
            self.blocks.append(Block("paragraph", text=text))
        return self

    def bullets(self, items: list[str]) -> Document:
        if items:
            self.blocks.append(Block("list", items=items))
        return self

    def add_table(self, headers: list[str], rows: list[list[str]], caption: str = "") -> Document:
        self.blocks.append(Block("table", table=Table(headers, rows, caption)))
        return self

    def tables(self) -> list[Table]:
        return [b.table for b in self.blocks if b.table is not None]


# name -> function(**arguments) -> (Document, file name stem); features register theirs.
Builder = Callable[..., tuple[Document, str]]
_builders: dict[str, Builder] = {}


def builder(name: str) -> Callable[[Builder], Builder]:
    def register(function: Builder) -> Builder:
        _builders[name] = function
        return function

    return register


def start(name: str, file_format: str, **arguments):
    """Queue the export of a registered document; returns the job record to watch."""
    from app.exports.render import FORMATS
    from app.jobs import enqueue

    if name not in _builders or file_format not in FORMATS:
        raise ValueError(f"cannot export {name!r} as {file_format!r}")
    return enqueue("exports.render", document=name, file_format=file_format, arguments=arguments)


def build(name: str, **arguments) -> tuple[Document, str]:
    return _builders[name](**arguments)


def init_app(app: Flask) -> None:
    from app.exports import render  # noqa: F401 - registers the job

    # no routes: the blueprint only makes templates/exports/ available
    app.register_blueprint(Blueprint("exports", __name__, template_folder="templates"))
