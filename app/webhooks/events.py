"""What a city's systems are told of each event: a stable id, the record's id, the addresses
of its page and of its API resource, and a short summary. Built when the event happens, in
the city of the change, and kept with each delivery as it was sent."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.extensions import db
from app.notifications.services import external_url
from app.tenancy import clock
from app.tenancy.context import current_tenant_id
from app.tenancy.models import Tenant
from app.webhooks.catalogue import EventKind


@dataclass(frozen=True)
class Event:
    kind: EventKind
    # stable: the same event announced twice has the same key, and is delivered once
    key: str
    record_type: str
    record_id: int | None
    links: dict[str, str] = field(default_factory=dict)
    summary: dict[str, Any] = field(default_factory=dict)

    @property
    def event_id(self) -> str:
        return f"{self.kind}.{self.key}"

    def payload(self) -> dict[str, Any]:
        return {
            "id": self.event_id,
            "type": str(self.kind),
            "occurred_at": clock.now().isoformat(),
            "tenant": _tenant_slug(),
            "data": {
                "object": self.record_type,
                "id": self.record_id,
                "links": self.links,
                "summary": self.summary,
            },
        }


def _tenant_slug() -> str:
    return db.session.get_one(Tenant, current_tenant_id()).slug


def _links(page: tuple[str, dict], api: tuple[str, dict]) -> dict[str, str]:
    slug = _tenant_slug()
    return {
        "page": external_url(page[0], tenant_slug=slug, **page[1]),
        "api": external_url(api[0], tenant_slug=slug, **api[1]),
    }


def of_proposal(proposal) -> Event:
    programme = proposal.programme
    return Event(
        EventKind.PROPOSAL_SUBMITTED,
        key=f"proposal-{proposal.id}",
        record_type="proposal",
        record_id=proposal.id,
        links=_links(
            ("programmes.proposal_list", {"programme_id": programme.id}),
            ("api_programmes.Proposals", {"programme_id": programme.id}),
        ),
        summary={
            "programme_id": programme.id,
            "programme": programme.title,
            "element": proposal.element,
            "submitted_at": proposal.submitted_at.isoformat(),
        },
    )


def of_consultation(programme) -> Event:
    opened = programme.consultation_from
    return Event(
        EventKind.CONSULTATION_OPENED,
        key=f"programme-{programme.id}-{opened.isoformat() if opened else 'open'}",
        record_type="programme",
        record_id=programme.id,
        links=_links(
            ("programmes.consultation_page", {"programme_id": programme.id}),
            ("api_programmes.ProgrammeRecord", {"programme_id": programme.id}),
        ),
        summary={
            "programme": programme.title,
            "consultation_from": opened.isoformat() if opened else None,
            "consultation_to": (
                programme.consultation_to.isoformat() if programme.consultation_to else None
            ),
        },
    )


def of_minutes(meeting, version_number: int) -> Event:
    return Event(
        EventKind.MINUTES_PUBLISHED,
        key=f"meeting-{meeting.id}-version-{version_number}",
        record_type="meeting",
        record_id=meeting.id,
        links=_links(
            ("meetings.show", {"meeting_id": meeting.id}),
            ("api_meetings.MeetingRecord", {"meeting_id": meeting.id}),
        ),
        summary={
            "title": meeting.title,
            "held_on": meeting.held_on.isoformat(),
            "version": version_number,
            "correction": version_number > 1,
        },
    )


def of_adoption(adoption) -> Event:
    return Event(
        EventKind.ADOPTION_CHANGED,
        key=f"adoption-{adoption.id}-{len(adoption.changes)}",
        record_type="adoption",
        record_id=adoption.id,
        links=_links(
            ("regions.own_row", {"standard_id": adoption.standard_id}),
            ("api_regions.own_adoption", {}),
        ),
        summary={
            "standard_id": adoption.standard_id,
            "standard": adoption.standard.title,
            "status": str(adoption.status),
            "review_status": str(adoption.review_status),
        },
    )


def test_event(key: str) -> Event:
    return Event(
        EventKind.TEST,
        key=key,
        record_type="test",
        record_id=None,
        summary={"message": "Razem: test event / zdarzenie testowe"},
    )
