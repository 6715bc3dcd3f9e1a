"""Account operations shared by the views, the API and the CLI."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from flask import current_app, session, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user, logout_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import Select, String, bindparam, func, select, update
from sqlalchemy.orm import contains_eager, lazyload

from app import unit_of_work
from app.accounts import loading
from app.accounts.models import (
    MEMBERSHIP_ROLES,
    ApiToken,
    Invitation,
    Membership,
    Role,
    User,
    as_utc,
    hash_token,
    utcnow,
)
from app.accounts.roles import grantable_roles
from app.extensions import db
from app.kept_rows import Kept
from app.mail import send_mail
from app.tenancy import before_scope, clock
from app.tenancy.context import acting_as, set_actor
from app.tenancy.models import Tenant


class AccountError(ValueError):
    """A rule of accounts was broken; the message is shown to the person."""


def find_user(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


class UnconfirmedEmail(AccountError):
    """The password is right, but nobody has confirmed the account's address yet."""

    def __init__(self, user: User) -> None:
        super().__init__(_("Confirm your e-mail address first: follow the link we sent to it."))
        self.user = user


def authenticate(email: str, password: str) -> User | None:
    """The user with this password, or None; UnconfirmedEmail (said only to whoever knows
    the password) if the address of a sign-up is not confirmed yet."""
    user = find_user(email)
    if user is None or not user.active or not user.check_password(password):
        return None
    if not user.email_confirmed:
        raise UnconfirmedEmail(user)
    user.last_login_at = utcnow()
    unit_of_work.flush()
    return user


def start_session(user: User) -> None:
    """Log the user in on a fresh session (no fixation), keeping the chosen language."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale
    login_user(user)
    set_actor(user.id)
    # Loaded before the database knew the person: their memberships in other cities were
    # behind the personal wall then.
    db.session.expire(user, ["memberships"])


def end_session(user: User) -> None:
    """Log out everywhere: a copy of the cookie kept elsewhere must not stay logged in."""
    user.end_sessions()
    unit_of_work.flush()
    logout_user()


def create_user(
    email: str,
    name: str,
    password: str | None,
    locale: str | None = None,
    *,
    email_confirmed: bool = True,
) -> User:
    """A new account; its address counts as confirmed unless a sign-up says otherwise (an
    invitation's link has already reached it)."""
    if find_user(email):
        raise AccountError(_("An account with this e-mail already exists."))
    user = User(
        email=email.strip().lower(),
        name=name.strip(),
        locale=locale,
        email_confirmed=email_confirmed,
    )
    if password:
        user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


# Password reset: a signed, expiring token bound to the current password hash, so it
# works once — setting a new password invalidates it.


def _reset_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="password-reset")


def password_reset_token(user: User) -> str:
    return _reset_serializer().dumps({"user": user.id, "hash": (user.password_hash or "")[-16:]})


def user_from_reset_token(token: str) -> User | None:
    try:
        data = _reset_serializer().loads(token, max_age=current_app.config["TOKEN_MAX_AGE_SECONDS"])
    except (BadSignature, SignatureExpired):
        return None
    user = db.session.get(User, data.get("user"))
    if user is None or (user.password_hash or "")[-16:] != data.get("hash"):
        return None
    return user


def send_password_reset(email: str) -> None:
    """Mail a reset link if the account exists; say nothing either way."""
    user = find_user(email)
    if user is None or not user.active:
        return
    link = url_for("accounts.reset_password", token=password_reset_token(user), _external=True)
    send_mail(
        user.email,
        _l("Set a new password in Razem"),
        "password_reset",
        locale=user.locale,
        user=user,
        link=link,
    )


def reset_password(user: User, password: str) -> None:
    """The link of a reset reached the account's mailbox: that confirms the address too."""
    user.email_confirmed = True
    set_new_password(user, password)


def set_new_password(user: User, password: str) -> None:
    """Whoever knew the old password is shut out: their sessions and API tokens end."""
    user.set_password(password)
    user.end_sessions()
    # The tokens are the person's own (a personal wall): revoked as the person, whom a reset
    # link has just proved as well as a signed-in session does.
    with acting_as(user.id):
        db.session.execute(
            update(ApiToken)
            .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )
    unit_of_work.flush()


# Invitations: the token is mailed, only its hash is kept.


def authorise_grant(actor: User | None, tenant_id: int, role: str, admin_confirmed: bool) -> Role:
    """The role to grant, if the actor may grant it; administrator only when confirmed."""
    granted = next((r for r in grantable_roles(actor, tenant_id) if r.value == role), None)
    if granted is None:
        raise AccountError(_("You may not grant this role."))
    if granted == Role.ADMIN and not admin_confirmed:
        raise AccountError(
            _("Granting administrator rights needs an explicit confirmation: tick the box.")
        )
    return granted


def invite(
    tenant: Tenant, email: str, role: str, invited_by: User, *, admin_confirmed: bool = False
) -> Invitation:
    granted = authorise_grant(invited_by, tenant.id, role, admin_confirmed)
    email = email.strip().lower()
    existing = find_user(email)
    if existing and existing.membership_in(tenant.id):
        raise AccountError(_("This person already works here."))
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        email=email,
        role=granted.value,
        token_hash=hash_token(token),
        invited_by=invited_by,
        expires_at=utcnow() + timedelta(seconds=current_app.config["INVITATION_MAX_AGE_SECONDS"]),
    )
    db.session.add(invitation)
    unit_of_work.flush()
    link = url_for(
        "accounts.accept_invitation", tenant_slug=tenant.slug, token=token, _external=True
    )
    send_mail(
        email,
        _l("Invitation to Razem: %(city)s", city=tenant.name("pl")),
        "invitation",
        locale=existing.locale if existing else None,
        tenant=tenant,
        role=granted.value,
        link=link,
        invited_by=invited_by,
    )
    return invitation


