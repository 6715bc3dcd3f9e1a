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

from app import unit_of_work
from app.accounts.models import Role
from app.accounts.permissions import STAFF, current_tenant_role, is_staff, require
from app.api import BEARER
from app.api.blueprint import (
    ApiBlueprint,
    UpdatedSinceSchema,
    kept_list_page,
    page_of,
    updated_since,
)
from app.api.http import last_modified
from app.api.schemas import FileUpload
from app.api.versions import shows_version, version_read
from app.core.errors import problem_response
from app.files import CheckedUpload, UploadRejected, from_form
from app.organisations.catalogue import PUBLIC_BENEFIT_AREAS
from app.programmes import consultation, proposals, services, year_reports
from app.programmes.access import (
    acting_for,
    comment_for,
    consultation_of,
    office_person,
    programme_for,
    proposal_for,
    year_report_for,
)
from app.programmes.catalogue import (
    CYCLE,
    ELEMENTS,
    TEXT_ELEMENTS,
    Answer,
    CooperationArea,
    Kind,
    Stage,
    WindowKind,
)
from app.programmes.models import Opinion, Programme
from app.unit_of_work import ConstraintViolation, EditConflict

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
    version = fields.Integer(
        dump_only=True,
        metadata={"description": "The programme's version: send it back with an update"},
    )
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


def _summaries(query, pagination) -> tuple[int | None, list[dict]]:
    """A page of the list and the count of all, the same for every reader of a kind."""
    items = [_summary(programme) for programme in page_of(query, pagination)]
    return pagination.item_count, items


def _detail(programme: Programme) -> dict:
    """The programme's values, computed ones included; the response schema dumps them.
    Everyone but staff reads the text in force while an amendment is being prepared."""
    values = {name: getattr(programme, name) for name in ProgrammeSchema().fields}
    in_force = None if is_staff() else services.text_in_force(programme)
    return {
        **values,
        "version": programme.lock_version,
        "milestones": programme.milestones,
        "content": in_force.content if in_force else consultation.as_text(programme),
        "completeness": services.completeness(programme),
    }


SUMMARIES = ProgrammeSummarySchema(many=True)


@blueprint.route("/programmes")
class Programmes(MethodView):
    @blueprint.arguments(UpdatedSinceSchema, location="query")
    @blueprint.response(200, SUMMARIES)
    @blueprint.paginate()
    def get(self, args, pagination_parameters):
        """The city's programmes: the published ones, or all for its staff.

        Each with its stage, the days of its proposals and consultation windows, its
        statutory deadlines and a link to its page. The newest period first."""
        staff = is_staff()
        query = (
            services.listing(public_only=not staff)
            .order_by(Programme.id.desc())
            .options(load_only(*SUMMARY_READS, raiseload=True), raiseload("*"))
        )
        query = updated_since(query, Programme.updated_at, args["updated_since"])
        return kept_list_page(
            "api-programmes",
            lambda: _summaries(query, pagination_parameters),
            SUMMARIES,
            pagination_parameters,
            staff,
        )

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
        shows_version(programme)
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
    @blueprint.versioned()
    @require(*STAFF)
    def put(self, rows, programme_id: int):
        """Replace the schedule (staff).

        The schedule is a part of the programme: state the programme's version you read as
        its ETag in `If-Match` (412 when it changed since, 428 without it). 422 when a step
        ends before it starts. Answers the schedule with the programme's new ETag."""
        programme = programme_for(programme_id, "manage")
        version = version_read(programme, {})
        if any(row["ends_on"] and row["ends_on"] < row["starts_on"] for row in rows):
            abort(422, message=_("The step cannot end before it starts."))
        try:
            services.save_milestones(programme, rows, version)
        except EditConflict as error:
            abort(409, message=str(error))
        shows_version(programme)
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


# -- the content ----------------------------------------------------------------------


def _amount(value) -> None:
    """Money or a count of units: not negative, not absurd. A plain validator: a Range on a
    decimal sent as a string would be documented with string bounds."""
    validate.Range(min=0, max=10**12)(value)


VERSION = fields.Integer(
    load_only=True,
    metadata={"description": "The version you read; a newer one answers 409", "example": 1},
)


class PrincipleRowSchema(Schema):
    id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "The row it changes; without it, a new row"},
    )
    name = fields.String(
        required=True, validate=validate.Length(min=1, max=200), metadata={"example": "Jawność"}
    )
    definition = fields.String(load_default="", validate=validate.Length(max=3000))


