"""Markdown as people write minutes: rendered with raw HTML off, then sanitised again."""

from __future__ import annotations

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_renderer = MarkdownIt("commonmark", {"html": False, "linkify": False})


def render(text: str | None) -> Markup:
    # html=False already escapes tags; nh3 also drops dangerous URLs (javascript:, data:)
    return Markup(nh3.clean(_renderer.render(text or ""), url_schemes={"http", "https", "mailto"}))
