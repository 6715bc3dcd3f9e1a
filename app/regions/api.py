"""/api/v1/regions/<slug>/...: projects, standards, the adoption matrix and the benchmark;
/api/v1/tenants/<slug>/adoption: a city's own adoption rows."""

from __future__ import annotations

from flask import g
from flask_smorest import abort
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from app.accounts.models import Role
from app.accounts.permissions import COORDINATOR, require
from app.api import BEARER
from app.api.blueprint import ApiBlueprint, UpdatedSinceSchema, changed_since
from app.extensions import db
from app.regions.access import authorise, sees_claims
from app.regions.benchmark import MEASURES, benchmark, benchmark_years
from app.regions.matrix import adoption_matrix
from app.regions.models import Adoption, AdoptionStatus, StandardsProject

blueprint = ApiBlueprint(
    "api_regions",
    __name__,
    tag="Regiony i standardy · Regions and standards",
    url_prefix="/api/v1",
    description="Regional standards projects, the cities' adoption, the cooperation benchmark",
)
STATUSES = [s.value for s in AdoptionStatus]


class BlockSchema(Schema):
    id = fields.Integer()
    number = fields.Integer()
    title = fields.String()


class StandardisationGroupSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    office_members = fields.List(fields.String())
    ngo_members = fields.List(fields.String())


class ProjectSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    starts_on = fields.Date(allow_none=True)
    ends_on = fields.Date(allow_none=True)
    funding_source = fields.String()
    partner = fields.String()
    description = fields.String()
    blocks = fields.List(fields.Nested(BlockSchema))
    groups = fields.List(fields.Nested(StandardisationGroupSchema))
    matrix_public = fields.Boolean()


class StandardSchema(Schema):
    id = fields.Integer()
    project_id = fields.Integer(attribute="block.project_id")
    block_id = fields.Integer()
    title = fields.String()
    group = fields.String(
        attribute="group.name", allow_none=True, metadata={"description": "Standardisation group"}
    )
    description = fields.String()
    procedures = fields.String()
    recommendations = fields.String()
    version = fields.String()


class StandardsQuerySchema(Schema):
    project_id = fields.Integer(
        load_default=None, metadata={"description": "Only this project's (default: all)"}
    )


class MatrixQuerySchema(Schema):
    project_id = fields.Integer(
        load_default=None, metadata={"description": "The project (default: the newest)"}
    )
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
    measures = fields.List(fields.Nested(MeasureSchema))
    cities = fields.List(fields.Nested(CityFiguresSchema))


class OwnAdoptionSchema(Schema):
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
    notes = fields.String(metadata={"description": "The city's own; never shown to the region"})
    review_status = fields.String(allow_none=True)
    review_comment = fields.String()
    version = fields.Integer(attribute="lock_version")


@blueprint.route("/regions/<region_slug>/projects")
@blueprint.response(200, ProjectSchema(many=True))
@blueprint.listing()
def projects():
    """The region's standards projects with their thematic blocks.

    The newest project first."""
    return _projects()


@blueprint.route("/regions/<region_slug>/standards")
@blueprint.arguments(StandardsQuerySchema, location="query")
@blueprint.response(200, StandardSchema(many=True))
@blueprint.listing()
def standards(query):
    """The standards of the region's projects, or of one project.

    By project (the newest first), then thematic block."""
    chosen = [p for p in _projects() if query["project_id"] in (None, p.id)]
    return [s for project in chosen for block in project.blocks for s in block.standards]


@blueprint.route("/regions/<region_slug>/adoption")
@blueprint.doc(security=BEARER)
@blueprint.arguments(MatrixQuerySchema, location="query")
@blueprint.response(200, MatrixSchema)
def adoption(query):
    """The adoption matrix of a project: cities × standards.

    The region's coordinator reads it always, everyone else once the coordinator has
    made it public; filtered by thematic block and status."""
    project = authorise(_project(query["project_id"]), "view_matrix")
    block_id = query["block_id"]
    if block_id is not None and all(b.id != block_id for b in project.blocks):
        abort(404, message="This project has no such thematic block.")
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
@require(COORDINATOR)
def benchmark_figures(query):
    """The cooperation benchmark of the region's cities (the region's coordinator).

    The measures of one year for each city; 422 for a year it does not cover."""
    if query["year"] is not None and query["year"] not in benchmark_years(g.region):
        abort(
            422,
            message="The benchmark covers this year back to the region's earliest dated record.",
        )
    figures = benchmark(g.region, query["year"])
    return {
        "year": figures.year,
        "computed_at": figures.computed_at,
        "measures": [
            {"key": m.key, "label": str(m.label), "explanation": str(m.explanation), "kind": m.kind}
            for m in MEASURES
        ],
        "cities": [
            {"slug": c.city.slug, "name": c.city.name(), "values": _plain(c.values)}
            for c in figures.cities
        ],
    }


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
        abort(404, message="The region has no such standards project.")
    return found[0]


def _plain(values: dict) -> dict:
    """Every measure, null where there is no data; amounts as numbers."""
    return {m.key: _number(values.get(m.key)) for m in MEASURES}


def _number(value):
    return float(value) if value is not None and not isinstance(value, bool | int) else value
