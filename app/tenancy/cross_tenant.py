"""The doors through which data of several tenants may be read, on purpose: a region's, on
record, and a person's of their own cities."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from flask import g, has_request_context
from flask_login import current_user
from sqlalchemy import JSON, DateTime, ForeignKey, String, func, insert
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model, db
from app.tenancy.context import TenantScope, current_scope, set_scope
from app.tenancy.models import Region
from app.tenancy.resolution import city_ids_of


class CrossTenantRead(Model):
    __tablename__ = "cross_tenant_reads"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    tenant_ids: Mapped[list[int]] = mapped_column(JSON)
    purpose: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


@contextmanager
def reading_region(region: Region, purpose: str) -> Iterator[tuple[int, ...]]:
    """Read (never write) the rows of every tenant in the region, for a stated purpose.

    Callers check who may see what they read: the region's coordinator, whose read is on
    record, or anyone for what is public (published meetings, a public matrix), which is
    read without a record, as a public page must never write.
    """
    tenant_ids = city_ids_of(region)
    coordinator_id = _coordinator_reading(region)
    if coordinator_id is not None:
        db.session.execute(
            insert(CrossTenantRead).values(
                user_id=coordinator_id,
                region_id=region.id,
                tenant_ids=list(tenant_ids),
                purpose=purpose,
            )
        )
        _commit_keeping_loaded_objects()  # the record stays even if what follows fails
    previous = current_scope()
    set_scope(TenantScope(tenant_id=None, readable_tenant_ids=tenant_ids))
    try:
        yield tenant_ids
    finally:
        set_scope(previous)


@contextmanager
def reading_own_cities(tenant_ids: tuple[int, ...]) -> Iterator[None]:
    """Read (never write) the rows of several of the signed-in person's own cities at once: an
    NGO's home asks each kind of record once for all of them instead of once a city.

    The database lets through only the cities where the person acts for an organisation, and
    only the tables of rls.OWN_CITIES_TABLES; callers ask each city's access policies of what
    they read (resolution.visiting). Not on record: it is what the person reads visiting
    each of their cities in turn.
    """
    previous = current_scope()
    set_scope(TenantScope(tenant_id=None, readable_tenant_ids=tenant_ids, own_cities=True))
    try:
        yield
    finally:
        set_scope(previous)


def _coordinator_reading(region: Region) -> int | None:
    """The id of the person reading if they coordinate the region (in a request or in the
    job they started), else None."""
    from app.accounts.models import User

    if has_request_context():
        current_user._get_current_object()  # loading the person names the actor
    actor_id = g.get("actor_id")
    person = db.session.get(User, actor_id) if actor_id is not None else None
    return actor_id if person is not None and person.coordinates(region.id) else None


def _commit_keeping_loaded_objects() -> None:
    """Commit the record without expiring what the request has already loaded (the user,
    the region, the project), which would otherwise be read again."""
    session = db.session()
    expire_on_commit = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire_on_commit