class FormRowSchema(Schema):
    id = fields.Integer(load_default=None, allow_none=True)
    area = fields.String(required=True, validate=validate.OneOf([a.value for a in CooperationArea]))
    financial = fields.Boolean(load_default=False)
    description = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"example": "Zlecanie realizacji zadań publicznych w trybie otwartego konkursu"},
    )


class PriorityTaskRowSchema(Schema):
    id = fields.Integer(load_default=None, allow_none=True)
    area_code = fields.String(
        required=True,
        validate=validate.OneOf(list(PUBLIC_BENEFIT_AREAS)),
        metadata={"description": "The area of public benefit (art. 4 ust. 1)"},
    )
    description = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={"example": "Organizacja wypoczynku dzieci i młodzieży w okresie ferii"},
    )


class IndicatorRowSchema(Schema):
    id = fields.Integer(load_default=None, allow_none=True)
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=300),
        metadata={"example": "Liczba ogłoszonych otwartych konkursów ofert"},
    )
    unit = fields.String(load_default="", validate=validate.Length(max=40))
    planned = fields.Decimal(
        load_default=None,
        allow_none=True,
        as_string=True,
        places=2,
        validate=_amount,
        metadata={"type": "string", "format": "decimal"},
    )


class ContentSchema(Schema):
    """What the programme's edit page changes; a field not sent stays as it is."""

    version = VERSION
    title = fields.String(validate=validate.Length(min=1, max=500))
    budget = fields.Decimal(
        allow_none=True,
        as_string=True,
        places=2,
        validate=_amount,
        metadata={"type": "string", "format": "decimal", "example": "1250000.00"},
    )
    proposals_from = fields.Date(allow_none=True)
    proposals_to = fields.Date(allow_none=True)
    consultation_from = fields.Date(allow_none=True)
    consultation_to = fields.Date(allow_none=True)
    texts = fields.Dict(
        keys=fields.String(validate=validate.OneOf(TEXT_ELEMENTS)),
        values=fields.String(validate=validate.Length(max=20000)),
        metadata={
            "description": "The text elements, by key; those not sent stay as they are",
            "example": {
                "goals": "Celem głównym programu jest rozwój społeczeństwa "
                "obywatelskiego w Lesznie."
            },
        },
    )
    principles = fields.List(
        fields.Nested(PrincipleRowSchema),
        metadata={"description": "All the principles: a row left out is removed"},
    )
    forms = fields.List(fields.Nested(FormRowSchema))
    priority_tasks = fields.List(fields.Nested(PriorityTaskRowSchema))
    indicators = fields.List(fields.Nested(IndicatorRowSchema))


def _content(programme: Programme, changes: dict) -> services.Content:
    content = services.content_of(programme)
    for name, value in changes.items():
        setattr(content, name, value)
    return content


@blueprint.route("/programmes/<int:programme_id>")
class ProgrammeRecord(MethodView):
    @blueprint.response(200, ProgrammeDetailSchema)
    def get(self, programme_id: int):
        """A programme with its content, completeness and schedule.

        Everyone but the city's staff reads the text in force while an amendment is being
        prepared; a draft answers 404 to them."""
        programme = programme_for(programme_id)
        last_modified(programme.updated_at)
        shows_version(programme)
        return _detail(programme)

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(ContentSchema)
    @blueprint.response(200, ProgrammeDetailSchema)
    @blueprint.versioned()
    @require(*STAFF)
    def patch(self, data, programme_id: int):
        """Change the programme's content and metadata (staff).

        What its edit page changes: title, budget, the windows' days, the text elements
        and the rows of principles, forms, priority tasks and indicators; what is not sent
        stays as it is. State the version you read: `version` in the body (a newer one
        answers 409) or the ETag in `If-Match` (412). 409 once the council has adopted the
        programme: it changes only by an amendment."""
        programme = programme_for(programme_id, "manage")
        services.ensure_editable(programme)
        version = version_read(programme, data)
        try:
            services.save_content(programme, version, _content(programme, data))
        except EditConflict as error:
            abort(409, message=str(error))
        shows_version(programme)
        return _detail(programme)


# -- proposals and comments: forwarded and answered ---------------------------------


class ForwardSchema(Schema):
    person_id = fields.Integer(
        required=True,
        metadata={"description": "A person of the city's office (staff or admin)", "example": 2},
    )


