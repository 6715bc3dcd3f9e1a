"""Rendering a Document to files, and the job that does it in the background."""

from __future__ import annotations

import io
from collections.abc import Callable

from docx import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.image.image import Image as DocxImage
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from odf.draw import Frame, Image
from odf.opendocument import OpenDocumentText
from odf.style import (
    DefaultStyle,
    Footer,
    MasterPage,
    PageLayout,
    PageLayoutProperties,
    ParagraphProperties,
    Style,
    TableCellProperties,
    TableColumnProperties,
    TableProperties,
    TextProperties,
)
from odf.svg import Title as SvgTitle
from odf.table import Table as OdfTable
from odf.table import TableCell, TableColumn, TableRow
from odf.text import A, H, LineBreak, P, PageCount, PageNumber, Tab
from odf.text import Span as OdfSpan

from app.exports import Block, Document, Letterhead, Span, Table, Toned, build, cell_text
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


# Pages as Polish offices print them: A4, 2.5 cm margins (Word's Polish default), numbered.
PAGE_WIDTH_CM, PAGE_HEIGHT_CM = 21.0, 29.7
MARGIN_CM = 2.5
LIST_INDENT_CM = 0.75
FONT = "Times New Roman"  # LibreOffice shows it in the metric-compatible Liberation Serif
# Office formats keep the title in the file's properties, at most 255 characters.
MAX_PROPERTY_LENGTH = 255
ARMS_HEIGHT_CM = 2.4  # the coat of arms atop the first page


def to_pdf(document: Document) -> bytes:
    html = render_template(
        "exports/document.html",
        document=document,
        margin_cm=MARGIN_CM,
        indent_cm=LIST_INDENT_CM,
        arms_cm=ARMS_HEIGHT_CM,
        cell_text=cell_text,
    )
    # Imported here: WeasyPrint (Pango, GLib) takes 1.6 s to load, which every web worker
    # would pay at each (re)start for documents only the job workers write.
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def short_title(title: str, limit: int = MAX_PROPERTY_LENGTH) -> str:
    """A title that fits a file property: cut after a whole word, with an ellipsis."""
    if len(title) <= limit:
        return title
    return title[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,.;:–-") + "…"


def to_docx(document: Document) -> bytes:
    doc = DocxDocument()
    doc.core_properties.title = short_title(document.title)
    doc.core_properties.language = document.language
    _docx_page(doc, document)
    _docx_styles(doc)
    if document.letterhead:
        _docx_letterhead(doc, document.letterhead)
    doc.add_heading(document.title, level=0)
    if document.subtitle:
        doc.add_paragraph(document.subtitle)
    for block in document.blocks:
        if block.kind == "heading":
            _docx_spans(doc.add_heading(level=block.level), block.spans)
        elif block.kind == "paragraph":
            _docx_spans(doc.add_paragraph(), block.spans)
        elif block.kind == "list":
            _docx_list(doc, block, depth=0)
        elif block.kind == "grid":
            _docx_grid(doc, block)
        elif block.table is not None:
            _docx_table(doc, block.table, _text_width_cm(document))
    for line in document.footer.split("\n") if document.footer else []:
        doc.add_paragraph(line)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _docx_letterhead(doc, letterhead: Letterhead) -> None:
    """The coat of arms and the office's lines, centred, ruled off from the text below."""
    if letterhead.image:
        run = _docx_centred(doc).add_run()
        run.add_picture(io.BytesIO(letterhead.image), height=Cm(ARMS_HEIGHT_CM))
        run._r.xpath(".//wp:docPr")[0].set("descr", _("Coat of arms"))
    paragraph = None
    for index, line in enumerate(letterhead.lines):
        paragraph = _docx_centred(doc)
        run = paragraph.add_run(line)
        run.bold = index == 0
    if paragraph is not None:
        paragraph.paragraph_format.space_after = Pt(18)
        borders = OxmlElement("w:pBdr")
        bottom = OxmlElement("w:bottom")
        for attribute, value in (
            ("val", "single"),
            ("sz", "6"),
            ("space", "4"),
            ("color", "444444"),
        ):
            bottom.set(qn(f"w:{attribute}"), value)
        borders.append(bottom)
        # first among the paragraph's properties, as Word's schema orders them (no style here)
        paragraph._p.get_or_add_pPr().insert(0, borders)


def _docx_centred(doc):
    paragraph = doc.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


def _text_width_cm(document: Document) -> float:
    return _page_size(document)[0] - 2 * MARGIN_CM


def _docx_table(doc, table: Table, width_cm: float) -> None:
    docx_table = doc.add_table(rows=1, cols=len(table.headers), style="Table Grid")
    docx_table.autofit = False
    for cell, header in zip(docx_table.rows[0].cells, table.headers, strict=True):
        cell.text = header
    for row in table.rows:
        for cell, value in zip(docx_table.add_row().cells, row, strict=True):
            cell.text = cell_text(value)
            if isinstance(value, Toned):
                _docx_shade(cell, value.colour)
    # Word reads each cell's width, LibreOffice the grid's: both are set.
    for column, share in zip(docx_table.columns, table.column_shares(), strict=True):
        column.width = Cm(width_cm * share)
        for cell in column.cells:
            cell.width = Cm(width_cm * share)


def _docx_shade(cell, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), colour.lstrip("#").upper())
    cell._tc.get_or_add_tcPr().append(shading)


