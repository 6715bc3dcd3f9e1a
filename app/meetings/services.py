"""Minutes: one content structure for the web form, the API and the published versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from flask_babel import gettext as _
from flask_babel import ngettext
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import load_only

from app import unit_of_work
from app.collation import in_polish_order
from app.extensions import db
from app.files import CheckedUpload
from app.meetings.models import (
    AgendaItem,
    Attachment,
    Attendee,
    Decision,
    Meeting,
    MeetingStatus,
    MeetingVersion,
    MemberRole,
    Quadrant,
    Speaker,
    SwotItem,
    Team,
    TeamMember,
    WorkshopGroup,
)
from app.organisations.models import fold
from app.rows import by_position, changes_pending, replace
from app.search import has_word
from app.storage import storage
from app.tenancy import clock
from app.tenancy.context import current_tenant_id
from app.tenancy.models import Tenant
from app.webhooks.catalogue import EventKind
from app.webhooks.services import announce

FIELDS = (
    "title",
    "topic",
    "held_on",
    "starts_at",
    "ends_at",
    "place",
    "online_url",
    "facilitator",
    "organiser",
    "goal",
    "addressees",
    "people_count",
    "organisations_count",
    "officials_count",
    "materials",
    "minutes_taker",
    "written_on",
    "programme_id",
    "team_id",
    "thematic_block_id",
)


class LinkError(ValueError):
    """The meeting names a programme, team or block this city does not have."""


def _check_links(data: dict[str, Any]) -> None:
    from app.programmes.models import Programme
    from app.regions.services import blocks_of_region

    checks = (
        ("programme_id", Programme, _("There is no such programme cycle here.")),
        ("team_id", Team, _("There is no such team here.")),
    )
    for field, model, message in checks:
        if data.get(field) and db.session.get(model, data[field]) is None:
            raise LinkError(message)
    block_id = data.get("thematic_block_id")
    if block_id:
        region = db.session.get_one(Tenant, current_tenant_id()).region
        if block_id not in {block.id for block, _project in blocks_of_region(region)}:
            raise LinkError(_("The region has no such thematic block of a standards project."))


def content_of(meeting: Meeting) -> dict[str, Any]:
    """The whole record as plain data (what the API returns and a version keeps)."""
    data: dict[str, Any] = {name: getattr(meeting, name) for name in FIELDS}
    data["agenda"] = [
        {
            "title": item.title,
            "minutes": item.minutes,
            "speakers": [
                {"person": s.person, "organisation": s.organisation, "statement": s.statement}
                for s in item.speakers
            ],
        }
        for item in meeting.agenda
    ]
    data["decisions"] = [
        {
            "text": d.text,
            "responsible": d.responsible,
            "responsible_email": d.responsible_email,
            "due_on": d.due_on,
            "done_on": d.done_on,
        }
        for d in meeting.decisions
    ]
    data["groups"] = [{"name": g.name, "result": g.result} for g in meeting.groups]
    data["swot"] = [
        {"quadrant": s.quadrant, "text": s.text, "group": s.group_name} for s in meeting.swot
    ]
    data["attendees"] = [
        {"name": a.name, "organisation": a.organisation, "official": a.official}
        for a in meeting.attendees
    ]
    return data


def _plain(value):
    """JSON-ready, for the version kept in a JSON column."""
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value


def create(data: dict[str, Any]) -> Meeting:
    _check_links(data)
    meeting = Meeting(title=data["title"], held_on=data["held_on"])
    db.session.add(meeting)
    _apply(meeting, data)
    unit_of_work.flush()
    return meeting


def save(meeting: Meeting, expected_version: int, data: dict[str, Any]) -> None:
    """Replace the record with `data`, unless someone saved since `expected_version`."""
    unit_of_work.check_version(
        meeting,
        expected_version,
        _(
            "Someone else saved these minutes while you were editing them. "
            "Your text is kept below: compare it with the saved minutes and "
            "save again."
        ),
    )
    _check_links(data)
    with db.session.no_autoflush:
        _apply(meeting, data)
        if changes_pending():
            meeting.updated_at = clock.now()
    unit_of_work.flush()


def _apply(meeting: Meeting, data: dict[str, Any]) -> None:
    """Make the record hold `data`; rows with the id of a saved row update it in place."""
    for name in FIELDS:
        if name in data and getattr(meeting, name) != data[name]:
            setattr(meeting, name, data[name])
    if "agenda" in data:
        meeting.agenda = replace(
            meeting.agenda,
            [
                {"id": item.get("id"), "title": item["title"], "minutes": item.get("minutes", "")}
                for item in data["agenda"]
            ],
            AgendaItem,
        )
        for record, item in zip(meeting.agenda, data["agenda"], strict=True):
            record.speakers = replace(
                record.speakers,
                [
                    {
                        "id": s.get("id"),
                        "person": s["person"],
                        "organisation": s.get("organisation", ""),
                        "statement": s.get("statement", ""),
                    }
                    for s in item.get("speakers", [])
                ],
                Speaker,
            )
    if "decisions" in data:
        meeting.decisions = replace(
            meeting.decisions,
            [
                {
                    "id": d.get("id"),
                    "text": d["text"],
                    "responsible": d.get("responsible", ""),
                    "responsible_email": d.get("responsible_email"),
                    "due_on": d.get("due_on"),
                    # the minutes' form does not follow a decision up: keep what was recorded
                    **({"done_on": d["done_on"]} if "done_on" in d else {}),
                }
                for d in data["decisions"]
            ],
            Decision,
        )
    if "groups" in data:
        meeting.groups = replace(
            meeting.groups,
            [
                {"id": g.get("id"), "name": g["name"], "result": g.get("result", "")}
                for g in data["groups"]
            ],
            WorkshopGroup,
        )
    if "swot" in data:
        meeting.swot = replace(
            meeting.swot,
            by_position(
                meeting.swot,
                [
                    {
                        "quadrant": Quadrant(s["quadrant"]).value,
                        "text": s["text"],
                        "group_name": s.get("group", ""),
                    }
                    for s in data["swot"]
                ],
            ),
            SwotItem,
        )
    if "attendees" in data:
        registered = _registered_organisations(
            [a.get("organisation", "") for a in data["attendees"]], meeting.tenant_id
        )
        meeting.attendees = replace(
            meeting.attendees,
            [
                {
                    "id": a.get("id"),
                    "name": a["name"],
                    "organisation": a.get("organisation", ""),
                    "official": bool(a.get("official")),
                    "organisation_id": registered.get(fold(a.get("organisation", ""))),
                }
                for a in data["attendees"]
            ],
            Attendee,
        )


def _registered_organisations(names: list[str], tenant_id: int | None) -> dict[str, int]:
    """Organisations of the city's register among the attendees' (by name, diacritics and
    case aside): an attendee is then linked to the organisation, not only to its name."""
    from app.organisations.models import Organisation, Registration

    folded = {fold(name) for name in names if name.strip()}
    if not folded:
        return {}
    candidates = db.session.execute(
        select(Organisation.name, Organisation.id)
        .join(Registration, Registration.organisation_id == Organisation.id)
        .where(
            Registration.tenant_id == (tenant_id or current_tenant_id()),
            or_(*[Organisation.search_name.startswith(name) for name in folded]),
        )
    ).all()
    return {fold(name): id_ for name, id_ in candidates if fold(name) in folded}


def participants(meeting: Meeting) -> tuple[int | None, int | None, int | None]:
    """(people, organisations represented, officials): counted from the attendance list
    when one is kept, otherwise as entered."""
    if not meeting.attendees:
        return meeting.people_count, meeting.organisations_count, meeting.officials_count
    organisations = {
        a.organisation.strip().lower()
        for a in meeting.attendees
        if a.organisation.strip() and not a.official
    }
    officials = sum(1 for a in meeting.attendees if a.official)
    return len(meeting.attendees) - officials, len(organisations), officials


def participation(meeting: Meeting) -> str | None:
    """Who took part, as the minutes say it, each number with its noun's Polish form: "W
    spotkaniu wzięły udział 22 osoby z 15 podmiotów oraz 2 osoby z urzędu." None when
    nobody counted."""
    people, organisations, officials = participants(meeting)
    if people is None:
        return None
    parts = [ngettext("%(num)d person took part", "%(num)d people took part", people)]
    if organisations:
        parts.append(
            ngettext(
                "representing %(num)d organisation",
                "representing %(num)d organisations",
                organisations,
            )
        )
    sentence = " ".join(parts)
    if officials:
        official = ngettext("%(num)d official", "%(num)d officials", officials)
        return _("%(people)s, and %(officials)s.", people=sentence, officials=official)
    return f"{sentence}."


def publish(meeting: Meeting, note: str = "") -> MeetingVersion:
    """Publish (or publish a correction): the text is kept as a numbered version."""
    number = (
        db.session.scalar(
            select(func.max(MeetingVersion.number)).where(MeetingVersion.meeting_id == meeting.id)
        )
        or 0
    ) + 1
    version = MeetingVersion(
        meeting_id=meeting.id, number=number, content=_plain(content_of(meeting)), note=note.strip()
    )
    meeting.status = MeetingStatus.PUBLISHED.value
    meeting.published_at = clock.now()
    db.session.add(version)
    unit_of_work.flush()
    announce(EventKind.MINUTES_PUBLISHED, meeting, version_number=number)
    return version


def attach(meeting: Meeting, title: str, upload: CheckedUpload) -> Attachment:
    """Keep a checked file with the meeting (a signed attendance list, a presentation)."""
    attachment = Attachment(
        meeting_id=meeting.id,
        title=title.strip(),
        file_name=upload.filename,
        storage_key=storage().save(meeting.tenant_id, upload.filename, upload.data),
    )
    db.session.add(attachment)
    unit_of_work.flush()
    return attachment


def swot_by_quadrant(items: list[SwotItem]) -> dict[str, list[SwotItem]]:
    grouped: dict[str, list[SwotItem]] = {q.value: [] for q in Quadrant}
    for item in items:
        grouped[item.quadrant].append(item)
    return grouped


def listing(public_only: bool) -> Select[Meeting]:
    """The city's meetings (only the published ones for the public), the newest first."""
    query = select(Meeting).where(Meeting.deleted_at.is_(None))
    if public_only:
        query = query.where(Meeting.status == MeetingStatus.PUBLISHED.value)
    return query.order_by(Meeting.held_on.desc())


