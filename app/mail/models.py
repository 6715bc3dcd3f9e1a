from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model


class MailDelivery(Model):
    """One e-mail of one job to one recipient, recorded (committed) before the mail server is
    asked to take it, marked handed over just before its text goes (SMTP DATA) and sent once
    the server accepted it. A job run again (its worker died, Redis restarted) sends only a
    mail never handed over: one handed over but not marked sent went while the worker died,
    and is not sent twice. The price is a mail lost should the worker die while its text is
    on the wire, a few milliseconds, rather than a mail sent twice for every death between
    the server's acceptance and the mark."""

    __tablename__ = "mail_deliveries"

    job_id: Mapped[str] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), primary_key=True)
    recipient: Mapped[str] = mapped_column(String(320), primary_key=True)
    message_id: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    handed_over_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
