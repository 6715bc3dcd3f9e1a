"""/api/v1/docs in a real browser: Swagger UI draws the document under the strict CSP."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_swagger_ui_draws_every_operation_without_breaking_the_csp(page, live_server):
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(live_server + "/api/v1/docs")
    page.wait_for_selector(".opblock-summary")
    operations = page.locator(".opblock-summary").count()
    assert operations >= 30, operations
    assert page.get_by_text("Spotkania · Meetings").first.is_visible()
    assert not refused, refused
