"""Participatory meetings and their minutes (protokół), as seed 000 records one."""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import Model
from app.tenancy.scoping import TenantScoped
from app.unit_of_work import OptimisticLock


class MeetingStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class Quadrant(StrEnum):
    STRENGTHS = "strengths"
    WEAKNESSES = "weaknesses"
    OPPORTUNITIES = "opportunities"
    THREATS = "threats"


class Meeting(OptimisticLock, TenantScoped, Model):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'published')", name="known_status"),
        CheckConstraint(
            "ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at", name="ends_after_start"
        ),
        # A city's meetings by their day (still to come, the latest, a page of the list): read
        # by the city alone, a city of 1,500 meetings gave all of them to be sifted (1.5 ms).
        Index("ix_meetings_tenant_id_held_on", "tenant_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    topic: Mapped[str] = mapped_column(Text, default="")
    held_on: Mapped[date] = mapped_column(Date, index=True)
    starts_at: Mapped[time | None] = mapped_column(Time)
    ends_at: Mapped[time | None] = mapped_column(Time)
    place: Mapped[str] = mapped_column(String(500), default="")
    online_url: Mapped[str | None] = mapped_column(String(500))
    facilitator: Mapped[str] = mapped_column(String(300), default="")
    organiser: Mapped[str] = mapped_column(String(300), default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    addressees: Mapped[str] = mapped_column(Text, default="")
    # Entered when no attendance list is kept; otherwise counted from it.
    people_count: Mapped[int | None] = mapped_column(Integer)
    organisations_count: Mapped[int | None] = mapped_column(Integer)
    officials_count: Mapped[int | None] = mapped_column(Integer)
    materials: Mapped[list[str]] = mapped_column(JSON, default=list)
    minutes_taker: Mapped[str] = mapped_column(String(300), default="")
    written_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=MeetingStatus.DRAFT.value)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL"), index=True
    )
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    # A participatory meeting of a regional standards project, in one of its thematic blocks.
    thematic_block_id: Mapped[int | None] = mapped_column(
        ForeignKey("thematic_blocks.id", ondelete="SET NULL"), index=True
    )
    # An event people register for (a study visit, an open meeting).
    registration_open: Mapped[bool] = mapped_column(Boolean, default=False)
    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_deadline: Mapped[date | None] = mapped_column(Date)
    attendance_mode: Mapped[str] = mapped_column(String(16), default="onsite")
    questions: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    agenda: Mapped[list[AgendaItem]] = relationship(
        cascade="all, delete-orphan", order_by="AgendaItem.position"
    )
    decisions: Mapped[list[Decision]] = relationship(
        cascade="all, delete-orphan", order_by="Decision.position"
    )
    groups: Mapped[list[WorkshopGroup]] = relationship(
        cascade="all, delete-orphan", order_by="WorkshopGroup.position"
    )
    swot: Mapped[list[SwotItem]] = relationship(
        cascade="all, delete-orphan", order_by="SwotItem.position"
    )
    attendees: Mapped[list[Attendee]] = relationship(
        cascade="all, delete-orphan", order_by="Attendee.position"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        cascade="all, delete-orphan", order_by="Attachment.id"
    )
    versions: Mapped[list[MeetingVersion]] = relationship(
        cascade="all, delete-orphan", order_by="MeetingVersion.number"
    )


class AgendaItem(TenantScoped, Model):
    __tablename__ = "meeting_agenda_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(Text)
    minutes: Mapped[str] = mapped_column(Text, default="")  # Markdown

    speakers: Mapped[list[Speaker]] = relationship(
        cascade="all, delete-orphan", order_by="Speaker.position", lazy="selectin"
    )


