"""The current tenant of this app context: what every query and insert is scoped to; and
the current actor, the person the request or job acts for.

Both live on flask.g, so they end with the request, job or CLI command that set them, and
both reach the database with the next statement (rls.py): the tenant for the tenant walls,
the actor for the personal ones (a person's own memberships, tokens and jobs).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass

from flask import g, has_app_context


@dataclass(frozen=True)
class TenantScope:
    tenant_id: int | None
    # Tenants whose rows may be read (never written) — set only by the cross-tenant helpers
    # (cross_tenant.py): a region's read, or a person's read of their own cities.
    readable_tenant_ids: tuple[int, ...] = ()
    # The readable tenants are the signed-in person's own cities (their NGO home), read as
    # the application's role through the own-cities wall, not as the regional reader.
    own_cities: bool = False

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
    g.tenant_scope = scope


def current_actor_id() -> int | None:
    if not has_app_context():
        return None
    return g.get("actor_id")


def set_actor(user_id: int | None) -> None:
    """From now on the request or job acts for this person (None: for nobody)."""
    g.actor_id = user_id


@contextmanager
def acting_as(user_id: int | None) -> Iterator[None]:
    """Run a block for one person (a job for whoever started it, a reset link's owner)."""
    previous = current_actor_id()
    set_actor(user_id)
    try:
        yield
    finally:
        set_actor(previous)


def acting_as_system() -> bool:
    return has_app_context() and g.get("system", False)


@contextmanager
def as_system() -> Iterator[None]:
    """Run a block as the system itself: the worker running a job that is nobody's and no
    city's (a mail to someone not signed in), the only scope that reads such a job."""
    previous = acting_as_system()
    _set_system(True)
    try:
        yield
    finally:
        _set_system(previous)


def _set_system(on: bool) -> None:
    g.system = on


@contextmanager
def as_job_owner(tenant_id: int | None, user_id: int | None) -> Iterator[None]:
    """Run a block as a job's own: in its city, for its person, or — a job of neither — as
    the system."""
    system = as_system() if tenant_id is None and user_id is None else nullcontext()
    with acting_as(user_id), tenant_scope(tenant_id), system:
        yield


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
