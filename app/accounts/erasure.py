"""Deleting an account (RODO art. 17), by the person or by the operator on their request.

What the law keeps public stays (minutes and attendance lists, proposals, consultation
comments: DOMAIN.md), with the person's name replaced; everything else of theirs goes: their
roles in cities, their place in organisations, their API tokens, their notifications and
what was made for their address (event registrations, invitations). The account's row stays
as "Osoba usunięta", so that the records naming it keep their shape, but it holds nothing of
the person, cannot log in and every session of it has ended.

Refused while the person is the last administrator of a city or the only representative of
an organisation: the city or the NGO would be left with nobody to act for it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update

from app import unit_of_work
from app.accounts.models import ApiToken, Membership, Role, User
from app.accounts.personal_data import tables_addressed_by_email
from app.extensions import db
from app.tenancy import before_scope, clock
from app.tenancy.context import acting_as, current_tenant_id, tenant_scope
from app.tenancy.models import Tenant

# Stored, not translated: public records are kept in Polish, the language of the cities' acts.
DELETED_NAME = "Osoba usunięta"


@dataclass
class Erasure:
    user_id: int
    counts: dict[str, int] = field(default_factory=dict)


def reasons_to_refuse(user: User) -> list[str]:
    """Why the account cannot go yet, each with what to do instead; empty when it can."""
    from app.organisations.models import MemberRole, OrganisationMember

    reasons = []
    with acting_as(user.id):
        for membership in user.memberships:
            if membership.role == Role.ADMIN and _administrators(membership.tenant_id) <= 1:
                reasons.append(
                    _(
                        "You are the only administrator of %(city)s. Give the administrator "
                        "role to another person there (People and roles) first, then delete "
                        "your account.",
                        city=membership.tenant.name(),
                    )
                )
        represented = db.session.scalars(
            select(OrganisationMember).where(
                OrganisationMember.user_id == user.id,
                OrganisationMember.role == MemberRole.REPRESENTATIVE,
            )
        ).all()
        for member in represented:
            if _representatives(member.organisation_id) <= 1:
                reasons.append(
                    _(
                        "You are the only representative of %(organisation)s. Invite another "
                        "person to represent it (My organisations) first, then delete your "
                        "account.",
                        organisation=member.organisation.name,
                    )
                )
    return reasons


def _administrators(tenant_id: int) -> int:
    with tenant_scope(tenant_id):
        return (
            db.session.scalar(
                select(func.count())
                .select_from(Membership)
                .join(User, User.id == Membership.user_id)
                .where(
                    Membership.tenant_id == tenant_id, Membership.role == Role.ADMIN, User.active
                )
            )
            or 0
        )


def _representatives(organisation_id: int) -> int:
    from app.organisations.models import MemberRole, OrganisationMember

    return (
        db.session.scalar(
            select(func.count()).where(
                OrganisationMember.organisation_id == organisation_id,
                OrganisationMember.role == MemberRole.REPRESENTATIVE,
            )
        )
        or 0
    )


def erase(user: User, performed_by: str) -> Erasure:
    """Delete the account as described above, in the caller's unit of work; the caller has
    checked reasons_to_refuse. Recorded in the operator's log (the cities' logs record the
    roles removed)."""
    from app.audit.models import OperatorAction

    erasure = Erasure(user.id)
    email = user.email
    with acting_as(user.id):
        for tenant_id in db.session.scalars(select(Tenant.id).order_by(Tenant.id)).all():
            with tenant_scope(tenant_id):
                _erase_in_city(tenant_id, user, email, erasure)
        _erase_everywhere(user, erasure)
        _empty_account(user)
    db.session.add(
        OperatorAction(
            action="account.erase",
            subject=f"user {erasure.user_id}",
            performed_by=performed_by,
            details={"counts": erasure.counts},
        )
    )
    unit_of_work.flush()
    return erasure


def _count(erasure: Erasure, name: str, result) -> None:
    erasure.counts[name] = erasure.counts.get(name, 0) + (result.rowcount or 0)


def _erase_in_city(tenant_id: int, user: User, email: str, erasure: Erasure) -> None:
    from app.meetings.models import Attendee

    for membership in db.session.scalars(
        # the person reads their roles in every city; each is removed in its own city
        select(Membership).where(Membership.user_id == user.id, Membership.tenant_id == tenant_id)
    ).all():
        db.session.delete(membership)  # the city's audit log records the role removed
        erasure.counts["memberships"] = erasure.counts.get("memberships", 0) + 1
    for table in tables_addressed_by_email():
        _count(
            erasure,
            table.name,
            db.session.execute(delete(table).where(func.lower(table.c.email) == email.lower())),
        )
    unit_of_work.flush()
    # The attendance list is part of the minutes: the line stays, the name goes. Written
    # past the audit log, which would otherwise keep the name as the value changed.
    _count(
        erasure,
        "meeting_attendees",
        db.session.execute(
            update(Attendee)
            .where(Attendee.user_id == user.id)
            .execution_options(synchronize_session=False)
            .values(name=DELETED_NAME)
        ),
    )
    unit_of_work.flush()
    erasure.counts["audit_log"] = erasure.counts.get("audit_log", 0) + forget_in_audit_log(
        [user.name, email]
    )


def forget_in_audit_log(words: list[str]) -> int:
    """Replace the words (a name, an address) in the current city's audit entries, whatever
    their case and however the JSON of an entry spells them ("Łucja" or "\\u0141ucja");
    returns the number of entries changed. A namesake's entries change too: the log then
    hides one name too many, never one too few."""
    spellings = {
        spelling
        for word in words
        if word.strip()
        for spelling in (json.dumps(word)[1:-1], json.dumps(word, ensure_ascii=False)[1:-1])
    }
    if not spellings:
        return 0
    from app.audit.models import log_revision
    from app.core.page_cache import note_changed

    note_changed(db.session(), log_revision(current_tenant_id()))  # the log's kept page
    if db.session.get_bind().dialect.name != "postgresql":
        return _forget_without_row_security(spellings)
    pattern = "|".join(
        _literally(spelling) for spelling in sorted(spellings, key=len, reverse=True)
    )
    return before_scope.FORGET_IN_AUDIT_LOG.call(pattern=pattern, replacement=DELETED_NAME).scalar()


def _literally(text: str) -> str:
    """A PostgreSQL regular expression matching the text as it is."""
    return "".join(character if character.isalnum() else "\\" + character for character in text)


def _forget_without_row_security(spellings: set[str]) -> int:
    """SQLite (the embedded default) has no append-only role: the entries are rewritten here."""
    from app.audit.models import AuditEntry

    pattern = re.compile("|".join(map(re.escape, spellings)), re.IGNORECASE)
    changed = 0
    city = select(AuditEntry).where(AuditEntry.tenant_id == current_tenant_id())
    for entry in db.session.scalars(city):
        logged = json.dumps(entry.changes, ensure_ascii=False)
        if pattern.search(logged):
            entry.changes = json.loads(pattern.sub(DELETED_NAME, logged))
            changed += 1
    unit_of_work.flush()  # in this city's scope, which guards the write
    return changed


def _erase_everywhere(user: User, erasure: Erasure) -> None:
    for name in (
        "organisation_members",
        "regional_assignments",
        "notifications",
        "notification_preferences",
        "notification_digests",
    ):
        table = db.metadata.tables[name]
        _count(
            erasure,
            table.name,
            db.session.execute(delete(table).where(table.c.user_id == user.id)),
        )
    _count(
        erasure,
        "api_tokens",
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=clock.now())
            .execution_options(synchronize_session=False)
        ),
    )


def _empty_account(user: User) -> None:
    db.session.expire(user, ["memberships", "regional_roles"])
    user.name = DELETED_NAME
    user.email = f"usunieta-osoba-{user.id}@razem.invalid"
    user.password_hash = None
    user.locale = None
    user.active = False
    user.email_confirmed = False
    user.last_login_at = None
    user.is_operator = False
    user.end_sessions()
