"""A city's letterhead, as its tenants/*.toml names it ([letterhead]): the office's lines and
the file of its coat of arms; without them, the office's name and no image."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import current_app

from app.exports import Letterhead
from app.tenancy.models import Tenant

log = logging.getLogger(__name__)


def letterhead_of(tenant: Tenant) -> Letterhead:
    lines = tenant.letterhead.get("lines") or [tenant.name_as("office")]
    return Letterhead(list(lines), _coat_of_arms(tenant))


def _coat_of_arms(tenant: Tenant) -> bytes | None:
    name = tenant.letterhead.get("coat_of_arms")
    if not name:
        return None
    try:
        return (Path(current_app.config["TENANTS_DIR"]) / name).read_bytes()
    except OSError:
        # checked by `flask tenants sync`; removed since, the document goes out without it
        log.warning("coat of arms of %s not found: %s", tenant.slug, name)
        return None
