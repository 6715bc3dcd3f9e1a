"""The daily digest, queued by `flask reminders send` after the cities' reminders."""

from __future__ import annotations

from datetime import date

from app.jobs import job
from app.notifications import services


@job("notifications.send_digests")
def send_digests(record, *, today: str) -> None:
    record.summary = {"digests": services.send_digests(date.fromisoformat(today))}
