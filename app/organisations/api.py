"""/api/v1: a city's register of organisations, and an organisation's own profile."""

from __future__ import annotations

from dataclasses import replace

from flask import g
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, ValidationError, fields, validate, validates

from app.accounts.permissions import STAFF, get_or_404, is_staff, require
from app.api import BEARER
from app.api.blueprint import ApiBlueprint, UpdatedSinceSchema, aware, kept_list_page
from app.api.http import last_modified
from app.api.schemas import AudienceSchema
from app.api.versions import shows_version, version_read
from app.organisations import access, identifiers, services
from app.organisations.access import (
    invitation_for,
    organisation_for,
    registration_for,
    registration_of,
)
from app.organisations.catalogue import LEGAL_FORMS, PUBLIC_BENEFIT_AREAS
from app.organisations.models import Organisation, Registration, RegistrationStatus
from app.unit_of_work import EditConflict

blueprint = ApiBlueprint(
    "api_organisations",
    __name__,
    tag="Organizacje · Organisations",
    url_prefix="/api/v1",
    description="Organisations (NGOs) and cities' registers of them",
)


class OrganisationSchema(Schema):
    id = fields.Integer(dump_only=True)
    version = fields.Integer(
        metadata={"description": "Send back the version you read; a newer one answers 409."}
    )
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=300),
        metadata={"example": "Stowarzyszenie „ECHO”"},
    )
    short_name = fields.String(allow_none=True, validate=validate.Length(max=120))
    legal_form = fields.String(required=True, validate=validate.OneOf(list(LEGAL_FORMS)))
    krs = fields.String(allow_none=True)
    nip = fields.String(allow_none=True)
    regon = fields.String(allow_none=True)
    address = fields.String(allow_none=True, validate=validate.Length(max=300))
    email = fields.Email(allow_none=True)
    phone = fields.String(allow_none=True, validate=validate.Length(max=40))
    website = fields.Url(allow_none=True)
    description = fields.String(allow_none=True, validate=validate.Length(max=5000))
    areas = fields.List(
        fields.String(validate=validate.OneOf(list(PUBLIC_BENEFIT_AREAS))), load_default=list
    )
    public_benefit = fields.Boolean(load_default=False)

    @validates("krs")
    def _krs(self, value, **kwargs):
        _check(identifiers.clean_krs, value)

    @validates("nip")
    def _nip(self, value, **kwargs):
        _check(identifiers.clean_nip, value)

    @validates("regon")
    def _regon(self, value, **kwargs):
        _check(identifiers.clean_regon, value)


def _check(cleaner, value) -> None:
    from app.organisations.forms import identifier_message

    try:
        cleaner(value)
    except identifiers.InvalidIdentifier as error:
        raise ValidationError(identifier_message(error)) from error


def _cleaned(data: dict) -> tuple[dict, list[str]]:
    data.pop("version", None)
    areas = data.pop("areas", [])
    data["krs"] = identifiers.clean_krs(data.get("krs"))
    data["nip"] = identifiers.clean_nip(data.get("nip"))
    data["regon"] = identifiers.clean_regon(data.get("regon"))
    return data, areas


