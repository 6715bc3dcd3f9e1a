"""The current tenant of this app context: what every query and insert is scoped to.

The scope lives on flask.g, so it ends with the request, job or CLI command that set it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import g, has_app_context


@dataclass(frozen=True)
class TenantScope:
    tenant_id: int | None
    # Tenants whose rows may be read (never written) — set only by the audited
    # cross-tenant helper for a region's coordinator.
    readable_tenant_ids: tuple[int, ...] = ()

    def readable_ids(self) -> tuple[int, ...]:
        if self.readable_tenant_ids:
            return self.readable_tenant_ids
        return (self.tenant_id,) if self.tenant_id is not None else ()


NO_TENANT = TenantScope(tenant_id=None)


def current_scope() -> TenantScope:
    if not has_app_context():
        return NO_TENANT
    return g.get("tenant_scope", NO_TENANT)


def current_tenant_id() -> int | None:
    return current_scope().tenant_id


def set_scope(scope: TenantScope) -> None:
    from app.tenancy.rls import sync_database_scope

    g.tenant_scope = scope
    sync_database_scope()


@contextmanager
def tenant_scope(
    tenant_id: int | None, *, readable_tenant_ids: tuple[int, ...] = ()
) -> Iterator[TenantScope]:
    """Run a block as one tenant (jobs, CLI commands, tests)."""
    previous = current_scope()
    scope = TenantScope(tenant_id, tuple(readable_tenant_ids))
    set_scope(scope)
    try:
        yield scope
    finally:
        set_scope(previous)
