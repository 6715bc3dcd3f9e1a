"""/api/v1/tenants/<slug>/programmes and, under a programme, its milestones, proposals,
comments and transitions."""

from __future__ import annotations

from flask import abort as flask_abort
from flask import g, url_for
from flask.views import MethodView
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy.orm import load_only, raiseload

from app.accounts.models import Role
from app.accounts.permissions import STAFF, current_tenant_role, is_staff, require
from app.api import BEARER
from app.api.blueprint import ApiBlueprint, UpdatedSinceSchema, page_of, updated_since
from app.api.http import last_modified
from app.core.errors import problem_response
from app.programmes import consultation, proposals, services
from app.programmes.access import acting_for, consultation_of, programme_for
from app.programmes.catalogue import CYCLE, ELEMENTS, Kind, Stage
from app.programmes.models import Programme

blueprint = ApiBlueprint(
    "api_programmes",
    __name__,
    tag="Programy współpracy · Cooperation programmes",
    url_prefix="/api/v1/tenants/<tenant_slug>",
    description="Cooperation programmes and their cycle",
)
ELEMENT_KEYS = list(ELEMENTS)


class MilestoneSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "The last day; without it the step lasts one day"},
    )
    responsible = fields.String(load_default="")
    status = fields.String(
        load_default="planned", validate=validate.OneOf(["planned", "in_progress", "done"])
    )


class ProgrammeSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf([k.value for k in Kind]))
    year_from = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    year_to = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=500),
        metadata={
            "example": "Roczny program współpracy Miasta Leszna z organizacjami "
            "pozarządowymi na 2027 rok"
        },
    )
    stage = fields.String(
        dump_only=True,
        metadata={"description": "The stage of the cycle", "example": "consultation"},
    )
    # money as a string of the exact amount, documented as one
    budget = fields.Decimal(
        dump_only=True,
        as_string=True,
        allow_none=True,
        metadata={"type": "string", "format": "decimal"},
    )
    resolution_number = fields.String(dump_only=True, allow_none=True)
    resolution_date = fields.Date(dump_only=True, allow_none=True)


class DeadlineSchema(Schema):
    label = fields.String(metadata={"example": "Uchwalenie przez radę"})
    due = fields.Date(metadata={"description": "The statutory deadline (art. 5a)"})
    met_on = fields.Date(allow_none=True, metadata={"description": "null: not met yet"})


class ProgrammeLinksSchema(Schema):
    page = fields.Url(metadata={"description": "The programme's page on the city's site"})


class ProgrammeSummarySchema(ProgrammeSchema):
    proposals_from = fields.Date(
        dump_only=True, allow_none=True, metadata={"description": "The proposals window"}
    )
    proposals_to = fields.Date(dump_only=True, allow_none=True)
    consultation_from = fields.Date(
        dump_only=True, allow_none=True, metadata={"description": "The consultation window"}
    )
    consultation_to = fields.Date(dump_only=True, allow_none=True)
    deadlines = fields.List(fields.Nested(DeadlineSchema), dump_only=True)
    updated_at = fields.DateTime(dump_only=True)
    links = fields.Nested(ProgrammeLinksSchema, dump_only=True)


class ProgrammeDetailSchema(ProgrammeSchema):
    content = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        dump_only=True,
        metadata={"description": "The elements of art. 5a ust. 4 as text"},
    )
    completeness = fields.Dict(keys=fields.String(), values=fields.Boolean(), dump_only=True)
    milestones = fields.List(fields.Nested(MilestoneSchema), dump_only=True)


class ProposalSchema(Schema):
    id = fields.Integer(dump_only=True)
    organisation_id = fields.Integer(required=True)
    element = fields.String(required=True, validate=validate.OneOf(ELEMENT_KEYS))
    proposed_text = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    justification = fields.String(load_default="")
    submitted_at = fields.DateTime(dump_only=True)
    forwarded_to = fields.String(dump_only=True, allow_none=True)
    answer = fields.String(dump_only=True, allow_none=True)
    answer_justification = fields.String(dump_only=True, allow_none=True)


