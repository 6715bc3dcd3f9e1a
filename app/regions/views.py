from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.accounts.models import Role
from app.accounts.permissions import COORDINATOR, STAFF, can, has_role, require
from app.core.page_cache import kept_fragment
from app.exports.doors import ExportRefused, door_of
from app.extensions import db
from app.fields import lines
from app.files import UploadRejected, from_form
from app.i18n import percent_formatter
from app.pages import ListPagination, page_number
from app.regions import projects, records, report, services
from app.regions.access import (
    city_of_region,
    project_for,
    region_for,
    sees_claims,
    standard_of_project,
)
from app.regions.benchmark import (
    MEASURES,
    Measure,
    benchmark_as_read,
    benchmark_years,
    displayed,
    displayed_apart,
    figures_period,
    reading_benchmark,
    trend,
)
from app.regions.charts import progress_chart
from app.regions.documents import matrix_filters
from app.regions.forms import (
    AdoptionForm,
    BenchmarkExportForm,
    ExportForm,
    ProjectForm,
    ProjectReportForm,
    ReviewForm,
    StandardForm,
)
from app.regions.matrix import PROJECT_OF_THE_MATRIX, Cell, matrix_as_read, reading_adoption
from app.regions.models import (
    ADOPTION_LABELS,
    REVIEW_LABELS,
    Adoption,
    AdoptionStatus,
    ReviewStatus,
    Standard,
    StandardsProject,
)
from app.regions.services import activity_by_city
from app.storage import send_stored
from app.tenancy import clock
from app.tenancy.models import Region
from app.unit_of_work import EditConflict

blueprint = Blueprint("regions", __name__, template_folder="templates")
DEFAULT_TREND_YEARS = 5


# Local governments a page of the region's lists shows: its overview, the benchmark and its
# range of years (and, as many, the adoption matrix).
CITIES_PAGE_SIZE = 30


@blueprint.get("/regions/<region_slug>/")
def overview():
    is_coordinator = has_role(COORDINATOR)
    activity = activity_by_city(g.region) if is_coordinator else {}
    projects = db.session.scalars(
        select(StandardsProject)
        .options(selectinload(StandardsProject.blocks))  # the agenda's meetings name theirs
        .where(StandardsProject.region_id == g.region.id)
        .order_by(StandardsProject.starts_on.desc())
    ).all()
    agenda = (
        services.coordinator_agenda(g.region, list(projects), activity) if is_coordinator else None
    )
    return render_template(
        "regions/overview.html",
        region=g.region,
        is_coordinator=is_coordinator,
        cities=db.paginate(
            services.local_governments_of(g.region),
            page=page_number(request.args.get("page", 1)),
            per_page=CITIES_PAGE_SIZE,
        ),
        activity=activity,
        projects=projects,
        agenda=agenda,
    )


@blueprint.get("/regions/<region_slug>/projects/<int:project_id>/")
def project(project_id: int):
    """The project and its standards are public knowledge; adoption is for the coordinator."""
    project = project_for(project_id)
    meetings = services.project_meetings(project)
    attendance: dict[str, int] = {}
    for meeting in meetings:
        city = meeting.tenant.name(str(get_locale()))
        attendance[city] = attendance.get(city, 0) + (meeting.participants or 0)
    return render_template(
        "regions/project.html",
        region=g.region,
        project=project,
        meetings=meetings,
        attendance=attendance,
        is_coordinator=has_role(COORDINATOR),
    )


# Cities a page of the matrix shows; its shares and its exports are of all of them.
MATRIX_PAGE_SIZE = 30


@blueprint.get("/regions/<region_slug>/projects/<int:project_id>/adoption")
def matrix(project_id: int):
    """The coordinator's; everyone's once the coordinator has made it public."""
    project = project_for(project_id, "view_matrix", options=PROJECT_OF_THE_MATRIX)
    with_claims = sees_claims(project)
    links = can("view_city_rows", project)
    filters = _matrix_filters(project)
    # The read is on record on every request, whether the matrix's body is kept or not.
    with reading_adoption(project):
        body = kept_fragment(
            _fragment_key(
                project.id, project.adoption_revision, *filters.values(), with_claims, links
            ),
            lambda: _matrix_body(project, filters, with_claims, links),
        )
    return render_template(
        "regions/matrix.html",
        region=g.region,
        project=project,
        is_coordinator=has_role(COORDINATOR),
        with_claims=with_claims,
        filters=filters,
        body=Markup(body),
        labels=ADOPTION_LABELS,
        statuses=list(AdoptionStatus),
        export_form=ExportForm(),
    )


