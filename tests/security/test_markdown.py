"""Markdown never makes the reader's browser fetch from another server."""

from __future__ import annotations

import lxml.html

from app.markdown import render


def test_images_from_elsewhere_become_links_and_local_ones_stay():
    html = render(
        "![tracker](https://evil.example/pixel.png) ![](//evil.example/x.png) "
        "![<b>logo</b>](http://evil.example/l.png) ![herb](/static/herb.png)"
    )
    document = lxml.html.fromstring(f"<div>{html}</div>")
    assert [img.get("src") for img in document.iter("img")] == ["/static/herb.png"]
    links = {a.get("href"): a.text_content() for a in document.iter("a")}
    assert links == {
        "https://evil.example/pixel.png": "tracker",
        "//evil.example/x.png": "//evil.example/x.png",
        "http://evil.example/l.png": "<b>logo</b>",
    }
    assert "<b>" not in html


def test_a_dangerous_image_source_is_neither_image_nor_live_link():
    html = render('![x](javascript:alert%281%29) ![y](data:image/png;base64,AAAA "t")')
    document = lxml.html.fromstring(f"<div>{html}</div>")
    assert not list(document.iter("img"))
    assert all(a.get("href") is None for a in document.iter("a"))