class Speaker(TenantScoped, Model):
    __tablename__ = "meeting_speakers"

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(
        ForeignKey("meeting_agenda_items.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    person: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    statement: Mapped[str] = mapped_column(Text, default="")


class Decision(TenantScoped, Model):
    """An outcome (ustalenie, wniosek); with someone responsible and a deadline it is
    followed up until done."""

    __tablename__ = "meeting_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    text: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(300), default="")
    responsible_email: Mapped[str | None] = mapped_column(String(254))
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    done_on: Mapped[date | None] = mapped_column(Date)
    reminded_on: Mapped[date | None] = mapped_column(Date)


class WorkshopGroup(TenantScoped, Model):
    __tablename__ = "meeting_workshop_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    result: Mapped[str] = mapped_column(Text, default="")  # Markdown


class SwotItem(TenantScoped, Model):
    __tablename__ = "meeting_swot_items"
    __table_args__ = (
        CheckConstraint(
            "quadrant IN ('strengths', 'weaknesses', 'opportunities', 'threats')",
            name="known_quadrant",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    group_name: Mapped[str] = mapped_column(String(300), default="")
    quadrant: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Attendee(TenantScoped, Model):
    __tablename__ = "meeting_attendees"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    official: Mapped[bool] = mapped_column(Boolean, default=False)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL")
    )


class Attachment(TenantScoped, Model):
    __tablename__ = "meeting_attachments"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(300))
    file_name: Mapped[str] = mapped_column(String(200))
    storage_key: Mapped[str] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MeetingVersion(TenantScoped, Model):
    """Published minutes as they were: a correction keeps the earlier text visible."""

    __tablename__ = "meeting_versions"
    __table_args__ = (UniqueConstraint("meeting_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    content: Mapped[dict] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    note: Mapped[str] = mapped_column(Text, default="")


class TeamKind(StrEnum):
    COORDINATING = "coordinating"
    SECTOR = "sector"


class MemberRole(StrEnum):
    MODERATOR = "moderator"
    LEADER = "leader"
    MEMBER = "member"
    EXPERT = "expert"


class Team(OptimisticLock, TenantScoped, Model):
    """A coordinating team or a sector team (zespół branżowy), as Kraków's of seed 004.

    Several of the city's staff keep its people: each save states the version it read."""

    __tablename__ = "teams"
    __table_args__ = (
        CheckConstraint("kind IN ('coordinating', 'sector')", name="known_kind"),
        UniqueConstraint("tenant_id", "name"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), default=TeamKind.SECTOR.value)
    area: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    programme_id: Mapped[int | None] = mapped_column(
        ForeignKey("programmes.id", ondelete="SET NULL"), index=True
    )

    members: Mapped[list[TeamMember]] = relationship(
        cascade="all, delete-orphan", order_by="TeamMember.position", lazy="selectin"
    )


class TeamMember(TenantScoped, Model):
    __tablename__ = "team_members"
    __table_args__ = (
        CheckConstraint("role IN ('moderator', 'leader', 'member', 'expert')", name="known_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    role: Mapped[str] = mapped_column(String(16), default=MemberRole.MEMBER.value)


class RegistrationStatus(StrEnum):
    UNCONFIRMED = "unconfirmed"  # the address is unknown: waits for the link in the e-mail
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


class EventRegistration(TenantScoped, Model):
    __tablename__ = "event_registrations"
    # Erased after the event (app/meetings/retention.py): the append-only log keeps no copy.
    __audit_omits__ = ("name", "email", "organisation", "answers")
    __table_args__ = (
        CheckConstraint(
            "status IN ('unconfirmed', 'confirmed', 'waiting', 'cancelled')", name="known_status"
        ),
        # a person's places, by the address they gave (an NGO's home, "my registrations")
        Index("ix_event_registrations_lower_email", text("lower(email)")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meetings.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    email: Mapped[str] = mapped_column(String(254))
    organisation: Mapped[str] = mapped_column(String(300), default="")
    answers: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16))
    cancel_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    confirm_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    confirm_by: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # when the person followed the link: the address is theirs, and known to the city since
    email_confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    reminded: Mapped[bool] = mapped_column(Boolean, default=False)