def _fragment_key(*what) -> tuple:
    """What a kept fragment of a regional page differs by: `what` (the data it shows and its
    revision), the page of the list asked for, the day (target dates passed, the latest
    year) and the address its links are made for."""
    page = page_number(request.args.get("page", 1))
    return (request.endpoint, *what, page, clock.today(), request.host, request.script_root)


def _matrix_body(project: StandardsProject, filters: dict, with_claims: bool, links: bool) -> str:
    """The cities' table, the blocks' shares and the progress: the same for everyone who
    may see them with these filters, nothing of the person asking."""
    matrix = matrix_as_read(project, **filters, accepted_only=not with_claims)
    return render_template(
        "regions/_matrix_body.html",
        region=g.region,
        project=project,
        with_claims=with_claims,
        filters=filters,
        matrix=matrix,
        cities=_page_of(matrix.rows, MATRIX_PAGE_SIZE),
        chart=progress_chart(matrix.progress),
        block_charts={
            block.id: progress_chart(matrix.block_progress.get(block.id, []), over=matrix.progress)
            for block in matrix.blocks
        },
        labels=ADOPTION_LABELS,
        cells_of=_cells_of(project, matrix.standards, links=links),
        share=_share_text(),
        statuses=list(AdoptionStatus),
    )


@blueprint.post("/regions/<region_slug>/projects/<int:project_id>/adoption/export")
@require(COORDINATOR)
def export_matrix(project_id: int):
    project = project_for(project_id)
    form = ExportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        record = door_of("regions.export_matrix").start(
            "adoption_matrix",
            form.file_format.data,
            project_id=project.id,
            block_id=request.values.get("block", type=int),
            status=request.values.get("status"),
            include_claims=request.values.get("claims") == "1",
        )
    except ExportRefused:
        abort(400)
    return redirect(url_for("jobs.status", job_id=record.id))


def _cells_of(project: StandardsProject, standards: list[Standard], links: bool):
    """A city's row of cells as HTML, each kind of cell escaped once rather than in each of
    a region's 12,000 cells (the status, a claim and a missed target date in text, not only
    in colour or pattern); with `links`, each cell opens the city's row for its standard.

    A cell is kept short, for a page of 1,200 of them: its class is its status alone (the
    table's class sets out every cell; "not started" needs none) and its link is relative
    to the matrix's own address (".../adoption" → "adoption/<city>/<standard>")."""
    rendered: dict[Cell, tuple[str, str | None]] = {}
    marks: dict[str, Markup] = {
        ReviewStatus.PENDING: Markup(
            '<span class="mark" aria-hidden="true">?</span><small>{}</small>'
        ).format(REVIEW_LABELS[ReviewStatus.PENDING]),
        ReviewStatus.RETURNED: Markup(
            '<span class="mark" aria-hidden="true">↩</span><small>{}</small>'
        ).format(REVIEW_LABELS[ReviewStatus.RETURNED]),
    }
    overdue = Markup('<small class="overdue">{}</small>').format(_("past the target date"))

    def kind(cell: Cell) -> tuple[str, str | None]:
        """The cell's HTML before and after its link's address (all of it before, None
        after, without links)."""
        classes = [] if cell.status == AdoptionStatus.NOT_STARTED else [f"adoption-{cell.status}"]
        classes += ["adoption-claim"] if cell.review else []
        opening = f'<td class="{" ".join(classes)}">' if classes else "<td>"
        content = Markup("{}").format(ADOPTION_LABELS[cell.status])
        content += marks[cell.review] if cell.review else ""
        content += overdue if cell.overdue else ""
        if not links:
            return f"{opening}{content}</td>", None
        return f'{opening}<a href="', f'">{content}</a></td>'

    standard_ids = [str(s.id) for s in standards]
    page = url_for("regions.matrix", project_id=project.id)
    cell_page = url_for("regions.city_row", project_id=project.id, city_slug="-", standard_id=0)
    relative = cell_page[page.rindex("/") + 1 : -len("-/0")]

    def row_html(row) -> Markup:
        prefix = f"{relative}{escape(row.city.slug)}/"
        parts = []
        for standard_id, cell in zip(standard_ids, row.cells, strict=True):
            if cell not in rendered:
                rendered[cell] = kind(cell)
            head, tail = rendered[cell]
            parts.append(head if tail is None else f"{head}{prefix}{standard_id}{tail}")
        return Markup("".join(parts))

    return row_html


