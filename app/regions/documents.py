"""The region's documents for its coordinator: the adoption matrix (CSV, XLSX or PDF), the
cooperation benchmark (PDF or XLSX) and a project's report for its funder."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from flask import g
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate

from app import exports
from app.accounts.models import User
from app.exports import Cell, Document, Money, Percent, Toned, builder
from app.exports.doors import ExportRefused, door
from app.extensions import db
from app.i18n import when
from app.regions.access import project_for
from app.regions.benchmark import MEASURES, CityFigures, Measure, benchmark, benchmark_years
from app.regions.matrix import UNACCEPTED, adoption_matrix
from app.regions.matrix import Cell as MatrixCell
from app.regions.models import ADOPTION_LABELS, REVIEW_LABELS, AdoptionStatus, StandardsProject
from app.regions.report import Participants, ProjectReport, period_problem, project_report
from app.tenancy import clock
from app.tenancy.models import Region

# Each status's ground and mark, as the matrix page shows them; the mark and the label say
# what the colour does (a grey printout, a reader who does not tell the colours apart).
STATUS_LOOK = {
    AdoptionStatus.ADOPTED: ("#d8efd9", "✓"),
    AdoptionStatus.IN_PROGRESS: ("#ffe8b0", "◐"),
    AdoptionStatus.PLANNED: ("#dfe7f3", "○"),
    AdoptionStatus.NOT_STARTED: ("#ffffff", "–"),
    AdoptionStatus.NOT_APPLICABLE: ("#eeeeee", "/"),
}


def _coordinator_of(region_id: int) -> None:
    user = db.session.get(User, g.get("actor_id"))
    if user is None or not user.coordinates(region_id):
        raise PermissionError("only the region's coordinator exports its documents")


@builder("adoption_matrix", formats=("xlsx", "csv", "pdf"), page="regions.export_matrix")
def adoption_matrix_document(
    project_id: int,
    block_id: int | None = None,
    status: str | None = None,
    include_claims: bool = False,
) -> tuple[Document, str]:
    project = db.session.get_one(StandardsProject, project_id)
    _coordinator_of(project.region_id)
    matrix = adoption_matrix(
        project, block_id=block_id, status=status, include_claims=include_claims
    )
    document = Document(
        project.title,
        landscape=True,
        subtitle=_(
            "Adoption of the standards in the cities of the region, as of %(date)s",
            date=when(clock.today()),
        ),
    )
    headers = [_("City"), *(s.title for s in matrix.standards), _("Share adopted")]
    rows = [
        [row.city.name(), *(_cell(cell) for cell in row.cells), _percent(row.share)]
        for row in matrix.rows
    ]
    document.add_table(headers, rows, caption=_("Adoption by city"))
    document.add_table(
        [_("Thematic block"), _("Share adopted")],
        [[f"{b.numeral}. {b.title}", _percent(matrix.block_shares[b.id])] for b in matrix.blocks],
        caption=_("Adoption by block"),
    )
    # After the tables: a CSV holds the first table alone, and that is the matrix.
    document.add_table(
        [str(ADOPTION_LABELS[status]) for status in STATUS_LOOK],
        [[Toned(mark, colour) for colour, mark in STATUS_LOOK.values()]],
        caption=_("Legend"),
    )
    return document, f"wdrożenie-standardów-{project.id}"


def _cell(cell: MatrixCell) -> Toned:
    """A city's cell: the status's mark and label on its colour, and in words what the
    matrix page marks besides: a claim awaiting review, a missed target date."""
    colour, mark = STATUS_LOOK[AdoptionStatus(cell.status)]
    parts = [str(ADOPTION_LABELS[cell.status])]
    if cell.review:
        parts.append(f"({REVIEW_LABELS[cell.review]})")
    if cell.overdue:
        parts.append(f"({_('past the target date')})")
    return Toned(" ".join(parts), colour, mark)


def _percent(value: float | None) -> Percent | str:
    return _("no data") if value is None else Percent(value)


@builder("benchmark", formats=("pdf", "xlsx"), page="regions.export_benchmark")
def benchmark_document(region_id: int, year: int) -> tuple[Document, str]:
    region = db.session.get_one(Region, region_id)
    _coordinator_of(region.id)
    figures = benchmark(region, year)
    document = Document(
        _("Cooperation benchmark %(year)s", year=figures.year),
        landscape=True,
        subtitle=_(
            "%(region)s: figures computed from what the cities record in Razem, as of %(date)s",
            region=region.name(),
            date=when(figures.computed_at.date()),
        ),
    )
    headers = [_("City"), *(str(m.label) for m in MEASURES)]
    document.add_table(
        headers, [_figures_row(city) for city in figures.cities], caption=_("Figures by city")
    )
    own = figures.self_government
    if own is not None:  # apart, as on the page: it runs the comparison, it is not compared
        document.add_table(
            [_("Local government"), *headers[1:]],
            [_figures_row(own)],
            caption=_("Voivodeship self-government"),
        )
        document.paragraph(
            _(
                "The voivodeship's self-government runs its own programme; its row is shown "
                "apart and is not one of the compared local governments."
            )
        )
    document.heading(_("How each figure is computed"))
    document.bullets([f"{m.label}: {m.explanation}" for m in MEASURES])
    return document, f"benchmark-{region.slug}-{figures.year}"


def _figures_row(city: CityFigures) -> list[Cell]:
    return [city.city.name(), *(_figure(m, city.values.get(m.key)) for m in MEASURES)]


def _figure(measure: Measure, value: Any) -> Cell:
    """A figure as the spreadsheet keeps it: a share as a percent, money as złoty, a number
    as a number; yes and no, and no data, in words."""
    if value is None:
        return _("no data")
    if measure.kind == "yes_no":
        return _("yes") if value else _("no")
    if measure.kind == "share":
        return Percent(value)
    if measure.kind == "money":
        return Money(Decimal(str(value)).quantize(Decimal("0.01")))
    return round(value, 1)  # as the page shows it: 0.7 organisations per 10,000 residents


@builder("project_report", page="regions.project_report")
def project_report_document(project_id: int, first: str, last: str) -> tuple[Document, str]:
    project = db.session.get_one(StandardsProject, project_id)
    _coordinator_of(project.region_id)
    report = project_report(project, date.fromisoformat(first), date.fromisoformat(last))
    document = Document(
        project.title,
        landscape=True,
        subtitle=_(
            "Report for the period from %(first)s to %(last)s",
            first=when(report.first),
            last=when(report.last),
        ),
    )
    document.bullets(_project_facts(project))
    document.heading(_("Meetings"))
    _meeting_tables(document, report)
    document.heading(_("Standards"))
    document.add_table(
        [_("Thematic block"), _("Standard"), _("Version"), _("Prepared by"), _("Target date")],
        [
            [
                s.block.numeral,
                s.title,
                s.version,
                s.group.name if s.group else "",
                when(s.target_date),
            ]
            for s in report.standards
        ],
        caption=_("Standards and versions"),
    )
    document.heading(_("Adoption"))
    _adoption_table(document, report)
    document.heading(_("Notes"))
    document.bullets(_notes(report))
    return document, f"raport-projektu-{project.id}-{report.first}-{report.last}"


def _project_facts(project: StandardsProject) -> list[str]:
    facts = [
        (_("Project period"), f"{when(project.starts_on)} – {when(project.ends_on)}"),
        (_("Funding"), project.funding_source),
        (_("Partner"), project.partner),
    ]
    return [f"{label}: {value}" for label, value in facts if value.strip(" –")]


def _sector_headers() -> list[str]:
    return [
        _("Offices"),
        _("NGOs"),
        _("Others"),
        _("Not listed by name"),
        _("Participants"),
    ]


def _sector_cells(people: Participants) -> list[Cell]:
    return [people.offices, people.ngos, people.others, people.unlisted, people.total]


def _meeting_tables(document: Document, report: ProjectReport) -> None:
    blocks = report.blocks
    document.add_table(
        [
            _("City"),
            *(f"{b.numeral}. {b.title}" for b in blocks),
            _("Meetings"),
            *_sector_headers(),
        ],
        [
            [
                city.city.name(),
                *(city.by_block[b.id] for b in blocks),
                city.meetings,
                *_sector_cells(city.participants),
            ]
            for city in report.cities
        ],
        caption=_("Meetings by city"),
    )
    meetings_in = {b.id: sum(c.by_block[b.id] for c in report.cities) for b in blocks}
    document.add_table(
        [_("Thematic block"), _("Meetings"), *_sector_headers()],
        [
            [
                f"{b.numeral}. {b.title}",
                meetings_in[b.id],
                *_sector_cells(report.block_participants[b.id]),
            ]
            for b in blocks
        ],
        caption=_("Meetings by block"),
    )
    document.add_table(
        [_("Date"), _("City"), _("Thematic block"), _("Meeting"), *_sector_headers()],
        [
            [
                when(m.held_on),
                m.city.name(),
                m.block.numeral,
                m.title,
                *_sector_cells(m.participants),
            ]
            for m in report.meetings
        ],
        caption=_("List of meetings"),
    )


def _adoption_table(document: Document, report: ProjectReport) -> None:
    statuses = list(STATUS_LOOK)
    document.add_table(
        [
            _("City"),
            *(str(ADOPTION_LABELS[status]) for status in statuses),
            _("Not accepted yet"),
            _("Share adopted"),
        ],
        [
            [
                city.city.name(),
                *(city.statuses[status] for status in statuses),
                city.statuses[UNACCEPTED],
                _percent(city.share),
            ]
            for city in report.adoption
        ],
        caption=_("Adoption by city"),
    )


def _notes(report: ProjectReport) -> list[str]:
    return [
        _(
            "Meetings: the meetings the cities recorded under one of the project's thematic "
            "blocks and held from %(first)s to %(last)s, up to the day of the report.",
            first=when(report.first),
            last=when(report.last),
        ),
        _(
            "Participants by sector, from each meeting's attendance list: an attendee marked "
            "as an official counts for the offices; an attendee from an organisation of the "
            "city's register of NGOs counts for the NGOs; anyone else counts as others. For a "
            "meeting without an attendance list by name, the officials entered count for the "
            "offices and the other participants entered as not listed by name."
        ),
        _(
            "Standards: each with its current version; the project's standards are not dated "
            "one by one."
        ),
        _(
            "Adoption: each city's row for each standard as it stood at the end of %(last)s. "
            "A status counts once the region's coordinator accepted it; a city's declaration "
            "awaiting review or sent back counts as not accepted yet, and a standard with no "
            "record as not started. The share adopted counts the accepted adoptions among the "
            "standards that apply to the city.",
            last=when(report.last),
        ),
    ]


# The pages that start these exports, and what both doors (the page and the API) call.


def matrix_filters(
    project: StandardsProject, block_id: int | None, status: str | None, include_claims: bool
) -> dict:
    """The block and status asked for, when they exist; anything else shows everything."""
    return {
        "block_id": block_id if any(b.id == block_id for b in project.blocks) else None,
        "status": status if status in ADOPTION_LABELS else None,
        "include_claims": include_claims,
    }


def start_matrix_export(
    document: str,
    file_format: str,
    project_id: int,
    block_id: int | None = None,
    status: str | None = None,
    include_claims: bool = False,
):
    project = project_for(project_id)
    if block_id is not None and not any(b.id == block_id for b in project.blocks):
        raise ExportRefused(_("This thematic block is not one of the project's."))
    filters = matrix_filters(project, block_id, status, include_claims)
    return exports.start(document, file_format, project_id=project.id, **filters)


def start_benchmark_export(document: str, file_format: str, year: int):
    if year not in benchmark_years(g.region):
        raise ExportRefused(_("There are no figures for this year."))
    return exports.start(document, file_format, region_id=g.region.id, year=year)


def start_project_report(document: str, file_format: str, project_id: int, first, last):
    project = project_for(project_id, "manage")
    problem = period_problem(project, first, last)
    if problem:
        raise ExportRefused(problem)
    period = {"first": first.isoformat(), "last": last.isoformat()}
    return exports.start(document, file_format, project_id=project.id, **period)


class MatrixExportSchema(Schema):
    block_id = fields.Integer(
        load_default=None,
        metadata={"description": "Only this thematic block of the project (else all)"},
    )
    status = fields.String(
        load_default=None,
        validate=validate.OneOf([s.value for s in AdoptionStatus]),
        metadata={"description": "Only the cells of this status (else all)", "example": "adopted"},
    )
    include_claims = fields.Boolean(
        load_default=False,
        metadata={"description": "Also the cities' claims not yet accepted by a coordinator"},
    )


class BenchmarkExportSchema(Schema):
    year = fields.Integer(
        required=True, metadata={"description": "The year of the figures", "example": 2024}
    )


class PeriodSchema(Schema):
    first = fields.Date(
        required=True,
        metadata={"description": "The first day reported on", "example": "2013-01-01"},
    )
    last = fields.Date(
        required=True,
        metadata={"description": "The last day reported on", "example": "2014-12-31"},
    )


door(
    "regions.export_matrix",
    start_matrix_export,
    arguments=MatrixExportSchema,
    summary="Export a project's adoption matrix",
    description="Coordinators of the region. Every city against every standard of the "
    "project, filtered as on the matrix page.",
)
door(
    "regions.export_benchmark",
    start_benchmark_export,
    arguments=BenchmarkExportSchema,
    summary="Export the region's cooperation benchmark",
    description="Coordinators of the region. The figures of every city for one year.",
)
door(
    "regions.project_report",
    start_project_report,
    arguments=PeriodSchema,
    summary="Prepare a project's report for its funder",
    description="Coordinators of the region who manage the project. The report on the days "
    "from `first` to `last`, within the project's duration.",
)