def _docx_page(doc, document: Document) -> None:
    """A4, the margins, the language of every run, and "page / pages" in the footer."""
    language = document.language
    width, height = _page_size(document)
    for section in doc.sections:
        section.page_width, section.page_height = Cm(width), Cm(height)
        if document.landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
        section.left_margin = section.right_margin = Cm(MARGIN_CM)
        section.top_margin = section.bottom_margin = Cm(MARGIN_CM)
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _docx_field(footer, "PAGE")
        footer.add_run(" / ")
        _docx_field(footer, "NUMPAGES")
    defaults = doc.styles.element.find(qn("w:docDefaults"))
    run_defaults = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for old in run_defaults.findall(qn("w:lang")):
        run_defaults.remove(old)
    lang = OxmlElement("w:lang")
    for attribute in ("w:val", "w:eastAsia", "w:bidi"):
        lang.set(qn(attribute), language)
    run_defaults.append(lang)


def _page_size(document: Document) -> tuple[float, float]:
    """Width and height in centimetres."""
    if document.landscape:
        return PAGE_HEIGHT_CM, PAGE_WIDTH_CM
    return PAGE_WIDTH_CM, PAGE_HEIGHT_CM


def _docx_styles(doc) -> None:
    """The look of an office letter, as the PDF has it: a serif font, black headings, the
    title centred without Word's blue rule."""
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(11)
    normal.paragraph_format.space_after = Pt(4)
    for name, size in (("Title", 16), *((f"Heading {n}", 15 - n) for n in range(1, 5))):
        style = doc.styles[name]
        style.font.name, style.font.size = FONT, Pt(size)
        style.font.bold, style.font.color.rgb = True, RGBColor(0, 0, 0)
        style.paragraph_format.space_before = Pt(10 if name != "Title" else 0)
        style.paragraph_format.space_after = Pt(4 if name != "Title" else 12)
    title = doc.styles["Title"]
    title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    properties = title.element.find(qn("w:pPr"))
    for rule in properties.findall(qn("w:pBdr")) if properties is not None else []:
        properties.remove(rule)
    for fonts in doc.styles.element.iter(qn("w:rFonts")):
        for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(attribute), None)
        for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attribute), FONT)


def _docx_field(paragraph, instruction: str) -> None:
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _docx_spans(paragraph, spans: list[Span]) -> None:
    for span in spans:
        if span.text == "\n":
            paragraph.add_run().add_break()
        elif span.link:
            _docx_link(paragraph, span)
        else:
            run = paragraph.add_run(span.text)
            run.bold, run.italic = span.bold or None, span.italic or None


def _docx_link(paragraph, span: Span) -> None:
    relation = paragraph.part.relate_to(span.link, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), relation)
    run = paragraph.add_run(span.text)
    run.bold, run.italic = span.bold or None, span.italic or None
    run.underline = True
    run.font.color.rgb = RGBColor(0x05, 0x63, 0xC1)
    link.append(run._r)
    paragraph._p.append(link)


