"""/api/v1/regions/<slug>/...: projects, standards, the adoption matrix and the benchmark;
/api/v1/tenants/<slug>/adoption: a city's own adoption rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_smorest import Page, abort
from flask_smorest.fields import Upload
from marshmallow import EXCLUDE, Schema, fields, validate
from sqlalchemy import select

from app.accounts.models import Role
from app.accounts.permissions import COORDINATOR, STAFF, require
from app.api import BEARER
from app.api.blueprint import ApiBlueprint, UpdatedSinceSchema, changed_since
from app.api.schemas import AudienceSchema
from app.api.versions import shows_version, version_read
from app.extensions import db
from app.files import UploadRejected, from_form
from app.regions import projects as project_service
from app.regions import services
from app.regions.access import (
    authorise,
    hidden_adoption_fields,
    project_for,
    region_for,
    sees_claims,
    standard_of_project,
)
from app.regions.benchmark import MEASURES, CityFigures, benchmark, benchmark_years
from app.regions.matrix import adoption_matrix
from app.regions.models import (
    Adoption,
    AdoptionStatus,
    Standard,
    StandardsProject,
)
from app.tenancy.models import Region
from app.unit_of_work import EditConflict

blueprint = ApiBlueprint(
    "api_regions",
    __name__,
    tag="Regiony i standardy · Regions and standards",
    url_prefix="/api/v1",
    description="Regional standards projects, the cities' adoption, the cooperation benchmark",
)
STATUSES = [s.value for s in AdoptionStatus]


class BlockSchema(Schema):
    class Meta:
        unknown = EXCLUDE  # a block sent back as it was read, with its number

    id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "Send an existing block's id to keep it (and its standards); none "
            "for a new block",
            "example": 1,
        },
    )
    number = fields.Integer(
        dump_only=True, metadata={"description": "In Roman numerals in the project's documents"}
    )
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=300),
        metadata={"example": "Tworzenie polityk publicznych"},
    )


class StandardisationGroupSchema(Schema):
    id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "Send an existing group's id to keep it; none for a new one"},
    )
    name = fields.String(
        required=True,
        validate=validate.Length(min=1, max=300),
        metadata={"example": "Grupa standaryzacyjna nr 1"},
    )
    office_members = fields.List(
        fields.String(validate=validate.Length(min=1, max=300)),
        load_default=list,
        metadata={"example": ["Urząd Miasta Leszna", "Urząd Marszałkowski Województwa"]},
    )
    ngo_members = fields.List(
        fields.String(validate=validate.Length(min=1, max=300)),
        load_default=list,
        metadata={"example": ["Stowarzyszenie „ECHO”"]},
    )


class ProjectSchema(Schema):
    id = fields.Integer(dump_only=True)
    version = fields.Integer(
        metadata={"description": "Send back the version you read; a newer one answers 409."}
    )
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=300),
        metadata={"example": "Wielkopolska działa razem"},
    )
    starts_on = fields.Date(load_default=None, allow_none=True, metadata={"example": "2013-01-01"})
    ends_on = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={"description": "Not before `starts_on`", "example": "2014-12-31"},
    )
    funding_source = fields.String(
        load_default="",
        validate=validate.Length(max=300),
        metadata={"example": "Unia Europejska, Europejski Fundusz Społeczny"},
    )
    partner = fields.String(
        load_default="",
        validate=validate.Length(max=300),
        metadata={"example": "Fundacja Forum Rozwoju Nowoczesnych Technologii"},
    )
    description = fields.String(load_default="", validate=validate.Length(max=10000))
    blocks = fields.List(
        fields.Nested(BlockSchema),
        load_default=list,
        metadata={
            "description": "The thematic blocks in order; a block with standards cannot be "
            "left out (409)"
        },
    )
    groups = fields.List(
        fields.Nested(StandardisationGroupSchema),
        load_default=list,
        metadata={"description": "A group that wrote standards cannot be left out (409)"},
    )
    matrix_public = fields.Boolean(
        dump_only=True,
        metadata={"description": "Whether everyone may read the adoption matrix (/publicity)"},
    )


# Partial at the top only: each block or group sent is a whole one.
PROJECT_CHANGES = ProjectSchema(partial=tuple(ProjectSchema().fields))


class StandardSchema(Schema):
    id = fields.Integer(dump_only=True)
    version = fields.Integer(
        metadata={"description": "Send back the version you read; a newer one answers 409."}
    )
    project_id = fields.Integer(dump_only=True)
    block_id = fields.Integer(
        required=True, metadata={"description": "One of the project's thematic blocks"}
    )
    group_id = fields.Integer(
        load_default=None,
        allow_none=True,
        metadata={"description": "One of the project's standardisation groups, or none"},
    )
    group = fields.String(
        dump_only=True, allow_none=True, metadata={"description": "Standardisation group"}
    )
    title = fields.String(
        required=True,
        validate=validate.Length(min=1, max=300),
        metadata={"example": "Konsultowanie projektów aktów prawa miejscowego z organizacjami"},
    )
    description = fields.String(load_default="", validate=validate.Length(max=10000))
    procedures = fields.String(load_default="", validate=validate.Length(max=20000))
    recommendations = fields.String(load_default="", validate=validate.Length(max=20000))
    edition = fields.String(
        load_default="1.0",
        validate=validate.Length(min=1, max=20),
        metadata={"description": "The standard's own version: 1.0, or 1.1 after a revision"},
    )
    position = fields.Integer(
        load_default=0,
        validate=validate.Range(min=0, max=10000),
        metadata={"description": "Order in the block"},
    )
    target_date = fields.Date(
        load_default=None,
        allow_none=True,
        metadata={
            "description": "By when the cities should adopt it (not before the project "
            "starts); their offices are reminded two weeks before",
            "example": "2014-06-30",
        },
    )


class StandardsQuerySchema(Schema):
    project_id = fields.Integer(
        load_default=None, metadata={"description": "Only this project's (default: all)"}
    )


class ProjectMatrixQuerySchema(Schema):
    block_id = fields.Integer(
        load_default=None, metadata={"description": "Only this thematic block's standards"}
    )
    status = fields.String(
        load_default=None,
        validate=validate.OneOf(STATUSES),
        metadata={"description": "Only cells of this adoption status"},
    )
    include_claims = fields.Boolean(
        load_default=False,
        metadata={"description": "Count declarations awaiting review in the shares"},
    )


class MatrixQuerySchema(ProjectMatrixQuerySchema):
    project_id = fields.Integer(
        load_default=None, metadata={"description": "The project (default: the newest)"}
    )


class CityAdoptionSchema(Schema):
    slug = fields.String()
    name = fields.String()
    share_adopted = fields.Float(allow_none=True, metadata={"description": "null: no data"})
    statuses = fields.Dict(
        keys=fields.String(), values=fields.String(), metadata={"description": "standard id"}
    )
    reviews = fields.Dict(
        keys=fields.String(),
        values=fields.String(),
        metadata={
            "description": "standard id → pending or returned: the city's declaration the "
            "coordinator has not accepted (the coordinator's only; others see accepted rows)"
        },
    )


class ShareSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    share_adopted = fields.Float(allow_none=True)


class MatrixSchema(Schema):
    project_id = fields.Integer()
    cities = fields.List(fields.Nested(CityAdoptionSchema))
    standards = fields.List(fields.Nested(ShareSchema))
    blocks = fields.List(fields.Nested(ShareSchema))


class BenchmarkQuerySchema(Schema):
    year = fields.Integer(
        load_default=None, metadata={"description": "The year (default: the latest)"}
    )


class MeasureSchema(Schema):
    key = fields.String()
    label = fields.String()
    explanation = fields.String()
    kind = fields.String(metadata={"description": "yes_no, number, share or money"})


class CityFiguresSchema(Schema):
    slug = fields.String()
    name = fields.String()
    values = fields.Dict(
        keys=fields.String(),
        values=fields.Raw(allow_none=True),
        metadata={"description": "null: no data"},
    )


class BenchmarkSchema(Schema):
    year = fields.Integer()
    computed_at = fields.DateTime(metadata={"description": "The figures are as of this moment."})
    public = fields.Boolean(
        metadata={"description": "Whether everyone may read the benchmark (…/benchmark/publicity)"}
    )
    measures = fields.List(fields.Nested(MeasureSchema))
    cities = fields.List(
        fields.Nested(CityFiguresSchema),
        metadata={"description": "The compared local governments: municipalities and powiats"},
    )
    self_government = fields.Nested(
        CityFiguresSchema,
        allow_none=True,
        metadata={
            "description": "The voivodeship's own self-government (its marshal office), shown "
            "apart as on the page: not one of the compared; null when it is not in Razem"
        },
    )


class OwnAdoptionSchema(AudienceSchema):
    hidden = staticmethod(hidden_adoption_fields)

    standard_id = fields.Integer()
    standard = fields.String(attribute="standard.title")
    status = fields.String()
    evidence = fields.String()
    evidence_document = fields.String(
        attribute="evidence_file_name",
        allow_none=True,
        metadata={"description": "The file name of the evidence document, if one is attached"},
    )
    decided_on = fields.Date(allow_none=True)
    notes = fields.String(
        metadata={"description": "The city hall's own, for its staff; never shown to the region"}
    )
    review_status = fields.String(allow_none=True)
    review_comment = fields.String()
    version = fields.Integer(attribute="lock_version")


@blueprint.route("/regions/<region_slug>/projects")
@blueprint.response(200, ProjectSchema(many=True))
@blueprint.listing()
def projects():
    """The region's standards projects with their thematic blocks.

    The newest project first."""
    return [_project_record(project) for project in _projects()]


@blueprint.route("/regions/<region_slug>/standards")
@blueprint.arguments(StandardsQuerySchema, location="query")
@blueprint.response(200, StandardSchema(many=True))
@blueprint.listing()
def standards(query):
    """The standards of the region's projects, or of one project.

    By project (the newest first), then thematic block."""
    chosen = [p for p in _projects() if query["project_id"] in (None, p.id)]
    return [
        _standard_record(s)
        for project in chosen
        for block in project.blocks
        for s in block.standards
    ]


@blueprint.route("/regions/<region_slug>/adoption")
@blueprint.doc(security=BEARER)
@blueprint.arguments(MatrixQuerySchema, location="query")
@blueprint.response(200, MatrixSchema)
def adoption(query):
    """The adoption matrix of a project: cities × standards.

    The region's coordinator reads it always, everyone else once the coordinator has
    made it public; filtered by thematic block and status."""
    return _matrix(authorise(_project(query["project_id"]), "view_matrix"), query)


@blueprint.route("/regions/<region_slug>/projects/<int:project_id>/adoption")
@blueprint.doc(security=BEARER)
@blueprint.arguments(ProjectMatrixQuerySchema, location="query")
@blueprint.response(200, MatrixSchema)
def project_adoption(query, project_id: int):
    """The adoption matrix of the project: cities × standards.

    As its page: the region's coordinator reads it always with the declarations awaiting
    review; everyone else only once the coordinator has made it public, and then the
    accepted rows only (401 to log in, 403 while it is the coordinator's)."""
    return _matrix(project_for(project_id, "view_matrix"), query)


def _matrix(project: StandardsProject, query: dict) -> dict:
    block_id = query["block_id"]
    if block_id is not None and all(b.id != block_id for b in project.blocks):
        abort(404, message=_("This project has no such thematic block."))
    with_claims = sees_claims(project)
    matrix = adoption_matrix(
        project,
        block_id=block_id,
        status=query["status"],
        include_claims=query["include_claims"],
        accepted_only=not with_claims,
    )
    return {
        "project_id": project.id,
        "cities": [
            {
                "slug": row.city.slug,
                "name": row.city.name(),
                "share_adopted": row.share,
                "statuses": {
                    str(s.id): value
                    for s, value in zip(matrix.standards, row.statuses, strict=True)
                },
                "reviews": {
                    str(s.id): cell.review
                    for s, cell in zip(matrix.standards, row.cells, strict=True)
                    if cell.review
                },
            }
            for row in matrix.rows
        ],
        "standards": [
            {"id": s.id, "title": s.title, "share_adopted": share}
            for s, share in zip(matrix.standards, matrix.standard_shares, strict=True)
        ],
        "blocks": [
            {"id": b.id, "title": b.title, "share_adopted": matrix.block_shares[b.id]}
            for b in matrix.blocks
        ],
    }


@blueprint.route("/regions/<region_slug>/benchmark")
@blueprint.doc(security=BEARER)
@blueprint.arguments(BenchmarkQuerySchema, location="query")
@blueprint.response(200, BenchmarkSchema)
@blueprint.paginate()
def benchmark_figures(query, pagination_parameters):
    """The cooperation benchmark of the region's cities.

    As its page: the region's coordinator reads it always, everyone else once the
    coordinator has made it public (401 to log in, 403 while it is the coordinator's). The
    measures of one year for each city, the marshal office's apart; 422 for a year it does
    not cover. `cities` is paginated like every list (`page`, `page_size`, `X-Pagination`),
    in the order of the page (by name); the rest of the answer is the same on every page."""
    region = region_for("view_benchmark")
    if query["year"] is not None and query["year"] not in benchmark_years(region):
        abort(
            422,
            message=_("The benchmark covers this year back to the region's earliest dated record."),
        )
    figures = benchmark(region, query["year"])
    own = figures.self_government
    return {
        "year": figures.year,
        "computed_at": figures.computed_at,
        "public": region.benchmark_public,
        "measures": [
            {"key": m.key, "label": str(m.label), "explanation": str(m.explanation), "kind": m.kind}
            for m in MEASURES
        ],
        "cities": [_city_figures(c) for c in Page(figures.cities, pagination_parameters).items],
        "self_government": _city_figures(own) if own else None,
    }


def _city_figures(figures: CityFigures) -> dict:
    return {
        "slug": figures.city.slug,
        "name": figures.city.name(),
        "values": _plain(figures.values),
    }


class BenchmarkPublicitySchema(Schema):
    public = fields.Boolean(
        required=True,
        metadata={"description": "true: everyone reads the benchmark; false: the coordinator only"},
    )
    version = fields.Integer(
        metadata={"description": "The version you read; a newer one answers 409."}
    )


@blueprint.route("/regions/<region_slug>/benchmark/publicity", methods=["GET"])
@blueprint.response(200, BenchmarkPublicitySchema)
def benchmark_publicity():
    """Whether the region's cooperation benchmark is public, and its version to change it.

    Public knowledge, as the project's matrix_public."""
    shows_version(g.region)
    return _publicity_record(g.region)


@blueprint.route("/regions/<region_slug>/benchmark/publicity", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(BenchmarkPublicitySchema)
@blueprint.response(200, BenchmarkPublicitySchema)
@blueprint.versioned()
@require(COORDINATOR)
def set_benchmark_publicity(data):
    """Open the region's cooperation benchmark to everyone, or keep it for the coordinator.

    The region's coordinator. Takes the version read from GET …/benchmark/publicity (409,
    412)."""
    region = region_for("manage_benchmark")
    expected = version_read(region, data)
    try:
        project_service.set_benchmark_publicity(region, data["public"], expected)
    except EditConflict as error:
        abort(409, message=str(error))
    shows_version(region)
    return _publicity_record(region)


def _publicity_record(region: Region) -> dict:
    return {"public": region.benchmark_public, "version": region.lock_version}


@blueprint.route("/tenants/<tenant_slug>/adoption")
@blueprint.doc(security=BEARER)
@blueprint.arguments(UpdatedSinceSchema, location="query")
@blueprint.response(200, OwnAdoptionSchema(many=True))
@blueprint.listing()
@require(Role.ADMIN, Role.STAFF, Role.VIEWER)
def own_adoption(args):
    """The city's own adoption of its region's standards (city staff).

    One row per standard, by the standard's id."""
    rows = db.session.scalars(select(Adoption).order_by(Adoption.standard_id)).all()
    return changed_since(list(rows), args["updated_since"])


def _projects() -> list[StandardsProject]:
    return list(
        db.session.scalars(
            select(StandardsProject)
            .where(StandardsProject.region_id == g.region.id)
            .order_by(StandardsProject.starts_on.desc(), StandardsProject.id.desc())
        )
    )


def _project(project_id: int | None) -> StandardsProject:
    found = [p for p in _projects() if project_id in (None, p.id)]
    if not found:
        abort(404, message=_("The region has no such standards project."))
    return found[0]


def _plain(values: dict) -> dict:
    """Every measure, null where there is no data; amounts as numbers."""
    return {m.key: _number(values.get(m.key)) for m in MEASURES}


def _number(value):
    return float(value) if value is not None and not isinstance(value, bool | int) else value


# -- writes: the coordinator's projects, standards, publicity and reviews ----------------


def _project_record(project: StandardsProject) -> dict:
    return {
        **{name: getattr(project, name) for name in project_service.PROJECT_FIELDS},
        "id": project.id,
        "version": project.lock_version,
        "blocks": project.blocks,
        "groups": project.groups,
        "matrix_public": project.matrix_public,
    }


def _standard_record(standard: Standard) -> dict:
    return {
        "id": standard.id,
        "version": standard.lock_version,
        "project_id": standard.block.project_id,
        "block_id": standard.block_id,
        "group_id": standard.group_id,
        "group": standard.group.name if standard.group else None,
        "title": standard.title,
        "description": standard.description,
        "procedures": standard.procedures,
        "recommendations": standard.recommendations,
        "edition": standard.version,
        "position": standard.position,
        "target_date": standard.target_date,
    }


@blueprint.route("/regions/<region_slug>/projects", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(ProjectSchema)
@blueprint.response(201, ProjectSchema)
@blueprint.fails_with(409)
@require(COORDINATOR)
def create_project(data):
    """Start a standards project of the region (the region's coordinator).

    With its thematic blocks and standardisation groups; its adoption matrix is the
    coordinator's until they make it public."""
    data.pop("version", None)
    project = StandardsProject(region=g.region)
    _save_project(project, 0, data)
    return _project_record(project)


@blueprint.route("/regions/<region_slug>/projects/<int:project_id>", methods=["GET"])
@blueprint.response(200, ProjectSchema)
def project(project_id: int):
    """A standards project of the region with its blocks and groups.

    Public knowledge, as its page."""
    record = project_for(project_id)
    shows_version(record)
    return _project_record(record)


@blueprint.route("/regions/<region_slug>/projects/<int:project_id>", methods=["PATCH"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(PROJECT_CHANGES)
@blueprint.response(200, ProjectSchema)
@blueprint.versioned()
@require(COORDINATOR)
def update_project(data, project_id: int):
    """Change a project, its blocks and groups (the region's coordinator).

    What is left out stays as it is; `blocks` and `groups` replace the lists (a block with
    standards, a group that wrote some, cannot go: 409). State the version you read:
    `version` in the body (a newer one answers 409) or the ETag in `If-Match` (412)."""
    record = project_for(project_id)
    expected = version_read(record, data)
    current = _project_record(record)
    current["blocks"] = [{"id": b.id, "title": b.title} for b in record.blocks]
    current["groups"] = [
        {
            "id": grp.id,
            "name": grp.name,
            "office_members": grp.office_members,
            "ngo_members": grp.ngo_members,
        }
        for grp in record.groups
    ]
    _save_project(record, expected, {**current, **data})
    shows_version(record)
    return _project_record(record)


def _save_project(project: StandardsProject, expected_version: int, data: dict) -> None:
    if data["starts_on"] and data["ends_on"] and data["ends_on"] < data["starts_on"]:
        abort(422, message=_("The project cannot end before it starts."))
    try:
        project_service.save_project(
            project,
            expected_version,
            {name: data[name] for name in project_service.PROJECT_FIELDS},
            [project_service.BlockRow(row["id"], row["title"]) for row in data["blocks"]],
            [
                project_service.GroupRow(
                    row["id"], row["name"], row["office_members"], row["ngo_members"]
                )
                for row in data["groups"]
            ],
        )
    except (EditConflict, project_service.ProjectError) as error:
        abort(409, message=str(error))


class PublicitySchema(Schema):
    public = fields.Boolean(
        required=True,
        metadata={"description": "true: everyone reads the matrix; false: the coordinator only"},
    )
    version = fields.Integer(
        metadata={"description": "The project's version you read; a newer one answers 409."}
    )


@blueprint.route("/regions/<region_slug>/projects/<int:project_id>/publicity", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(PublicitySchema)
@blueprint.response(200, ProjectSchema)
@blueprint.versioned()
@require(COORDINATOR)
def publicity(data, project_id: int):
    """Open the project's adoption matrix to everyone, or keep it for the coordinator.

    The region's coordinator. The public reads the accepted rows only, never the
    declarations awaiting review. Takes the project's version (409, 412)."""
    record = project_for(project_id)
    expected = version_read(record, data)
    try:
        project_service.set_matrix_publicity(record, data["public"], expected)
    except EditConflict as error:
        abort(409, message=str(error))
    shows_version(record)
    return _project_record(record)


@blueprint.route("/regions/<region_slug>/projects/<int:project_id>/standards", methods=["POST"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(StandardSchema)
@blueprint.response(201, StandardSchema)
@blueprint.fails_with(409)
@require(COORDINATOR)
def create_standard(data, project_id: int):
    """Add a standard to one of the project's thematic blocks (the region's coordinator).

    Its target date, if any, is put on record with who set it."""
    record = project_for(project_id)
    data.pop("version", None)
    standard = Standard()
    _save_standard(record, standard, 0, data)
    return _standard_record(standard)


@blueprint.route(
    "/regions/<region_slug>/projects/<int:project_id>/standards/<int:standard_id>",
    methods=["GET"],
)
@blueprint.response(200, StandardSchema)
def standard(project_id: int, standard_id: int):
    """One of the project's standards.

    Public knowledge, as the project's page."""
    found = standard_of_project(project_for(project_id), standard_id)
    shows_version(found)
    return _standard_record(found)


@blueprint.route(
    "/regions/<region_slug>/projects/<int:project_id>/standards/<int:standard_id>",
    methods=["PATCH"],
)
@blueprint.doc(security=BEARER)
@blueprint.arguments(StandardSchema(partial=True))
@blueprint.response(200, StandardSchema)
@blueprint.versioned()
@require(COORDINATOR)
def update_standard(data, project_id: int, standard_id: int):
    """Change a standard, move it to another block or set its target date (the region's
    coordinator).

    What is left out stays as it is; a changed target date goes on record with who set it.
    State the version you read: `version` in the body (409) or the ETag in `If-Match` (412)."""
    record = project_for(project_id)
    found = standard_of_project(record, standard_id)
    expected = version_read(found, data)
    _save_standard(record, found, expected, {**_standard_record(found), **data})
    shows_version(found)
    return _standard_record(found)


def _save_standard(
    project: StandardsProject, standard: Standard, expected_version: int, data: dict
) -> None:
    """The page's rules: a block and a group of this project, no target before its start."""
    if all(block.id != data["block_id"] for block in project.blocks):
        abort(422, message=_("Choose one of the project's thematic blocks."))
    if data["group_id"] is not None and all(grp.id != data["group_id"] for grp in project.groups):
        abort(422, message=_("Choose one of the project's standardisation groups."))
    target = data["target_date"]
    if target and project.starts_on and target < project.starts_on:
        abort(
            422,
            message=_(
                "The target date cannot come before the project starts (%(date)s).",
                date=project.starts_on.isoformat(),
            ),
        )
    changes = {name: data[name] for name in ("block_id", "title", "description", "procedures")}
    changes |= {"recommendations": data["recommendations"], "version": data["edition"]}
    changes |= {name: data[name] for name in ("position", "group_id", "target_date")}
    try:
        project_service.save_standard(standard, expected_version, changes)
    except (EditConflict, project_service.ProjectError) as error:
        abort(409, message=str(error))


class PendingReviewSchema(Schema):
    adoption_id = fields.Integer()
    version = fields.Integer(
        attribute="lock_version",
        metadata={"description": "Send it with the review: the city may have saved since"},
    )
    city = fields.String(metadata={"description": "The city's slug", "example": "leszno"})
    city_name = fields.String(metadata={"example": "Leszno"})
    standard_id = fields.Integer()
    standard = fields.String(
        metadata={"example": "Konsultowanie projektów aktów prawa miejscowego z organizacjami"}
    )
    status = fields.String(metadata={"description": "The status the city declares"})
    evidence = fields.String(metadata={"example": "Uchwała nr XLII/512/2013"})
    evidence_document = fields.String(
        allow_none=True, metadata={"description": "The file name of the evidence document"}
    )
    decided_on = fields.Date(allow_none=True)


@blueprint.route("/regions/<region_slug>/projects/<int:project_id>/reviews")
@blueprint.doc(security=BEARER)
@blueprint.response(200, PendingReviewSchema(many=True))
@blueprint.listing()
@require(COORDINATOR)
def reviews(project_id: int):
    """The cities' declarations awaiting the coordinator's review (the region's coordinator).

    The longest waiting first; the cities' own notes are never shown."""
    record = project_for(project_id)
    return [
        {
            "adoption_id": review.adoption_id,
            "lock_version": review.lock_version,
            "city": review.tenant.slug,
            "city_name": review.tenant.name(),
            "standard_id": review.standard.id,
            "standard": review.standard.title,
            "status": review.status,
            "evidence": review.evidence,
            "evidence_document": review.evidence_file_name,
            "decided_on": review.decided_on,
        }
        for review in services.pending_reviews(record)
    ]


class ReviewSchema(Schema):
    accept = fields.Boolean(
        required=True,
        metadata={"description": "true: accept the city's declaration; false: send it back"},
    )
    comment = fields.String(
        load_default="",
        validate=validate.Length(
            max=2000, error=_l("The comment is too long (at most 2,000 characters).")
        ),
        metadata={
            "description": "For the city; it is notified when its row is sent back",
            "example": "Proszę dołączyć uchwałę rady miasta.",
        },
    )
    version = fields.Integer(
        metadata={"description": "The row's version you read; a newer one answers 409."}
    )


class ReviewedSchema(Schema):
    adoption_id = fields.Integer(attribute="id")
    review_status = fields.String(metadata={"description": "accepted or returned"})
    review_comment = fields.String()
    version = fields.Integer(attribute="lock_version")


@blueprint.route(
    "/regions/<region_slug>/projects/<int:project_id>/reviews/<int:adoption_id>",
    methods=["POST"],
)
@blueprint.doc(security=BEARER)
@blueprint.arguments(ReviewSchema)
@blueprint.response(200, ReviewedSchema)
@blueprint.versioned()
@require(COORDINATOR)
def review(data, project_id: int, adoption_id: int):
    """Accept a city's declaration, or send it back with a comment (the region's
    coordinator).

    Only a declaration awaiting review (409 when somebody has reviewed it already, 404 for
    a row of another project). Takes the row's version from the list of reviews (409, 412):
    the city may have changed it since."""
    record = project_for(project_id)
    pending = services.pending_review(record, adoption_id)
    expected = version_read(pending, data) if pending else None
    try:
        adoption = services.review_adoption(
            record,
            adoption_id,
            accept=data["accept"],
            comment=data["comment"],
            expected_version=expected,
        )
    except LookupError:
        abort(404, message=_("This project has no declaration under this number."))
    except EditConflict as error:
        abort(409, message=str(error))
    shows_version(adoption)
    return adoption


# -- writes: a city's adoption of its region's standards ---------------------------------


class AdoptionUpdateSchema(Schema):
    status = fields.String(
        validate=validate.OneOf(STATUSES), metadata={"example": AdoptionStatus.ADOPTED.value}
    )
    evidence = fields.String(
        validate=validate.Length(max=500),
        metadata={
            "description": "A resolution number or a link",
            "example": "Uchwała nr XLII/512/2013",
        },
    )
    decided_on = fields.Date(allow_none=True, metadata={"example": "2013-11-28"})
    notes = fields.String(
        validate=validate.Length(max=5000),
        metadata={"description": "The city's own; never shown to the region"},
    )
    version = fields.Integer(
        metadata={"description": "Send back the version you read (0 before the first save)."}
    )


class EvidenceUploadSchema(Schema):
    evidence_file = Upload(
        required=True,
        metadata={
            "description": "The resolution or order: PDF, DOCX or ODT, typed by its content; "
            "it replaces the earlier one"
        },
    )
    version = fields.Integer(
        metadata={"description": "Send back the version you read (0 before the first save)."}
    )


@dataclass(frozen=True)
class Unsaved:
    """A city's row before its first save, as the page's empty form shows it: version 0."""

    standard: Standard
    status: str = AdoptionStatus.NOT_STARTED.value
    evidence: str = ""
    evidence_file_name: str | None = None
    decided_on: date | None = None
    notes: str = ""
    review_status: str | None = None
    review_comment: str = ""
    lock_version: int = 0

    @property
    def standard_id(self) -> int:
        return self.standard.id


@blueprint.route("/tenants/<tenant_slug>/standards/<int:standard_id>", methods=["GET"])
@blueprint.doc(security=BEARER)
@blueprint.response(200, OwnAdoptionSchema)
@require(*STAFF)
def own_standard(standard_id: int):
    """The city's adoption of one of its region's standards (city staff).

    Before the city's first save: not started, version 0."""
    _found, adoption = _standard_and_adoption(standard_id)
    shows_version(adoption)
    return adoption


@blueprint.route("/tenants/<tenant_slug>/standards/<int:standard_id>", methods=["PATCH"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(AdoptionUpdateSchema)
@blueprint.response(200, OwnAdoptionSchema)
@blueprint.versioned()
@require(*STAFF)
def update_own_standard(data, standard_id: int):
    """Say where the city stands with a standard (city staff).

    A change goes to the region's coordinator for review; what is left out stays as it is.
    State the version you read: `version` in the body (409) or the ETag in `If-Match` (412).
    The evidence document is sent to `…/evidence`."""
    found, adoption = _standard_and_adoption(standard_id)
    expected = version_read(adoption, data)
    return _save_adoption(found, adoption, expected, data, None)


@blueprint.route("/tenants/<tenant_slug>/standards/<int:standard_id>/evidence", methods=["PUT"])
@blueprint.doc(security=BEARER)
@blueprint.arguments(EvidenceUploadSchema, location="multipart")
@blueprint.response(200, OwnAdoptionSchema)
@blueprint.versioned()
@require(*STAFF)
def upload_evidence(data, standard_id: int):
    """Attach the evidence document of the city's adoption (city staff).

    multipart/form-data: `evidence_file` (PDF, DOCX or ODT, typed by its content and
    size-limited as on the page: 422 otherwise) and `version` (or `If-Match`). It replaces
    the earlier document and goes to the region's coordinator for review."""
    found, adoption = _standard_and_adoption(standard_id)
    expected = version_read(adoption, data)
    try:
        document = from_form(data["evidence_file"])
    except UploadRejected as error:
        abort(422, message=str(error))
    if document is None:
        abort(422, message=_("The file is empty."))
    return _save_adoption(found, adoption, expected, {}, document)


def _standard_and_adoption(standard_id: int) -> tuple[Standard, Adoption | Unsaved]:
    found = services.standard_of_region(g.tenant.region, standard_id) or abort(
        404, message=_("The region has no such standard.")
    )
    return found, services.adoption_of(found) or Unsaved(found)


def _save_adoption(
    standard: Standard, current: Adoption | Unsaved, expected: int, data: dict, document
) -> Adoption:
    """The page's save: what is not sent stays as it is."""
    fields_ = ("status", "evidence", "decided_on", "notes")
    try:
        adoption = services.save_adoption(
            standard,
            expected,
            {name: data[name] if name in data else getattr(current, name) for name in fields_},
            document,
        )
    except EditConflict as error:
        abort(409, message=str(error))
    shows_version(adoption)
    return adoption
