"""A person asks to act for an organisation already in Razem, found by its KRS, NIP or REGON.

Its representatives decide. Where it has none, the staff of a city where it is active
decide: the claim then waits among that city's registration requests, and the city keeps
its own record of the decision (ClaimReview, behind its wall and in its audit log). On
acceptance the person becomes a member of the organisation; either way they are told.
"""

from __future__ import annotations

from flask import g, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from app import unit_of_work
from app.accounts.models import User
from app.extensions import db
from app.mail import send_mail
from app.notifications.services import city_staff
from app.organisations import identifiers
from app.organisations.models import (
    ClaimReview,
    ClaimStatus,
    MemberRole,
    Organisation,
    OrganisationClaim,
    OrganisationMember,
    RegistrationStatus,
)
from app.organisations.services import (
    OrganisationError,
    add_member,
    is_member,
    representatives,
)
from app.tenancy import before_scope, clock
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant, in_name_order


def find_by_number(number: str) -> Organisation | None:
    """The organisation whose KRS, NIP or REGON this is. A ten-digit number may be either a
    KRS or a NIP, so both are tried; InvalidIdentifier when it can be none of the three."""
    compact = identifiers.compact(number) or ""
    matches = []
    for column, cleaner in (
        (Organisation.krs, identifiers.clean_krs),
        (Organisation.nip, identifiers.clean_nip),
        (Organisation.regon, identifiers.clean_regon),
    ):
        try:
            value = cleaner(compact)
        except identifiers.InvalidIdentifier:
            continue
        if value:
            matches.append(column == value)
    if not matches:
        raise identifiers.InvalidIdentifier("KRS/NIP/REGON", "number")
    return db.session.scalars(select(Organisation).where(or_(*matches))).first()


def deciding_cities(organisation: Organisation) -> list[Tenant]:
    """The cities whose staff may decide a claim: those where the organisation is active.
    The claimant does not act for it yet, so its registrations are not theirs to read:
    where it is active is asked of the database's narrow read (before_scope)."""
    registrations = before_scope.organisation_registrations(organisation.id).items()
    active = [city for city, status in registrations if status == RegistrationStatus.ACTIVE]
    return list(
        db.session.scalars(
            select(Tenant).where(Tenant.id.in_(active)).order_by(*in_name_order(Tenant))
        )
    )


def pending_claim(user: User, organisation: Organisation) -> OrganisationClaim | None:
    return db.session.scalar(
        select(OrganisationClaim).where(
            OrganisationClaim.organisation_id == organisation.id,
            OrganisationClaim.claimant_id == user.id,
            OrganisationClaim.status == ClaimStatus.PENDING.value,
        )
    )


def check_may_claim(user: User, organisation: Organisation) -> None:
    """Refuse a claim that would change nothing or repeat one still waiting."""
    if is_member(user, organisation):
        raise OrganisationError(_("You already act for %(name)s.", name=organisation.name))
    if pending_claim(user, organisation) is not None:
        raise OrganisationError(
            _(
                "You have already asked to act for %(name)s: the request is waiting for an answer.",
                name=organisation.name,
            )
        )


def file_claim(
    user: User, organisation: Organisation, function: str, city: Tenant | None
) -> OrganisationClaim:
    """Ask the representatives, or with none the given city (one where it is active)."""
    check_may_claim(user, organisation)
    asked = representatives(organisation)
    if not asked and not _may_decide(city, organisation):
        raise OrganisationError(
            _("Choose a city where %(name)s is active to confirm it.", name=organisation.name)
        )
    claim = OrganisationClaim(
        organisation=organisation,
        claimant_id=user.id,
        function=function.strip(),
        deciding_tenant=None if asked else city,
    )
    db.session.add(claim)
    unit_of_work.flush()
    if asked:
        _tell_representatives(claim, [member.user for member in asked])
    else:
        assert city is not None
        with tenant_scope(city.id):
            db.session.add(ClaimReview(claim_id=claim.id, tenant_id=city.id))
            unit_of_work.flush()
        _tell_city_staff(claim, city)
    return claim