def _docx_list(doc, block: Block, depth: int) -> None:
    """Each item a paragraph with its one marker and a hanging indent: the numbers are
    those of the list, whatever numbering the reader's Word continues elsewhere."""
    for marker, item in zip(block.markers(), block.items, strict=True):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(LIST_INDENT_CM * (depth + 1))
        paragraph.paragraph_format.first_line_indent = Cm(-LIST_INDENT_CM)
        paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(LIST_INDENT_CM * (depth + 1)))
        paragraph.add_run(f"{marker}\t")
        _docx_spans(paragraph, item.spans)
        if item.sublist is not None:
            _docx_list(doc, item.sublist, depth + 1)


def _docx_grid(doc, block: Block) -> None:
    table = doc.add_table(rows=0, cols=2, style="Table Grid")
    for quadrants in block.grid_rows():
        for cell, quadrant in zip(table.add_row().cells, quadrants, strict=False):
            cell.paragraphs[0].add_run(quadrant.title).bold = True
            for item in quadrant.items:
                paragraph = cell.add_paragraph(f"•\t{item}")
                paragraph.paragraph_format.left_indent = Cm(LIST_INDENT_CM)
                paragraph.paragraph_format.first_line_indent = Cm(-LIST_INDENT_CM)


def to_odt(document: Document) -> bytes:
    odt = OpenDocumentText()
    styles = _odt_styles(odt, document)
    if document.letterhead:
        _odt_letterhead(odt, document.letterhead, styles)
    odt.text.addElement(H(outlinelevel=1, stylename=styles["title"], text=document.title))
    if document.subtitle:
        odt.text.addElement(P(text=document.subtitle))
    for block in document.blocks:
        if block.kind == "heading":
            heading = H(outlinelevel=block.level, stylename=styles[f"h{min(block.level, 4)}"])
            odt.text.addElement(_odt_spans(heading, block.spans, styles))
        elif block.kind == "paragraph":
            odt.text.addElement(_odt_spans(P(), block.spans, styles))
        elif block.kind == "list":
            _odt_list(odt, block, styles, depth=0)
        elif block.kind == "grid":
            odt.text.addElement(_odt_grid(block, styles))
        elif block.table is not None:
            table = _odt_table(odt, block.table, _text_width_cm(document))
            for row in [block.table.headers, *block.table.rows]:
                table_row = TableRow()
                for value in row:
                    cell = TableCell(stylename=_odt_cell_style(odt, styles, value))
                    cell.addElement(P(text=cell_text(value)))
                    table_row.addElement(cell)
                table.addElement(table_row)
            odt.text.addElement(table)
    for line in document.footer.split("\n") if document.footer else []:
        odt.text.addElement(P(text=line))
    buffer = io.BytesIO()
    odt.save(buffer)
    return buffer.getvalue()


def _odt_letterhead(odt, letterhead: Letterhead, styles: dict[str, Style]) -> None:
    """The coat of arms and the office's lines, centred, ruled off from the text below."""
    if letterhead.image:
        image = DocxImage.from_blob(letterhead.image)
        width = ARMS_HEIGHT_CM * image.px_width / image.px_height
        extension = "png" if letterhead.image_type == "image/png" else "jpg"
        href = odt.addPicture(f"Pictures/arms.{extension}", letterhead.image_type, letterhead.image)
        frame = Frame(width=f"{width:.2f}cm", height=f"{ARMS_HEIGHT_CM}cm", anchortype="as-char")
        frame.addElement(Image(href=href))
        frame.addElement(SvgTitle(text=_("Coat of arms")))
        paragraph = P(stylename=styles["letterhead"])
        paragraph.addElement(frame)
        odt.text.addElement(paragraph)
    for index, line in enumerate(letterhead.lines):
        last = index == len(letterhead.lines) - 1
        paragraph = P(stylename=styles["letterhead-last" if last else "letterhead"])
        paragraph.addElement(
            OdfSpan(stylename=styles["bold"], text=line) if index == 0 else OdfSpan(text=line)
        )
        odt.text.addElement(paragraph)