def listed(public_only: bool) -> list[Meeting]:
    return list(db.session.scalars(listing(public_only)))


PAGE_SIZE = 50


def meetings_page(phrase: str, public_only: bool, page: int) -> Pagination:
    """One page of the city's minutes, the newest first: those containing every word of the
    phrase (in the minutes or their agenda), whatever the diacritics; only the columns the
    list shows are loaded."""
    query = (
        select(Meeting)
        .where(Meeting.deleted_at.is_(None))
        .options(load_only(Meeting.title, Meeting.held_on, Meeting.status))
    )
    if public_only:
        query = query.where(Meeting.status == MeetingStatus.PUBLISHED.value)
    for word in fold(phrase).split():
        in_agenda = select(AgendaItem.id).where(
            AgendaItem.meeting_id == Meeting.id,
            or_(has_word(AgendaItem.title, word), has_word(AgendaItem.minutes, word)),
        )
        query = query.where(
            or_(
                has_word(Meeting.title, word),
                has_word(Meeting.topic, word),
                has_word(Meeting.goal, word),
                in_agenda.exists(),
            )
        )
    query = query.order_by(Meeting.held_on.desc(), Meeting.id.desc())
    return db.paginate(query, page=page, per_page=PAGE_SIZE)


def open_decisions() -> list[Decision]:
    return list(db.session.scalars(_open_decisions(None)))