class ProposalAnswerSchema(Schema):
    verdict = fields.String(required=True, validate=validate.OneOf([a.value for a in Answer]))
    justification = fields.String(
        required=True,
        validate=validate.Length(max=5000),
        metadata={
            "description": "Why: the organisation reads it",
            "example": "Propozycja została uwzględniona w celach szczegółowych programu.",
        },
    )


class CommentAnswerSchema(Schema):
    answer = fields.String(
        required=True,
        validate=validate.Length(max=5000),
        metadata={"example": "Uwaga została uwzględniona: dodano zapis o małych grantach."},
    )
    taken_into_account = fields.String(
        required=True, validate=validate.OneOf(list(consultation.OUTCOMES))
    )


@blueprint.route("/proposals/<int:proposal_id>/forward", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(ForwardSchema)
@blueprint.response(200, ProposalSchema)
@require(*STAFF)
def forward_proposal(data, proposal_id: int):
    """Forward a proposal to a person of the city's office (staff), who is told.

    422 when the person is not of the city's office."""
    proposal = proposal_for(proposal_id, "manage")
    refusal = _("Choose the person of the city's office the proposal goes to.")
    proposals.forward(proposal, office_person(data["person_id"], refusal))
    return proposal


@blueprint.route("/proposals/<int:proposal_id>/answer", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(ProposalAnswerSchema)
@blueprint.response(200, ProposalSchema)
@require(*STAFF)
def answer_proposal(data, proposal_id: int):
    """Answer a proposal (staff): the organisation is told.

    422 without a justification."""
    proposal = proposal_for(proposal_id, "manage")
    try:
        proposals.answer(proposal, Answer(data["verdict"]), data["justification"])
    except proposals.ProposalError as error:
        abort(422, message=str(error))
    return proposal


@blueprint.route("/comments/<int:comment_id>/forward", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(ForwardSchema)
@blueprint.response(200, CommentSchema)
@require(*STAFF)
def forward_comment(data, comment_id: int):
    """Forward a consultation comment to a person of the city's office (staff).

    422 when the person is not of the city's office."""
    comment = comment_for(comment_id, "manage")
    refusal = _("Choose the person of the city's office the comment goes to.")
    consultation.forward_comment(comment, office_person(data["person_id"], refusal))
    return comment


@blueprint.route("/comments/<int:comment_id>/answer", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(CommentAnswerSchema)
@blueprint.response(200, CommentSchema)
@require(*STAFF)
def answer_comment(data, comment_id: int):
    """Publish the city's answer to a consultation comment (staff).

    422 without the answer's text."""
    comment = comment_for(comment_id, "manage")
    try:
        consultation.answer_comment(comment, data["answer"], data["taken_into_account"])
    except consultation.ConsultationError as error:
        abort(422, message=str(error))
    return comment


# -- opinions ---------------------------------------------------------------------------


class OpinionSchema(Schema):
    id = fields.Integer(dump_only=True)
    body = fields.String(
        required=True,
        validate=validate.Length(min=1, max=300),
        metadata={
            "description": "The body giving the opinion",
            "example": "Rada Działalności Pożytku Publicznego Miasta Leszna",
        },
    )
    given_on = fields.Date(required=True, metadata={"example": "2026-10-20"})
    text = fields.String(
        load_default="",
        validate=validate.Length(max=20000),
        metadata={"example": "Rada pozytywnie opiniuje projekt programu współpracy."},
    )
    document = fields.Url(
        dump_only=True,
        allow_none=True,
        metadata={"description": "The opinion's document, if one was attached"},
    )


DOCUMENT = {"description": "PDF, DOCX or ODT, typed by its content (at most 20 MB)"}


class OpinionFormSchema(OpinionSchema):
    """An opinion as sent: its fields and its document, in one multipart/form-data body."""

    document = FileUpload(load_default=None, metadata=DOCUMENT)


def _opinion(opinion: Opinion) -> dict:
    values = {name: getattr(opinion, name) for name in ("id", "body", "given_on", "text")}
    document = None
    if opinion.attachment_key:
        document = url_for(
            "programmes.opinion_document",
            tenant_slug=g.tenant.slug,
            opinion_id=opinion.id,
            _external=True,
        )
    return {**values, "document": document}


def _checked(upload) -> CheckedUpload | None:
    """The file checked by its content as on the pages; 422 saying why it is refused."""
    try:
        checked = from_form(upload)
    except UploadRejected as error:
        abort(422, message=str(error))
    return checked


@blueprint.route("/programmes/<int:programme_id>/opinions")
class Opinions(MethodView):
    @blueprint.response(200, OpinionSchema(many=True))
    @blueprint.listing()
    def get(self, programme_id: int):
        """Opinions of bodies on the draft (rada pożytku, councils, the office's units).

        The oldest first; whoever sees the programme reads them."""
        programme = programme_for(programme_id)
        return [_opinion(o) for o in consultation.opinions_of(programme)]

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(OpinionFormSchema, location="multipart")
    @blueprint.response(201, OpinionSchema)
    @require(*STAFF)
    def post(self, data, programme_id: int):
        """Record an opinion, with its document if there is one (staff).

        Sent as multipart/form-data. 422 when the document is not a PDF, DOCX or ODT by
        its content; 409 once the programme is adopted (the opinions feed its text)."""
        programme = programme_for(programme_id, "manage")
        services.ensure_editable(programme)
        document = _checked(data["document"])
        opinion = consultation.add_opinion(
            programme, data["body"], data["given_on"], data["text"], document
        )
        return _opinion(opinion)


# -- the cycle: stages, adoption, windows, amendments ------------------------------------


class StageSchema(Schema):
    version = VERSION
    stage = fields.String(
        required=True,
        validate=validate.OneOf([s.value for s in CYCLE]),
        metadata={"description": "The next stage of the cycle", "example": "proposals_open"},
    )
    note = fields.String(load_default="", validate=validate.Length(max=1000))


class AdoptionSchema(Schema):
    version = VERSION
    resolution_number = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"example": "XLVI/570/2026"},
    )
    resolution_date = fields.Date(required=True, metadata={"example": "2026-11-26"})
    resolution_file = FileUpload(load_default=None, metadata=DOCUMENT)


class EarlyClosingSchema(Schema):
    kind = fields.String(dump_only=True, metadata={"example": "consultation"})
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=2000),
        metadata={
            "description": "Why it closes before the announced end (published)",
            "example": "Wszystkie organizacje z bazy przekazały już swoje uwagi.",
        },
    )
    closed_at = fields.DateTime(dump_only=True)


