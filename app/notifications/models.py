"""A person's notifications, their choices of how to get them, and the digests sent."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.notifications.catalogue import DELIVERY_VALUES, KIND_VALUES


class Notification(Model):
    """One thing a person is told, once: `key` names the event (a kind and its record), so
    telling it again changes nothing. The title is written in the person's language when the
    event happens; the link leads to where the person acts on it."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("user_id", "key"),
        CheckConstraint(f"kind IN ({KIND_VALUES})", name="known_kind"),
        CheckConstraint(f"delivery IN ({DELIVERY_VALUES})", name="known_delivery"),
        Index("ix_notifications_user_created", "user_id", "created_at"),
        # Every signed-in page's header counts the person's unread ones: as many as they
        # are, however many they have read.
        Index(
            "ix_notifications_unread",
            "user_id",
            postgresql_where=text("read_at IS NULL"),
            sqlite_where=text("read_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The city it is about, if any (the notification itself is the person's own).
    tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(1000))
    delivery: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # When it left by e-mail, at once or in a digest; never for delivery "off".
    mailed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class NotificationPreference(Model):
    """A person's choice for one kind; without a row, the kind's default."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        UniqueConstraint("user_id", "kind"),
        CheckConstraint(f"kind IN ({KIND_VALUES})", name="known_kind"),
        CheckConstraint(f"delivery IN ({DELIVERY_VALUES})", name="known_delivery"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    delivery: Mapped[str] = mapped_column(String(16))


class NotificationDigest(Model):
    """The one digest a person gets on a day: recorded before it is sent, so a second run of
    the daily job on the same day sends nothing."""

    __tablename__ = "notification_digests"
    __table_args__ = (UniqueConstraint("user_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