def open_decisions_page(responsible_email: str | None, page: int) -> Pagination:
    """A page of the decisions of the city not done yet, the soonest deadline first, with
    their total: those one person is responsible for when `responsible_email` is given."""
    return db.paginate(_open_decisions(responsible_email), page=page, per_page=PAGE_SIZE)


def _open_decisions(responsible_email: str | None) -> Select:
    query = select(Decision).where(Decision.done_on.is_(None))
    if responsible_email:
        query = query.where(func.lower(Decision.responsible_email) == responsible_email.lower())
    return query.order_by(Decision.due_on.is_(None), Decision.due_on, Decision.id)


def mark_done(decision: Decision, on: date) -> None:
    decision.done_on = on
    unit_of_work.flush()


def due_for_reminder(today: date, days_ahead: int) -> list[Decision]:
    """Open decisions with an e-mail to remind, due within `days_ahead`, not reminded today."""
    return list(
        db.session.scalars(
            select(Decision)
            .where(
                Decision.done_on.is_(None),
                Decision.responsible_email.is_not(None),
                Decision.due_on.is_not(None),
                Decision.due_on <= today + timedelta(days=days_ahead),
                (Decision.reminded_on.is_(None)) | (Decision.reminded_on < today),
            )
            .order_by(Decision.due_on)
        )
    )


