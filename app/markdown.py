"""Markdown as people write minutes: rendered with raw HTML off, then sanitised again, or
read into the export pipeline's document model."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.tree import SyntaxTreeNode
from markupsafe import Markup, escape

from app.exports import Block, ListItem, Span, Table, plain

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False})


def _image_or_link(self: RendererHTML, tokens, index: int, options, env) -> str:
    """An image from this site stays an image; one from elsewhere becomes a link to it, so
    opening the minutes never tells another server who read them (CSP is the second wall)."""
    token = tokens[index]
    source = str(token.attrGet("src") or "")
    if source.startswith("/") and not source.startswith("//"):
        return RendererHTML.image(self, tokens, index, options, env)
    text = self.renderInlineAsText(token.children or [], options, env) or source
    return f'<a href="{escape(source)}">{escape(text)}</a>'


_renderer.add_render_rule("image", _image_or_link)


def render(text: str | None) -> Markup:
    # html=False already escapes tags; nh3 also drops dangerous URLs (javascript:, data:)
    return Markup(nh3.clean(_renderer.render(text or ""), url_schemes={"http", "https", "mailto"}))


# The same Markdown, read into the export pipeline's document model rather than HTML, so
# that a PDF, a DOCX and an ODT show the marks a person wrote, never the asterisks.
_parser = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table")
SAFE_LINK = re.compile(r"^(https?:|mailto:)", re.IGNORECASE)


def blocks(text: str, heading_level: int = 3) -> list[Block]:
    """The text's blocks; a Markdown heading "#" becomes a heading of `heading_level`, so
    what a person wrote stays under the document's own headings."""
    tree = SyntaxTreeNode(_parser.parse(text))
    return [block for node in tree.children for block in _block(node, heading_level)]


def _block(node: SyntaxTreeNode, heading_level: int) -> list[Block]:
    if node.type == "heading":
        level = min(6, heading_level + int(node.tag[1]) - 1)
        return [Block("heading", spans=_inline(node), level=level)]
    if node.type in ("bullet_list", "ordered_list"):
        return [_list(node)]
    if node.type == "table":
        return [_table(node)]
    if node.type in ("code_block", "fence"):
        return [Block("paragraph", spans=[Span(node.content.rstrip("\n"))])]
    if node.type == "paragraph":
        return [Block("paragraph", spans=_inline(node))]
    # a quote or anything else that holds blocks: its blocks, in order
    return [block for child in node.children for block in _block(child, heading_level)]


def _list(node: SyntaxTreeNode) -> Block:
    items = []
    for entry in node.children:
        spans: list[Span] = []
        sublist = None
        for child in entry.children:
            if child.type in ("bullet_list", "ordered_list"):
                sublist = _list(child)
            elif child.type == "paragraph":
                spans += ([Span("\n")] if spans else []) + _inline(child)
        items.append(ListItem(spans, sublist))
    start = int(node.attrs.get("start", 1)) if node.type == "ordered_list" else 1
    return Block("list", items=items, ordered=node.type == "ordered_list", start=start)


def _table(node: SyntaxTreeNode) -> Block:
    rows = [
        [plain(_inline(cell)) for cell in row.children]
        for section in node.children
        for row in section.children
    ]
    return Block("table", table=Table(rows[0], rows[1:]))


def _inline(node: SyntaxTreeNode) -> list[Span]:
    inline = node.children[0] if node.children and node.children[0].type == "inline" else node
    spans: list[Span] = []
    _runs(inline.children, spans, bold=False, italic=False, link="")
    return spans


def _runs(nodes, spans: list[Span], *, bold: bool, italic: bool, link: str) -> None:
    for node in nodes:
        if node.type in ("text", "code_inline"):
            spans.append(Span(node.content, bold, italic, link))
        elif node.type in ("softbreak", "hardbreak"):
            spans.append(Span("\n"))
        elif node.type == "strong":
            _runs(node.children, spans, bold=True, italic=italic, link=link)
        elif node.type == "em":
            _runs(node.children, spans, bold=bold, italic=True, link=link)
        elif node.type in ("link", "image"):
            target = str(node.attrs.get("href") or node.attrs.get("src") or "")
            target = target if SAFE_LINK.match(target) else ""
            children = node.children or []
            if children:
                _runs(children, spans, bold=bold, italic=italic, link=target)
            else:
                spans.append(Span(target, bold, italic, target))
