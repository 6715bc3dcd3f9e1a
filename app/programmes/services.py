"""The programme cycle: creating, editing with optimistic locking, the stage rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from flask import g
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import unit_of_work
from app.extensions import db
from app.files import CheckedUpload
from app.programmes.catalogue import (
    ADMIN_STAGES,
    CYCLE,
    ELEMENTS,
    PUBLIC_STAGES,
    STATUTORY_PRINCIPLES,
    TEXT_ELEMENTS,
    Kind,
    Stage,
)
from app.programmes.models import (
    CooperationForm,
    Indicator,
    Milestone,
    Principle,
    PriorityTask,
    Programme,
    Section,
    Transition,
)
from app.rows import changes_pending, replace
from app.storage import storage

# Moving into these stages publishes the text as it stands, to be kept and compared.
VERSIONED_STAGES = {
    Stage.CONSULTATION: _l("draft for public consultation"),
    Stage.FINAL: _l("final version"),
    Stage.ADOPTED: _l("adopted text"),
}


class ProgrammeError(ValueError):
    """A rule of the cycle was broken; the message is shown to the person."""


class EditConflict(ProgrammeError):
    """Someone saved the programme since this person opened it."""


# -- creating -------------------------------------------------------------------------


def create(kind: Kind, year_from: int, year_to: int, title: str) -> Programme:
    if year_to < year_from or (kind == Kind.ANNUAL and year_to != year_from):
        raise ProgrammeError(_("An annual programme covers one year; check the years."))
    programme = Programme(kind=kind.value, year_from=year_from, year_to=year_to, title=title)
    programme.sections = [Section(key=key, body="") for key in TEXT_ELEMENTS]
    programme.principles = [
        Principle(name=name, definition=definition, statutory=True, position=index)
        for index, (name, definition) in enumerate(STATUTORY_PRINCIPLES)
    ]
    db.session.add(programme)
    unit_of_work.flush()
    return programme


def copy_as_next(previous: Programme) -> Programme:
    """ "Start from last year's programme": structure and texts, for the following period."""
    length = previous.year_to - previous.year_from
    year_from = previous.year_to + 1
    title = previous.title.replace(str(previous.year_from), str(year_from))
    programme = Programme(
        kind=previous.kind,
        year_from=year_from,
        year_to=year_from + length,
        title=title,
        budget=previous.budget,
    )
    programme.sections = [Section(key=s.key, body=s.body) for s in previous.sections]
    programme.principles = [
        Principle(name=p.name, definition=p.definition, statutory=p.statutory, position=p.position)
        for p in previous.principles
    ]
    programme.forms = [
        CooperationForm(
            area=f.area, financial=f.financial, description=f.description, position=f.position
        )
        for f in previous.forms
    ]
    programme.priority_tasks = [
        PriorityTask(area_code=t.area_code, description=t.description, position=t.position)
        for t in previous.priority_tasks
    ]
    programme.indicators = [
        Indicator(name=i.name, unit=i.unit, planned=i.planned, position=i.position)
        for i in previous.indicators
    ]
    db.session.add(programme)
    unit_of_work.flush()
    return programme


def latest(kind: Kind | None = None) -> Programme | None:
    query = select(Programme).where(Programme.deleted_at.is_(None))
    if kind is not None:
        query = query.where(Programme.kind == kind.value)
    return db.session.scalars(query.order_by(Programme.year_from.desc())).first()


def listed(public_only: bool) -> list[Programme]:
    query = select(Programme).where(Programme.deleted_at.is_(None))
    if public_only:
        query = query.where(Programme.stage.in_([s.value for s in PUBLIC_STAGES]))
    return list(db.session.scalars(query.order_by(Programme.year_from.desc())))


# -- editing --------------------------------------------------------------------------


@dataclass
class Content:
    """What one save of the content form changes."""

    title: str
    budget: Decimal | None
    texts: dict[str, str]
    # rows of the form (app.rows): each with the id of the row it shows, None for a new one
    principles: list[dict[str, Any]]
    forms: list[dict[str, Any]]
    priority_tasks: list[dict[str, Any]]
    indicators: list[dict[str, Any]]
    proposals_from: date | None = None
    proposals_to: date | None = None
    consultation_from: date | None = None
    consultation_to: date | None = None


WINDOWS = ("proposals_from", "proposals_to", "consultation_from", "consultation_to")


def touch(programme: Programme) -> None:
    """Content changed: move the version on, so concurrent edits see the conflict."""
    programme.updated_at = datetime.now(UTC)


def save_content(programme: Programme, expected_version: int, content: Content) -> None:
    """Save if nobody else saved since `expected_version` was read; else EditConflict."""
    if programme.version != expected_version:
        raise EditConflict(
            _(
                "Someone else saved this programme while you were editing it. "
                "Your text is kept below: compare it with the current version "
                "and save again."
            )
        )
    with db.session.no_autoflush:
        _apply_content(programme, content)
        if changes_pending():
            touch(programme)
    unit_of_work.flush()


def _apply_content(programme: Programme, content: Content) -> None:
    for name in ("title", "budget", *WINDOWS):
        if getattr(programme, name) != getattr(content, name):
            setattr(programme, name, getattr(content, name))
    sections = {s.key: s for s in programme.sections}
    for key, body in content.texts.items():
        if key not in sections:
            sections[key] = Section(key=key, body="")
            programme.sections.append(sections[key])
        if sections[key].body != body.strip():
            sections[key].body = body.strip()
    statutory = {p.name for p in programme.principles if p.statutory}
    programme.principles = replace(
        programme.principles,
        [{**row, "statutory": row["name"] in statutory} for row in content.principles],
        Principle,
    )
    programme.forms = replace(programme.forms, content.forms, CooperationForm)
    programme.priority_tasks = replace(
        programme.priority_tasks, content.priority_tasks, PriorityTask
    )
    programme.indicators = replace(programme.indicators, content.indicators, Indicator)


def save_milestones(programme: Programme, rows: list[dict[str, Any]]) -> None:
    """The schedule becomes `rows` (title, starts_on, ends_on, responsible, status; with the
    id of the step a row shows, if any)."""
    with db.session.no_autoflush:
        programme.milestones = replace(programme.milestones, rows, Milestone)
        if changes_pending():
            touch(programme)
    unit_of_work.flush()


# -- the required elements and the legal deadlines -----------------------------------


def completeness(programme: Programme) -> dict[str, bool]:
    """Element of art. 5a ust. 4 → present?"""
    present = {key: bool(programme.text(key)) for key in TEXT_ELEMENTS}
    present["principles"] = bool(programme.principles)
    present["forms"] = bool(programme.forms)
    present["priority_tasks"] = bool(programme.priority_tasks)
    present["period"] = True  # the years are required to create a programme
    present["budget"] = programme.budget is not None
    present["evaluation"] = present["evaluation"] and bool(programme.indicators)
    return {key: present[key] for key in ELEMENTS}


def missing_elements(programme: Programme) -> list[str]:
    return [str(ELEMENTS[key]) for key, ok in completeness(programme).items() if not ok]


@dataclass(frozen=True)
class Deadline:
    label: str
    due: date
    met_on: date | None

    def days_left(self, today: date) -> int:
        return (self.due - today).days

    def state(self, today: date) -> str:
        if self.met_on is not None:
            return "met" if self.met_on <= self.due else "late"
        if today > self.due:
            return "overdue"
        return "soon" if self.days_left(today) <= 30 else "open"


def deadlines(programme: Programme) -> list[Deadline]:
    """Art. 5a: adopted by 30 November of the year before; reported by 31 May after."""
    return [
        Deadline(
            _("Adoption by the council"),
            date(programme.year_from - 1, 11, 30),
            programme.resolution_date,
        ),
        Deadline(
            _("Report on implementation published"),
            date(programme.year_to + 1, 5, 31),
            programme.report_published_on,
        ),
    ]


# -- the cycle ------------------------------------------------------------------------


def next_stage(programme: Programme) -> Stage | None:
    index = CYCLE.index(Stage(programme.stage))
    return CYCLE[index + 1] if index + 1 < len(CYCLE) else None


def role_may_move_to(stage: Stage, role: str | None) -> bool:
    if stage in ADMIN_STAGES:
        return role == "admin"
    return role in ("admin", "staff")


def _preconditions(programme: Programme, stage: Stage, today: date) -> list[str]:
    problems: list[str] = []
    if stage == Stage.PROPOSALS_OPEN and not (programme.proposals_from and programme.proposals_to):
        problems.append(_("Set the dates of the proposal window first."))
    if (
        stage == Stage.PROPOSALS_REVIEW
        and programme.proposals_to
        and today <= programme.proposals_to
    ):
        problems.append(
            _(
                "The proposal window is still open until %(date)s.",
                date=format_date(programme.proposals_to, "d.MM.yyyy"),
            )
        )
    if stage == Stage.CONSULTATION:
        missing = missing_elements(programme)
        if missing:
            problems.append(
                _("The draft lacks required elements: %(missing)s.", missing="; ".join(missing))
            )
        if not (programme.consultation_from and programme.consultation_to):
            problems.append(_("Set the dates of the public consultation first."))
    if stage == Stage.ADOPTED and not (programme.resolution_number and programme.resolution_date):
        problems.append(_("Record the council resolution (number and date) first."))
    if stage == Stage.REPORTED and not programme.report_published_on:
        problems.append(_("Record when the report was published first."))
    return problems


def move(
    programme: Programme, stage: Stage, role: str | None, note: str = "", today: date | None = None
) -> Transition:
    """Move to the next stage of the cycle, if the role may and the rules allow."""
    if stage != next_stage(programme):
        raise ProgrammeError(_("The programme can only move to the next stage of its cycle."))
    if not role_may_move_to(stage, role):
        raise PermissionError(stage)
    problems = _preconditions(programme, stage, today or date.today())
    if problems:
        raise ProgrammeError(" ".join(problems))
    transition = Transition(
        programme_id=programme.id,
        from_stage=programme.stage,
        to_stage=stage.value,
        user_id=g.get("actor_id"),
        note=note,
    )
    programme.stage = stage.value
    db.session.add(transition)
    if stage in VERSIONED_STAGES:
        from app.programmes.consultation import publish_version

        publish_version(programme, stage.value)
    unit_of_work.flush()
    return transition


def record_adoption(
    programme: Programme, number: str, adopted_on: date, document: CheckedUpload | None = None
) -> None:
    programme.resolution_number = number.strip()
    programme.resolution_date = adopted_on
    if document is not None:
        programme.resolution_file_key = storage().save(
            programme.tenant_id, document.filename, document.data
        )
        programme.resolution_file_name = document.filename
    touch(programme)
    unit_of_work.flush()


def is_public(programme: Programme) -> bool:
    return Stage(programme.stage) in PUBLIC_STAGES and programme.deleted_at is None


def save_report(
    programme: Programme,
    expected_version: int,
    *,
    tasks: int | None,
    spent: Decimal | None,
    summary: str,
    published_on: date | None,
    actual: dict[int, Decimal | None],
) -> None:
    """`actual`: the actual value of each indicator, by its id."""
    if programme.version != expected_version:
        raise EditConflict(
            _(
                "Someone else saved this programme while you were editing it. "
                "Your text is kept below: compare it with the current version "
                "and save again."
            )
        )
    values = {
        "report_tasks_commissioned": tasks,
        "report_amount_spent": spent,
        "report_summary": summary.strip() or None,
        "report_published_on": published_on,
    }
    with db.session.no_autoflush:
        for name, value in values.items():
            if getattr(programme, name) != value:
                setattr(programme, name, value)
        for indicator in programme.indicators:
            if indicator.id in actual and indicator.actual != actual[indicator.id]:
                indicator.actual = actual[indicator.id]
        if changes_pending():
            touch(programme)
    unit_of_work.flush()