def combined_swot(meeting_ids: list[int] | Select) -> dict[str, list[SwotItem]]:
    """The SWOT of several meetings in one picture (as Kraków combined its sector teams');
    the meetings by their ids, or a select of them. Whole, for the documents."""
    items = db.session.scalars(
        select(SwotItem)
        .where(SwotItem.meeting_id.in_(meeting_ids))
        .order_by(SwotItem.meeting_id, SwotItem.position)
    ).all()
    return swot_by_quadrant(list(items))


SWOT_PAGE_SIZE = 15


@dataclass(frozen=True)
class SwotPage:
    """A page of a combined SWOT: the same stretch of each quadrant (items 16–30 of every
    quadrant on page 2), with each quadrant's total; the pager's interface of `db.paginate`."""

    items: dict[str, list[SwotItem]]
    totals: dict[str, int]
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-max(self.totals.values(), default=0) // SWOT_PAGE_SIZE))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1


def combined_swot_page(meeting_ids: Select, page: int) -> SwotPage:
    """One page of the combined SWOT of the meetings, in one query however many they are."""
    order = (SwotItem.meeting_id, SwotItem.position, SwotItem.id)
    numbered = (
        select(
            SwotItem.id,
            func.row_number().over(partition_by=SwotItem.quadrant, order_by=order).label("n"),
            func.count().over(partition_by=SwotItem.quadrant).label("total"),
        )
        .where(SwotItem.meeting_id.in_(meeting_ids))
        .subquery()
    )
    first = (page - 1) * SWOT_PAGE_SIZE
    rows = db.session.execute(
        select(SwotItem, numbered.c.total)
        .join(numbered, numbered.c.id == SwotItem.id)
        .where(numbered.c.n > first, numbered.c.n <= first + SWOT_PAGE_SIZE)
        .order_by(*order)
    ).all()
    totals = {q.value: 0 for q in Quadrant}
    totals.update({item.quadrant: total for item, total in rows})
    return SwotPage(swot_by_quadrant([item for item, _ in rows]), totals, page)


def meeting_count(*, programme_id: int, public_only: bool) -> int:
    query = _of(None, programme_id, public_only)
    return db.session.scalar(query.with_only_columns(func.count(Meeting.id))) or 0


def meeting_ids_of(*, programme_id: int, public_only: bool) -> Select:
    return _of(None, programme_id, public_only).with_only_columns(Meeting.id)


def meetings_of(
    *, team_id: int | None = None, programme_id: int | None = None, public_only: bool = True
) -> list[Meeting]:
    return list(
        db.session.scalars(_of(team_id, programme_id, public_only).order_by(Meeting.held_on))
    )