def _page_of(rows: list, per_page: int = CITIES_PAGE_SIZE) -> ListPagination:
    """The page asked for of a region's local governments, listed and worked out in full
    (their order, shares and medians are the whole region's)."""
    return ListPagination(
        rows=rows,
        page=page_number(request.args.get("page", 1)),
        per_page=per_page,
        max_per_page=None,
    )


def _share_text():
    percent = percent_formatter(get_locale())
    no_data = _("no data")
    return lambda value: no_data if value is None else percent(value)


def _matrix_filters(project: StandardsProject) -> dict:
    """The block and status asked for, when they exist; anything else shows everything."""
    return matrix_filters(
        project,
        request.values.get("block", type=int),
        request.values.get("status"),
        request.values.get("claims") == "1",
    )


@blueprint.route("/regions/<region_slug>/projects/<int:project_id>/report", methods=["GET", "POST"])
@require(COORDINATOR)
def project_report(project_id: int):
    """The project's report for its funder, for a period within the project, made by a job."""
    project = project_for(project_id, "manage")
    form = ProjectReportForm(project_period=report.whole_period(project))
    if form.validate_on_submit():
        try:
            record = door_of("regions.project_report").start(
                "project_report",
                form.file_format.data,
                project_id=project.id,
                first=form.first.data,
                last=form.last.data,
            )
        except ExportRefused as refused:
            flash(str(refused), "error")
        else:
            return redirect(url_for("jobs.status", job_id=record.id))
    return render_template(
        "regions/project_report.html", region=g.region, project=project, form=form
    ), 422 if form.errors else 200


@blueprint.get("/regions/<region_slug>/projects/<int:project_id>/reviews")
@require(COORDINATOR)
def reviews(project_id: int):
    project = project_for(project_id)
    return render_template(
        "regions/reviews.html",
        region=g.region,
        project=project,
        pending=services.pending_reviews(project),
        labels=ADOPTION_LABELS,
        form=ReviewForm(),
    )


@blueprint.post("/regions/<region_slug>/projects/<int:project_id>/reviews/<int:adoption_id>")
@require(COORDINATOR)
def review(project_id: int, adoption_id: int):
    project = project_for(project_id)
    form = ReviewForm()
    if not form.validate_on_submit():
        flash(_("The comment is too long (at most 2,000 characters)."), "error")
    else:
        try:
            services.review_adoption(
                project, adoption_id, accept=form.accept.data, comment=form.comment.data or ""
            )
        except LookupError:
            abort(404)
        except EditConflict as error:
            flash(str(error), "error")
        else:
            flash(_("Accepted.") if form.accept.data else _("Sent back to the city."), "success")
    return redirect(url_for("regions.reviews", region_slug=g.region.slug, project_id=project.id))


@blueprint.get("/<tenant_slug>/standards")
@require(*STAFF, Role.VIEWER)
def city_standards():
    """The region's standards and where this city stands with each."""
    projects = db.session.scalars(
        select(StandardsProject)
        .where(StandardsProject.region_id == g.tenant.region_id)
        .order_by(StandardsProject.starts_on.desc())
    ).all()
    adoptions = {a.standard_id: a for a in db.session.scalars(select(Adoption))}
    return render_template(
        "regions/city_standards.html",
        projects=projects,
        adoptions=adoptions,
        labels=ADOPTION_LABELS,
        review_labels=REVIEW_LABELS,
        can_edit=can("edit", Adoption),
    )