class CommentSchema(Schema):
    id = fields.Integer(dump_only=True)
    organisation_id = fields.Integer(load_default=None, allow_none=True)
    element = fields.String(required=True, validate=validate.OneOf(ELEMENT_KEYS))
    body = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    created_at = fields.DateTime(dump_only=True)
    answer = fields.String(dump_only=True, allow_none=True)
    taken_into_account = fields.String(dump_only=True, allow_none=True)


class TransitionSchema(Schema):
    from_stage = fields.String(dump_only=True)
    to_stage = fields.String(required=True, validate=validate.OneOf([s.value for s in CYCLE]))
    note = fields.String(load_default="")
    created_at = fields.DateTime(dump_only=True)


@blueprint.errorhandler(services.ProgrammeFrozen)
def frozen(error: services.ProgrammeFrozen):
    return problem_response(409, _("This programme has been adopted."), str(error))


SUMMARY_COLUMNS = (
    *ProgrammeSchema().fields,
    "proposals_from",
    "proposals_to",
    "consultation_from",
    "consultation_to",
    "updated_at",
)
# what a summary reads of the row: its columns, and the days its deadlines were met
SUMMARY_READS = tuple(
    getattr(Programme, name) for name in (*SUMMARY_COLUMNS, "report_published_on")
)


def _summary(programme: Programme) -> dict:
    page = url_for(
        "programmes.show", tenant_slug=g.tenant.slug, programme_id=programme.id, _external=True
    )
    return {
        **{name: getattr(programme, name) for name in SUMMARY_COLUMNS},
        "deadlines": services.deadlines(programme),
        "links": {"page": page},
    }


def _detail(programme: Programme) -> dict:
    """The programme's values, computed ones included; the response schema dumps them.
    Everyone but staff reads the text in force while an amendment is being prepared."""
    values = {name: getattr(programme, name) for name in ProgrammeSchema().fields}
    in_force = None if is_staff() else services.text_in_force(programme)
    return {
        **values,
        "milestones": programme.milestones,
        "content": in_force.content if in_force else consultation.as_text(programme),
        "completeness": services.completeness(programme),
    }


@blueprint.route("/programmes")
class Programmes(MethodView):
    @blueprint.arguments(UpdatedSinceSchema, location="query")
    @blueprint.response(200, ProgrammeSummarySchema(many=True))
    @blueprint.paginate()
    def get(self, args, pagination_parameters):
        """The city's programmes: the published ones, or all for its staff.

        Each with its stage, the days of its proposals and consultation windows, its
        statutory deadlines and a link to its page. The newest period first."""
        query = (
            services.listing(public_only=not is_staff())
            .order_by(Programme.id.desc())
            .options(load_only(*SUMMARY_READS, raiseload=True), raiseload("*"))
        )
        query = updated_since(query, Programme.updated_at, args["updated_since"])
        return [_summary(p) for p in page_of(query, pagination_parameters)]

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(ProgrammeSchema)
    @blueprint.response(201, ProgrammeDetailSchema)
    @require(*STAFF)
    def post(self, data):
        """Create a draft programme (staff).

        The statutory principles come with it. 422 when the period is taken."""
        try:
            programme = services.create(
                Kind(data["kind"]), data["year_from"], data["year_to"], data["title"]
            )
        except services.PeriodTaken as error:
            abort(422, message=str(error), errors={"json": {"year_from": [str(error)]}})
        except services.ProgrammeError as error:
            abort(422, message=str(error))
        return _detail(programme)


@blueprint.route("/programmes/<int:programme_id>")
@blueprint.response(200, ProgrammeDetailSchema)
def programme_detail(programme_id: int):
    """A programme with its content, completeness and schedule.

    Everyone but the city's staff reads the text in force while an amendment is being
    prepared; a draft answers 404 to them."""
    programme = programme_for(programme_id)
    last_modified(programme.updated_at)
    return _detail(programme)