def _of(team_id: int | None, programme_id: int | None, public_only: bool) -> Select:
    query = select(Meeting).where(Meeting.deleted_at.is_(None))
    if team_id is not None:
        query = query.where(Meeting.team_id == team_id)
    if programme_id is not None:
        query = query.where(Meeting.programme_id == programme_id)
    if public_only:
        query = query.where(Meeting.status == MeetingStatus.PUBLISHED.value)
    return query


@dataclass(frozen=True)
class TeamWork:
    """What a team's page shows: a page of its meetings (the newest first), the SWOT of all
    of them, and how many of their decisions are not done yet with the soonest due of
    those — a constant number of queries, whatever the team's history."""

    meetings: Pagination
    swot: SwotPage
    open_decisions: list[Decision]
    open_decisions_total: int


def work_of(team: Team, public_only: bool, page: int, swot_page: int = 1) -> TeamWork:
    meetings = _of(team.id, None, public_only)
    ids = meetings.with_only_columns(Meeting.id)
    open_decisions = select(Decision).where(
        Decision.meeting_id.in_(ids), Decision.done_on.is_(None)
    )
    return TeamWork(
        meetings=db.paginate(
            meetings.options(load_only(Meeting.title, Meeting.held_on)).order_by(
                Meeting.held_on.desc(), Meeting.id.desc()
            ),
            page=page,
            per_page=PAGE_SIZE,
        ),
        swot=combined_swot_page(ids, swot_page),
        open_decisions=list(
            db.session.scalars(
                open_decisions.order_by(
                    Decision.due_on.is_(None), Decision.due_on, Decision.id
                ).limit(PAGE_SIZE)
            )
        ),
        open_decisions_total=db.session.scalar(
            open_decisions.with_only_columns(func.count(Decision.id))
        )
        or 0,
    )


def teams() -> list[Team]:
    return list(db.session.scalars(select(Team).order_by(Team.kind, in_polish_order(Team.name))))


TEAM_FIELDS = ("name", "kind", "area", "description")


class TeamError(ValueError):
    """The team cannot be saved as it is: the message says why, next to the input."""


def save_team(
    team: Team,
    expected_version: int | str | None,
    values: dict[str, Any],
    members: list[dict[str, Any]] | None = None,
) -> None:
    """Set up the team, or change it, unless someone saved it since `expected_version`:
    the `values` given, and its people when `members` is given (the whole list)."""
    unit_of_work.check_version(team, expected_version)
    _check_team(team, values)
    with db.session.no_autoflush:
        db.session.add(team)
        _apply_team(team, values, members)
        if team.lock_version is not None and changes_pending():
            team.lock_version = team.lock_version + 1  # its people alone are a change too
    unit_of_work.flush()


def _check_team(team: Team, values: dict[str, Any]) -> None:
    if "name" not in values:
        return
    name = values["name"].strip()
    if not name:
        raise TeamError(_("Give the team a name."))
    same_name = select(Team.id).where(Team.name == name)
    if team.id is not None:
        same_name = same_name.where(Team.id != team.id)
    with db.session.no_autoflush:
        if db.session.scalar(same_name) is not None:
            raise TeamError(_("There is already a team called %(name)s.", name=name))


def _apply_team(team: Team, values: dict[str, Any], members: list[dict[str, Any]] | None) -> None:
    for key in TEAM_FIELDS:
        if key not in values:
            continue
        value = values[key].strip() if key == "name" else values[key]
        if getattr(team, key) != value:
            setattr(team, key, value)
    if members is None:
        return
    team.members = replace(
        team.members,
        [
            {
                "id": m.get("id"),
                "name": m["name"].strip(),
                "organisation": m.get("organisation") or "",
                "role": MemberRole(m.get("role") or MemberRole.MEMBER).value,
            }
            for m in members
        ],
        TeamMember,
    )
