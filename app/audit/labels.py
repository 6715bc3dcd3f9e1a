"""What the audit log shows people: each kind of record and each field by its name in the
reader's language, never a class or a column name. Fields that mean nothing to a person (ids,
storage keys, token hashes, the lock's counter) are not shown."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from flask_babel import lazy_gettext as _l

from app.i18n import ROLE_LABELS, label, labeller
from app.legal.models import LEGAL_KIND_LABELS
from app.meetings.catalogue import (
    ATTENDANCE_LABELS,
    MEETING_STATUS_LABELS,
    MEMBER_ROLE_LABELS,
    QUADRANT_LABELS,
    REGISTRATION_STATUS_LABELS,
    TEAM_KIND_LABELS,
)
from app.organisations.catalogue import CLAIM_STATUS_LABELS, PUBLIC_BENEFIT_AREAS, STATUS_LABELS
from app.programmes.catalogue import (
    ANSWER_LABELS,
    AREA_LABELS,
    ELEMENTS,
    KIND_LABELS,
    MILESTONE_LABELS,
    OUTCOME_LABELS,
    STAGE_LABELS,
    WINDOW_LABELS,
)
from app.programmes.services import VERSION_LABELS
from app.regions.models import ADOPTION_LABELS, REVIEW_LABELS

ENTITY_LABELS: dict[str, Any] = {
    "Adoption": _l("Adoption of a standard"),
    "AgendaItem": _l("Agenda item"),
    "Amendment": _l("Amendment of the programme"),
    "Attachment": _l("Attachment"),
    "Attendee": _l("Attendance list entry"),
    "ClaimReview": _l("Review of a request to act for an organisation"),
    "Comment": _l("Consultation comment"),
    "CooperationForm": _l("Form of cooperation"),
    "Decision": _l("Decision of a meeting"),
    "EarlyClosing": _l("Early closing of a window"),
    "EventRegistration": _l("Registration for a meeting"),
    "Indicator": _l("Indicator"),
    "Invitation": _l("Invitation"),
    "LegalText": _l("Legal text"),
    "Meeting": _l("Meeting"),
    "MeetingVersion": _l("Published version of the minutes"),
    "Membership": _l("Role in the office"),
    "Milestone": _l("Step of the schedule"),
    "Opinion": _l("Opinion"),
    "Principle": _l("Principle of cooperation"),
    "PriorityTask": _l("Priority public task"),
    "Programme": _l("Cooperation programme"),
    "Proposal": _l("Proposal"),
    "Registration": _l("Organisation in the register"),
    "RegistrationNotes": _l("Office's notes on an organisation"),
    "RegistrationTag": _l("Tag of an organisation"),
    "Section": _l("Part of the programme's text"),
    "Speaker": _l("Statement in the minutes"),
    "Subscription": _l("Webhook subscription"),
    "SwotItem": _l("SWOT entry"),
    "Team": _l("Team"),
    "TeamMember": _l("Team member"),
    "Transition": _l("Stage change of the programme"),
    "Version": _l("Published version of the draft"),
    "WorkshopGroup": _l("Workshop group"),
    "YearReport": _l("Report on a year of the programme"),
}

FIELD_LABELS: dict[str, Any] = {
    "accepted_at": _l("Accepted at"),
    "active": _l("Active"),
    "actual": _l("Actual value"),
    "addressees": _l("Addressees of the meeting"),
    "answer": _l("Answer"),
    "answer_justification": _l("Justification of the answer"),
    "answered_at": _l("Answered at"),
    "answers": _l("Answers"),
    "archived_at": _l("Archived at"),
    "area": _l("Area"),
    "area_code": _l("Area of public benefit"),
    "attachment_name": _l("Attachment"),
    "attendance_mode": _l("Attendance"),
    "body": _l("Text"),
    "budget": _l("Planned budget (PLN)"),
    "capacity": _l("Places"),
    "closed_at": _l("Closed at"),
    "confirm_by": _l("To be confirmed by"),
    "consultation_from": _l("Consultation from"),
    "consultation_to": _l("Consultation until"),
    "contact_email": _l("Contact e-mail"),
    "contact_name": _l("Contact person"),
    "contact_phone": _l("Contact phone"),
    "content": _l("Content"),
    "deactivated_at": _l("Deactivated at"),
    "decided_at": _l("Decided at"),
    "decided_on": _l("Decided on"),
    "decline_reason": _l("Reason for declining"),
    "definition": _l("Definition"),
    "deleted_at": _l("Deleted at"),
    "description": _l("Description"),
    "document_name": _l("Document"),
    "done_on": _l("Done on"),
    "due_on": _l("Due on"),
    "element": _l("Part of the programme"),
    "email": _l("E-mail"),
    "email_confirmed_at": _l("E-mail confirmed at"),
    "ends_at": _l("Ends at"),
    "ends_on": _l("Ends on"),
    "events": _l("Events"),
    "evidence": _l("Evidence"),
    "evidence_file_name": _l("Evidence file"),
    "expires_at": _l("Expires at"),
    "facilitator": _l("Facilitator"),
    "fields_of_activity": _l("Fields of activity"),
    "file_name": _l("File"),
    "financial": _l("Financial"),
    "forwarded_at": _l("Forwarded at"),
    "forwarded_to": _l("Forwarded to"),
    "from_stage": _l("From stage"),
    "given_on": _l("Given on"),
    "goal": _l("Goal of the meeting"),
    "group_name": _l("Group"),
    "held_on": _l("Date"),
    "justification": _l("Justification"),
    "key": _l("Part"),
    "kind": _l("Kind"),
    "label": _l("Label"),
    "materials": _l("Materials"),
    "minutes": _l("Minutes"),
    "minutes_taker": _l("Minutes taken by"),
    "name": _l("Name"),
    "note": _l("Note"),
    "notes": _l("Notes"),
    "number": _l("Number"),
    "official": _l("Official"),
    "officials_count": _l("Officials"),
    "online_url": _l("Online meeting link"),
    "organisation": _l("Organisation"),
    "organisations_count": _l("Organisations represented"),
    "organiser": _l("Organiser"),
    "people_count": _l("People"),
    "person": _l("Person"),
    "place": _l("Place"),
    "planned": _l("Planned value"),
    "proposals_from": _l("Proposals from"),
    "proposals_to": _l("Proposals until"),
    "proposed_text": _l("Proposed text"),
    "published_at": _l("Published at"),
    "published_on": _l("Published on"),
    "quadrant": _l("Quadrant"),
    "questions": _l("Questions"),
    "reason": _l("Reason"),
    "recorded_at": _l("Recorded at"),
    "registration_deadline": _l("Registration deadline"),
    "registration_open": _l("Registration open"),
    "reminded": _l("Reminded"),
    "reminded_on": _l("Reminded on"),
    "report_amount_spent": _l("Money spent (PLN)"),
    "report_published_on": _l("Published in BIP on"),
    "report_summary": _l("Summary"),
    "report_tasks_commissioned": _l("Public tasks commissioned to organisations"),
    "resolution_date": _l("Date of the resolution"),
    "resolution_file_name": _l("Resolution file"),
    "resolution_number": _l("Number of the resolution"),
    "responsible": _l("Responsible"),
    "responsible_email": _l("E-mail of the person responsible"),
    "result": _l("Result"),
    "review_comment": _l("Review comment"),
    "review_status": _l("Review"),
    "revised_on": _l("Revised on"),
    "revoked_at": _l("Revoked at"),
    "role": _l("Role"),
    "stage": _l("Stage"),
    "started_at": _l("Started at"),
    "starts_at": _l("Starts at"),
    "starts_on": _l("Starts on"),
    "statement": _l("Statement"),
    "status": _l("Status"),
    "statutory": _l("Statutory"),
    "submitted_at": _l("Submitted at"),
    "submitted_on": _l("Handed to the council on"),
    "tag": _l("Tag"),
    "taken_into_account": _l("Taken into account"),
    "text": _l("Text"),
    "title": _l("Title"),
    "to_stage": _l("To stage"),
    "topic": _l("Topic of the meeting"),
    "unit": _l("Unit"),
    "written_on": _l("Written on"),
    "url": _l("Address"),
    "year": _l("Year"),
    "year_from": _l("First year"),
    "year_to": _l("Last year"),
}

# What a stored value of a kind, a status or a role means, by the record and the field that
# hold it: the labels the feature shows for its own enum or choices, so that "draft →
# consultation" reads "projekt → konsultacje społeczne".
VALUE_LABELS: dict[tuple[str, str], Mapping[Any, Any]] = {
    ("Adoption", "review_status"): REVIEW_LABELS,
    ("Adoption", "status"): ADOPTION_LABELS,
    ("ClaimReview", "status"): CLAIM_STATUS_LABELS,
    ("Comment", "element"): ELEMENTS,
    ("Comment", "taken_into_account"): OUTCOME_LABELS,
    ("CooperationForm", "area"): AREA_LABELS,
    ("EarlyClosing", "kind"): WINDOW_LABELS,
    ("EventRegistration", "status"): REGISTRATION_STATUS_LABELS,
    ("Invitation", "role"): ROLE_LABELS,
    ("LegalText", "kind"): LEGAL_KIND_LABELS,
    ("Meeting", "attendance_mode"): ATTENDANCE_LABELS,
    ("Meeting", "status"): MEETING_STATUS_LABELS,
    ("Membership", "role"): ROLE_LABELS,
    ("Milestone", "status"): MILESTONE_LABELS,
    ("PriorityTask", "area_code"): PUBLIC_BENEFIT_AREAS,
    ("Programme", "kind"): KIND_LABELS,
    ("Programme", "stage"): STAGE_LABELS,
    ("Proposal", "answer"): ANSWER_LABELS,
    ("Proposal", "element"): ELEMENTS,
    ("Registration", "status"): STATUS_LABELS,
    ("Section", "key"): ELEMENTS,
    ("SwotItem", "quadrant"): QUADRANT_LABELS,
    ("Team", "kind"): TEAM_KIND_LABELS,
    ("TeamMember", "role"): MEMBER_ROLE_LABELS,
    ("Transition", "from_stage"): STAGE_LABELS,
    ("Transition", "to_stage"): STAGE_LABELS,
    ("Version", "label"): VERSION_LABELS,
}

# Not shown: they mean nothing to a reader (an id, a stored file's key, a token's hash), or
# are never logged (a webhook's secret), or copy another record for sorting (sort_name).
HIDDEN_FIELD = re.compile(
    r"^(id|tenant_id|lock_version|position|created_at|updated_at|secret|sort_name)$|_id$|_key$|_hash$"
)


def entity_label(entity: str) -> str:
    return label(ENTITY_LABELS, entity)


def field_label(field: str) -> str:
    return label(FIELD_LABELS, field)


class Entry(Protocol):
    action: str
    entity: str
    changes: dict[str, Any]


def fields_labeller() -> Callable[[Mapping[str, Any]], list[str]]:
    """For the entries of a page: the labels of the changed fields a person reads, in the
    order of the record (the log's table names them without their values)."""
    field = labeller(FIELD_LABELS)
    return lambda changes: [field(name) for name in changes if not HIDDEN_FIELD.search(name)]


def shown_changes(entry: Entry) -> list[tuple[str, Any]]:
    """The changed fields a person reads, by their labels, in the order of the record, each
    value as the reader calls it; an update's value is its [before, after]."""
    shown = []
    for field, value in entry.changes.items():
        if HIDDEN_FIELD.search(field):
            continue
        labels = VALUE_LABELS.get((entry.entity, field), {})
        if entry.action == "update" and isinstance(value, list) and len(value) == 2:
            shown.append((field_label(field), [_shown(v, labels) for v in value]))
        else:
            shown.append((field_label(field), _shown(value, labels)))
    return shown


_WHOLE_TEXT = {"whole": _l("the whole text as published")}
_YES_OR_NO = {True: _l("yes"), False: _l("no")}


def _shown(value: Any, labels: Mapping[Any, Any]) -> Any:
    """A published version keeps the whole text as data: the log says so rather than print it
    (the version itself is on the record's page)."""
    if isinstance(value, dict):
        return label(_WHOLE_TEXT, "whole")
    if isinstance(value, bool):
        return label(_YES_OR_NO, value)
    if isinstance(value, str) and value in labels:
        return label(labels, value)
    return value