class RegistrationSchema(AudienceSchema):
    hidden = staticmethod(access.hidden_fields)

    organisation = fields.Nested(OrganisationSchema, dump_only=True)
    version = fields.Integer(
        metadata={"description": "Send back the version you read; a newer one answers 409."}
    )
    status = fields.String(validate=validate.OneOf([s.value for s in RegistrationStatus]))
    fields_of_activity = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_email = fields.Email(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    notes = fields.String(allow_none=True, metadata={"description": "Staff of the city only"})
    tags = fields.List(fields.String(), metadata={"description": "Staff of the city only"})


class DirectoryArgs(UpdatedSinceSchema):
    q = fields.String(
        load_default="",
        metadata={"description": "Words of the name, or a KRS, NIP or REGON", "example": "ECHO"},
    )
    area = fields.String(
        load_default="", metadata={"description": "A public-benefit area (its key)"}
    )
    legal_form = fields.String(load_default="", metadata={"description": "A legal form (its key)"})
    tag = fields.String(load_default="", metadata={"description": "A city's tag (staff only)"})
    status = fields.String(
        load_default="active", metadata={"description": "Registration status (staff only)"}
    )
    sort = fields.String(
        load_default="name",
        validate=validate.OneOf(list(services.SORTS)),
        metadata={"description": "The order of the list"},
    )


REGISTRATION_COLUMNS = (
    "status",
    "fields_of_activity",
    "contact_name",
    "contact_email",
    "contact_phone",
)


def _with_city_records(registrations: list[Registration]) -> list[dict]:
    """The registrations' values with the city's notes and tags (kept in tables of their own);
    the response schema dumps them for the reader."""
    records = services.city_records([r.id for r in registrations]) if is_staff() else {}
    return [
        {name: getattr(registration, name) for name in REGISTRATION_COLUMNS}
        | {
            "organisation": _profile(registration.organisation),
            "version": registration.lock_version,
        }
        | dict(zip(("notes", "tags"), records.get(registration.id, (None, [])), strict=True))
        for registration in registrations
    ]


def _profile(organisation: Organisation) -> dict:
    """The profile as the schema shows it, with the version to send back."""
    return {
        name: getattr(organisation, name) for name in (*Organisation.PROFILE_FIELDS, "id", "areas")
    } | {"version": organisation.lock_version}


def _register_page(query: services.DirectoryQuery) -> tuple[int | None, list[dict]]:
    # flask-smorest's convention: a page past the last is an empty list
    page = services.directory(g.tenant.id, query, error_out=False)
    return page.total, _with_city_records(page.items)


def _with_city_record(registration: Registration) -> dict:
    shows_version(registration)
    return _with_city_records([registration])[0]


REGISTER = RegistrationSchema(many=True)


@blueprint.route("/tenants/<tenant_slug>/organisations")
class CityRegister(MethodView):
    @blueprint.arguments(DirectoryArgs, location="query")
    @blueprint.response(200, REGISTER)
    @blueprint.paginate()
    def get(self, args, pagination_parameters):
        """The city's organisations: the public directory, or the whole register for staff.

        Searched by `q` (name, KRS, NIP, REGON), filtered by area and legal form (and by
        `updated_since`, the last change of the organisation's profile), sorted by `sort`."""
        staff = is_staff()
        query = services.DirectoryQuery.from_args(
            {
                **args,
                "page": pagination_parameters.page,
                "page_size": pagination_parameters.page_size,
            },
            staff=staff,
        )
        if args["updated_since"] is not None:
            query = replace(query, updated_since=aware(args["updated_since"]))
        return kept_list_page(
            "api-register", lambda: _register_page(query), REGISTER, pagination_parameters, staff
        )

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(OrganisationSchema)
    @blueprint.response(201, RegistrationSchema)
    @blueprint.fails_with(409)
    @require(*STAFF)
    def post(self, data):
        """Add a new organisation to the city's register (staff).

        An organisation already in Razem answers 409 with its id in `errors`: register it
        with PUT on its URL instead."""
        values, areas = _cleaned(data)
        existing = services.find_duplicates(
            values["name"], values["krs"], values["nip"], values["regon"]
        ).same_identifier
        if existing is not None:
            abort(
                409,
                message="The organisation is already in Razem.",
                errors={"existing_organisation_id": existing.id},
            )
        organisation = services.create_organisation(values, areas)
        return _with_city_record(
            services.register(g.tenant, organisation, RegistrationStatus.ACTIVE)
        )


@blueprint.route("/tenants/<tenant_slug>/organisations/<int:organisation_id>")
class CityRegistration(MethodView):
    @blueprint.response(200, RegistrationSchema)
    def get(self, organisation_id: int):
        """An organisation as registered in this city.

        The city's notes and tags only for its staff."""
        return _with_city_record(registration_of(organisation_id))

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(RegistrationSchema(partial=True))
    @blueprint.response(200, RegistrationSchema)
    @blueprint.versioned()
    @require(*STAFF)
    def patch(self, data, organisation_id: int):
        """Update the city's registration of an organisation (staff).

        Its status, contact fields, notes and tags. State the version you read: `version`
        in the body (a newer one answers 409) or the ETag in `If-Match` (412); 409 also
        for a change of status the register does not allow."""
        registration = registration_of(organisation_id, "manage")
        notes, tags = services.city_record(registration)
        expected_version = version_read(registration, data)
        try:
            services.save_city_record(
                registration,
                expected_version,
                notes=data.pop("notes", notes),
                tags=data.pop("tags", tags),
                status=data.pop("status", registration.status),
                fields=data,
            )
        except (EditConflict, services.OrganisationError) as error:
            abort(409, message=str(error))
        return _with_city_record(registration)

    @blueprint.doc(security=BEARER)
    @blueprint.response(201, RegistrationSchema)
    @blueprint.fails_with(409)
    @require(*STAFF)
    def put(self, organisation_id: int):
        """Register in this city an organisation already in Razem (staff).

        One with a representative is invited (status "invited") and active once they
        accept; 409 when it is registered already."""
        organisation = get_or_404(Organisation, organisation_id)
        try:
            registration = services.link(g.tenant, organisation)
        except services.OrganisationError as error:
            abort(409, message=str(error))
        return _with_city_record(registration)


@blueprint.route("/organisations/<int:organisation_id>")
class OrganisationProfile(MethodView):
    @blueprint.response(200, OrganisationSchema)
    def get(self, organisation_id: int):
        """An organisation's own profile.

        The same in every city where it is active."""
        organisation = organisation_for(organisation_id)
        last_modified(organisation.updated_at)
        shows_version(organisation)
        return _profile(organisation)

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(OrganisationSchema(partial=True))
    @blueprint.response(200, OrganisationSchema)
    @blueprint.versioned()
    @require()
    def patch(self, data, organisation_id: int):
        """Update an organisation's profile.

        By its representatives and editors. State the version you read: `version` in the
        body (a newer one answers 409) or the ETag in `If-Match` (412); 409 also when an
        identifier belongs to another organisation."""
        organisation = organisation_for(organisation_id, "edit")
        expected_version = version_read(organisation, data)
        values, areas = _cleaned({**_profile(organisation), **data})
        values.pop("id", None)
        try:
            services.update_profile(organisation, expected_version, values, areas)
        except (EditConflict, services.OrganisationError) as error:
            abort(409, message=str(error))
        shows_version(organisation)
        return _profile(organisation)


class ApplicationSchema(Schema):
    organisation_id = fields.Integer(
        required=True, metadata={"description": "An organisation you act for", "example": 1}
    )
    fields_of_activity = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"example": "Zajęcia dla seniorów w Klubie Seniora przy ul. Słowiańskiej."},
    )
    contact_name = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=200),
        metadata={"example": "Henryk Hendrysiak"},
    )
    contact_email = fields.Email(load_default=None, allow_none=True)


