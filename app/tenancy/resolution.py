"""Which tenant a request is for: the /<tenant_slug>/ path prefix, or a tenant's own domain."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Flask, abort, current_app, g
from sqlalchemy import inspect, select
from sqlalchemy.orm.attributes import set_committed_value

from app.core.page_cache import city_revision, shared_revision
from app.extensions import db
from app.kept_rows import attached, columns_of
from app.tenancy.catalog import RESERVED_SLUGS, load_regions, load_tenants
from app.tenancy.context import TenantScope, set_scope, tenant_scope
from app.tenancy.models import Region, Tenant


def enter_tenant_from_url(endpoint: str | None, values: dict | None) -> None:
    if values and "tenant_slug" in values:
        slug = values.pop("tenant_slug")
        tenant = tenant_of_slug(slug)
        if tenant is None:
            abort(404)
        g.tenant = tenant
        set_scope(TenantScope(tenant.id))
    if values and "region_slug" in values:
        slug = values.pop("region_slug")
        region = _row_of_slug(Region, slug)
        if region is None:
            abort(404)
        g.region = region


# (model, slug or id) → (the revision of shared records it was read at, its columns); and a
# region's → (that revision, the ids of its cities): in this process
_READ_ROWS: dict[tuple[type, str | int], tuple[str, dict[str, Any]]] = {}
_READ_CITY_IDS: dict[int, tuple[str, tuple[int, ...]]] = {}


def tenant_of_slug(slug: str) -> Tenant | None:
    """The city of a slug."""
    known = _READ_ROWS.get((Tenant, slug))
    # the city's revision read with the shared one, for its pages that are kept
    return _row_of_slug(Tenant, slug, *([city_revision(known[1]["id"])] if known else []))


def _row_of_slug(model: type[Tenant] | type[Region], slug: str, *also_read: str):
    """A city's or a region's row. It changes only with the tenants' files (`flask tenants
    sync`) and every change of it gives records no city owns a new revision (page_cache):
    each process reads it once per revision, not on every request of the city."""
    revision = shared_revision(*also_read)
    known = _known_row(model, slug, revision)
    if known is not None:
        return known
    row = db.session.scalar(select(model).where(model.slug == slug))
    _remember_row(row, revision)
    return row


def cities_by_id(tenant_ids: Iterable[int]) -> dict[int, Tenant]:
    """Cities by their ids, read once per revision in this process, as by their slugs."""
    tenant_ids = tuple(tenant_ids)
    if not tenant_ids:  # a page of no city asks no revision for none (a round trip to Redis)
        return {}
    revision = shared_revision()
    found = {i: _known_row(Tenant, i, revision) for i in tenant_ids}
    unread = [tenant_id for tenant_id, tenant in found.items() if tenant is None]
    if unread:
        for tenant in db.session.scalars(select(Tenant).where(Tenant.id.in_(unread))):
            found[tenant.id] = tenant
            _remember_row(tenant, revision)
    return {tenant_id: tenant for tenant_id, tenant in found.items() if tenant is not None}


def _known_row(model: type, key: str | int, revision: str | None):
    """The row as this process read it at this revision, if it did; a city with its region,
    which a page naming the city names too (a lazy load of the region, else)."""
    known = _READ_ROWS.get((model, key))
    if revision is None or known is None or known[0] != revision:
        return None
    row = attached(inspect(model), known[1])
    if model is Tenant and "region" not in inspect(row).dict:
        region = _known_row(Region, row.region_id, revision)
        if region is not None:
            set_committed_value(row, "region", region)
    return row


def _remember_row(row: Tenant | Region | None, revision: str | None) -> None:
    if row is None or revision is None:
        return
    kept = (revision, columns_of(row))
    _READ_ROWS[(type(row), row.slug)] = _READ_ROWS[(type(row), row.id)] = kept
    if isinstance(row, Tenant) and "region" in inspect(row).dict:  # read with it (joined)
        _remember_row(row.region, revision)


def city_ids_of(region: Region) -> tuple[int, ...]:
    """The ids of the region's cities, in order, read once per revision as their rows are."""
    revision = shared_revision()
    known = _READ_CITY_IDS.get(region.id)
    if revision is not None and known is not None and known[0] == revision:
        return known[1]
    in_region = select(Tenant.id).where(Tenant.region_id == region.id).order_by(Tenant.id)
    city_ids = tuple(db.session.scalars(in_region))
    if revision is not None:
        _READ_CITY_IDS[region.id] = (revision, city_ids)
    return city_ids


@contextmanager
def visiting(tenant: Tenant) -> Iterator[None]:
    """Ask a city's questions from a page outside it (an NGO's home across its cities): its
    rows, and its access policies answered as on the city's own pages."""
    outside = g.pop("tenant", None)
    g.tenant = tenant
    try:
        with tenant_scope(tenant.id):
            yield
    finally:
        g.pop("tenant", None)
        if outside is not None:
            g.tenant = outside


def tenant_of_path(path: str | None) -> Tenant | None:
    """The city a path of this site belongs to (/leszno/organisations → Leszno), if any."""
    slug = (path or "").lstrip("/").split("/", 1)[0].split("?", 1)[0]
    if not slug or slug in RESERVED_SLUGS:
        return None
    return db.session.scalar(select(Tenant).where(Tenant.slug == slug))


def add_slugs_to_urls(endpoint: str, values: dict) -> None:
    expecting = current_app.url_map.is_endpoint_expecting
    if "tenant" in g and "tenant_slug" not in values and expecting(endpoint, "tenant_slug"):
        values["tenant_slug"] = g.tenant.slug
    if "region" in g and "region_slug" not in values and expecting(endpoint, "region_slug"):
        values["region_slug"] = g.region.slug


class TenantDomainMiddleware:
    """On a tenant's own domain, /x means /<slug>/x, so leszno's site needs no prefix.

    Links the app generates keep the prefix and work on the domain as they are.
    """

    def __init__(self, wsgi_app, domains: dict[str, str]) -> None:
        self.wsgi_app = wsgi_app
        self.domains = domains

    def __call__(self, environ, start_response):
        host = environ.get("HTTP_HOST", "").split(":")[0].lower()
        slug = self.domains.get(host)
        if slug:
            path = environ.get("PATH_INFO") or "/"
            first_segment = path.lstrip("/").split("/", 1)[0]
            if first_segment != slug and first_segment not in RESERVED_SLUGS:
                environ["PATH_INFO"] = f"/{slug}{path}"
        return self.wsgi_app(environ, start_response)


def tenant_domains(app: Flask) -> dict[str, str]:
    directory = app.config["TENANTS_DIR"]
    if not directory.is_dir():
        return {}
    tenants = load_tenants(directory, load_regions(directory))
    return {domain: slug for slug, t in tenants.items() for domain in t["domains"]}


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(enter_tenant_from_url)
    app.url_defaults(add_slugs_to_urls)
    app.wsgi_app = TenantDomainMiddleware(app.wsgi_app, tenant_domains(app))  # type: ignore[method-assign]
