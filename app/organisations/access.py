"""Who may see and do what with an organisation and with a city's registration of it.

Pages, the API and templates all ask here: `registration_for` / `registration_of` (a city's
record, by its own id or by the organisation's) and `organisation_for` (the global profile)
load, answer 404 to those who may not see and 403 to those who see but may not act;
templates ask `can(action, record)`.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, g
from flask_login import current_user
from sqlalchemy import select

from app.accounts.permissions import (
    STAFF,
    authorised,
    can,
    get_or_404,
    is_staff,
    register_policy,
    tenant_roles,
)
from app.extensions import db
from app.organisations import services
from app.organisations.models import (
    ClaimReview,
    ClaimStatus,
    Organisation,
    OrganisationClaim,
    Registration,
    RegistrationStatus,
)
from app.tenancy import before_scope

# What only the city's staff read of its registration of an organisation (the page and the
# API alike): the person the office deals with, and the office's own notes and tags. The
# organisation's own address, e-mail and phone are public wherever it is active.
STAFF_ONLY_FIELDS = frozenset({"contact_name", "contact_email", "contact_phone", "notes", "tags"})


def _in_this_city(registration: Registration) -> bool:
    tenant = g.get("tenant")
    return tenant is not None and registration.tenant_id == tenant.id


def _sees_registration(registration: Registration) -> bool:
    if not _in_this_city(registration):
        return False
    return registration.status == RegistrationStatus.ACTIVE or is_staff()


REGISTRATION_RULES: dict[str, Callable[[Registration | None], bool]] = {
    "view": lambda registration: registration is not None and _sees_registration(registration),
    "manage": lambda registration: is_staff(),
    "read_private": lambda registration: is_staff(),
    # a city's invitation into its register: its organisation's representatives answer it
    "answer": lambda registration: (
        registration is not None
        and _in_this_city(registration)
        and registration.status == RegistrationStatus.INVITED
        and current_user.is_authenticated
        and services.is_representative(current_user, registration.organisation)
    ),
}


def _sees_organisation(organisation: Organisation) -> bool:
    """Public where the organisation is active; its people, the operator and the staff of a
    city that has it on record see it always."""
    registrations = before_scope.organisation_registrations(organisation.id)
    if RegistrationStatus.ACTIVE in registrations.values():
        return True
    if not current_user.is_authenticated:
        return False
    staff_of = {tenant_id for tenant_id, role in tenant_roles().items() if role in STAFF}
    return (
        current_user.is_operator
        or services.is_member(current_user, organisation)
        or bool(staff_of & set(registrations))
    )


def _edits_profile(organisation: Organisation | None) -> bool:
    return current_user.is_authenticated and (
        current_user.is_operator
        or (organisation is not None and services.is_member(current_user, organisation))
    )


ORGANISATION_RULES: dict[str, Callable[[Organisation | None], bool]] = {
    "view": lambda organisation: organisation is not None and _sees_organisation(organisation),
    "edit": _edits_profile,
    "see_people": lambda organisation: (
        organisation is not None
        and current_user.is_authenticated
        and services.is_member(current_user, organisation)
    ),
    "invite": lambda organisation: (
        organisation is not None
        and current_user.is_authenticated
        and services.is_representative(current_user, organisation)
    ),
}


def _answered_by_representatives(claim: OrganisationClaim) -> bool:
    return claim.deciding_tenant_id is None and (
        current_user.is_authenticated
        and services.is_representative(current_user, claim.organisation)
    )


# A claim to act for an organisation: its representatives answer it, unless it waits on a
# city (ClaimReview, that city's staff).
CLAIM_RULES: dict[str, Callable[[OrganisationClaim | None], bool]] = {
    "view": lambda claim: (
        claim is not None
        and current_user.is_authenticated
        and (claim.claimant_id == current_user.id or _answered_by_representatives(claim))
    ),
    "decide": lambda claim: (
        claim is not None
        and claim.status == ClaimStatus.PENDING
        and _answered_by_representatives(claim)
    ),
}
REVIEW_RULES: dict[str, Callable[[ClaimReview | None], bool]] = {
    "view": lambda review: is_staff(),
    "decide": lambda review: (
        review is not None and review.status == ClaimStatus.PENDING and is_staff()
    ),
}

register_policy(lambda action, record: REGISTRATION_RULES[action](record), Registration)
register_policy(lambda action, record: ORGANISATION_RULES[action](record), Organisation)
register_policy(lambda action, record: CLAIM_RULES[action](record), OrganisationClaim)
register_policy(lambda action, record: REVIEW_RULES[action](record), ClaimReview)


def registration_for(registration_id: int, action: str = "view") -> Registration:
    return authorised(Registration, registration_id, action)


def registration_of(organisation_id: int, action: str = "view") -> Registration:
    """This city's registration of the organisation, named by the organisation's id."""
    registration = services.registration_in(g.tenant, get_or_404(Organisation, organisation_id))
    if registration is None:
        abort(404)
    return registration_for(registration.id, action)


def invitation_for(registration_id: int) -> Registration:
    """A city's invitation into its register: 404 to anyone but the invited organisation's
    representatives, and once it is answered."""
    registration = get_or_404(Registration, registration_id)
    if not can("answer", registration):
        abort(404)
    return registration


def claim_for(claim_id: int, action: str = "view") -> OrganisationClaim:
    return authorised(OrganisationClaim, claim_id, action)


def review_of(claim_id: int, action: str = "view") -> ClaimReview:
    """The current city's record of a claim, named by the claim's id: another city's claim
    is not found (the reviews are scoped to the city)."""
    review = db.session.scalar(select(ClaimReview).where(ClaimReview.claim_id == claim_id))
    if review is None or not can("view", review):
        abort(404)
    if action != "view" and not can(action, review):
        abort(403)
    return review


def organisation_for(organisation_id: int, action: str = "view") -> Organisation:
    return authorised(Organisation, organisation_id, action)


def hidden_fields() -> frozenset[str]:
    """The fields of a registration the current user does not read."""
    return frozenset() if is_staff() else STAFF_ONLY_FIELDS
