"""Regions (voivodeships) and tenants (the local governments: municipalities, powiats and
the voivodeships' own self-government); both are defined as code in tenants/."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    func,
    text,
)
from sqlalchemy.orm import InstrumentedAttribute, Mapped, mapped_column, relationship
from sqlalchemy.sql.elements import ColumnElement

from app.collation import in_polish_order
from app.extensions import Model
from app.unit_of_work import OptimisticLock

# Kinds of local government (jednostka samorządu terytorialnego): a town or city, a rural
# gmina, a powiat, and the self-government of a voivodeship (samorząd województwa).
TENANT_KINDS = ("city", "gmina", "county", "voivodeship")
VOIVODESHIP = "voivodeship"


class Region(OptimisticLock, Model):
    """A voivodeship as tenants/ defines it; its coordinator's choices (the benchmark's
    publicity) are the only columns edited at run time, and they are versioned."""

    __tablename__ = "regions"
    __table_args__ = (CheckConstraint("length(teryt) = 2", name="teryt_two_digits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    teryt: Mapped[str] = mapped_column(String(2), unique=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    # The coordinator may open the cooperation benchmark to everyone (zasada jawności), as
    # a project's adoption matrix (StandardsProject.matrix_public).
    benchmark_public: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    # Loaded only when asked for: a region may hold hundreds of cities, and every tenant
    # loads its region.
    tenants: Mapped[list[Tenant]] = relationship(
        back_populates="region", order_by=lambda: in_name_order(Tenant)
    )

    def name(self, locale: str = "pl") -> str:
        return self.names.get(locale) or self.names["pl"]

    @property
    def self_government(self) -> Tenant | None:
        """The voivodeship's own tenant (its marshal office), if it is in Razem."""
        return next((tenant for tenant in self.tenants if tenant.is_voivodeship), None)

    @property
    def local_governments(self) -> list[Tenant]:
        """The region's municipalities and powiats: what the regional comparisons compare."""
        return [tenant for tenant in self.tenants if not tenant.is_voivodeship]


class Tenant(Model):
    __tablename__ = "tenants"
    __table_args__ = (
        CheckConstraint("length(teryt) = 7", name="teryt_seven_digits"),
        CheckConstraint("kind IN ('city', 'gmina', 'county', 'voivodeship')", name="known_kind"),
        # TERC pads the code of a voivodeship (30) and of a powiat (3013) with zeros.
        CheckConstraint(
            "(kind = 'voivodeship') = (teryt LIKE '__00000') AND "
            "(kind = 'county') = (teryt LIKE '____000' AND teryt NOT LIKE '__00000')",
            name="teryt_fits_kind",
        ),
        # The self-government of a voivodeship is one per region.
        Index(
            "uq_tenants_voivodeship_region_id",
            "region_id",
            unique=True,
            postgresql_where=text("kind = 'voivodeship'"),
            sqlite_where=text("kind = 'voivodeship'"),
        ),
        CheckConstraint("registration_retention_days > 0", name="retention_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    names: Mapped[dict[str, str]] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(16))
    region_id: Mapped[int] = mapped_column(ForeignKey("regions.id"), index=True)
    teryt: Mapped[str] = mapped_column(String(7), unique=True)
    population: Mapped[int | None] = mapped_column(Integer)
    locale: Mapped[str] = mapped_column(String(8), default="pl")
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Warsaw")
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)
    brand_colour: Mapped[str] = mapped_column(String(7), default="#1d4f91")
    # The city hall as the law's pages name it (the controller of personal data, its data
    # protection officer) and the facts of its accessibility statement: tenants/*.toml.
    # The Polish forms of the name (genitive, locative, office, office_genitive): tenants/*.toml.
    name_forms: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    office: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    accessibility: Mapped[dict[str, str]] = mapped_column(JSON, default=dict, server_default="{}")
    # The top of the first page of the city's documents: the office's lines and the file of
    # its coat of arms, relative to the tenants' folder (tenants/*.toml [letterhead]).
    letterhead: Mapped[dict] = mapped_column(JSON, default=dict, server_default="{}")
    # How long after an event the registrations of people without an account are kept
    # (RODO art. 5 ust. 1 lit. e: no longer than needed); tenants/*.toml.
    registration_retention_days: Mapped[int] = mapped_column(
        Integer, default=30, server_default="30"
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    region: Mapped[Region] = relationship(back_populates="tenants", lazy="joined")

    def name(self, locale: str = "pl") -> str:
        return self.names.get(locale) or self.names["pl"]

    @property
    def is_voivodeship(self) -> bool:
        """The region's own self-government (its marshal office), not one of its cities."""
        return self.kind == VOIVODESHIP

    def name_as(self, form: str, locale: str = "pl") -> str:
        """The name as a sentence needs it: "Miasta Leszna" (office_genitive), "w Lesznie"
        (locative) in Polish; other languages do not decline it and take the plain name."""
        if not locale.startswith("pl"):
            return self.name(locale)
        return self.name_forms.get(form) or self.name("pl")

    def __repr__(self) -> str:
        return f"<Tenant {self.slug}>"


def in_name_order(
    model: type[Region] | type[Tenant],
) -> tuple[ColumnElement[str], InstrumentedAttribute[str]]:
    """ORDER BY the Polish name of a region or a local government in Polish order, then the
    slug (a gmina may share its town's name). The same in every language of the interface:
    the names are Polish, and a list computed once (the benchmark's) is shown in every one."""
    return in_polish_order(model.names["pl"].as_string()), model.slug
