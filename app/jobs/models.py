from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.tenancy.models import Tenant


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    RETRYING = "retrying"
    DONE = "done"
    FAILED = "failed"


class JobRecord(Model):
    """What a person sees of a background job. Belongs to the user who started it; the
    tenant it ran for is kept so the job runs under the same scope as that request."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    name: Mapped[str] = mapped_column(String(100))
    arguments: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    # The roles of the door that started the job, and the region a coordinator started it
    # in: what the person must still hold to see the job and what it produced (access.py).
    roles: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    region_id: Mapped[int | None] = mapped_column(ForeignKey("regions.id"))
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text)
    result_key: Mapped[str | None] = mapped_column(String(500))
    result_name: Mapped[str | None] = mapped_column(String(200))
    # What the job did, for its page: e.g. an import's counts per outcome.
    summary: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Renewed by the worker while the job runs (app/jobs/worker.py): a run whose heartbeat
    # stopped has lost its worker, and the job may be taken up again.
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tenant: Mapped[Tenant | None] = relationship(lazy="joined")

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def is_being_run(self, now: datetime, heartbeat_ttl: timedelta) -> bool:
        """A worker runs the job now: it is running and its heartbeat has not stopped."""
        if self.status != JobStatus.RUNNING or self.heartbeat_at is None:
            return False
        beat = self.heartbeat_at
        if beat.tzinfo is None:  # SQLite keeps no time zone; the worker writes UTC
            beat = beat.replace(tzinfo=UTC)
        return now - beat < heartbeat_ttl
