"""The programme cycle: creating, editing with optimistic locking, the stage rules."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from flask import g
from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select

from app import unit_of_work
from app.extensions import db
from app.files import CheckedUpload
from app.i18n import when
from app.notifications import events
from app.notifications.catalogue import Kind as Notice
from app.programmes.catalogue import (
    ADMIN_STAGES,
    CYCLE,
    ELEMENTS,
    FROZEN_STAGES,
    PUBLIC_STAGES,
    STATUTORY_PRINCIPLES,
    TEXT_ELEMENTS,
    WINDOW_LABELS,
    Kind,
    Stage,
    WindowKind,
)
from app.programmes.models import (
    Amendment,
    CooperationForm,
    EarlyClosing,
    Indicator,
    Milestone,
    Principle,
    PriorityTask,
    Programme,
    Section,
    Transition,
    Version,
)
from app.rows import changes_pending, replace
from app.storage import storage
from app.tenancy import clock
from app.tenancy.clock import Window

# Moving into these stages publishes the text as it stands, to be kept and compared.
VERSIONED_STAGES = {
    Stage.CONSULTATION: _l("draft for public consultation"),
    Stage.FINAL: _l("final version"),
    Stage.ADOPTED: _l("adopted text"),
}
AMENDED = "amended"
VERSION_LABELS: dict[str, LazyString] = {
    **{stage.value: label for stage, label in VERSIONED_STAGES.items()},
    AMENDED: _l("text as amended"),
}


class ProgrammeError(ValueError):
    """A rule of the cycle was broken; the message is shown to the person."""


# What a person is told whose edit of the programme lost against someone else's save.
PROGRAMME_SAVED_MEANWHILE = _l(
    "Someone else saved this programme while you were editing it. "
    "Your text is kept below: compare it with the current version "
    "and save again."
)


class PeriodTaken(ProgrammeError):
    """The city has a programme of this kind for this first year already."""


class ProgrammeFrozen(Exception):
    """The council adopted the text: it changes only by an amendment. Not a
    ProgrammeError: no door turns it into a flash message; pages and the API answer 409."""


def content_editable(programme: Programme) -> bool:
    """The one stage rule for the text: editable until adopted, then only while an
    amendment is open. Pages, the API and the access policy ask here."""
    return not programme.is_frozen


def ensure_editable(programme: Programme) -> None:
    if not content_editable(programme):
        raise ProgrammeFrozen(
            _(
                "The council has adopted this programme: its text can no longer be edited. "
                "To change it, start an amendment; it takes effect with the amending "
                "resolution."
            )
        )


# -- creating -------------------------------------------------------------------------


def _ensure_period_free(kind: str, year_from: int) -> None:
    # deleted programmes keep their period too: the database's unique key counts them
    taken = db.session.scalar(
        select(Programme.id).where(Programme.kind == kind, Programme.year_from == year_from)
    )
    if taken is not None:
        raise PeriodTaken(
            _(
                "There is already a programme of this kind starting in %(year)s.",
                year=year_from,
            )
        )


def create(kind: Kind, year_from: int, year_to: int, title: str) -> Programme:
    if year_to < year_from or (kind == Kind.ANNUAL and year_to != year_from):
        raise ProgrammeError(_("An annual programme covers one year; check the years."))
    _ensure_period_free(kind.value, year_from)
    programme = Programme(kind=kind.value, year_from=year_from, year_to=year_to, title=title)
    programme.sections = [Section(key=key, body="") for key in TEXT_ELEMENTS]
    programme.principles = [
        Principle(name=name, definition=definition, statutory=True, position=index)
        for index, (name, definition) in enumerate(STATUTORY_PRINCIPLES)
    ]
    db.session.add(programme)
    unit_of_work.flush()
    return programme


def copy_as_next(previous: Programme, year_from: int | None = None) -> Programme:
    """ "Start from last year's programme": structure and texts, for the following period
    (or the period starting in `year_from`)."""
    length = previous.year_to - previous.year_from
    year_from = year_from or previous.year_to + 1
    _ensure_period_free(previous.kind, year_from)
    title = previous.title.replace(str(previous.year_from), str(year_from))
    years = relativedelta(years=year_from - previous.year_from)
    programme = Programme(
        kind=previous.kind,
        year_from=year_from,
        year_to=year_from + length,
        title=title,
        budget=previous.budget,
        **{window: _shifted(getattr(previous, window), years) for window in WINDOW_DATES},
    )
    programme.milestones = [
        Milestone(
            title=m.title,
            starts_on=m.starts_on + years,
            ends_on=m.ends_on + years,
            responsible=m.responsible,
            position=m.position,
        )
        for m in previous.milestones
    ]
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


# The announced windows, moved with the schedule to the new programme's year.
WINDOW_DATES = ("proposals_from", "proposals_to", "consultation_from", "consultation_to")


def _shifted(day: date | None, years: relativedelta) -> date | None:
    """The same day and month so many years on; 29 February becomes the 28th."""
    return None if day is None else day + years


def latest(kind: Kind | None = None) -> Programme | None:
    query = select(Programme).where(Programme.deleted_at.is_(None))
    if kind is not None:
        query = query.where(Programme.kind == kind.value)
    return db.session.scalars(query.order_by(Programme.year_from.desc())).first()


def listing(public_only: bool) -> Select[Programme]:
    """The city's programmes (only the published ones for the public), the newest first."""
    query = select(Programme).where(Programme.deleted_at.is_(None))
    if public_only:
        query = query.where(Programme.stage.in_([s.value for s in PUBLIC_STAGES]))
    return query.order_by(Programme.year_from.desc())


