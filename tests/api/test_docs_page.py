"""/api/v1/docs: Swagger UI from the installed package, under the strict CSP."""

from __future__ import annotations

import re


def test_the_documentation_page_loads_only_its_own_scripts(client):
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    html = page.get_data(as_text=True)
    scripts = re.findall(r"<script([^>]*)>", html)
    assert scripts and all("src=" in attributes for attributes in scripts)  # nothing inline
    assert 'data-spec="/api/v1/openapi.json"' in html
    for asset in re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css))"', html):
        assert client.get(asset).status_code == 200, asset
    assert "swagger-ui-bundle.js" in html


def test_only_the_files_the_page_loads_are_served(client):
    assert client.get("/api/v1/docs/swagger-ui/index.html").status_code == 404
    assert client.get("/api/v1/docs/swagger-ui/..%2Fswagger-ui.css").status_code == 404
