"""Objects that belong to a tenant, made the way the application makes them."""

from __future__ import annotations

import itertools
import secrets
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from app import unit_of_work
from app.accounts.models import Invitation, Membership, User, hash_token
from app.audit.models import AuditEntry
from app.extensions import db
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant

_YEARS = itertools.count(2200)  # programme years no test picks by hand


def unique_email(prefix: str = "osoba") -> str:
    return f"{prefix}-{secrets.token_hex(4)}@example.org"


def invitation(tenant: Tenant, email: str | None = None, role: str = "staff"):
    """Returns (invitation, token)."""
    token = secrets.token_urlsafe(16)
    with tenant_scope(tenant.id):
        record = Invitation(
            email=email or unique_email("zaproszona"),
            role=role,
            token_hash=hash_token(token),
            expires_at=clock.now() + timedelta(days=14),
        )
        db.session.add(record)
        db.session.commit()
        db.session.refresh(record)  # loaded while in scope: usable after it
        return record, token


def membership(tenant: Tenant, email: str, role: str = "staff") -> Membership:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        user = User(email=email, name="Maria Nowak")
        user.set_password("hasło-testowe-1")
        db.session.add(user)
        db.session.commit()
    with tenant_scope(tenant.id):
        record = Membership(user=user, tenant_id=tenant.id, role=role)
        db.session.add(record)
        db.session.commit()
        db.session.refresh(record)  # loaded while in scope: usable after it
        return record


def membership_of(user: User, tenant: Tenant) -> Membership:
    """The person's membership in the city, read in the city (it is the city's row, behind
    its wall) and detached, so that later commits leave what the test reads in place."""
    with tenant_scope(tenant.id):
        record = db.session.scalars(
            select(Membership).where(
                Membership.user_id == user.id, Membership.tenant_id == tenant.id
            )
        ).one()
        db.session.expunge(record)
        return record


def role_in(tenant: Tenant, membership_id: int) -> str | None:
    """The role a membership holds now, read in its city; None once it is removed."""
    db.session.expire_all()
    with tenant_scope(tenant.id):
        record = db.session.get(Membership, membership_id)
        return None if record is None else record.role


def audit_entry(tenant: Tenant) -> AuditEntry:
    """Any change writes one; the newest entry of the tenant."""
    membership(tenant, unique_email("audyt"))
    with tenant_scope(tenant.id):
        return db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()


def organisation(name: str = "Stowarzyszenie „ECHO”", **values):
    from app.organisations.models import Organisation

    values.setdefault("legal_form", "association")
    record = Organisation(name=name, **values)
    db.session.add(record)
    db.session.commit()
    return record


def registration(
    tenant: Tenant,
    org=None,
    status: str = "active",
    since: date | None = None,
    archived_on: date | None = None,
):
    """`since`: the day the city accepted it (else it is active from its creation, now);
    `archived_on`: the day the city archived it (else, archived, it is archived now)."""
    from app.organisations.models import Registration

    org = org or organisation(f"Fundacja {secrets.token_hex(3)}")
    with tenant_scope(tenant.id):
        record = Registration(
            organisation=org, tenant_id=tenant.id, status=status, decided_at=_at_ten(since)
        )
        if archived_on is not None:
            record.archived_at = _at_ten(archived_on)
        db.session.add(record)
        db.session.commit()
        db.session.refresh(record)
        return record


def _at_ten(day: date | None) -> datetime | None:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC) if day else None


def registration_in(tenant: Tenant, org):
    """The city's registration of the organisation as it is now, read in the city (it is the
    city's row, behind its wall) and detached: later commits leave what the test reads."""
    from app.organisations.models import Registration

    with tenant_scope(tenant.id):
        record = db.session.scalar(
            select(Registration)
            .where(Registration.tenant_id == tenant.id, Registration.organisation_id == org.id)
            .execution_options(populate_existing=True)
        )
        if record is not None:
            db.session.expunge(record)
        return record


def job(job_id: str):
    """The job as the worker reads it, in its city and as its person; detached."""
    from app.jobs.models import JobRecord
    from app.tenancy import before_scope
    from app.tenancy.context import as_job_owner

    tenant_id, user_id = before_scope.job_scope(job_id) or (None, None)
    with as_job_owner(tenant_id, user_id):
        record = db.session.get(JobRecord, job_id, populate_existing=True)
        if record is not None:
            db.session.expunge(record)
        return record