def listed(public_only: bool) -> list[Programme]:
    return list(db.session.scalars(listing(public_only)))


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
    programme.updated_at = clock.now()


def save_content(programme: Programme, expected_version: int, content: Content) -> None:
    """Save if nobody else saved since `expected_version` was read; else EditConflict."""
    unit_of_work.check_version(programme, expected_version, PROGRAMME_SAVED_MEANWHILE)
    ensure_editable(programme)
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


def content_of(programme: Programme) -> Content:
    """The content as it stands, each row with its id: what an update changes in part."""
    return Content(
        title=programme.title,
        budget=programme.budget,
        texts={},  # a text not sent stays as it is
        principles=[
            {"id": p.id, "name": p.name, "definition": p.definition} for p in programme.principles
        ],
        forms=[
            {"id": f.id, "area": f.area, "financial": f.financial, "description": f.description}
            for f in programme.forms
        ],
        priority_tasks=[
            {"id": t.id, "area_code": t.area_code, "description": t.description}
            for t in programme.priority_tasks
        ],
        indicators=[
            {"id": i.id, "name": i.name, "unit": i.unit, "planned": i.planned}
            for i in programme.indicators
        ],
        **{window: getattr(programme, window) for window in WINDOWS},
    )


def save_milestones(
    programme: Programme, rows: list[dict[str, Any]], expected_version: int | None = None
) -> None:
    """The schedule becomes `rows` (title, starts_on, ends_on, responsible, status; with the
    id of the step a row shows, if any). It is the cycle's work plan, not a part of the
    adopted text; a step with no end date lasts one day. With `expected_version`, refused
    (EditConflict) when someone saved the programme since that version was read."""
    if expected_version is not None:
        unit_of_work.check_version(programme, expected_version, PROGRAMME_SAVED_MEANWHILE)
    rows = [{**row, "ends_on": row.get("ends_on") or row.get("starts_on")} for row in rows]
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
    """Art. 5a: adopted by 30 November of the year before; the report on each year of the
    programme published by 31 May of the next one (a multi-year programme reports yearly)."""
    adoption = Deadline(
        _("Adoption by the council"),
        date(programme.year_from - 1, 11, 30),
        programme.resolution_date,
    )
    return [adoption, *(_report_deadline(programme, year) for year in programme_years(programme))]


def programme_years(programme: Programme) -> range:
    return range(programme.year_from, programme.year_to + 1)


def _report_deadline(programme: Programme, year: int) -> Deadline:
    if programme.year_from == programme.year_to:
        label = _("Report on implementation published")
    else:
        label = _("Report on implementation in %(year)s published", year=year)
    return Deadline(label, report_due(year), report_published(programme, year))


def report_due(year: int) -> date:
    return date(year + 1, 5, 31)


def report_published(programme: Programme, year: int) -> date | None:
    """When the report on `year` was published: a multi-year programme's report of that
    year, or the programme's own report, which is its last year's."""
    filed = programme.year_report(year) if programme.kind == Kind.MULTI_YEAR else None
    if filed is not None:
        return filed.published_on
    return programme.report_published_on if year == programme.year_to else None


# -- the windows ----------------------------------------------------------------------

