"""What a city publishes because the law requires it, as its administrator last saved it."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import Model
from app.tenancy.scoping import TenantScoped
from app.unit_of_work import OptimisticLock


class LegalKind(StrEnum):
    # RODO art. 13: shown on every public form that collects personal data
    PRIVACY_CLAUSE = "privacy_clause"
    PRIVACY_POLICY = "privacy_policy"
    # ustawa z 4 kwietnia 2019 r. o dostępności cyfrowej, art. 10
    ACCESSIBILITY_STATEMENT = "accessibility_statement"


LEGAL_KIND_LABELS = {
    LegalKind.PRIVACY_CLAUSE: _l("Information on the processing of personal data"),
    LegalKind.PRIVACY_POLICY: _l("Privacy policy"),
    LegalKind.ACCESSIBILITY_STATEMENT: _l("Accessibility statement"),
}

LEGAL_KIND_VALUES = ", ".join(f"'{kind.value}'" for kind in LegalKind)


class LegalText(OptimisticLock, TenantScoped, Model):
    """A city's own wording of one of its legal texts; without a row, the default generated
    from its tenants/*.toml file is shown."""

    __tablename__ = "legal_texts"
    __table_args__ = (
        UniqueConstraint("tenant_id", "kind"),
        CheckConstraint(f"kind IN ({LEGAL_KIND_VALUES})", name="known_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    body: Mapped[str] = mapped_column(Text)
    # The accessibility statement's dates: the site's publication, its last significant update.
    published_on: Mapped[date | None] = mapped_column(Date)
    revised_on: Mapped[date | None] = mapped_column(Date)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
