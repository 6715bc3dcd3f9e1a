"""Demo people from the seed documents: Leszno's NGO office, ECHO, Kraków, Wielkopolska
and its marshal office."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.accounts.models import Membership, RegionalAssignment, Role, User
from app.demo.organisations import DEMO_ORGANISATIONS
from app.extensions import db
from app.organisations.models import (
    Organisation,
    OrganisationMember,
    Registration,
    RegistrationNotes,
    RegistrationTag,
)
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
        "Stowarzyszenie „ECHO”, active in Leszno and Kalisz, waiting for Konin",
    ),
    DemoUser(
        "koordynator@wielkopolska.demo",
        "Piotr Zieliński",
        "coordinator of Wielkopolska, and administrator of its marshal office's own tenant",
        {"wojewodztwo-wielkopolskie": Role.ADMIN},
        regions=("wielkopolskie",),
    ),
    DemoUser("operator@razem.demo", "Operator Razem", "platform operator", operator=True),
)


# Who represents which demo organisation (by name): their NGO access in a city follows it.
DEMO_REPRESENTATIVES = {"ngo@echo.demo": "Stowarzyszenie „ECHO”"}


def load() -> int:
    """Create what is missing; running it again changes nothing."""
    from app.demo import meetings, notifications, programmes, regions, voivodeship, webhooks

    created = _load_people()
    created += _load_organisations()
    created += programmes.load()
    created += meetings.load()
    created += regions.load()
    created += voivodeship.load()
    created += notifications.load()
    created += webhooks.load()  # last: the events above were before the city subscribed
    return created


def _load_people() -> int:
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


def _load_organisations() -> int:
    tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
    created = 0
    for data in DEMO_ORGANISATIONS:
        organisation = db.session.scalar(
            select(Organisation).where(Organisation.name == data["name"])
        )
        if organisation is None:
            profile = {k: v for k, v in data.items() if k not in ("areas", "cities")}
            organisation = Organisation(**profile)
            organisation.areas = data["areas"]
            db.session.add(organisation)
            db.session.commit()
            created += 1
        for slug, city in data["cities"].items():
            created += _register(tenants[slug], organisation, city)
    for email, name in DEMO_REPRESENTATIVES.items():
        user = db.session.execute(select(User).where(User.email == email)).scalar_one()
        organisation = db.session.execute(
            select(Organisation).where(Organisation.name == name)
        ).scalar_one()
        if not any(m.user_id == user.id for m in organisation.members):
            db.session.add(OrganisationMember(organisation=organisation, user=user))
            db.session.commit()
            created += 1
    return created


def _register(tenant: Tenant, organisation: Organisation, city: dict) -> int:
    existing = db.session.scalar(
        select(Registration).where(
            Registration.tenant_id == tenant.id, Registration.organisation_id == organisation.id
        )
    )
    if existing is not None:
        return 0
    with tenant_scope(tenant.id):
        registration = Registration(
            organisation=organisation,
            tenant_id=tenant.id,
            status=city["status"],
            contact_name=city["contact"],
            fields_of_activity=city["fields"],
        )
        db.session.add(registration)
        db.session.flush()
        if city["notes"]:
            db.session.add(RegistrationNotes(registration_id=registration.id, notes=city["notes"]))
        for tag in city["tags"]:
            db.session.add(RegistrationTag(registration_id=registration.id, tag=tag))
        db.session.commit()
    return 1