def programme(tenant: Tenant, year: int = 2024, stage: str = "draft", complete: bool = False):
    """Leszno-like annual programme; `complete` fills every required element."""
    from app.programmes import services
    from app.programmes.catalogue import Kind
    from app.programmes.models import CooperationForm, Indicator, PriorityTask

    with tenant_scope(tenant.id):
        record = services.create(
            Kind.ANNUAL,
            year,
            year,
            f"Roczny Program Współpracy Miasta z Organizacjami Pozarządowymi na {year} rok",
        )
        if complete:
            for section in record.sections:
                section.body = f"Treść: {section.key}"
            record.forms = [
                CooperationForm(area="tasks", financial=True, description="otwarty konkurs ofert")
            ]
            record.priority_tasks = [
                PriorityTask(area_code="10", description="aktywizacja seniorów")
            ]
            record.indicators = [Indicator(name="liczba ogłoszonych konkursów", planned=12)]
            record.budget = 1_250_000
            record.consultation_from = record.consultation_to = None
        record.stage = stage
        db.session.commit()
        db.session.refresh(record)
        db.session.expunge(record)  # detached: later commits do not expire what the test reads
        return record


def proposal(tenant: Tenant, programme_record=None, org=None):
    from app.programmes.models import Proposal

    programme_record = programme_record or programme(tenant, year=next(_YEARS))
    org = org or registration(tenant).organisation
    with tenant_scope(tenant.id):
        record = Proposal(
            programme_id=programme_record.id,
            organisation_id=org.id,
            element="goals",
            proposed_text="Dodać cel: współpraca z zagranicą.",
        )
        db.session.add(record)
        db.session.commit()
        db.session.refresh(record)
        db.session.expunge(record)
        return record


def comment(tenant: Tenant):
    from app.programmes.models import Comment

    programme_record = programme(tenant, year=next(_YEARS), stage="consultation")
    with tenant_scope(tenant.id):
        record = Comment(
            programme_id=programme_record.id,
            element="goals",
            body="Dopisać cel dotyczący wolontariatu.",
        )
        db.session.add(record)
        db.session.commit()
        return record.id


def opinion(tenant: Tenant):
    from datetime import date

    from app.programmes.models import Opinion

    programme_record = programme(tenant, year=next(_YEARS), stage="opinions")
    with tenant_scope(tenant.id):
        record = Opinion(
            programme_id=programme_record.id,
            body="Rada Seniorów",
            given_on=date(2023, 10, 20),
            attachment_key="x",
            attachment_name="x.pdf",
        )
        db.session.add(record)
        db.session.commit()
        return record.id


def year_report(tenant: Tenant) -> int:
    """The report on the first year of a multi-year programme, filed with its document."""
    from datetime import date

    from app.programmes import services
    from app.programmes.catalogue import Kind
    from app.programmes.models import YearReport

    first = next(_YEARS)
    with tenant_scope(tenant.id):
        programme_record = services.create(
            Kind.MULTI_YEAR, first, first + 2, f"Wieloletni program współpracy {first}–{first + 2}"
        )
        db.session.flush()
        record = YearReport(
            programme_id=programme_record.id,
            year=first,
            submitted_on=date(first + 1, 4, 24),
            published_on=date(first + 1, 5, 27),
            document_key="x",
            document_name="sprawozdanie.pdf",
            recorded_at=clock.now(),
        )
        db.session.add(record)
        db.session.commit()
        return record.id


def meeting(tenant: Tenant, published: bool = True) -> int:
    from datetime import date

    from app.meetings import services

    with tenant_scope(tenant.id):
        record = services.create(
            {
                "title": "Spotkanie z organizacjami pozarządowymi",
                "held_on": date(2023, 7, 13),
                "agenda": [{"title": "Omówienie zagadnień", "minutes": "Ad. 1", "speakers": []}],
            }
        )
        if published:
            services.publish(record)
        unit_of_work.commit()
        return record.id


def meeting_attachment(tenant: Tenant) -> int:
    from app.meetings.models import Attachment

    meeting_id = meeting(tenant)
    with tenant_scope(tenant.id):
        record = Attachment(
            meeting_id=meeting_id, title="lista obecności", file_name="lista.pdf", storage_key="x"
        )
        db.session.add(record)
        db.session.commit()
        return record.id


def decision(tenant: Tenant) -> int:
    from app.meetings.models import Decision

    meeting_id = meeting(tenant)
    with tenant_scope(tenant.id):
        record = Decision(meeting_id=meeting_id, text="Przekazać propozycje do komórek.")
        db.session.add(record)
        db.session.commit()
        return record.id