@blueprint.route("/<tenant_slug>/standards/<int:standard_id>", methods=["GET", "POST"])
@require(*STAFF)
def edit_adoption(standard_id: int):
    standard = services.standard_of_region(g.tenant.region, standard_id) or abort(404)
    adoption = services.adoption_of(standard)
    form = AdoptionForm(obj=adoption)
    if not form.is_submitted():
        form.version.data = adoption.lock_version if adoption else 0
    status = 200
    if form.validate_on_submit():
        try:
            document = from_form(form.evidence_file.data)
            services.save_adoption(standard, int(form.version.data or 0), form.data, document)
        except UploadRejected as error:
            form.evidence_file.errors = [str(error)]
            status = 422
        except EditConflict as error:
            flash(str(error), "error")
            status = 409
        else:
            flash(_("Saved and sent to the region's coordinator for review."), "success")
            return redirect(url_for("regions.city_standards"))
    elif form.errors:
        status = 422
    return render_template(
        "regions/edit_adoption.html",
        form=form,
        standard=standard,
        adoption=adoption,
        labels=ADOPTION_LABELS,
        review_labels=REVIEW_LABELS,
    ), status


@blueprint.get("/<tenant_slug>/standards/<int:standard_id>/evidence")
@require(*STAFF, Role.VIEWER)
def city_evidence(standard_id: int):
    standard = services.standard_of_region(g.tenant.region, standard_id) or abort(404)
    adoption = services.adoption_of(standard) or abort(404)
    return send_stored(adoption.evidence_file_key, adoption.evidence_file_name)


@blueprint.get(
    "/regions/<region_slug>/projects/<int:project_id>/adoption/<int:adoption_id>/evidence"
)
@require(COORDINATOR)
def evidence(project_id: int, adoption_id: int):
    project = project_for(project_id)
    key, name = services.evidence_document(project, adoption_id) or abort(404)
    return send_stored(key, name)


@blueprint.get(
    "/regions/<region_slug>/projects/<int:project_id>/adoption/<city_slug>/<int:standard_id>"
)
def city_row(project_id: int, city_slug: str, standard_id: int):
    """A matrix cell opened: the city's row for the standard, for the region's coordinator."""
    project = project_for(project_id, "view_city_rows")
    city = city_of_region(city_slug)
    standard = standard_of_project(project, standard_id)
    record = records.city_record(city, standard, across_region=True)
    evidence_url = record.adoption_id and url_for(
        "regions.evidence", project_id=project.id, adoption_id=record.adoption_id
    )
    return render_template(
        "regions/adoption_record.html",
        record=record,
        project=project,
        back_url=url_for("regions.matrix", project_id=project.id),
        back_label=_("Adoption by city"),
        evidence_url=evidence_url,
        city_chart=progress_chart(record.progress),
        labels=ADOPTION_LABELS,
        review_labels=REVIEW_LABELS,
    )


@blueprint.get("/<tenant_slug>/standards/<int:standard_id>/record")
@require(*STAFF, Role.VIEWER)
def own_row(standard_id: int):
    """The same page as the coordinator's, for the city's own row."""
    standard = services.standard_of_region(g.tenant.region, standard_id) or abort(404)
    record = records.city_record(g.tenant, standard, across_region=False)
    return render_template(
        "regions/adoption_record.html",
        record=record,
        project=standard.block.project,
        back_url=url_for("regions.city_standards"),
        back_label=_("Regional standards"),
        evidence_url=url_for("regions.city_evidence", standard_id=standard.id),
        city_chart=progress_chart(record.progress),
        edit_url=can("edit", Adoption)
        and url_for("regions.edit_adoption", standard_id=standard.id),
        labels=ADOPTION_LABELS,
        review_labels=REVIEW_LABELS,
    )