def _odt_cell_style(odt, styles: dict[str, Style], value) -> Style:
    """The bordered cell's style, on the cell's colour if it has one (one style a colour)."""
    if not isinstance(value, Toned):
        return styles["cell"]
    name = f"Cell{value.colour.lstrip('#')}"
    if name not in styles:
        styles[name] = Style(name=name, family="table-cell")
        styles[name].addElement(
            TableCellProperties(
                border="0.5pt solid #444444", padding="0.1cm", backgroundcolor=value.colour
            )
        )
        odt.automaticstyles.addElement(styles[name])
    return styles[name]


def _odt_table(odt, table: Table, width_cm: float) -> OdfTable:
    """An empty table whose columns share the width as the content needs."""
    number = len(odt.automaticstyles.childNodes)  # a style name no other table has
    style = Style(name=f"Table{number}", family="table")
    style.addElement(TableProperties(width=f"{width_cm}cm", align="margins"))
    odt.automaticstyles.addElement(style)
    odf_table = OdfTable(stylename=style)
    for index, share in enumerate(table.column_shares()):
        column = Style(name=f"Table{number}.{index}", family="table-column")
        column.addElement(TableColumnProperties(columnwidth=f"{width_cm * share:.2f}cm"))
        odt.automaticstyles.addElement(column)
        odf_table.addElement(TableColumn(stylename=column))
    return odf_table


def _odt_styles(odt, document: Document) -> dict[str, Style]:
    """A4 with the margins and a "page / pages" footer; the language of all the text."""
    lang, _dash, country = document.language.partition("-")
    width, height = _page_size(document)
    layout = PageLayout(name="A4")
    layout.addElement(
        PageLayoutProperties(
            pagewidth=f"{width}cm",
            pageheight=f"{height}cm",
            printorientation="landscape" if document.landscape else "portrait",
            margintop=f"{MARGIN_CM}cm",
            marginbottom=f"{MARGIN_CM}cm",
            marginleft=f"{MARGIN_CM}cm",
            marginright=f"{MARGIN_CM}cm",
        )
    )
    odt.automaticstyles.addElement(layout)
    centred = Style(name="PageFooter", family="paragraph")
    centred.addElement(ParagraphProperties(textalign="center"))
    odt.styles.addElement(centred)
    master = MasterPage(name="Standard", pagelayoutname=layout)
    footer = Footer()
    numbers = P(stylename=centred)
    numbers.addElement(PageNumber(selectpage="current", text="1"))
    numbers.addText(" / ")
    numbers.addElement(PageCount(text="1"))
    footer.addElement(numbers)
    master.addElement(footer)
    odt.masterstyles.addElement(master)
    default = DefaultStyle(family="paragraph")
    default.addElement(
        TextProperties(language=lang, country=country, fontfamily=FONT, fontsize="11pt")
    )
    odt.styles.addElement(default)
    styles = {
        "bold": Style(name="Bold", family="text"),
        "italic": Style(name="Italic", family="text"),
        "bolditalic": Style(name="BoldItalic", family="text"),
        "link": Style(name="Link", family="text"),
        "title": Style(name="Title", family="paragraph"),
        "cell": Style(name="Cell", family="table-cell"),
        "boxtitle": Style(name="BoxTitle", family="paragraph"),
        "letterhead": Style(name="Letterhead", family="paragraph"),
        "letterhead-last": Style(name="LetterheadLast", family="paragraph"),
    }
    styles["letterhead"].addElement(ParagraphProperties(textalign="center"))
    styles["letterhead-last"].addElement(
        ParagraphProperties(
            textalign="center",
            borderbottom="0.75pt solid #444444",
            paddingbottom="0.15cm",
            marginbottom="0.6cm",
        )
    )
    styles["boxtitle"].addElement(TextProperties(fontweight="bold"))
    styles["bold"].addElement(TextProperties(fontweight="bold"))
    styles["italic"].addElement(TextProperties(fontstyle="italic"))
    styles["bolditalic"].addElement(TextProperties(fontweight="bold", fontstyle="italic"))
    styles["link"].addElement(TextProperties(color="#0563c1", textunderlinestyle="solid"))
    styles["title"].addElement(ParagraphProperties(textalign="center", marginbottom="0.4cm"))
    styles["title"].addElement(TextProperties(fontsize="16pt", fontweight="bold"))
    styles["cell"].addElement(TableCellProperties(border="0.5pt solid #444444", padding="0.1cm"))
    for level, size in ((1, "15pt"), (2, "13pt"), (3, "12pt"), (4, "11pt")):
        heading = Style(name=f"Heading{level}", family="paragraph")
        heading.addElement(ParagraphProperties(margintop="0.4cm", marginbottom="0.2cm"))
        heading.addElement(TextProperties(fontsize=size, fontweight="bold"))
        styles[f"h{level}"] = heading
    for depth in range(4):
        item = Style(name=f"ListItem{depth}", family="paragraph")
        indent = LIST_INDENT_CM * (depth + 1)
        item.addElement(
            ParagraphProperties(marginleft=f"{indent}cm", textindent=f"-{LIST_INDENT_CM}cm")
        )
        styles[f"item{depth}"] = item
    for style in styles.values():
        odt.automaticstyles.addElement(style)
    return styles


