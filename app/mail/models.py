from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class MailDelivery(Model):
    """One e-mail of one job to one recipient. Recorded (committed) before the mail server is
    asked to send it, and marked sent as soon as it accepted it: a job run again (its worker
    died, Redis restarted) finds the mail sent and does not send it twice. Should the worker
    die in the instant between the server's acceptance and the mark, the mail goes again
    with the same Message-ID, which mail clients show once."""

    __tablename__ = "mail_deliveries"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
