"""Markdown as people write minutes: rendered with raw HTML off, then sanitised again."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markupsafe import Markup, escape

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
