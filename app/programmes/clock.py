"""The current time, in one place, so tests can put it exactly on a deadline."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    return datetime.now(UTC)