@blueprint.route("/programmes/<int:programme_id>/milestones")
class Milestones(MethodView):
    @blueprint.response(200, MilestoneSchema(many=True))
    @blueprint.listing()
    def get(self, programme_id: int):
        """The programme's schedule (harmonogram).

        The whole schedule in the order of its steps."""
        return programme_for(programme_id).milestones

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(MilestoneSchema(many=True))
    @blueprint.response(200, MilestoneSchema(many=True))
    @blueprint.fails_with(409)
    @require(*STAFF)
    def put(self, rows, programme_id: int):
        """Replace the schedule (staff).

        422 when a step ends before it starts; 409 once the programme is adopted."""
        programme = programme_for(programme_id, "manage")
        if any(row["ends_on"] and row["ends_on"] < row["starts_on"] for row in rows):
            abort(422, message="A step cannot end before it starts.")
        services.save_milestones(programme, rows)
        return programme.milestones


@blueprint.route("/programmes/<int:programme_id>/proposals")
class Proposals(MethodView):
    @blueprint.doc(security=BEARER)
    @blueprint.response(200, ProposalSchema(many=True))
    @blueprint.listing()
    @require(*STAFF, Role.NGO)
    def get(self, programme_id: int):
        """Proposals to the programme.

        The city's staff read the aggregated list in the order of the programme's
        elements; an NGO reads its own proposals."""
        programme = programme_for(programme_id, "read_proposals")
        if is_staff():
            return proposals.aggregated_list(programme, proposals.ProposalFilter())
        return proposals.of_user(current_user, programme.id)

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(ProposalSchema)
    @blueprint.response(201, ProposalSchema)
    @blueprint.fails_with(410)
    @require(Role.NGO)
    def post(self, data, programme_id: int):
        """Send a proposal for an organisation one acts for.

        Only while the proposals window is open: 410 when it is not."""
        programme = programme_for(programme_id, "propose")
        organisation = acting_for(data["organisation_id"])
        try:
            return proposals.submit(
                programme,
                organisation,
                current_user,
                data["element"],
                data["proposed_text"],
                data["justification"],
            )
        except proposals.ProposalError as error:
            abort(410, message=str(error))


@blueprint.route("/programmes/<int:programme_id>/comments")
class Comments(MethodView):
    @blueprint.response(200, CommentSchema(many=True))
    @blueprint.listing()
    def get(self, programme_id: int):
        """Consultation comments and the city's answers.

        In the order of the programme's elements, then as they came."""
        return consultation.comments_of(consultation_of(programme_id))

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(CommentSchema)
    @blueprint.response(201, CommentSchema)
    @blueprint.fails_with(410)
    @require(Role.NGO)
    def post(self, data, programme_id: int):
        """Comment on the draft in consultation.

        Only during the consultation window: 410 outside it."""
        programme = programme_for(programme_id, "comment")
        speaks_for = data["organisation_id"]
        organisation = acting_for(speaks_for) if speaks_for is not None else None
        try:
            return consultation.comment(
                programme, current_user, organisation, data["element"], data["body"]
            )
        except consultation.ConsultationError as error:
            abort(410, message=str(error))


@blueprint.route("/programmes/<int:programme_id>/transitions")
class Transitions(MethodView):
    @blueprint.doc(security=BEARER)
    @blueprint.response(200, TransitionSchema(many=True))
    @blueprint.listing()
    @require(*STAFF)
    def get(self, programme_id: int):
        """The history of the programme's cycle (staff).

        Every move between stages, the oldest first."""
        return programme_for(programme_id, "manage").transitions

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(TransitionSchema)
    @blueprint.response(201, TransitionSchema)
    @blueprint.fails_with(409)
    @require(*STAFF)
    def post(self, data, programme_id: int):
        """Move the programme to another stage of its cycle (staff).

        403 for a role that may not make this move, 409 when a rule of the cycle is not
        met."""
        programme = programme_for(programme_id, "manage")
        try:
            return services.move(
                programme, Stage(data["to_stage"]), current_tenant_role(), note=data["note"]
            )
        except PermissionError:
            flask_abort(403)
        except services.ProgrammeError as error:
            abort(409, message=str(error))
