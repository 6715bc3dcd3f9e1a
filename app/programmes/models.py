"""A city's cooperation programme: its content (art. 5a ust. 4), schedule and cycle."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    and_,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.accounts.models import User
from app.extensions import Model
from app.organisations.models import Organisation
from app.programmes.catalogue import (
    CYCLE,
    FROZEN_STAGES,
    Kind,
    MilestoneStatus,
    Stage,
    WindowKind,
)
from app.tenancy.scoping import TenantScoped
from app.unit_of_work import OptimisticLock

STAGE_VALUES = ", ".join(f"'{stage.value}'" for stage in CYCLE)


class Programme(OptimisticLock, TenantScoped, Model):
    __tablename__ = "programmes"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind", "year_from"),
        CheckConstraint("kind IN ('annual', 'multi_year')", name="known_kind"),
        CheckConstraint(f"stage IN ({STAGE_VALUES})", name="known_stage"),
        CheckConstraint("year_to >= year_from", name="years_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), default=Kind.ANNUAL.value)
    year_from: Mapped[int] = mapped_column(Integer)
    year_to: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    stage: Mapped[str] = mapped_column(String(24), default=Stage.DRAFT.value)
    budget: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    proposals_from: Mapped[date | None] = mapped_column(Date)
    proposals_to: Mapped[date | None] = mapped_column(Date)
    consultation_from: Mapped[date | None] = mapped_column(Date)
    consultation_to: Mapped[date | None] = mapped_column(Date)
    resolution_number: Mapped[str | None] = mapped_column(String(100))
    resolution_date: Mapped[date | None] = mapped_column(Date)
    resolution_file_key: Mapped[str | None] = mapped_column(String(500))
    resolution_file_name: Mapped[str | None] = mapped_column(String(200))
    report_published_on: Mapped[date | None] = mapped_column(Date)
    # The annual report (sprawozdanie z realizacji programu).
    report_tasks_commissioned: Mapped[int | None] = mapped_column(Integer)
    report_amount_spent: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    report_summary: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Touched by every change of the content, so the version moves with it.
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    sections: Mapped[list[Section]] = relationship(
        back_populates="programme", cascade="all, delete-orphan"
    )
    principles: Mapped[list[Principle]] = relationship(
        cascade="all, delete-orphan", order_by="Principle.position"
    )
    forms: Mapped[list[CooperationForm]] = relationship(
        cascade="all, delete-orphan", order_by="CooperationForm.position"
    )
    priority_tasks: Mapped[list[PriorityTask]] = relationship(
        cascade="all, delete-orphan", order_by="PriorityTask.position"
    )
    indicators: Mapped[list[Indicator]] = relationship(
        cascade="all, delete-orphan", order_by="Indicator.position"
    )
    milestones: Mapped[list[Milestone]] = relationship(
        cascade="all, delete-orphan", order_by="(Milestone.starts_on, Milestone.position)"
    )
    transitions: Mapped[list[Transition]] = relationship(
        cascade="all, delete-orphan", order_by="Transition.created_at"
    )
    versions: Mapped[list[Version]] = relationship(
        cascade="all, delete-orphan", order_by="Version.number"
    )
    amendments: Mapped[list[Amendment]] = relationship(
        cascade="all, delete-orphan", order_by="Amendment.number"
    )
    early_closings: Mapped[list[EarlyClosing]] = relationship(cascade="all, delete-orphan")
    # the reports of the years of a multi-year programme still on record (not withdrawn)
    year_reports: Mapped[list[YearReport]] = relationship(
        primaryjoin=lambda: and_(
            Programme.id == YearReport.programme_id, YearReport.deleted_at.is_(None)
        ),
        order_by="YearReport.year",
        viewonly=True,
    )

    @property
    def period(self) -> str:
        """ "2025" for a one-year programme, "2025–2027" for a multi-year one."""
        if self.year_to == self.year_from:
            return str(self.year_from)
        return f"{self.year_from}–{self.year_to}"

    def year_report(self, year: int) -> YearReport | None:
        return next((r for r in self.year_reports if r.year == year), None)

    def text(self, key: str) -> str:
        section = next((s for s in self.sections if s.key == key), None)
        return section.body if section else ""

    @property
    def open_amendment(self) -> Amendment | None:
        """The amendment being prepared: its resolution is not recorded yet."""
        return next((a for a in self.amendments if a.resolution_number is None), None)

    @property
    def is_frozen(self) -> bool:
        """Adopted by the council and no amendment open: the text may not change."""
        return Stage(self.stage) in FROZEN_STAGES and self.open_amendment is None

    def early_closing(self, window: WindowKind) -> EarlyClosing | None:
        return next((c for c in self.early_closings if c.kind == window), None)

    def content_editable(self) -> bool:
        """Once the council adopts the programme its text is the law: it changes only
        through an amendment."""
        return not self.is_frozen


class Section(TenantScoped, Model):
    """One text element of the programme (goals, scope, implementation, ...)."""

    __tablename__ = "programme_sections"
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text, default="")

    programme: Mapped[Programme] = relationship(back_populates="sections")


class Principle(TenantScoped, Model):
    __tablename__ = "programme_principles"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[str] = mapped_column(Text, default="")
    statutory: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)


class CooperationForm(TenantScoped, Model):
    __tablename__ = "programme_forms"
    __table_args__ = (
        CheckConstraint("area IN ('policy', 'tasks', 'infrastructure')", name="known_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    area: Mapped[str] = mapped_column(String(16))
    financial: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class PriorityTask(TenantScoped, Model):
    """A priority public task, tied to an area of public benefit (art. 4 ust. 1)."""

    __tablename__ = "programme_priority_tasks"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    area_code: Mapped[str] = mapped_column(String(4))
    description: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Indicator(TenantScoped, Model):
    """How implementation is measured: planned in the programme, actual in the report."""

    __tablename__ = "programme_indicators"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(40), default="")
    planned: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    actual: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Milestone(TenantScoped, Model):
    """A step of the schedule (harmonogram prac)."""

    __tablename__ = "programme_milestones"
    __table_args__ = (
        CheckConstraint("ends_on >= starts_on", name="dates_in_order"),
        CheckConstraint("status IN ('planned', 'in_progress', 'done')", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(500))
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    responsible: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16), default=MilestoneStatus.PLANNED.value)
    position: Mapped[int] = mapped_column(Integer, default=0)


class Transition(TenantScoped, Model):
    """A step of the cycle: who moved the programme from which stage to which, and when."""

    __tablename__ = "programme_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str] = mapped_column(String(24))
    to_stage: Mapped[str] = mapped_column(String(24))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user: Mapped[User | None] = relationship(lazy="joined")


class Proposal(TenantScoped, Model):
    """An NGO's proposal for the programme (propozycja zapisu), and the city's answer."""

    __tablename__ = "programme_proposals"
    __table_args__ = (
        CheckConstraint(
            "answer IS NULL OR answer IN ('accepted', 'partly_accepted', 'rejected')",
            name="known_answer",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id"), index=True)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    element: Mapped[str] = mapped_column(String(32))
    proposed_text: Mapped[str] = mapped_column(Text)
    justification: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    # the label is kept as written when forwarded (history); the account is who answers now
    forwarded_to: Mapped[str | None] = mapped_column(String(300))
    forwarded_to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    forwarded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answer: Mapped[str | None] = mapped_column(String(16))
    answer_justification: Mapped[str | None] = mapped_column(Text)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # many-to-one: found in the session's identity map when the programme is loaded already
    programme: Mapped[Programme] = relationship()
    organisation: Mapped[Organisation] = relationship(lazy="joined")
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id], lazy="joined")


class Version(TenantScoped, Model):
    """A published text of the programme, kept as it was (for comparison and the record)."""

    __tablename__ = "programme_versions"
    __table_args__ = (UniqueConstraint("programme_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(200))  # the stage it was published for
    # element key -> the element as plain text, in the Act's order
    content: Mapped[dict[str, str]] = mapped_column(JSON)
    published_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class Comment(TenantScoped, Model):
    """A consultation comment on one element of the draft, and the city's answer."""

    __tablename__ = "programme_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    element: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    answer: Mapped[str | None] = mapped_column(Text)
    taken_into_account: Mapped[str | None] = mapped_column(String(16))
    # the person of the city's office who answers it
    forwarded_to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    forwarded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    author: Mapped[User | None] = relationship(foreign_keys=[author_id], lazy="joined")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")