class AmendmentSchema(Schema):
    number = fields.Integer(dump_only=True)
    reason = fields.String(
        required=True,
        validate=validate.Length(min=1, max=5000),
        metadata={
            "description": "What the amendment changes and why",
            "example": "Zwiększenie planowanej kwoty środków o 50 000 zł na zadania z "
            "zakresu pomocy społecznej.",
        },
    )
    started_at = fields.DateTime(dump_only=True)
    resolution_number = fields.String(dump_only=True, allow_none=True)
    resolution_date = fields.Date(dump_only=True, allow_none=True)


class AmendingResolutionSchema(Schema):
    version = VERSION
    resolution_number = fields.String(
        required=True,
        validate=validate.Length(min=1, max=100),
        metadata={"example": "XII/150/2027"},
    )
    resolution_date = fields.Date(required=True)


def _unchanged_since(programme: Programme, data: dict) -> None:
    """A state change of the programme starts from the version its sender read: 409 (or
    412 for If-Match) when someone saved the programme since."""
    try:
        unit_of_work.check_version(
            programme, version_read(programme, data), services.PROGRAMME_SAVED_MEANWHILE
        )
    except EditConflict as error:
        abort(409, message=str(error))


@blueprint.route("/programmes/<int:programme_id>/stage", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(StageSchema)
@blueprint.response(200, ProgrammeDetailSchema)
@blueprint.versioned()
@require(*STAFF)
def move(data, programme_id: int):
    """Move the programme to the next stage of its cycle (staff; some stages the admin).

    403 for a role that may not make this move; 409 when a rule of the cycle is not met
    or the programme changed since the version you read."""
    programme = programme_for(programme_id, "manage")
    _unchanged_since(programme, data)
    try:
        services.move(programme, Stage(data["stage"]), current_tenant_role(), note=data["note"])
    except PermissionError:
        flask_abort(403)
    except services.ProgrammeError as error:
        abort(409, message=str(error))
    shows_version(programme)
    return _detail(programme)


@blueprint.route("/programmes/<int:programme_id>/adoption", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(AdoptionSchema, location="multipart")
@blueprint.response(200, ProgrammeDetailSchema)
@blueprint.versioned()
@require(Role.ADMIN)
def adoption(data, programme_id: int):
    """Record the council's resolution: the programme is adopted (the city's admin).

    Sent as multipart/form-data, with the resolution's document if there is one (422 when
    it is not a PDF, DOCX or ODT by its content). 409 unless the programme is at its final
    version, once it is adopted, or when it changed since the version you read."""
    programme = programme_for(programme_id, "adopt")
    services.ensure_not_adopted(programme)
    _unchanged_since(programme, data)
    document = _checked(data["resolution_file"])
    try:
        services.record_adoption(
            programme,
            data["resolution_number"],
            data["resolution_date"],
            current_tenant_role(),
            document,
        )
    except PermissionError:
        flask_abort(403)
    except services.ProgrammeError as error:
        abort(409, message=str(error))
    shows_version(programme)
    return _detail(programme)


@blueprint.route("/programmes/<int:programme_id>/windows/<window>/close", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(EarlyClosingSchema)
@blueprint.response(201, EarlyClosingSchema)
@blueprint.fails_with(409)
@require(Role.ADMIN)
def close_window(data, programme_id: int, window: str):
    """Close the proposals or the consultation window before its announced end (admin).

    `window`: `proposals` or `consultation` (404 for any other). The reason is published.
    409 when the window is not open or the programme is adopted."""
    programme = programme_for(programme_id, "manage")
    if window not in {k.value for k in WindowKind}:
        flask_abort(404)
    services.ensure_not_adopted(programme)
    try:
        return services.close_early(programme, WindowKind(window), data["reason"])
    except services.ProgrammeError as error:
        abort(409, message=str(error))


@blueprint.route("/programmes/<int:programme_id>/amendments", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(AmendmentSchema)
@blueprint.response(201, AmendmentSchema)
@blueprint.fails_with(409)
@require(Role.ADMIN)
def start_amendment(data, programme_id: int):
    """Open the adopted text for an amendment (the city's admin).

    The text is then edited as a draft (PATCH the programme) until the amending resolution
    is recorded. 409 before adoption or while another amendment is open."""
    programme = programme_for(programme_id, "manage")
    try:
        return services.start_amendment(programme, data["reason"])
    except services.ProgrammeError as error:
        abort(409, message=str(error))


@blueprint.route("/programmes/<int:programme_id>/amendments/resolution", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(AmendingResolutionSchema)
@blueprint.response(200, AmendmentSchema)
@blueprint.versioned()
@require(Role.ADMIN)
def record_amendment(data, programme_id: int):
    """Record the amending resolution: the amended text is published (the city's admin).

    409 when no amendment is open, the resolution precedes the programme's own, or the
    programme changed since the version you read."""
    programme = programme_for(programme_id, "manage")
    _unchanged_since(programme, data)
    try:
        amendment = services.record_amendment(
            programme, data["resolution_number"], data["resolution_date"]
        )
    except services.ProgrammeError as error:
        abort(409, message=str(error))
    shows_version(programme)
    return amendment


@blueprint.route("/programmes/copy", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.response(201, ProgrammeDetailSchema)
@require(*STAFF)
def copy():
    """Start next year's programme from the latest annual one (staff).

    Its structure, texts, windows and schedule move to the following year; a draft to
    check. 404 when the city has no annual programme; 422 when that year is taken."""
    previous = services.latest(Kind.ANNUAL)
    if previous is None:
        flask_abort(404)
    try:
        programme = services.copy_as_next(previous)
    except services.ProgrammeError as error:
        abort(422, message=str(error))
    shows_version(programme)
    return _detail(programme)


# -- after the year: the annual report and the report on each year -----------------------


class ActualSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "The indicator's id"})
    actual = fields.Decimal(
        required=True,
        allow_none=True,
        as_string=True,
        places=2,
        validate=_amount,
        metadata={"type": "string", "format": "decimal", "example": "12.00"},
    )


class ReportSchema(Schema):
    """The report on the programme's implementation (art. 5a ust. 3)."""

    version = fields.Integer(
        metadata={"description": "Send back the version you read; a newer one answers 409"}
    )
    report_tasks_commissioned = fields.Integer(
        allow_none=True, validate=validate.Range(min=0, max=100000), metadata={"example": 42}
    )
    report_amount_spent = fields.Decimal(
        allow_none=True,
        as_string=True,
        places=2,
        validate=_amount,
        metadata={"type": "string", "format": "decimal", "example": "1180000.00"},
    )
    report_summary = fields.String(
        allow_none=True,
        validate=validate.Length(max=20000),
        metadata={"example": "W 2025 roku ogłoszono 12 otwartych konkursów ofert."},
    )
    report_published_on = fields.Date(allow_none=True, metadata={"example": "2026-05-28"})
    indicators = fields.List(
        fields.Nested(ActualSchema),
        metadata={"description": "The actual value of the indicators sent; others stay"},
    )


REPORT_FIELDS = (
    "report_tasks_commissioned",
    "report_amount_spent",
    "report_summary",
    "report_published_on",
)


def _report(programme: Programme) -> dict:
    return {
        **{name: getattr(programme, name) for name in REPORT_FIELDS},
        "version": programme.lock_version,
        "indicators": [{"id": i.id, "actual": i.actual} for i in programme.indicators],
    }


@blueprint.route("/programmes/<int:programme_id>/report", methods=["PATCH"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(ReportSchema(partial=True))
@blueprint.response(200, ReportSchema)
@blueprint.versioned()
@require(*STAFF)
def update_report(data, programme_id: int):
    """Write the report on the programme's implementation (staff).

    What is not sent stays as it is. State the version you read: `version` in the body
    (409 when newer) or the ETag in `If-Match` (412)."""
    programme = programme_for(programme_id, "manage")
    version = version_read(programme, data)
    values = {**_report(programme), **data}
    try:
        services.save_report(
            programme,
            version,
            tasks=values["report_tasks_commissioned"],
            spent=values["report_amount_spent"],
            summary=values["report_summary"] or "",
            published_on=values["report_published_on"],
            actual={row["id"]: row["actual"] for row in data.get("indicators", [])},
        )
    except EditConflict as error:
        abort(409, message=str(error))
    shows_version(programme)
    return _report(programme)


class YearReportSchema(Schema):
    id = fields.Integer(dump_only=True)
    version = fields.Integer(dump_only=True)
    year = fields.Integer(required=True, metadata={"example": 2025})
    published_on = fields.Date(required=True, metadata={"description": "Published in BIP on"})
    submitted_on = fields.Date(
        load_default=None, allow_none=True, metadata={"description": "Handed to the council on"}
    )
    note = fields.String(load_default="", validate=validate.Length(max=5000))
    document = fields.Url(dump_only=True, allow_none=True)


class YearReportFormSchema(YearReportSchema):
    """A year's report as filed: its fields and its document, in one multipart body."""

    document = FileUpload(load_default=None, metadata=DOCUMENT)


def _year_report(report) -> dict:
    values = {
        name: getattr(report, name) for name in ("id", "year", "published_on", "submitted_on")
    }
    document = None
    if report.document_key:
        document = url_for(
            "programmes.year_report_document",
            tenant_slug=g.tenant.slug,
            year_report_id=report.id,
            _external=True,
        )
    return {
        **values,
        "version": report.lock_version,
        "note": report.note or "",
        "document": document,
    }


@blueprint.route("/programmes/<int:programme_id>/year-reports", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(YearReportFormSchema, location="multipart")
@blueprint.response(201, YearReportSchema)
@require(*STAFF)
def file_year_report(data, programme_id: int):
    """File the report on one year of a multi-year programme (staff).

    Sent as multipart/form-data with its document (PDF, DOCX or ODT, typed by content).
    404 for an annual programme; 422 for a year not over, not of the programme or on
    record already, or dates out of order."""
    programme = programme_for(programme_id, "manage")
    if not year_reports.is_reported_yearly(programme):
        flask_abort(404)
    filing = year_reports.Filing(
        published_on=data["published_on"],
        submitted_on=data["submitted_on"],
        note=data["note"],
        document=_checked(data["document"]),
    )
    try:
        report = year_reports.file(programme, data["year"], filing)
    except (services.ProgrammeError, ConstraintViolation) as error:
        abort(422, message=str(error))
    shows_version(report)
    return _year_report(report)


@blueprint.route("/programmes/year-reports/<int:year_report_id>/withdraw", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.response(204)
@require(*STAFF)
def withdraw_year_report(year_report_id: int):
    """Withdraw a year's report filed by mistake (staff): the year waits for its report
    again.

    The audit log keeps it."""
    year_reports.withdraw(year_report_for(year_report_id, "manage"))
