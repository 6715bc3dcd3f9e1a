"""The one export pipeline: a feature builds a Document; it is rendered to PDF (WeasyPrint),
DOCX (python-docx), ODT (odfpy) or XLSX (tablib) by a background job, with a download link.
"""

from __future__ import annotations

from base64 import b64encode
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import zip_longest

from flask import Blueprint, Flask
from flask_babel import format_percent


class Percent(float):
    """A share in a table (0.38): a number with a percent format in a spreadsheet, "38%"
    where it is text."""


class Money(Decimal):
    """An amount in złoty: "2 450 000,00 zł" in a document, a number in a spreadsheet."""


class Toned(str):
    """A cell's text on a coloured ground (an adoption status), with a mark before it in a
    document ("✓ uchwalony"): the mark and the text say what the colour does, so the colour
    is never the only sign. A spreadsheet keeps the text alone, to filter by."""

    colour: str
    mark: str

    def __new__(cls, text: str, colour: str, mark: str = "") -> Toned:
        cell = super().__new__(cls, text)
        cell.colour, cell.mark = colour, mark
        return cell

    def shown(self) -> str:
        return f"{self.mark}\u00a0{self}" if self.mark else str(self)


# A table cell: text, or a number a spreadsheet keeps as a number.
Cell = str | int | float | Decimal


def cell_text(value: Cell) -> str:
    """A cell as text in the document's language: "38%", "2 450 000", or the text itself."""
    from app.i18n import format_money, format_number

    if isinstance(value, Percent):
        return format_percent(value)
    if isinstance(value, Money):
        return format_money(value)
    if isinstance(value, Toned):
        return value.shown()
    if isinstance(value, int | float | Decimal):
        return format_number(value)
    return value


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Cell]]
    caption: str = ""

    def column_shares(self) -> list[float]:
        """Each column's share of the page's width, by what it holds: "Lp." narrow, a comment
        wide, and never narrower than its longest word (no "Stowarzyszeni-e")."""
        weights = []
        for index, header in enumerate(self.headers):
            texts = [header] + [cell_text(row[index]) for row in self.rows]
            # split at plain spaces only: "✓\u00a0uchwalony" is kept together, so one word
            words = [word for text in texts for word in text.replace("\n", " ").split(" ")]
            longest_word = max((len(word) for word in words), default=1)
            typical = sum(len(text) for text in texts) / len(texts)
            weights.append(max(longest_word * 1.2 + 3, typical**0.75))  # bold, padding
        total = sum(weights)
        return [weight / total for weight in weights]


@dataclass(frozen=True)
class Span:
    """A run of text with its inline marks; a text of "\n" is a line break."""

    text: str
    bold: bool = False
    italic: bool = False
    link: str = ""


def plain(spans: list[Span]) -> str:
    return "".join(span.text for span in spans)


@dataclass
class ListItem:
    spans: list[Span]
    sublist: Block | None = None


@dataclass
class Quadrant:
    """A titled box of a grid: a SWOT's strengths, say."""

    title: str
    items: list[str]


@dataclass
class Block:
    kind: str  # "heading" | "paragraph" | "list" | "table" | "grid"
    spans: list[Span] = field(default_factory=list)
    items: list[ListItem] = field(default_factory=list)
    ordered: bool = False
    start: int = 1
    table: Table | None = None
    level: int = 2
    quadrants: list[Quadrant] = field(default_factory=list)  # a grid's, two to a row

    def grid_rows(self) -> list[list[Quadrant]]:
        return [self.quadrants[i : i + 2] for i in range(0, len(self.quadrants), 2)]

    @property
    def text(self) -> str:
        return plain(self.spans)

    def markers(self) -> list[str]:
        """ "1.", "2." … for an ordered list, a bullet otherwise: the one marker an item has."""
        if self.ordered:
            return [f"{number}." for number in range(self.start, self.start + len(self.items))]
        return ["•"] * len(self.items)

    def lines(self) -> list[str]:
        """The block as lines of plain text, list items with their markers."""
        if self.kind == "grid":
            return [f"{q.title}: " + "; ".join(q.items) for q in self.quadrants]
        if self.kind != "list":
            return [self.text]
        lines = []
        for marker, item in zip(self.markers(), self.items, strict=True):
            lines.append(f"{marker} {plain(item.spans)}")
            if item.sublist is not None:
                lines.extend("  " + line for line in item.sublist.lines())
        return lines


