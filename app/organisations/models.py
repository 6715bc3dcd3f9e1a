"""An organisation is one identity across cities; each city keeps its own register of it.

Organisation, its members and its registrations in cities are global (what the NGO itself
sees and keeps). What a city writes about an organisation for itself — notes and tags — is
tenant-owned (RegistrationNotes) and behind row-level security.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    FetchedValue,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    event,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from app.accounts.models import User
from app.collation import POLISH
from app.extensions import Model
from app.organisations.catalogue import LEGAL_FORMS
from app.tenancy import clock
from app.tenancy.models import Tenant
from app.tenancy.scoping import TenantScoped
from app.unit_of_work import OptimisticLock

LEGAL_FORM_VALUES = ", ".join(f"'{form}'" for form in LEGAL_FORMS)


class MemberRole(StrEnum):
    REPRESENTATIVE = "representative"
    EDITOR = "editor"


class RegistrationStatus(StrEnum):
    REQUESTED = "requested"  # the organisation asked the city
    INVITED = "invited"  # the city linked the organisation; its representative answers
    ACTIVE = "active"
    ARCHIVED = "archived"
    DECLINED = "declined"


def fold(text: str | None) -> str:
    """Words without case, diacritics or punctuation: „Źródło” → "zrodlo" (ł does not
    decompose, so it is mapped by hand)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("ł", "l"))
    letters = "".join(c if c.isalnum() else " " for c in decomposed if not unicodedata.combining(c))
    return " ".join(letters.split())


class Organisation(OptimisticLock, Model):
    """An NGO, once for the whole platform; its members keep this profile (each save
    states the version it started from: several people keep it)."""

    # What the organisation says about itself (everything but the areas).
    PROFILE_FIELDS = (
        "name",
        "short_name",
        "legal_form",
        "krs",
        "nip",
        "regon",
        "address",
        "email",
        "phone",
        "website",
        "description",
        "public_benefit",
    )

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(f"legal_form IN ({LEGAL_FORM_VALUES})", name="known_legal_form"),
        CheckConstraint("krs IS NULL OR length(krs) = 10", name="krs_ten_digits"),
        CheckConstraint("nip IS NULL OR length(nip) = 10", name="nip_ten_digits"),
        CheckConstraint("regon IS NULL OR length(regon) IN (9, 14)", name="regon_length"),
    )
    __audited__ = False  # global; each city's changes to its register are audited instead

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    short_name: Mapped[str | None] = mapped_column(String(120))
    legal_form: Mapped[str] = mapped_column(String(32))
    krs: Mapped[str | None] = mapped_column(String(10), unique=True)
    nip: Mapped[str | None] = mapped_column(String(10), unique=True)
    regon: Mapped[str | None] = mapped_column(String(14), unique=True)
    address: Mapped[str | None] = mapped_column(String(300))
    email: Mapped[str | None] = mapped_column(String(254))
    phone: Mapped[str | None] = mapped_column(String(40))
    website: Mapped[str | None] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    public_benefit: Mapped[bool] = mapped_column(Boolean, default=False)
    # Name without case and diacritics: the SQLite fallback of the directory search and
    # the duplicate check; PostgreSQL searches a tsvector (migration 0002).
    search_name: Mapped[str] = mapped_column(String(450), index=True, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )

    area_links: Mapped[list[OrganisationArea]] = relationship(
        cascade="all, delete-orphan", lazy="selectin", order_by="OrganisationArea.code"
    )
    members: Mapped[list[OrganisationMember]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan"
    )
    registrations: Mapped[list[Registration]] = relationship(back_populates="organisation")

    @property
    def areas(self) -> list[str]:
        return [link.code for link in self.area_links]

    @areas.setter
    def areas(self, codes: list[str]) -> None:
        wanted = list(dict.fromkeys(codes))
        self.area_links = [
            next((a for a in self.area_links if a.code == code), None)
            or OrganisationArea(code=code)
            for code in wanted
        ]

    def __repr__(self) -> str:
        return f"<Organisation {self.name!r}>"


class OrganisationArea(Model):
    """One area of public benefit (art. 4 ust. 1) an organisation works in."""

    __tablename__ = "organisation_areas"
    __table_args__ = (Index("ix_organisation_areas_code", "code", "organisation_id"),)

    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True
    )
    code: Mapped[str] = mapped_column(String(4), primary_key=True)


@event.listens_for(Organisation, "before_insert")
@event.listens_for(Organisation, "before_update")
def _refresh_search_name(mapper, connection, organisation: Organisation) -> None:
    organisation.search_name = fold(f"{organisation.name} {organisation.short_name or ''}")


