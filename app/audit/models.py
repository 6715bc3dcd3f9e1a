"""The audit log: who changed what in a tenant, written automatically on every flush."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from flask import g
from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, event, func, insert, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.accounts.models import User
from app.core.page_cache import note_changed
from app.extensions import Model
from app.tenancy.scoping import TenantScoped

SECRET_FIELD_MARKERS = ("password", "token", "secret")


class AuditEntry(TenantScoped, Model):
    """Append-only: the application role may insert and read, never update or delete."""

    __tablename__ = "audit_log"
    __audited__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(64), index=True)
    entity_id: Mapped[int | None] = mapped_column(Integer)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )

    user: Mapped[User | None] = relationship(lazy="joined")


def _is_audited(obj: object) -> bool:
    return getattr(obj, "__audited__", isinstance(obj, TenantScoped))


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | Decimal):
        return str(value)
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)


def _is_secret(field: str) -> bool:
    return any(marker in field for marker in SECRET_FIELD_MARKERS)


def _changes(obj: object, action: str) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    # A model's personal fields kept out of the log: the log is append-only, and these must
    # go when their row goes (a retention period, an erasure).
    personal = getattr(obj, "__audit_omits__", ())
    for attr in state.mapper.column_attrs:
        field = attr.key
        if _is_secret(field) or field in personal:
            continue
        history = state.attrs[field].history
        if action == "create":
            changes[field] = _plain(getattr(obj, field))
        elif action == "update" and history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            changes[field] = [_plain(old), _plain(new)]
    return changes


def _entity_id(obj: object) -> int | None:
    """The row's id; a row just created has no identity key yet while the flush ends, but
    its id has been read back."""
    identity = inspect(obj).identity
    value = identity[0] if identity else getattr(obj, "id", None)
    return value if isinstance(value, int) else None


def log_revision(tenant_id: int) -> str:
    """The name of the revision of a city's log, which its kept page is found again by."""
    return f"revision:audit-log:{tenant_id}"


def acting_user_id() -> int | None:
    """Set by the login loaders for a request and by the runner for a job."""
    return g.get("actor_id")


@event.listens_for(Session, "after_flush")
def _record_changes(session: Session, flush_context) -> None:
    entries = []
    for action, objects in (
        ("create", session.new),
        ("update", session.dirty),
        ("delete", session.deleted),
    ):
        for obj in objects:
            if not _is_audited(obj):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            entries.append(
                {
                    "tenant_id": obj.tenant_id,
                    "user_id": acting_user_id(),
                    "action": action,
                    "entity": type(obj).__name__,
                    "entity_id": _entity_id(obj),
                    "changes": changes,
                }
            )
    if entries:
        session.connection().execute(insert(AuditEntry), entries)
        for tenant_id in {entry["tenant_id"] for entry in entries}:
            note_changed(session, log_revision(tenant_id))


class OperatorAction(Model):
    """What the platform's operator did to a whole city or to a person's data on request
    (export, import, offboarding, erasure). Global and append-only: offboarding removes the
    city's own audit log, and an erased person's entries lose their name, so the record of
    the operator's act cannot live there."""

    __tablename__ = "operator_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    subject: Mapped[str] = mapped_column(String(254))
    performed_by: Mapped[str] = mapped_column(String(254))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