@dataclass(frozen=True)
class Letterhead:
    """The top of the first page: the office's lines, the first in bold, under its coat of
    arms (a PNG or JPEG image), as a city's office heads its documents."""

    lines: list[str]
    image: bytes | None = None

    @property
    def image_type(self) -> str:
        return "image/png" if (self.image or b"").startswith(b"\x89PNG") else "image/jpeg"

    def image_uri(self) -> str:
        return f"data:{self.image_type};base64,{b64encode(self.image or b'').decode()}"


@dataclass
class Document:
    """What an official document says, in a shape every format renders faithfully."""

    title: str
    subtitle: str = ""
    blocks: list[Block] = field(default_factory=list)
    footer: str = ""
    language: str = "pl-PL"
    landscape: bool = False  # a wide table (the adoption matrix) turns the page
    letterhead: Letterhead | None = None

    def heading(self, text: str, level: int = 2) -> Document:
        self.blocks.append(Block("heading", spans=[Span(text)], level=level))
        return self

    def paragraph(self, text: str) -> Document:
        """Text as it is; each line of it a paragraph."""
        for line in (text or "").split("\n"):
            if line:
                self.blocks.append(Block("paragraph", spans=[Span(line)]))
        return self

    def markdown(self, text: str | None, heading_level: int = 3) -> Document:
        """Text a person wrote in Markdown (minutes, a programme's sections): bold, italic,
        links, lists, headings and tables become the document's own."""
        from app.markdown import blocks

        self.blocks.extend(blocks(text or "", heading_level))
        return self

    def bullets(self, items: list[str]) -> Document:
        return self._list(items, ordered=False)

    def numbered(self, items: list[str]) -> Document:
        return self._list(items, ordered=True)

    def _list(self, items: list[str], ordered: bool) -> Document:
        if items:
            entries = [ListItem([Span(item)]) for item in items]
            self.blocks.append(Block("list", items=entries, ordered=ordered))
        return self

    def grid(self, quadrants: list[Quadrant]) -> Document:
        """Boxes two to a row (a SWOT's four quadrants); in a spreadsheet, a column each."""
        self.blocks.append(Block("grid", quadrants=quadrants))
        return self

    def add_table(self, headers: list[str], rows: list[list[Cell]], caption: str = "") -> Document:
        self.blocks.append(Block("table", table=Table(headers, rows, caption)))
        return self

    def has_prose(self) -> bool:
        return any(block.kind in ("paragraph", "list") for block in self.blocks)

    def tables(self) -> list[Table]:
        """The document's tables, each named after its content: its caption, else the
        heading above it, else the document's title (a spreadsheet's sheet names)."""
        tables, name = [], self.title
        for block in self.blocks:
            if block.kind == "heading":
                name = block.text
            elif block.table is not None:
                tables.append(replace(block.table, caption=block.table.caption or name))
            elif block.kind == "grid":
                columns = zip_longest(*(q.items for q in block.quadrants), fillvalue="")
                rows: list[list[Cell]] = [list(row) for row in columns]
                tables.append(Table([q.title for q in block.quadrants], rows, caption=name))
        return tables


# name -> function(**arguments) -> (Document, file name stem); features register theirs,
# with the formats a person may ask for and the page that starts their export (doors.py).
Builder = Callable[..., tuple[Document, str]]
DOCUMENT_FORMATS = ("pdf", "docx", "odt", "xlsx")
_builders: dict[str, Builder] = {}
_formats: dict[str, tuple[str, ...]] = {}
_pages: dict[str, str] = {}


def builder(
    name: str, formats: tuple[str, ...] = DOCUMENT_FORMATS, *, page: str
) -> Callable[[Builder], Builder]:
    def register(function: Builder) -> Builder:
        _builders[name] = function
        _formats[name] = formats
        _pages[name] = page
        return function

    return register


def page_of(name: str) -> str:
    """The endpoint of the page that starts the document's export."""
    return _pages[name]


def kinds() -> dict[str, tuple[str, ...]]:
    """Every registered document with the formats it is exported in."""
    return dict(_formats)


def builder_of(name: str) -> Builder:
    return _builders[name]


def start(name: str, file_format: str, **arguments):
    """Queue the export of a registered document; returns the job record to watch."""
    from app.exports.render import FORMATS
    from app.jobs import enqueue

    if file_format not in _formats.get(name, ()) or file_format not in FORMATS:
        raise ValueError(f"cannot export {name!r} as {file_format!r}")
    return enqueue("exports.render", document=name, file_format=file_format, arguments=arguments)


def build(name: str, **arguments) -> tuple[Document, str]:
    return _builders[name](**arguments)


def init_app(app: Flask) -> None:
    from app.exports import render  # noqa: F401 - registers the job

    # no routes: the blueprint only makes templates/exports/ available
    app.register_blueprint(Blueprint("exports", __name__, template_folder="templates"))
