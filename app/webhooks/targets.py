"""Where Razem may send a city's events: http(s) addresses on the public internet only, so
that a subscription cannot make the server call its own network (SSRF). Asked when a URL
is saved and again before every delivery (a name may point elsewhere since)."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import gettext as _


class TargetRefused(ValueError):
    """The address is not one Razem sends events to; the message says why, translated."""


def check(url: str) -> None:
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused(_("Give an address starting with https:// (or http://)."))
    if parts.username or parts.password:
        raise TargetRefused(_("Give the address without a user name or password in it."))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise TargetRefused(_("The port of this address is not a valid number.")) from error
    if current_app.config["WEBHOOKS_ALLOW_PRIVATE_TARGETS"]:
        return
    for address in _addresses(parts.hostname, port):
        if not address.is_global or address.is_multicast:
            raise TargetRefused(
                _(
                    "Razem sends events only to addresses on the public internet; this one "
                    "leads to a private, local or reserved network."
                )
            )


def _addresses(host: str, port: int) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise TargetRefused(
            _("No server answers to this address's name: check the address.")
        ) from error
    return {ipaddress.ip_address(info[4][0]) for info in found}
