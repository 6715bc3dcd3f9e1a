"""Who may see and do what with a programme, at which stage of its cycle.

Pages, the API and templates all ask here: `programme_for(id, action)` loads, answers 404
to those who may not see the programme and 403 to those who see it but may not act;
templates ask `can(action, programme)`.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import g
from flask_babel import gettext as _
from flask_login import current_user
from flask_smorest import abort

from app.accounts.models import Role, User
from app.accounts.permissions import (
    authorised,
    current_tenant_role,
    is_staff,
    register_policy,
)
from app.extensions import db
from app.notifications.services import city_staff
from app.organisations.models import Organisation
from app.programmes import proposals, services
from app.programmes.catalogue import Stage, WindowKind
from app.programmes.models import Comment, Programme, Proposal, YearReport


def _sees(programme: Programme) -> bool:
    if programme.deleted_at is not None:
        return False
    if is_staff() or services.is_public(programme):
        return True
    # The city's NGOs read the draft they are asked to send proposals for.
    return programme.stage == Stage.PROPOSALS_OPEN and current_tenant_role() == Role.NGO


def _is_ngo() -> bool:
    return current_tenant_role() == Role.NGO


def _edits(programme: Programme | None) -> bool:
    return is_staff() and programme is not None and programme.content_editable()


def _comments(programme: Programme | None) -> bool:
    return _is_ngo() and programme is not None and services.is_public(programme)


RULES: dict[str, Callable[[Programme | None], bool]] = {
    "view": lambda programme: programme is not None and _sees(programme),
    "create": lambda programme: is_staff(),
    # the schedule, the stages, the proposals list, opinions, the report, exports
    "manage": lambda programme: is_staff(),
    "edit": _edits,
    "adopt": lambda programme: current_tenant_role() == Role.ADMIN,
    # whether the window is open is the service's to say (410 with the dates)
    "propose": lambda programme: _is_ngo(),
    "comment": _comments,
    "read_proposals": lambda programme: is_staff() or _is_ngo(),
}


# What a person does in a programme's open window (services.open_window), as an action here.
TAKING_PART = {WindowKind.PROPOSALS: "propose", WindowKind.CONSULTATION: "comment"}


def can(action: str, programme: Programme | None) -> bool:
    return RULES[action](programme)


register_policy(can, Programme)


def can_on_year_report(action: str, report: YearReport | None) -> bool:
    """A year's report is its programme's: seen and managed as the programme is."""
    if report is None:
        return RULES[action](None)
    if report.deleted_at is not None:
        return False
    return RULES[action](report.programme)


register_policy(can_on_year_report, YearReport)


def can_on_input(action: str, record: Proposal | Comment | None) -> bool:
    """A proposal or a comment is its programme's: seen and managed (forwarded, answered)
    as the programme is."""
    if record is None:
        return RULES[action](None)
    programme = db.session.get(Programme, record.programme_id)
    return RULES["view"](programme) and RULES[action](programme)


register_policy(can_on_input, Proposal, Comment)


def programme_for(programme_id: int, action: str = "view") -> Programme:
    return authorised(Programme, programme_id, action)


def year_report_for(report_id: int, action: str = "view") -> YearReport:
    return authorised(YearReport, report_id, action)


def proposal_for(proposal_id: int, action: str = "view") -> Proposal:
    return authorised(Proposal, proposal_id, action)


def comment_for(comment_id: int, action: str = "view") -> Comment:
    return authorised(Comment, comment_id, action)


def consultation_of(programme_id: int) -> Programme:
    """The consultation and its report exist once the draft is public, for staff too."""
    programme = programme_for(programme_id)
    if not services.is_public(programme):
        abort(404)
    return programme


def acting_for(organisation_id: int) -> Organisation:
    """The organisation the current user speaks for in this city; 422 for any other."""
    mine = {o.id: o for o in proposals.organisations_for(current_user, g.tenant)}
    if organisation_id not in mine:
        abort(422, message=_("You do not act for this organisation here."))
    return mine[organisation_id]


def office_person(user_id: int, refusal: str) -> User:
    """A person of the city's office, the one a proposal or a comment is forwarded to; 422
    saying `refusal` for anyone else (another city's account is no choice)."""
    office = {person.id: person for person in city_staff(g.tenant.id)}
    if user_id not in office:
        abort(422, message=refusal)
    return office[user_id]
