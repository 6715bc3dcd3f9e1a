"""The one clock of the application, read in the current city's time zone, and the one
rule for windows in time (proposals, consultation, event registration).

Business rules ask `now()` or `today()` here, never `date.today()`: the server's day is not
the city's day, and tests move this clock to put a request exactly on a deadline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import g, has_app_context

from app.tenancy.context import current_tenant_id

DEFAULT_ZONE = "Europe/Warsaw"


def now() -> datetime:
    return datetime.now(UTC)


def zone() -> ZoneInfo:
    """The time zone of the current city (of the request, job or CLI command)."""
    return ZoneInfo(_current_tenant_timezone() or DEFAULT_ZONE)


def _current_tenant_timezone() -> str | None:
    if not has_app_context():
        return None
    tenant = g.get("tenant")
    if tenant is None and current_tenant_id() is not None:
        from app.extensions import db
        from app.tenancy.models import Tenant

        tenant = db.session.get(Tenant, current_tenant_id())
    return tenant.timezone if tenant is not None else None


def today() -> date:
    return now().astimezone(zone()).date()


def start_of(day: date) -> datetime:
    """Midnight at the start of `day` in the city's time zone."""
    return datetime.combine(day, time(0, 0), zone())


@dataclass(frozen=True)
class Window:
    """A span in which something is allowed: from `opens` (inclusive) to `closes`
    (exclusive). No `opens` means open from the start; no `closes`, open for good."""

    opens: datetime | None
    closes: datetime | None
    closed_early: bool = False

    @classmethod
    def of_days(
        cls, first: date | None, last: date | None, closed_early_at: datetime | None = None
    ) -> Window:
        """From the first day's midnight to the end of the last day, in the city's time
        zone; an explicit early closing ends it sooner."""
        opens = start_of(first) if first else None
        closes = start_of(last + timedelta(days=1)) if last else None
        early = closed_early_at is not None and (closes is None or closed_early_at < closes)
        return cls(opens, closed_early_at if early else closes, early)

    def has_started(self, at: datetime | None = None) -> bool:
        return self.opens is None or (at or now()) >= self.opens

    def has_ended(self, at: datetime | None = None) -> bool:
        return self.closes is not None and (at or now()) >= self.closes

    def is_open(self, at: datetime | None = None) -> bool:
        return self.has_started(at) and not self.has_ended(at)

    def opens_in(self, at: datetime | None = None) -> timedelta:
        """How long until it opens; zero once it has."""
        if self.has_started(at):
            return timedelta(0)
        assert self.opens is not None
        return self.opens - (at or now())

    @property
    def first_day(self) -> date | None:
        return self.opens.astimezone(zone()).date() if self.opens else None

    @property
    def last_day(self) -> date | None:
        """The last day on which it is open, in the city's time zone."""
        if self.closes is None:
            return None
        return (self.closes - timedelta(microseconds=1)).astimezone(zone()).date()

    def days_left(self, at: datetime | None = None) -> int | None:
        """Whole days after today that it stays open: 0 on its last day."""
        if self.last_day is None:
            return None
        return max((self.last_day - (at or now()).astimezone(zone()).date()).days, 0)
