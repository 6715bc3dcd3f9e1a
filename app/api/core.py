"""Authentication, the current user, and the public lists of tenants and regions."""

from __future__ import annotations

from flask import request
from flask_login import current_user
from flask_smorest import abort
from sqlalchemy import select

from app.accounts import services
from app.accounts.models import ApiToken, hash_token
from app.accounts.permissions import cities_of_current_user, require
from app.accounts.throttle import per_address_and_account, submitted_email
from app.api import BEARER
from app.api.blueprint import ApiBlueprint, page_of
from app.api.schemas import MeSchema, RegionSchema, TenantSchema, TokenRequestSchema, TokenSchema
from app.extensions import db
from app.tenancy import clock
from app.tenancy.models import Region, Tenant

blueprint = ApiBlueprint(
    "api_core",
    __name__,
    tag="Konto, miasta i regiony · Account, cities and regions",
    url_prefix="/api/v1",
    description="Authentication, the current user, tenants and regions",
)


@blueprint.route("/auth/token", methods=["POST"])
@per_address_and_account(submitted_email)
@blueprint.arguments(TokenRequestSchema)
@blueprint.response(201, TokenSchema)
@blueprint.fails_with(401, 429)
def create_token(credentials):
    """Exchange an e-mail and password for a bearer token.

    The token is shown once and stored hashed; send it as `Authorization: Bearer …`.
    401 for a wrong e-mail or password, 429 after too many tries."""
    try:
        user = services.authenticate(credentials["email"], credentials["password"])
    except services.UnconfirmedEmail as unconfirmed:
        abort(401, message=str(unconfirmed))
    if user is None:
        abort(401, message="The e-mail or the password is not right.")
    else:
        token = services.issue_api_token(user, credentials["name"])
        return {"token": token, "token_type": "Bearer"}


@blueprint.route("/auth/token", methods=["DELETE"])
@blueprint.doc(security=BEARER)
@blueprint.response(204)
@require()
def revoke_token():
    """Revoke the token this request is made with.

    It answers 401 from then on."""
    secret = request.headers.get("Authorization", "")[7:].strip()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is not None:
        token.revoked_at = clock.now()


@blueprint.route("/me")
@blueprint.doc(security=BEARER)
@blueprint.response(200, MeSchema)
@require()
def me():
    """The authenticated user, with their roles.

    Their role in each tenant and their regional roles. A role in a tenant is a
    membership or NGO access through an organisation active there.
    """
    return {
        "id": current_user.id,
        "email": current_user.email,
        "name": current_user.name,
        "locale": current_user.locale,
        "memberships": [
            {"tenant": tenant, "role": role} for tenant, role in cities_of_current_user()
        ],
        "regional_roles": current_user.regional_roles,
    }


@blueprint.route("/tenants")
@blueprint.response(200, TenantSchema(many=True))
@blueprint.paginate()
def tenants(pagination_parameters):
    """All tenants (municipalities) with their region.

    Sorted by slug."""
    return page_of(select(Tenant).order_by(Tenant.slug), pagination_parameters)


@blueprint.route("/regions")
@blueprint.response(200, RegionSchema(many=True))
@blueprint.listing()
def regions():
    """All regions (voivodeships).

    Sorted by slug."""
    return db.session.scalars(select(Region).order_by(Region.slug)).all()