class RequestDecisionSchema(Schema):
    approve = fields.Boolean(required=True, metadata={"example": False})
    reason = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={
            "description": "Required when declining: the organisation reads it",
            "example": "Organizacja nie prowadzi działalności na terenie miasta.",
        },
    )


class InvitationAnswerSchema(Schema):
    accept = fields.Boolean(required=True, metadata={"example": True})
    reason = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Length(max=2000),
        metadata={"description": "Optional; the city reads it", "example": "Nie działamy tam."},
    )


class RepresentativeInvitationSchema(Schema):
    email = fields.Email(required=True, metadata={"example": "h.hendrysiak@echo.org.pl"})


def _empty_to_none(data: dict) -> dict:
    return {key: value or None for key, value in data.items()}


@blueprint.route("/tenants/<tenant_slug>/organisations/apply", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(ApplicationSchema)
@blueprint.response(201, RegistrationSchema)
@blueprint.fails_with(409)
@require()
def apply(data):
    """Ask the city to register an organisation you act for.

    The request waits for the city's staff (status `requested`); they answer by e-mail.
    422 when you do not act for the organisation, 409 when it is in the city's register
    already or has asked."""
    organisation = services.organisation_to_apply_for(current_user, data.pop("organisation_id"))
    if organisation is None:  # as the page, which offers only these
        abort(422, message=_("Choose an organisation you act for."))
    try:
        registration = services.apply(g.tenant, organisation, **_empty_to_none(data))
    except services.OrganisationError as error:
        abort(409, message=str(error))
    return _with_city_record(registration)


@blueprint.route(
    "/tenants/<tenant_slug>/organisations/<int:registration_id>/decision", methods=["POST"]
)
@blueprint.doc(security=BEARER)
@blueprint.arguments(RequestDecisionSchema)
@blueprint.response(200, RegistrationSchema)
@blueprint.fails_with(409)
@require(*STAFF)
def decide(data, registration_id: int):
    """Accept or decline an organisation's request to be registered (staff).

    Named by the registration's id (the city's requests page). Its representatives are
    told by e-mail. 409 when the request is decided already, or declined without a
    reason."""
    registration = registration_for(registration_id, "manage")
    try:
        services.decide(registration, approve=data["approve"], reason=data["reason"])
    except services.OrganisationError as error:
        abort(409, message=str(error))
    return _with_city_record(registration)


@blueprint.route(
    "/tenants/<tenant_slug>/organisations/<int:registration_id>/answer", methods=["POST"]
)
@blueprint.doc(security=BEARER)
@blueprint.arguments(InvitationAnswerSchema)
@blueprint.response(200, RegistrationSchema)
@blueprint.fails_with(409)
@require()
def answer_invitation(data, registration_id: int):
    """Accept or decline the city's invitation into its register (the organisation's
    representatives).

    Named by the registration's id; 404 to anyone else and once it is answered."""
    registration = invitation_for(registration_id)
    try:
        services.answer_invitation(registration, data["accept"], data["reason"])
    except services.OrganisationError as error:
        abort(409, message=str(error))
    return _with_city_record(registration)


@blueprint.route(
    "/tenants/<tenant_slug>/organisations/<int:registration_id>/invite-representative",
    methods=["POST"],
)
@blueprint.doc(security=BEARER)
@blueprint.arguments(RepresentativeInvitationSchema)
@blueprint.response(204)
@blueprint.fails_with(409)
@require(*STAFF)
def invite_representative(data, registration_id: int):
    """Invite the first representative of an organisation nobody acts for yet (staff).

    They get a link by e-mail; once it has one, they invite its other people. 409 when it
    has a representative already."""
    registration = registration_for(registration_id, "manage")
    try:
        services.invite_first_representative(registration.organisation, data["email"], current_user)
    except services.OrganisationError as error:
        abort(409, message=str(error))