def team(tenant: Tenant) -> int:
    from app.meetings import services
    from app.meetings.models import Team

    with tenant_scope(tenant.id):
        record = Team()
        services.save_team(
            record,
            None,
            {
                "name": f"Zespół branżowy {secrets.token_hex(3)}",
                "kind": "sector",
                "area": "Edukacja",
            },
            [{"name": "Paweł Nowicki", "role": "moderator"}],
        )
        unit_of_work.commit()
        return record.id


def claim_review(tenant: Tenant):
    """A person's claim to act for an organisation with no representative, which the
    tenant where it is registered is asked to decide."""
    from flask import current_app

    from app.organisations.claims import file_claim
    from app.organisations.models import ClaimReview

    org = registration(tenant).organisation
    claimant = User(email=unique_email("wniosek"), name="Anna Szymańska")
    db.session.add(claimant)
    with current_app.test_request_context():  # the city's staff are e-mailed a link
        claim = file_claim(claimant, org, "prezes zarządu", tenant)
        unit_of_work.commit()
    with tenant_scope(tenant.id):
        return db.session.scalar(select(ClaimReview).where(ClaimReview.claim_id == claim.id))


def event_registration(
    tenant: Tenant,
    email: str | None = None,
    meeting_id: int | None = None,
    status: str = "confirmed",
):
    """Returns (registration, its cancellation token)."""
    from app.meetings.models import EventRegistration

    meeting_id = meeting_id or meeting(tenant)
    token = secrets.token_urlsafe(16)
    with tenant_scope(tenant.id):
        record = EventRegistration(
            meeting_id=meeting_id,
            name="Jan Kowalski",
            email=email or unique_email(),
            status=status,
            cancel_token_hash=hash_token(token),
        )
        db.session.add(record)
        db.session.commit()
        db.session.refresh(record)
        return record, token


def registration_token(tenant: Tenant) -> str:
    """The cancellation token of a registration for another tenant's meeting."""
    return event_registration(tenant)[1]


def subscription(tenant: Tenant) -> int:
    """The city's BIP subscribed to every event (at an address that never answers)."""
    from app.webhooks import services
    from app.webhooks.catalogue import SUBSCRIBABLE

    with tenant_scope(tenant.id):
        record = services.subscribe(
            "https://bip.leszno.example/razem/zdarzenia",
            [str(kind) for kind in SUBSCRIBABLE],
            "BIP Urzędu Miasta",
            None,
        )
        unit_of_work.commit()
        return record.id


def webhook_delivery(tenant: Tenant) -> int:
    """A test event sent to a new subscription of the city: its delivery's id."""
    from app.webhooks import services
    from app.webhooks.models import Subscription

    subscribed = subscription(tenant)
    with tenant_scope(tenant.id):
        delivery_id = services.send_test(db.session.get_one(Subscription, subscribed))
        unit_of_work.commit()
        return delivery_id


def standards_project(region, standards: int = 3):
    """A project of the region with one block and `standards` standards."""
    from app.regions.models import (
        Standard,
        StandardisationGroup,
        StandardsProject,
        ThematicBlock,
    )

    groups = [
        StandardisationGroup(
            position=i,
            name=f"Grupa {i + 1}",
            office_members=["Urząd Miasta Leszna"],
            ngo_members=["Stowarzyszenie „ECHO”"],
        )
        for i in range(standards)
    ]
    block = ThematicBlock(number=1, title="Tworzenie polityk publicznych")
    block.standards = [
        Standard(position=i, title=f"Standard konsultacji nr {i + 1}", group=group)
        for i, group in enumerate(groups)
    ]
    project = StandardsProject(
        region=region, title="Wielkopolska działa razem", blocks=[block], groups=groups
    )
    db.session.add(project)
    db.session.commit()
    return project


def adoption(tenant: Tenant, standard, status: str, notes: str = "", review: str | None = None):
    from app.regions.models import Adoption

    with tenant_scope(tenant.id):
        db.session.add(
            Adoption(standard_id=standard.id, status=status, notes=notes, review_status=review)
        )
        db.session.commit()


def standard_of_another_region(tenant: Tenant):
    from app.tenancy.models import Region

    region = db.session.scalar(select(Region).where(Region.id != tenant.region_id).limit(1))
    return standards_project(region, standards=1).blocks[0].standards[0]