# The stage in which each window takes input.
WINDOW_STAGES = {
    WindowKind.PROPOSALS: Stage.PROPOSALS_OPEN,
    WindowKind.CONSULTATION: Stage.CONSULTATION,
}


def window(programme: Programme, kind: WindowKind) -> Window | None:
    """The announced days of a window, ended sooner if it was closed early."""
    first = getattr(programme, f"{kind.value}_from")
    last = getattr(programme, f"{kind.value}_to")
    if not (first and last):
        return None
    closing = programme.early_closing(kind)
    return Window.of_days(first, last, closing.closed_at if closing else None)


def takes_input(programme: Programme, kind: WindowKind, at: datetime | None = None) -> bool:
    """Proposals or comments are taken: the programme is at the window's stage and the
    window is open now."""
    if programme.stage != WINDOW_STAGES[kind]:
        return False  # most programmes of a city: no window to work out
    bounds = window(programme, kind)
    return bounds is not None and bounds.is_open(at)


@dataclass(frozen=True)
class OpenWindow:
    """A window of a programme taking proposals or comments now, to the end of its last day."""

    programme: Programme
    kind: WindowKind
    last_day: date


def open_window(programme: Programme) -> OpenWindow | None:
    """The window of the programme's stage if it takes input now (one at most: each window
    belongs to a stage)."""
    for kind in WindowKind:
        if takes_input(programme, kind):
            return OpenWindow(programme, kind, window(programme, kind).last_day)
    return None


def consultations_closing(last_day: date) -> list[Programme]:
    """The programmes whose public consultation ends on `last_day` (its announced end)."""
    return list(
        db.session.scalars(
            select(Programme).where(
                Programme.stage == Stage.CONSULTATION.value,
                Programme.consultation_to == last_day,
                Programme.deleted_at.is_(None),
            )
        )
    )


def close_early(programme: Programme, kind: WindowKind, reason: str) -> EarlyClosing:
    """End an open window before its announced end: the admin's recorded decision."""
    ensure_not_adopted(programme)
    if not reason.strip():
        raise ProgrammeError(_("Say why the window closes early: the reason is published."))
    if not takes_input(programme, kind):
        raise ProgrammeError(
            _(
                "Only an open window can be closed early: %(window)s is not open.",
                window=WINDOW_LABELS[kind],
            )
        )
    closing = EarlyClosing(
        programme_id=programme.id,
        kind=kind.value,
        reason=reason.strip(),
        closed_by_id=g.get("actor_id"),
        closed_at=clock.now(),
    )
    programme.early_closings.append(closing)
    db.session.flush()
    return closing


# -- the cycle ------------------------------------------------------------------------


def next_stage(programme: Programme) -> Stage | None:
    index = CYCLE.index(Stage(programme.stage))
    return CYCLE[index + 1] if index + 1 < len(CYCLE) else None


def role_may_move_to(stage: Stage, role: str | None) -> bool:
    if stage in ADMIN_STAGES:
        return role == "admin"
    return role in ("admin", "staff")


def _still_open(programme: Programme, kind: WindowKind, at: datetime) -> str | None:
    bounds = window(programme, kind)
    if bounds is None or bounds.has_ended(at):
        return None
    last_day = when(bounds.last_day)
    if kind == WindowKind.PROPOSALS:
        return _("The proposal window is still open until %(date)s.", date=last_day)
    return _(
        "The public consultation is announced until %(date)s. It can end earlier only "
        "if the administrator closes it early, giving the reason.",
        date=last_day,
    )


def _preconditions(programme: Programme, stage: Stage, at: datetime) -> list[str]:
    problems: list[str] = []
    if stage == Stage.PROPOSALS_OPEN and not (programme.proposals_from and programme.proposals_to):
        problems.append(_("Set the dates of the proposal window first."))
    if stage == Stage.PROPOSALS_REVIEW:
        problems.append(_still_open(programme, WindowKind.PROPOSALS, at) or "")
    if stage == Stage.CONSULTATION:
        missing = missing_elements(programme)
        if missing:
            problems.append(
                _("The draft lacks required elements: %(missing)s.", missing="; ".join(missing))
            )
        if not (programme.consultation_from and programme.consultation_to):
            problems.append(_("Set the dates of the public consultation first."))
    if stage == Stage.OPINIONS:
        problems.append(_still_open(programme, WindowKind.CONSULTATION, at) or "")
    if stage == Stage.ADOPTED and not (programme.resolution_number and programme.resolution_date):
        problems.append(_("Record the council resolution (number and date) first."))
    if stage == Stage.REPORTED and not programme.report_published_on:
        problems.append(_("Record when the report was published first."))
    return [problem for problem in problems if problem]