@blueprint.get("/regions/<region_slug>/benchmark")
def benchmark_page():
    """The coordinator's; everyone's once the coordinator has made it public."""
    region = region_for("view_benchmark")
    years = benchmark_years(region)
    asked = request.args.get("year", type=int)
    year = asked if asked in years else None  # None: the latest, as the pages' links keep it
    # The read is on record on every request, whether the figures' table is kept or not.
    with reading_benchmark(region, [year]) as tenant_ids:
        shown_year, body = kept_fragment(
            _fragment_key(region.id, year, figures_period()),
            lambda: _benchmark_body(region, year, tenant_ids),
            timeout=current_app.config["BENCHMARK_MAX_AGE_SECONDS"],
        )
    return render_template(
        "regions/benchmark.html",
        region=region,
        is_coordinator=can("manage_benchmark", region),
        year=shown_year,
        years=years,
        body=Markup(body),
        export_form=BenchmarkExportForm(year=shown_year),
    )


def _benchmark_body(
    region: Region, year: int | None, tenant_ids: tuple[int, ...]
) -> tuple[int, str]:
    """The year shown and the page's figures, the same for everyone who may read them."""
    figures = benchmark_as_read(region, year, tenant_ids)
    shown = displayed(figures, get_locale())
    return figures.year, render_template(
        "regions/_benchmark_body.html",
        region=region,
        asked_year=year,
        computed_at=figures.computed_at,
        measures=MEASURES,
        cities=_page_of(list(zip(figures.cities, shown, strict=True))),
        self_government=figures.self_government,
        self_government_shown=displayed_apart(figures, get_locale()),
    )


@blueprint.post("/regions/<region_slug>/benchmark/export")
@require(COORDINATOR)
def export_benchmark():
    form = BenchmarkExportForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        record = door_of("regions.export_benchmark").start(
            "benchmark", form.file_format.data, year=request.form.get("year", type=int)
        )
    except ExportRefused:
        abort(400)
    return redirect(url_for("jobs.status", job_id=record.id))


@blueprint.get("/regions/<region_slug>/benchmark/trend")
def benchmark_trend():
    """One measure for every city over a range of years, to whoever reads the benchmark."""
    region = region_for("view_benchmark")
    years = sorted(benchmark_years(region))
    first = request.args.get("from", type=int)
    last = request.args.get("to", type=int)
    first = first if first in years else years[max(0, len(years) - DEFAULT_TREND_YEARS)]
    last = last if last in years else years[-1]
    if first > last:
        flash(_("The first year comes after the last: the years are shown in order."), "error")
        first, last = last, first
    by_key = {m.key: m for m in MEASURES}
    measure = by_key.get(request.args.get("measure", ""), MEASURES[0])
    shown_years = list(range(first, last + 1))
    # The read is on record on every request, whether the figures' table is kept or not.
    with reading_benchmark(region, shown_years) as tenant_ids:
        body = kept_fragment(
            _fragment_key(region.id, first, last, measure.key, figures_period()),
            lambda: _trend_body(region, measure, shown_years, tenant_ids),
            timeout=current_app.config["BENCHMARK_MAX_AGE_SECONDS"],
        )
    return render_template(
        "regions/benchmark_trend.html",
        region=region,
        years=years,
        first=first,
        last=last,
        measures=MEASURES,
        measure=measure,
        body=Markup(body),
    )


def _trend_body(
    region: Region, measure: Measure, years: list[int], tenant_ids: tuple[int, ...]
) -> str:
    """The measure's table over the years, the same for everyone who may read it."""
    over_years = trend(region, measure, years, get_locale(), tenant_ids)
    return render_template(
        "regions/_benchmark_trend_body.html",
        region=region,
        first=years[0],
        last=years[-1],
        trend=over_years,
        cities=_page_of(over_years.rows),
    )


@blueprint.post("/regions/<region_slug>/benchmark/publicity")
@require(COORDINATOR)
def benchmark_publicity():
    """Open the cooperation benchmark to everyone, or keep it for the coordinator."""
    region = region_for("manage_benchmark")
    if not ReviewForm().validate_on_submit():  # the CSRF token only
        abort(400)
    projects.set_benchmark_publicity(region, request.args.get("public") == "1")
    flash(
        _("The cooperation benchmark is public.")
        if region.benchmark_public
        else _("The cooperation benchmark is for the coordinator only."),
        "success",
    )
    return redirect(url_for("regions.benchmark_page", region_slug=region.slug))