class Opinion(TenantScoped, Model):
    """A formal opinion of a body (the public-benefit council, a seniors' council, ...)."""

    __tablename__ = "programme_opinions"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(String(300))
    given_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text, default="")
    attachment_key: Mapped[str | None] = mapped_column(String(500))
    attachment_name: Mapped[str | None] = mapped_column(String(200))


class Amendment(TenantScoped, Model):
    """A change of the adopted programme by the council (zmiana programu uchwałą nr …):
    started by the city's admin, the text edited, then the amending resolution recorded."""

    __tablename__ = "programme_amendments"
    __table_args__ = (
        UniqueConstraint("programme_id", "number"),
        CheckConstraint(
            "(resolution_number IS NULL) = (resolution_date IS NULL)", name="resolution_whole"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    started_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    resolution_number: Mapped[str | None] = mapped_column(String(100))
    resolution_date: Mapped[date | None] = mapped_column(Date)

    started_by: Mapped[User | None] = relationship(lazy="joined")


class EarlyClosing(TenantScoped, Model):
    """A window of the cycle closed before its announced end: a recorded decision, shown
    publicly with its reason."""

    __tablename__ = "programme_early_closings"
    __table_args__ = (
        UniqueConstraint("programme_id", "kind"),
        CheckConstraint("kind IN ('proposals', 'consultation')", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))  # a WindowKind
    reason: Mapped[str] = mapped_column(Text)
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    closed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    closed_by: Mapped[User | None] = relationship(lazy="joined")


class YearReport(OptimisticLock, TenantScoped, Model):
    """The report on one year of a multi-year programme (art. 5a ust. 3: each year's by
    31 May of the next), filed by the city's office. Withdrawn rather than deleted: the
    deadline it met stays in the history."""

    __tablename__ = "programme_year_reports"
    __table_args__ = (
        # one report on record per year; a withdrawn one leaves the year to file again
        Index(
            "uq_programme_year_reports_programme_id_year",
            "programme_id",
            "year",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
        CheckConstraint(
            "submitted_on IS NULL OR submitted_on <= published_on", name="dates_in_order"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    year: Mapped[int] = mapped_column(Integer)
    # handed to the council, then published in BIP (which meets the deadline)
    submitted_on: Mapped[date | None] = mapped_column(Date)
    published_on: Mapped[date] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")
    document_key: Mapped[str | None] = mapped_column(String(500))
    document_name: Mapped[str | None] = mapped_column(String(200))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    # many-to-one: found in the session's identity map when the programme is loaded already
    programme: Mapped[Programme] = relationship()
    recorded_by: Mapped[User | None] = relationship(lazy="joined")
