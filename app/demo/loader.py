"""Demo people from the seed documents: Leszno's NGO office, ECHO, Kraków, Wielkopolska."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts.models import Membership, RegionalAssignment, Role, User
from app.extensions import db
from app.tenancy.context import tenant_scope
from app.tenancy.models import Region, Tenant

DEMO_PASSWORD = "razem-demo"


@dataclass(frozen=True)
class DemoUser:
    email: str
    name: str
    description: str
    memberships: dict[str, Role] = field(default_factory=dict)
    regions: tuple[str, ...] = ()
    operator: bool = False


DEMO_USERS = (
    DemoUser(
        "admin@leszno.demo",
        "Anna Szymańska",
        "administrator of Leszno (NGO liaison officer)",
        {"leszno": Role.ADMIN},
    ),
    DemoUser(
        "pracownik@leszno.demo",
        "Barbara Grygier",
        "staff of Leszno (NGO office)",
        {"leszno": Role.STAFF},
    ),
    DemoUser("staff@krakow.demo", "Tomasz Nowak", "staff of Kraków", {"krakow": Role.STAFF}),
    DemoUser(
        "admin@kalisz.demo",
        "Katarzyna Wiśniewska",
        "administrator of Kalisz",
        {"kalisz": Role.ADMIN},
    ),
    DemoUser(
        "ngo@echo.demo",
        "Hanna Hendrysiak",
        "Stowarzyszenie „ECHO”, active in Leszno and Kalisz",
        {"leszno": Role.NGO, "kalisz": Role.NGO},
    ),
    DemoUser(
        "koordynator@wielkopolska.demo",
        "Piotr Zieliński",
        "coordinator of Wielkopolska",
        regions=("wielkopolskie",),
    ),
    DemoUser("operator@razem.demo", "Operator Razem", "platform operator", operator=True),
)


def load() -> int:
    """Create what is missing; running it again changes nothing."""
    tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
    regions = {r.slug: r for r in db.session.scalars(select(Region))}
    created = 0
    for demo in DEMO_USERS:
        user = db.session.scalar(select(User).where(User.email == demo.email))
        if user is None:
            user = User(email=demo.email, name=demo.name, is_operator=demo.operator)
            user.set_password(DEMO_PASSWORD)
            db.session.add(user)
            db.session.commit()
            created += 1
        for slug, role in demo.memberships.items():
            tenant = tenants[slug]
            if user.membership_in(tenant.id) is None:
                with tenant_scope(tenant.id):
                    db.session.add(Membership(user=user, tenant_id=tenant.id, role=role.value))
                    db.session.commit()
                created += 1
        for slug in demo.regions:
            region = regions[slug]
            if not user.coordinates(region.id):
                db.session.add(RegionalAssignment(user=user, region=region))
                db.session.commit()
                created += 1
    return created