@blueprint.route("/regions/<region_slug>/projects/new", methods=["GET", "POST"])
@blueprint.route("/regions/<region_slug>/projects/<int:project_id>/edit", methods=["GET", "POST"])
@require(COORDINATOR)
def edit_project(project_id: int | None = None):
    project = project_for(project_id) if project_id else StandardsProject(region=g.region)
    # A posted form holds only what was posted: rows must never fall back to the saved ones.
    form = ProjectForm() if request.method == "POST" else _project_form(project)
    status = 200
    if form.validate_on_submit():
        try:
            projects.save_project(
                project,
                int(form.version.data or 0),
                {field: form[field].data or _empty(field) for field in projects.PROJECT_FIELDS},
                [projects.BlockRow(row["id"], row["title"]) for row in form.blocks.values()],
                [
                    projects.GroupRow(
                        row["id"],
                        row["name"],
                        lines(row["office_members"]),
                        lines(row["ngo_members"]),
                    )
                    for row in form.groups.values()
                ],
            )
        except (EditConflict, projects.ProjectError) as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 409
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("regions.project", project_id=project.id))
    elif form.errors:
        status = 422
    return render_template(
        "regions/edit_project.html", form=form, project=project, region=g.region
    ), status


@blueprint.route(
    "/regions/<region_slug>/projects/<int:project_id>/standards/new", methods=["GET", "POST"]
)
@blueprint.route(
    "/regions/<region_slug>/projects/<int:project_id>/standards/<int:standard_id>/edit",
    methods=["GET", "POST"],
)
@require(COORDINATOR)
def edit_standard(project_id: int, standard_id: int | None = None):
    project = project_for(project_id)
    standard = Standard()
    if standard_id is not None:
        standard = next(
            (s for b in project.blocks for s in b.standards if s.id == standard_id), None
        ) or abort(404)
    form = StandardForm(obj=standard, project_starts_on=project.starts_on)
    form.block_id.choices = [(b.id, f"{b.numeral}. {b.title}") for b in project.blocks]
    form.group_id.choices = [(0, "—"), *((grp.id, grp.name) for grp in project.groups)]
    if request.method == "GET":
        form.version_lock.data = standard.lock_version or 0
        form.group_id.data = standard.group_id or 0
    status = 200
    if form.validate_on_submit():
        try:
            projects.save_standard(
                standard,
                int(form.version_lock.data or 0),
                {
                    **{field: form[field].data or "" for field in projects.STANDARD_FIELDS},
                    "position": form.position.data or 0,
                    "group_id": form.group_id.data,
                    "target_date": form.target_date.data,
                },
            )
        except (EditConflict, projects.ProjectError) as error:
            db.session.rollback()
            flash(str(error), "error")
            status = 409
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("regions.project", project_id=project.id))
    elif form.errors:
        status = 422
    return render_template(
        "regions/edit_standard.html",
        form=form,
        project=project,
        standard=standard,
        target_history=projects.target_history(standard),
    ), status


@blueprint.post("/regions/<region_slug>/projects/<int:project_id>/publicity")
@require(COORDINATOR)
def publicity(project_id: int):
    """Open the adoption matrix to everyone, or keep it for the coordinator."""
    project = project_for(project_id)
    if not ReviewForm().validate_on_submit():  # the CSRF token only
        abort(400)
    projects.set_matrix_publicity(project, request.args.get("public") == "1")
    flash(
        _("The adoption matrix is public.")
        if project.matrix_public
        else _("The adoption matrix is for the coordinator only."),
        "success",
    )
    return redirect(url_for("regions.project", project_id=project.id))


def _project_form(project: StandardsProject) -> ProjectForm:
    form = ProjectForm(obj=project)
    form.version.data = project.lock_version or 0
    form.groups.fill(
        {
            "id": group.id,
            "name": group.name,
            "office_members": "\n".join(group.office_members),
            "ngo_members": "\n".join(group.ngo_members),
        }
        for group in project.groups
    )
    return form


def _empty(field: str):
    return None if field in ("starts_on", "ends_on") else ""
