"""The report on each year of a multi-year programme (art. 5a ust. 3): filed by the city's
office once the year is over, corrected, or withdrawn. An annual programme keeps its one
report on the programme itself (services.save_report)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import g
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import unit_of_work
from app.extensions import db
from app.files import CheckedUpload
from app.programmes.catalogue import Kind
from app.programmes.models import Programme, YearReport
from app.programmes.services import ProgrammeError, programme_years
from app.rows import changes_pending
from app.storage import storage
from app.tenancy import clock

REPORT_SAVED_MEANWHILE = _l(
    "Someone else saved this year's report while you were editing it. Your entries are kept "
    "below: compare them with the saved report and save again."
)


@dataclass(frozen=True)
class Filing:
    """What the office enters about a year's report."""

    published_on: date
    submitted_on: date | None = None
    note: str = ""
    document: CheckedUpload | None = None


def is_reported_yearly(programme: Programme) -> bool:
    return programme.kind == Kind.MULTI_YEAR.value


def years_to_file(programme: Programme) -> list[int]:
    """The years of the programme that are over and have no report on record yet."""
    if not is_reported_yearly(programme):
        return []
    this_year = clock.today().year
    return [
        year
        for year in programme_years(programme)
        if year < this_year and programme.year_report(year) is None
    ]


def file(programme: Programme, year: int, filing: Filing) -> YearReport:
    if not is_reported_yearly(programme):
        raise ProgrammeError(_("An annual programme has one report: record it on its page."))
    if year not in years_to_file(programme):
        raise ProgrammeError(
            _(
                "The report on %(year)s cannot be filed: the year is not over yet, is not a year "
                "of this programme, or its report is on record already.",
                year=year,
            )
        )
    report = YearReport(
        tenant_id=programme.tenant_id,
        programme_id=programme.id,
        year=year,
        recorded_by_id=g.get("actor_id"),
        recorded_at=clock.now(),
    )
    _apply(report, filing)
    db.session.add(report)
    unit_of_work.flush()
    db.session.expire(programme, ["year_reports"])
    return report


def revise(report: YearReport, expected_version: int | str | None, filing: Filing) -> None:
    """Correct the report as filed, unless someone else saved it meanwhile."""
    unit_of_work.check_version(report, expected_version, REPORT_SAVED_MEANWHILE)
    _apply(report, filing)
    if changes_pending():
        report.recorded_by_id = g.get("actor_id")
        report.recorded_at = clock.now()
    unit_of_work.flush()


def withdraw(report: YearReport) -> None:
    """Filed by mistake: taken off the record (the audit log keeps it), and the year is
    open to file again."""
    report.deleted_at = clock.now()
    unit_of_work.flush()
    db.session.expire(report.programme, ["year_reports"])


def _apply(report: YearReport, filing: Filing) -> None:
    _check_dates(report.year, filing)
    if filing.document is not None:  # first: a storage that cannot take it changes nothing
        report.document_key = storage().save(
            report.tenant_id, filing.document.filename, filing.document.data
        )
        report.document_name = filing.document.filename
    values = {
        "published_on": filing.published_on,
        "submitted_on": filing.submitted_on,
        "note": filing.note.strip(),
    }
    for name, value in values.items():
        if getattr(report, name) != value:
            setattr(report, name, value)


def _check_dates(year: int, filing: Filing) -> None:
    year_over = date(year + 1, 1, 1)
    if filing.published_on < year_over or (
        filing.submitted_on is not None and filing.submitted_on < year_over
    ):
        raise ProgrammeError(_("The report on %(year)s is written after the year ends.", year=year))
    if filing.published_on > clock.today():
        raise ProgrammeError(_("Record the publication once the report is published."))
    if filing.submitted_on is not None and filing.submitted_on > filing.published_on:
        raise ProgrammeError(_("The report is handed to the council before it is published."))