# The stages that open a window organisations are told about.
WINDOW_NOTICES = {
    Stage.PROPOSALS_OPEN: Notice.PROPOSALS_OPENED,
    Stage.CONSULTATION: Notice.CONSULTATION_OPENED,
}


def move(
    programme: Programme, stage: Stage, role: str | None, note: str = "", at: datetime | None = None
) -> Transition:
    """Move to the next stage of the cycle, if the role may and the rules allow."""
    if stage != next_stage(programme):
        raise ProgrammeError(_("The programme can only move to the next stage of its cycle."))
    if not role_may_move_to(stage, role):
        raise PermissionError(stage)
    problems = _preconditions(programme, stage, at or clock.now())
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
    if stage in WINDOW_NOTICES:
        events.window_opened(programme, WINDOW_NOTICES[stage])
    return transition


def ensure_not_adopted(programme: Programme) -> None:
    if Stage(programme.stage) in FROZEN_STAGES:
        raise ProgrammeFrozen(
            _(
                "The adoption is recorded already. To change the programme, start an "
                "amendment and record the amending resolution."
            )
        )


def record_adoption(
    programme: Programme,
    number: str,
    adopted_on: date,
    role: str | None,
    document: CheckedUpload | None = None,
) -> Transition:
    """The council adopted the final version: record its resolution and move the
    programme to "adopted". Later changes go through an amendment."""
    ensure_not_adopted(programme)
    if programme.stage != Stage.FINAL:
        raise ProgrammeError(_("The council adopts the final version: finish the cycle first."))
    if not role_may_move_to(Stage.ADOPTED, role):
        raise PermissionError(Stage.ADOPTED)
    if document is not None:  # first: a storage that cannot take it changes nothing
        programme.resolution_file_key = storage().save(
            programme.tenant_id, document.filename, document.data
        )
        programme.resolution_file_name = document.filename
    programme.resolution_number = number.strip()
    programme.resolution_date = adopted_on
    touch(programme)
    return move(
        programme,
        Stage.ADOPTED,
        role,
        note=_("Resolution No %(number)s", number=programme.resolution_number),
    )


# -- amendments -----------------------------------------------------------------------


def start_amendment(programme: Programme, reason: str) -> Amendment:
    """Open the adopted text for a change the council will adopt by a resolution."""
    if Stage(programme.stage) not in FROZEN_STAGES:
        raise ProgrammeError(_("Only an adopted programme is amended; edit the draft instead."))
    if programme.open_amendment is not None:
        raise ProgrammeError(_("An amendment is open already: finish it first."))
    amendment = Amendment(
        programme_id=programme.id,
        number=len(programme.amendments) + 1,
        reason=reason.strip(),
        started_by_id=g.get("actor_id"),
        started_at=clock.now(),
    )
    programme.amendments.append(amendment)
    unit_of_work.flush()
    return amendment


def record_amendment(programme: Programme, number: str, adopted_on: date) -> Amendment:
    """The council adopted the amendment: its text becomes a new version, and the
    programme is frozen again."""
    amendment = programme.open_amendment
    if amendment is None:
        raise ProgrammeError(_("Start an amendment first."))
    if programme.resolution_date and adopted_on < programme.resolution_date:
        raise ProgrammeError(_("An amending resolution cannot precede the programme's own."))
    from app.programmes.consultation import publish_version

    publish_version(programme, AMENDED)
    amendment.resolution_number = number.strip()
    amendment.resolution_date = adopted_on
    touch(programme)
    unit_of_work.flush()
    return amendment


def amendments_in_force(programme: Programme) -> list[Amendment]:
    if Stage(programme.stage) not in FROZEN_STAGES:  # none before adoption: no query
        return []
    return [a for a in programme.amendments if a.resolution_number is not None]


def text_in_force(programme: Programme) -> Version | None:
    """While an amendment is being prepared, the public reads the last adopted text,
    not the draft of the change."""
    if Stage(programme.stage) not in FROZEN_STAGES or programme.open_amendment is None:
        return None
    return programme.versions[-1] if programme.versions else None


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
    unit_of_work.check_version(programme, expected_version, PROGRAMME_SAVED_MEANWHILE)
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