def _may_decide(city: Tenant | None, organisation: Organisation) -> bool:
    return city is not None and city.id in {c.id for c in deciding_cities(organisation)}


def decide(
    claim: OrganisationClaim,
    accept: bool,
    reason: str | None,
    role: MemberRole = MemberRole.REPRESENTATIVE,
) -> None:
    """The answer of the representatives, or of the city's staff (with its record)."""
    if claim.status != ClaimStatus.PENDING:
        raise OrganisationError(_("This request has already been answered."))
    status = ClaimStatus.ACCEPTED if accept else ClaimStatus.REFUSED
    moment = clock.now()
    claim.status = status.value
    claim.decided_by_id = g.get("actor_id")
    claim.decided_at = moment
    claim.reason = None if accept else (reason or "").strip() or None
    if claim.deciding_tenant_id is not None:
        review = db.session.scalar(select(ClaimReview).where(ClaimReview.claim_id == claim.id))
        if review is None:  # another city's record: never decided from here
            raise OrganisationError(_("This request is for another city."))
        review.status = status.value
        review.decided_by_id = claim.decided_by_id
        review.decided_at = moment
    if accept:
        add_member(claim.organisation, claim.claimant, role)
    unit_of_work.flush()
    _tell_claimant(claim)


def claims_of(user: User) -> list[OrganisationClaim]:
    return list(
        db.session.scalars(
            select(OrganisationClaim)
            .where(OrganisationClaim.claimant_id == user.id)
            .order_by(OrganisationClaim.created_at.desc())
        )
    )


def waiting_for_representative(user: User) -> list[OrganisationClaim]:
    """Claims this representative's organisations are to answer."""
    return list(
        db.session.scalars(
            select(OrganisationClaim)
            .join(
                OrganisationMember,
                OrganisationMember.organisation_id == OrganisationClaim.organisation_id,
            )
            .where(
                OrganisationMember.user_id == user.id,
                OrganisationMember.role == MemberRole.REPRESENTATIVE.value,
                OrganisationClaim.deciding_tenant_id.is_(None),
                OrganisationClaim.status == ClaimStatus.PENDING.value,
            )
            .order_by(OrganisationClaim.created_at)
        )
    )


def waiting_for_city() -> list[ClaimReview]:
    """The current city's claims still to decide (the reviews are scoped to it)."""
    return list(
        db.session.scalars(
            select(ClaimReview)
            .where(ClaimReview.status == ClaimStatus.PENDING.value)
            .order_by(ClaimReview.created_at)
        )
    )


def _tell_representatives(claim: OrganisationClaim, people: list[User]) -> None:
    for person in people:
        send_mail(
            person.email,
            _l(
                "%(who)s asks to act for %(name)s",
                who=claim.claimant.name,
                name=claim.organisation.name,
            ),
            "claim_to_decide",
            locale=person.locale,
            claim=claim,
            city=None,
            link=url_for("organisations.mine", _external=True),
        )


def _tell_city_staff(claim: OrganisationClaim, city: Tenant) -> None:
    link = url_for("organisations.requests", tenant_slug=city.slug, _external=True)
    for person in city_staff(city.id):
        send_mail(
            person.email,
            _l(
                "%(who)s asks to act for %(name)s",
                who=claim.claimant.name,
                name=claim.organisation.name,
            ),
            "claim_to_decide",
            locale=person.locale,
            claim=claim,
            city=city.name("pl"),
            link=link,
        )


def _tell_claimant(claim: OrganisationClaim) -> None:
    accepted = claim.status == ClaimStatus.ACCEPTED
    subject = (
        _l("You now act for %(name)s in Razem", name=claim.organisation.name)
        if accepted
        else _l("Your request to act for %(name)s was refused", name=claim.organisation.name)
    )
    send_mail(
        claim.claimant.email,
        subject,
        "claim_decided",
        locale=claim.claimant.locale,
        claim=claim,
        accepted=accepted,
        link=url_for("organisations.mine", _external=True),
    )
