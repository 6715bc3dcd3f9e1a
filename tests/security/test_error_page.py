"""An error page that cannot be drawn is still an answer of the application: the same status
and words as plain text, with the security headers, never the server's bare 500."""

from __future__ import annotations

from app.core import errors


def test_an_error_page_that_fails_to_render_answers_plain_text_with_the_headers(
    client, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("the layout read what the request broke")

    monkeypatch.setattr(errors, "render_template", broken)
    for url, status in (("/nie-ma-takiego-miasta/programmes", 404), ("/leszno/%00", 400)):
        answer = client.get(url)
        assert answer.status_code == status
        assert answer.mimetype == "text/plain"
        assert str(status) in answer.get_data(as_text=True)
        assert answer.headers["Content-Security-Policy"]
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
