"""/api/v1/tenants/<slug>/members: a city's people and their roles, for its administrators
(the twin of the members page)."""

from __future__ import annotations

from flask import g
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from app.accounts import services
from app.accounts.models import MEMBERSHIP_ROLES, Invitation, Membership, Role
from app.accounts.permissions import get_or_404, require
from app.api import BEARER
from app.api.blueprint import ApiBlueprint
from app.tenancy import clock

blueprint = ApiBlueprint(
    "api_accounts",
    __name__,
    tag="Ludzie · People",
    url_prefix="/api/v1/tenants/<tenant_slug>",
    description="The city's people and their roles (its administrators)",
)

ROLES = [role.value for role in MEMBERSHIP_ROLES]
ROLE_DESCRIPTION = (
    "`viewer`, `staff` or `admin`; granting `admin` needs `confirm_admin` (the page's "
    "tick box): one click never makes anyone an administrator"
)


class MemberSchema(Schema):
    id = fields.Integer(metadata={"description": "The membership's id", "example": 7})
    name = fields.String(metadata={"example": "Barbara Grygier"})
    email = fields.Email(metadata={"example": "b.grygier@leszno.pl"})
    role = fields.String(metadata={"example": "staff"})
    since = fields.DateTime()


class InvitationSchema(Schema):
    id = fields.Integer(metadata={"example": 3})
    email = fields.Email(metadata={"example": "a.szymanska@leszno.pl"})
    role = fields.String(metadata={"example": "staff"})
    status = fields.String(
        metadata={"description": "`pending`, `accepted`, `revoked` or `expired`"}
    )
    expires_at = fields.DateTime()


class GrantSchema(Schema):
    role = fields.String(
        required=True,
        validate=validate.OneOf(ROLES),
        metadata={"description": ROLE_DESCRIPTION, "example": "staff"},
    )
    confirm_admin = fields.Boolean(
        load_default=False,
        metadata={"description": "I confirm granting administrator rights", "example": False},
    )


class InviteSchema(GrantSchema):
    email = fields.Email(required=True, metadata={"example": "a.szymanska@leszno.pl"})


def _member(membership: Membership) -> dict:
    return {
        "id": membership.id,
        "name": membership.user.name,
        "email": membership.user.email,
        "role": membership.role,
        "since": membership.created_at,
    }


def _invitation(invitation: Invitation) -> dict:
    return {
        "id": invitation.id,
        "email": invitation.email,
        "role": invitation.role,
        "status": invitation.status(clock.now()),
        "expires_at": invitation.expires_at,
    }


@blueprint.route("/members")
@blueprint.doc(security=BEARER)
@blueprint.response(200, MemberSchema(many=True))
@blueprint.listing()
@require(Role.ADMIN)
def members():
    """The people who work in the city, with their roles (administrators).

    By role, then in the order they joined."""
    return [_member(membership) for membership in services.members(g.tenant.id)]


@blueprint.route("/members/invite", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(InviteSchema)
@blueprint.response(201, InvitationSchema)
@blueprint.fails_with(409)
@require(Role.ADMIN)
def invite(data):
    """Invite a person to work in the city with a role (administrators).

    The invitation is e-mailed with a link. 409 when the person works in the city already,
    or for `admin` without `confirm_admin`."""
    try:
        invitation = services.invite(
            g.tenant,
            data["email"],
            data["role"],
            current_user,
            admin_confirmed=data["confirm_admin"],
        )
    except services.AccountError as error:
        abort(409, message=str(error))
    return _invitation(invitation)


@blueprint.route("/members/<int:membership_id>/role", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(GrantSchema)
@blueprint.response(200, MemberSchema)
@blueprint.fails_with(409)
@require(Role.ADMIN)
def change_role(data, membership_id: int):
    """Change a person's role in the city (administrators).

    409 for `admin` without `confirm_admin`, and when the city would be left without an
    administrator."""
    membership = get_or_404(Membership, membership_id, tenant_id=g.tenant.id)
    try:
        services.change_role(
            membership, data["role"], current_user, admin_confirmed=data["confirm_admin"]
        )
    except services.AccountError as error:
        abort(409, message=str(error))
    return _member(membership)


@blueprint.route("/members/<int:membership_id>/remove", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.response(204)
@blueprint.fails_with(409)
@require(Role.ADMIN)
def remove_member(membership_id: int):
    """Remove a person from the city (administrators).

    Their sessions end at once. 409 for the city's last administrator."""
    membership = get_or_404(Membership, membership_id, tenant_id=g.tenant.id)
    try:
        services.remove_member(membership, current_user)
    except services.AccountError as error:
        abort(409, message=str(error))


@blueprint.route("/invitations/<int:invitation_id>/revoke", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.response(200, InvitationSchema)
@require(Role.ADMIN)
def revoke_invitation(invitation_id: int):
    """Withdraw an invitation (administrators).

    Its link opens nothing from then on."""
    invitation = get_or_404(Invitation, invitation_id)
    services.revoke_invitation(invitation)
    return _invitation(invitation)
