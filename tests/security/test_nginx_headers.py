"""nginx's own answers (static files, 404, 413, 502) carry the security headers the app
sends: read from an answer of the app, looked up in the deploy configuration."""

from __future__ import annotations

import re

from app.config import PROJECT_ROOT

NGINX = PROJECT_ROOT / "deploy" / "nginx"
SECURITY_HEADERS = {
    "content-security-policy",
    "x-content-type-options",
    "x-frame-options",
    "referrer-policy",
    "permissions-policy",
    "strict-transport-security",
}


LOCATION = re.compile(r"^\s*location\b[^{]*\{[^}]*\}", re.MULTILINE)


def _server_level(config: str) -> str:
    """The snippet without its location blocks, which inherit only what is outside them."""
    return LOCATION.sub("", config)


def test_nginx_adds_every_security_header_of_the_app_to_its_own_answers(client):
    sent = {name.lower() for name, _ in client.get("/").headers.items()} & SECURITY_HEADERS
    sent.add("strict-transport-security")  # the app sends it in production only
    snippet = (NGINX / "razem-app.conf").read_text()
    maps = (NGINX / "razem-headers.conf").read_text()
    for header in sent:
        variable = f"$razem_{header.replace('-', '_')}"
        assert re.search(
            rf"^add_header {header} \{variable} always;$",
            _server_level(snippet),
            re.IGNORECASE | re.MULTILINE,
        ), header
        # …only where the app's answer does not carry it already
        assert re.search(rf"map \$upstream_http_{header.replace('-', '_')} \{variable} \{{", maps)
    # an add_header inside a location would silently drop all of the above there
    for location in LOCATION.findall(snippet):
        assert "add_header" not in location, location


def test_every_server_that_serves_the_app_loads_the_header_maps():
    for name in ("razem.conf", "compose.conf"):
        config = (NGINX / name).read_text()
        assert "include /etc/nginx/snippets/razem-headers.conf;" in config, name
        assert "include /etc/nginx/snippets/razem-app.conf;" in config, name
    dockerfile = (PROJECT_ROOT / "deploy" / "Dockerfile").read_text()
    assert "deploy/nginx/razem-headers.conf /etc/nginx/snippets/" in dockerfile