def _odt_spans(element, spans: list[Span], styles: dict[str, Style]):
    for span in spans:
        if span.text == "\n":
            element.addElement(LineBreak())
            continue
        marks = ("bold" if span.bold else "") + ("italic" if span.italic else "")
        run = OdfSpan(stylename=styles[marks], text=span.text) if marks else None
        if span.link:
            link = A(type="simple", href=span.link)
            link.addElement(run or OdfSpan(stylename=styles["link"], text=span.text))
            element.addElement(link)
        elif run is not None:
            element.addElement(run)
        else:
            element.addText(span.text)
    return element


def _odt_grid(block: Block, styles: dict[str, Style]) -> OdfTable:
    table = OdfTable()
    table.addElement(TableColumn(numbercolumnsrepeated=2))
    for quadrants in block.grid_rows():
        row = TableRow()
        for quadrant in quadrants:
            cell = TableCell(stylename=styles["cell"])
            cell.addElement(P(text=quadrant.title, stylename=styles["boxtitle"]))
            for item in quadrant.items:
                entry = P(stylename=styles["item0"])
                entry.addText("•")
                entry.addElement(Tab())
                entry.addText(item)
                cell.addElement(entry)
            row.addElement(cell)
        table.addElement(row)
    return table


def _odt_list(odt, block: Block, styles: dict[str, Style], depth: int) -> None:
    for marker, item in zip(block.markers(), block.items, strict=True):
        paragraph = P(stylename=styles[f"item{min(depth, 3)}"])
        paragraph.addText(marker)
        paragraph.addElement(Tab())
        odt.text.addElement(_odt_spans(paragraph, item.spans, styles))
        if item.sublist is not None:
            _odt_list(odt, item.sublist, styles, depth + 1)


def to_table_file(file_format: str) -> Callable[[Document], bytes]:
    """A spreadsheet of the document's text, if it has any, and of its tables (a CSV holds
    the first of them)."""

    def write(document: Document) -> bytes:
        text = [_text_table(document)] if document.has_prose() or not document.tables() else []
        return write_tables(text + document.tables(), file_format)

    return write


def _text_table(document: Document) -> Table:
    """A document of prose (the minutes, a programme) as one column, a line a row: a
    spreadsheet cannot be empty, and the text is what was asked for."""
    lines = [document.subtitle]
    for block in document.blocks:
        lines.extend(block.lines())
    lines.append(document.footer)
    return Table([document.title], [[line] for line in lines if line], caption=document.title)


RENDERERS: dict[str, Callable[[Document], bytes]] = {
    "pdf": to_pdf,
    "docx": to_docx,
    "odt": to_odt,
    **{file_format: to_table_file(file_format) for file_format in TABLE_FORMATS},
}


def produce(document: str, file_format: str, **arguments) -> tuple[str, bytes]:
    """The file of a registered document: its name and its bytes."""
    # Official documents are in Polish, whoever starts the export.
    with force_locale("pl"):
        built, stem = build(document, **arguments)
        data = RENDERERS[file_format](built)
    return f"{stem}.{file_format}", data


@job("exports.render", timeout=900)
def render(record, *, document: str, file_format: str, arguments: dict) -> None:
    name, data = produce(document, file_format, **arguments)
    record.result_key = storage().save(record.tenant_id, name, data)
    record.result_name = name