class OrganisationMember(Model):
    """A person who may act for the organisation: a representative or an editor."""

    __tablename__ = "organisation_members"
    __table_args__ = (
        UniqueConstraint("organisation_id", "user_id"),
        CheckConstraint("role IN ('representative', 'editor')", name="known_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16), default=MemberRole.REPRESENTATIVE.value)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    organisation: Mapped[Organisation] = relationship(back_populates="members")
    user: Mapped[User] = relationship(lazy="joined")


class OrganisationInvitation(Model):
    """A representative's e-mailed invitation to act for the organisation."""

    __tablename__ = "organisation_invitations"
    __table_args__ = (CheckConstraint("role IN ('representative', 'editor')", name="known_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[Organisation] = relationship(lazy="joined")


class Registration(OptimisticLock, Model):
    """An organisation active (or asking to be) in one city; the city's staff edit it
    together, so each save states the version it started from."""

    __tablename__ = "registrations"
    __table_args__ = (
        UniqueConstraint("organisation_id", "tenant_id"),
        CheckConstraint(
            "status IN ('requested', 'invited', 'active', 'archived', 'declined')",
            name="known_status",
        ),
        Index("ix_registrations_tenant_status", "tenant_id", "status"),
        # A page of the directory, however deep, read from the index (migration 0039).
        Index(
            "ix_registrations_directory",
            "tenant_id",
            "status",
            "sort_name",
            "id",
            postgresql_include=["organisation_id"],
        ),
    )
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"))
    status: Mapped[str] = mapped_column(String(16), default=RegistrationStatus.REQUESTED.value)
    fields_of_activity: Mapped[str | None] = mapped_column(Text)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    contact_phone: Mapped[str | None] = mapped_column(String(40))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # When the city archived it, while it is archived: the benchmark of a past year counts
    # it in the years it was active (regions/benchmark.py). Set by the status, never by hand.
    archived_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The organisation's name, copied by the database's triggers (migrations 0039, 0049) and
    # never written here: the directory sorts by it without joining the organisations, in
    # Polish order, which on PostgreSQL is the column's own so that its index serves it.
    sort_name: Mapped[str] = mapped_column(
        String(450).with_variant(String(450, collation=POLISH), "postgresql"),
        server_default="",
        server_onupdate=FetchedValue(),
    )

    organisation: Mapped[Organisation] = relationship(back_populates="registrations", lazy="joined")
    tenant: Mapped[Tenant] = relationship(lazy="joined")

    @validates("status")
    def _date_archiving(self, _key: str, status: str) -> str:
        """Every door that archives a registration dates it here; one that brings it back
        clears the date (the registration then counts as active all along)."""
        if status != RegistrationStatus.ARCHIVED:
            self.archived_at = None
        elif self.status != RegistrationStatus.ARCHIVED and self.archived_at is None:
            self.archived_at = clock.now()
        return status


class RegistrationNotes(TenantScoped, Model):
    """What a city keeps for itself about an organisation: never shown to the NGO or to
    other cities."""

    __tablename__ = "registration_notes"

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    notes: Mapped[str | None] = mapped_column(Text)


class RegistrationTag(TenantScoped, Model):
    """A city's own label on an organisation in its register (also private)."""

    __tablename__ = "registration_tags"
    __table_args__ = (Index("ix_registration_tags_tag", "tenant_id", "tag"),)

    registration_id: Mapped[int] = mapped_column(
        ForeignKey("registrations.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(60), primary_key=True)


class ClaimStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    REFUSED = "refused"


CLAIM_STATUS_VALUES = ", ".join(f"'{status.value}'" for status in ClaimStatus)


class OrganisationClaim(Model):
    """A person asks to act for an organisation already in Razem. Its representatives
    decide; where it has none, the staff of a city where it is active (`deciding_tenant_id`)
    do, and that city keeps its own record of the decision (ClaimReview)."""

    __tablename__ = "organisation_claims"
    __table_args__ = (
        CheckConstraint(f"status IN ({CLAIM_STATUS_VALUES})", name="known_status"),
        # One open claim per person and organisation; a refused person may ask again.
        Index(
            "uq_organisation_claims_one_pending",
            "organisation_id",
            "claimant_id",
            unique=True,
            postgresql_where=text("status = 'pending'"),
            sqlite_where=text("status = 'pending'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True
    )
    claimant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # What the person says they are in the organisation ("prezes zarządu").
    function: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(16), default=ClaimStatus.PENDING.value)
    deciding_tenant_id: Mapped[int | None] = mapped_column(ForeignKey("tenants.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reason: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(lazy="joined")
    claimant: Mapped[User] = relationship(foreign_keys=[claimant_id], lazy="joined")
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    deciding_tenant: Mapped[Tenant | None] = relationship(lazy="joined")


class ClaimReview(TenantScoped, Model):
    """A city's record of a claim it is asked to decide: behind the city's wall and in its
    audit log, like everything its staff decide."""

    __tablename__ = "claim_reviews"
    __table_args__ = (
        UniqueConstraint("claim_id"),
        CheckConstraint(f"status IN ({CLAIM_STATUS_VALUES})", name="known_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("organisation_claims.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(16), default=ClaimStatus.PENDING.value)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    claim: Mapped[OrganisationClaim] = relationship(lazy="joined")