def find_invitation(token: str) -> Invitation | None:
    """The pending invitation of the current tenant with this token."""
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.token_hash == hash_token(token))
    )
    if invitation is None or invitation.status(clock.now()) != "pending":
        return None
    return invitation


def accept_invitation(invitation: Invitation, user: User) -> Membership:
    if user.email.lower() != invitation.email.lower():
        raise AccountError(_("This invitation was sent to another e-mail address."))
    membership = user.membership_in(invitation.tenant_id)
    if membership is None:
        membership = Membership(user=user, tenant_id=invitation.tenant_id, role=invitation.role)
        db.session.add(membership)
    invitation.accepted_at = utcnow()
    unit_of_work.flush()
    return membership


def _admins_left(tenant_id: int, without: Membership) -> int:
    return (
        db.session.scalar(
            select(func.count())
            .select_from(Membership)
            .where(
                Membership.tenant_id == tenant_id,
                Membership.role == Role.ADMIN.value,
                Membership.id != without.id,
            )
        )
        or 0
    )


def change_role(
    membership: Membership, role: str, actor: User, *, admin_confirmed: bool = False
) -> None:
    if role == membership.role:
        return
    granted = authorise_grant(actor, membership.tenant_id, role, admin_confirmed)
    if membership.role == Role.ADMIN and not _admins_left(membership.tenant_id, membership):
        raise AccountError(_("A city needs at least one administrator."))
    if MEMBERSHIP_ROLES.index(granted) < MEMBERSHIP_ROLES.index(Role(membership.role)):
        membership.user.end_sessions()
    membership.role = granted.value
    unit_of_work.flush()


def remove_member(membership: Membership, actor: User) -> None:
    if membership.role not in grantable_roles(actor, membership.tenant_id):
        raise AccountError(_("You may not remove this person."))
    if membership.role == Role.ADMIN and not _admins_left(membership.tenant_id, membership):
        raise AccountError(_("A city needs at least one administrator."))
    membership.user.end_sessions()
    db.session.delete(membership)
    unit_of_work.flush()


def members(tenant_id: int) -> list[Membership]:
    """The people who work in the city, by role, then in the order they joined."""
    return list(
        db.session.scalars(
            select(Membership)
            .where(Membership.tenant_id == tenant_id)
            .join(Membership.user)
            .options(contains_eager(Membership.user))
            .order_by(Membership.role, Membership.id)
        )
    )


def open_invitations() -> list[Invitation]:
    """The city's invitations neither accepted nor withdrawn, the newest first."""
    return list(
        db.session.scalars(
            select(Invitation)
            .where(Invitation.accepted_at.is_(None), Invitation.revoked_at.is_(None))
            .order_by(Invitation.created_at.desc())
        )
    )


def revoke_invitation(invitation: Invitation) -> None:
    """The link of the invitation opens nothing from now on."""
    if invitation.revoked_at is None:
        invitation.revoked_at = clock.now()
    unit_of_work.flush()


def issue_api_token(user: User, name: str) -> str:
    lifetime = timedelta(days=current_app.config["API_TOKEN_MAX_AGE_DAYS"])
    token, secret = ApiToken.issue(user, name, expires_at=utcnow() + lifetime)
    # Issued to the person who has just proved who they are (a password, a session), as
    # theirs: the tokens are behind a personal wall.
    with acting_as(user.id):
        db.session.add(token)
        unit_of_work.flush()
    return secret


# Whose each token is, as this process found it: a token never changes hands, and one revoked
# or deleted since is refused by the statement that loads its owner with it.
_token_owners: Kept[str, int] = Kept(loading.KEPT_PEOPLE)


def user_for_api_token(secret: str) -> User | None:
    """The person a bearer token authenticates, who is the actor from then on."""
    token_hash = hash_token(secret)
    owner_id = _token_owners.get(token_hash)
    if owner_id is None:
        owner_id = before_scope.api_token_owner(token_hash)
        if owner_id is None:
            return None
        _token_owners[token_hash] = owner_id
    set_actor(owner_id)  # the token is theirs to read (a personal wall)
    loaded = loading.person(owner_id, _with_the_token, token_hash=token_hash)
    now = clock.now()
    if loaded is None or not loaded.values["ApiToken"].usable(now) or not loaded.user.active:
        set_actor(None)
        return None
    _note_use(loaded.values["ApiToken"], now)
    return loaded.user


def _with_the_token(person: Select) -> Select:
    """The person's statement with the token whose hash is asked, in the same statement."""
    return (
        person.add_columns(ApiToken)
        .join(ApiToken, ApiToken.user_id == User.id)
        .where(ApiToken.token_hash == bindparam("token_hash", type_=String))
        .options(lazyload(ApiToken.user))  # the person is the row's first column
    )


def token_use_precision() -> timedelta:
    """How far behind a token's last use its "last used" may be (the token list says it)."""
    return timedelta(seconds=current_app.config["API_TOKEN_USE_PRECISION_SECONDS"])


def _note_use(token: ApiToken, now: datetime) -> None:
    """Remember when the token was last used, to the precision its owner reads it with: a
    client calling many times a minute writes the row once in that time, not every call."""
    if token.last_used_at is None or as_utc(token.last_used_at) <= now - token_use_precision():
        token.last_used_at = now
