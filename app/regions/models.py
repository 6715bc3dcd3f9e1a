"""Standards projects of a region (seed 003) and each city's adoption of their standards."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any
from uuid import uuid4

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    select,
    update,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from app.accounts.models import User
from app.extensions import Model
from app.tenancy.models import Region
from app.tenancy.scoping import TenantScoped
from app.unit_of_work import OptimisticLock


class AdoptionStatus(StrEnum):
    NOT_STARTED = "not_started"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    ADOPTED = "adopted"
    NOT_APPLICABLE = "not_applicable"


ADOPTION_LABELS: dict[str, Any] = {
    AdoptionStatus.NOT_STARTED: _l("not started"),
    AdoptionStatus.PLANNED: _l("planned"),
    AdoptionStatus.IN_PROGRESS: _l("in progress"),
    AdoptionStatus.ADOPTED: _l("adopted"),
    AdoptionStatus.NOT_APPLICABLE: _l("not applicable"),
}


class ReviewStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    RETURNED = "returned"


REVIEW_LABELS: dict[str, Any] = {
    ReviewStatus.PENDING: _l("awaiting review"),
    ReviewStatus.ACCEPTED: _l("accepted"),
    ReviewStatus.RETURNED: _l("sent back"),
}


class StandardsProject(OptimisticLock, Model):
    """A region-level project such as "Wielkopolska działa razem"; the region owns it."""

    __tablename__ = "standards_projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    starts_on: Mapped[date | None] = mapped_column(Date)
    ends_on: Mapped[date | None] = mapped_column(Date)
    funding_source: Mapped[str] = mapped_column(String(300), default="")
    partner: Mapped[str] = mapped_column(String(300), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    # The coordinator may open the adoption matrix to everyone (zasada jawności).
    matrix_public: Mapped[bool] = mapped_column(Boolean, default=False)
    # Changes whenever a city's adoption of one of the project's standards changes: the key
    # of the project's cached matrix (app/regions/matrix.py).
    adoption_revision: Mapped[str] = mapped_column(
        String(32), default=lambda: uuid4().hex, server_default=""
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    region: Mapped[Region] = relationship()
    blocks: Mapped[list[ThematicBlock]] = relationship(
        back_populates="project",
        order_by="ThematicBlock.number",
        lazy="selectin",
        cascade="all, delete-orphan",
    )
    groups: Mapped[list[StandardisationGroup]] = relationship(
        back_populates="project",
        order_by="StandardisationGroup.position",
        lazy="selectin",
        cascade="all, delete-orphan",
    )


class StandardisationGroup(Model):
    """Officials and NGO people who wrote standards together (seed 003: eight such groups)."""

    __tablename__ = "standardisation_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("standards_projects.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(300))
    office_members: Mapped[list[str]] = mapped_column(JSON, default=list)
    ngo_members: Mapped[list[str]] = mapped_column(JSON, default=list)

    project: Mapped[StandardsProject] = relationship(back_populates="groups")


class ThematicBlock(Model):
    __tablename__ = "thematic_blocks"
    __table_args__ = (UniqueConstraint("project_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(
        ForeignKey("standards_projects.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))

    project: Mapped[StandardsProject] = relationship(back_populates="blocks")
    standards: Mapped[list[Standard]] = relationship(
        back_populates="block", order_by="Standard.position", lazy="selectin"
    )

    @property
    def numeral(self) -> str:
        """Blocks are numbered in Roman numerals, as in the project's documents."""
        numerals = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
        return numerals[self.number - 1] if 1 <= self.number <= len(numerals) else str(self.number)


class Standard(OptimisticLock, Model):
    __tablename__ = "standards"

    id: Mapped[int] = mapped_column(primary_key=True)
    block_id: Mapped[int] = mapped_column(
        ForeignKey("thematic_blocks.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("standardisation_groups.id", ondelete="SET NULL"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str] = mapped_column(Text, default="")
    procedures: Mapped[str] = mapped_column(Text, default="")
    recommendations: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[str] = mapped_column(String(20), default="1.0")
    # The coordinator's target date for the cities' adoption; cities are reminded before it.
    target_date: Mapped[date | None] = mapped_column(Date)

    block: Mapped[ThematicBlock] = relationship(back_populates="standards")
    group: Mapped[StandardisationGroup | None] = relationship(lazy="joined")


class StandardTargetChange(Model):
    """Every target date the coordinator set for a standard, by whom and when: the region's
    record of its deadlines (the audit log is the cities')."""

    __tablename__ = "standard_target_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(
        ForeignKey("standards.id", ondelete="CASCADE"), index=True
    )
    target_date: Mapped[date | None] = mapped_column(Date)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Adoption(OptimisticLock, TenantScoped, Model):
    """Where one city stands with one standard; the city's own row."""

    __tablename__ = "adoptions"
    __table_args__ = (
        UniqueConstraint("tenant_id", "standard_id"),
        CheckConstraint(
            "status IN ('not_started', 'planned', 'in_progress', 'adopted', 'not_applicable')",
            name="known_status",
        ),
        CheckConstraint(
            "review_status IN ('pending', 'accepted', 'returned')", name="known_review_status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    standard_id: Mapped[int] = mapped_column(
        ForeignKey("standards.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default=AdoptionStatus.NOT_STARTED)
    evidence: Mapped[str] = mapped_column(String(500), default="")
    # A scan of the resolution or another document, in the city's storage.
    evidence_file_key: Mapped[str | None] = mapped_column(String(500))
    evidence_file_name: Mapped[str | None] = mapped_column(String(200))
    decided_on: Mapped[date | None] = mapped_column(Date)
    notes: Mapped[str] = mapped_column(Text, default="")  # the city's own, never the region's
    review_status: Mapped[str | None] = mapped_column(String(16))
    review_comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    standard: Mapped[Standard] = relationship()
    changes: Mapped[list[AdoptionChange]] = relationship(
        back_populates="adoption", order_by="AdoptionChange.id"
    )


class AdoptionChange(TenantScoped, Model):
    """Every saved state of an adoption row, so progress over time can be drawn."""

    __tablename__ = "adoption_changes"
    __audited__ = False  # the history is itself the record; the audit log has the row's edits

    id: Mapped[int] = mapped_column(primary_key=True)
    adoption_id: Mapped[int] = mapped_column(
        ForeignKey("adoptions.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(16))
    review_status: Mapped[str | None] = mapped_column(String(16))
    comment: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    adoption: Mapped[Adoption] = relationship(back_populates="changes")
    user: Mapped[User | None] = relationship(lazy="joined")


@event.listens_for(Session, "after_flush")
def _new_adoption_revision(session: Session, flush_context) -> None:
    """A flush that changes cities' adoption gives the standards' projects a new revision."""
    changed = (*session.new, *session.dirty, *session.deleted)
    standard_ids = {row.standard_id for row in changed if isinstance(row, Adoption)}
    if not standard_ids:
        return
    projects = select(ThematicBlock.project_id).join(Standard).where(Standard.id.in_(standard_ids))
    # On the connection: a project row is the region's, outside the city's ORM scoping.
    session.connection().execute(
        update(StandardsProject)
        .where(StandardsProject.id.in_(projects))
        .values(adoption_revision=uuid4().hex)
    )
