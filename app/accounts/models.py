"""Global identities: users, their memberships in tenants, regional roles and API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask_login import UserMixin
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    func,
    text,
    true,
)
from sqlalchemy.orm import Mapped, joinedload, mapped_column, relationship
from sqlalchemy.orm.strategy_options import _AbstractLoad

from app.extensions import Model
from app.tenancy import clock
from app.tenancy.models import Region, Tenant
from app.tenancy.scoping import TenantScoped

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def utcnow() -> datetime:
    return clock.now()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Role(StrEnum):
    ADMIN = "admin"
    STAFF = "staff"
    NGO = "ngo"
    VIEWER = "viewer"


class RegionalRole(StrEnum):
    COORDINATOR = "coordinator"


# The roles a person is given in a city, least privilege first. NGO access is never given:
# it follows from an active registration of the person's organisation (a role source).
MEMBERSHIP_ROLES: tuple[Role, ...] = (Role.VIEWER, Role.STAFF, Role.ADMIN)
MEMBERSHIP_ROLE_VALUES = ", ".join(f"'{r.value}'" for r in MEMBERSHIP_ROLES)


class User(UserMixin, Model):
    __tablename__ = "users"
    # found by their address as they typed it, whatever its case (logging in, signing up)
    __table_args__ = (Index("ix_users_lower_email", text("lower(email)")),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(200))
    locale: Mapped[str | None] = mapped_column(String(8))
    is_operator: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Part of what the session cookie names (get_id): raising it ends every session of the
    # person, since cookies are signed but kept by the browser, not by us.
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Only a self-service sign-up starts unconfirmed; an invitation's link or the operator's
    # command proves the address already. An unconfirmed account cannot log in.
    email_confirmed: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )
    regional_roles: Mapped[list[RegionalAssignment]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_generation}"

    def end_sessions(self) -> None:
        """Every session cookie issued so far opens nothing any more."""
        self.session_generation = (self.session_generation or 0) + 1

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        if not self.password_hash:
            return False
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.set_password(password)
        return True

    def membership_in(self, tenant_id: int) -> Membership | None:
        return next((m for m in self.memberships if m.tenant_id == tenant_id), None)

    def coordinates(self, region_id: int) -> bool:
        return any(a.region_id == region_id for a in self.regional_roles)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


def with_roles(user: _AbstractLoad | None = None) -> tuple[_AbstractLoad, ...]:
    """Loader options that read a person with their roles in every city and region in one
    query (joined) instead of one select for each collection: every signed-in request does
    it. `user` is the path to the person when they are loaded through another row."""
    if user is None:
        return joinedload(User.memberships), joinedload(User.regional_roles)
    return user.joinedload(User.memberships), user.joinedload(User.regional_roles)


class Membership(Model):
    """A user's role in one tenant. Global (the user's identity), audited per tenant."""

    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "tenant_id"),
        CheckConstraint(f"role IN ({MEMBERSHIP_ROLE_VALUES})", name="known_role"),
    )
    __audited__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    tenant_id: Mapped[int] = mapped_column(ForeignKey("tenants.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    user: Mapped[User] = relationship(back_populates="memberships")
    tenant: Mapped[Tenant] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Membership user={self.user_id} tenant={self.tenant_id} {self.role}>"


class RegionalAssignment(Model):
    """A regional coordinator of a voivodeship's standards work."""

    __tablename__ = "regional_assignments"
    __table_args__ = (
        UniqueConstraint("user_id", "region_id"),
        CheckConstraint("role IN ('coordinator')", name="known_role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default=RegionalRole.COORDINATOR.value)

    user: Mapped[User] = relationship(back_populates="regional_roles")
    region: Mapped[Region] = relationship(lazy="joined")


class ApiToken(Model):
    """A bearer token for /api/v1; only its hash is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship(lazy="joined")

    @classmethod
    def issue(cls, user: User, name: str, expires_at: datetime):
        secret = "rzm_" + secrets.token_urlsafe(32)
        token = cls(
            user=user,
            name=name,
            token_hash=hash_token(secret),
            prefix=secret[:10],
            expires_at=expires_at,
        )
        return token, secret

    def usable(self, now: datetime) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or as_utc(self.expires_at) > now


class Invitation(TenantScoped, Model):
    """An e-mailed invitation to join a tenant with a role."""

    __tablename__ = "invitations"
    __table_args__ = (CheckConstraint(f"role IN ({MEMBERSHIP_ROLE_VALUES})", name="known_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    invited_by: Mapped[User | None] = relationship(lazy="joined")

    def status(self, now: datetime) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if as_utc(self.expires_at) <= now:
            return "expired"
        return "pending"


def as_utc(moment: datetime) -> datetime:
    # SQLite returns naive datetimes; everything Razem stores is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
