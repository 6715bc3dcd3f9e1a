"""Reading the audit log: filters shared by the page and the export."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, select

from app.accounts.models import User
from app.audit.models import AuditEntry

ACTIONS = ("create", "update", "delete")


@dataclass(frozen=True)
class AuditFilter:
    entity: str = ""
    action: str = ""
    user_email: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @classmethod
    def from_args(cls, args) -> AuditFilter:
        return cls(
            entity=args.get("entity", "").strip(),
            action=args.get("action", "") if args.get("action") in ACTIONS else "",
            user_email=args.get("user", "").strip().lower(),
            date_from=_date(args.get("from")),
            date_to=_date(args.get("to")),
        )

    def as_args(self) -> dict[str, str]:
        values = {
            "entity": self.entity,
            "action": self.action,
            "user": self.user_email,
            "from": self.date_from.isoformat() if self.date_from else "",
            "to": self.date_to.isoformat() if self.date_to else "",
        }
        return {k: v for k, v in values.items() if v}

    def statement(self, *columns) -> Select:
        """The entries found, newest first: whole, or only `columns` of them."""
        query = select(*columns or (AuditEntry,)).order_by(
            AuditEntry.created_at.desc(), AuditEntry.id.desc()
        )
        if self.entity:
            query = query.where(AuditEntry.entity == self.entity)
        if self.action:
            query = query.where(AuditEntry.action == self.action)
        if self.user_email:
            query = query.join(AuditEntry.user).where(User.email == self.user_email)
        if self.date_from:
            query = query.where(AuditEntry.created_at >= datetime.combine(self.date_from, time()))
        if self.date_to:
            end = datetime.combine(self.date_to + timedelta(days=1), time())
            query = query.where(AuditEntry.created_at < end)
        return query


def _date(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None
