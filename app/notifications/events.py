"""What in Razem tells whom: one function per event, called by the feature where it happens.
Each names the event's record in `about`, so that telling it twice tells nobody twice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.notifications.catalogue import Kind
from app.notifications.services import city_staff, external_url, ngo_people, notify
from app.tenancy.context import current_tenant_id
from app.tenancy.models import Tenant
from app.webhooks.catalogue import EventKind
from app.webhooks.services import announce

if TYPE_CHECKING:
    from app.accounts.models import User
    from app.notifications.models import Notification
    from app.programmes.models import Comment, Programme, Proposal
    from app.regions.models import Adoption, Standard


def _link(endpoint: str, **values) -> str:
    """A city's page in the current city."""
    expects_city = current_app.url_map.is_endpoint_expecting(endpoint, "tenant_slug")
    if expects_city and "tenant_slug" not in values:
        values["tenant_slug"] = db.session.get_one(Tenant, current_tenant_id()).slug
    return external_url(endpoint, **values)


def window_opened(programme: Programme, kind: Kind) -> list[Notification]:
    """Proposals collected or the draft in consultation: every organisation of the city."""
    if kind == Kind.PROPOSALS_OPENED:
        title = _l("Proposals are being collected for %(title)s", title=programme.title)
        link = _link("programmes.show", programme_id=programme.id)
    else:
        title = _l("Public consultation of the draft: %(title)s", title=programme.title)
        link = _link("programmes.consultation_page", programme_id=programme.id)
        announce(EventKind.CONSULTATION_OPENED, programme)
    return notify(
        kind,
        ngo_people(programme.tenant_id),
        about=f"programme-{programme.id}",
        title=title,
        link=link,
    )


def consultation_closing(programme: Programme) -> None:
    notify(
        Kind.CONSULTATION_CLOSING,
        ngo_people(programme.tenant_id),
        about=f"programme-{programme.id}-{programme.consultation_to}",
        title=_l("The consultation of %(title)s closes in 3 days", title=programme.title),
        link=_link("programmes.consultation_page", programme_id=programme.id),
    )


def proposal_received(proposal: Proposal, programme: Programme) -> None:
    announce(EventKind.PROPOSAL_SUBMITTED, proposal)
    notify(
        Kind.NEW_CONTRIBUTION,
        city_staff(proposal.tenant_id),
        about=f"proposal-{proposal.id}",
        title=_l("A new proposal for %(title)s", title=programme.title),
        link=_link("programmes.proposal_list", programme_id=programme.id),
    )


def proposal_forwarded(proposal: Proposal, person: User) -> None:
    notify(
        Kind.PROPOSAL_FORWARDED,
        [person],
        about=f"proposal-{proposal.id}-{proposal.forwarded_at:%Y%m%d%H%M%S}",
        title=_l("A proposal for %(title)s is forwarded to you", title=proposal.programme.title),
        link=_link("programmes.proposal_list", programme_id=proposal.programme_id, answer="none"),
    )


def comment_forwarded(comment: Comment, programme: Programme, person: User) -> None:
    notify(
        Kind.PROPOSAL_FORWARDED,
        [person],
        about=f"comment-{comment.id}-{comment.forwarded_at:%Y%m%d%H%M%S}",
        title=_l("A consultation comment on %(title)s is forwarded to you", title=programme.title),
        link=_link("programmes.consultation_page", programme_id=programme.id),
    )


def comment_received(comment: Comment, programme: Programme) -> None:
    notify(
        Kind.NEW_CONTRIBUTION,
        city_staff(comment.tenant_id),
        about=f"comment-{comment.id}",
        title=_l("A new consultation comment on %(title)s", title=programme.title),
        link=_link("programmes.consultation_page", programme_id=programme.id),
    )


def proposal_answered(proposal: Proposal, people: set[User], **context) -> None:
    notify(
        Kind.ANSWERED,
        people,
        about=f"proposal-{proposal.id}",
        title=_l("Answer to your proposal for %(title)s", title=proposal.programme.title),
        link=_link("programmes.my_proposals"),
        template="proposal_answered",
        proposal=proposal,
        **context,
    )


def comment_answered(comment: Comment, programme: Programme) -> None:
    if comment.author is None:
        return
    notify(
        Kind.ANSWERED,
        [comment.author],
        about=f"comment-{comment.id}",
        title=_l("Answer to your consultation comment on %(title)s", title=programme.title),
        link=_link("programmes.consultation_page", programme_id=programme.id),
    )


def registration_decided(registration, people: list[User], title, **context) -> None:
    notify(
        Kind.REGISTRATION_DECIDED,
        people,
        about=f"registration-{registration.id}-{registration.status}",
        title=title,
        link=_link("organisations.mine"),
        template="registration_decided",
        registration=registration,
        **context,
    )


def adoption_returned(adoption: Adoption) -> None:
    tenant = db.session.get_one(Tenant, current_tenant_id())
    notify(
        Kind.ADOPTION_RETURNED,
        city_staff(tenant.id),
        about=f"adoption-{adoption.id}-{len(adoption.changes)}",
        title=_l(
            "The region's coordinator sent back: %(standard)s", standard=adoption.standard.title
        ),
        link=_link("regions.city_standards", tenant_slug=tenant.slug),
    )


def place_freed(registration, person: User, *, title, **context) -> None:
    """The e-mail (at once by default) carries the meeting's .ics and its cancellation link."""
    notify(
        Kind.PLACE_FREED,
        [person],
        about=f"registration-{registration.id}",
        title=title,
        link=_link("meetings.my_registrations"),
        template="place_freed",
        **context,
    )


def standard_target_near(standard: Standard) -> None:
    """The region's target date for a standard comes near and the city has not adopted it:
    the city's office, once per city and standard (and again only for a new date)."""
    tenant = db.session.get_one(Tenant, current_tenant_id())
    notify(
        Kind.STANDARD_TARGET_NEAR,
        city_staff(tenant.id),
        about=f"standard-{standard.id}-target-{standard.target_date}-city-{tenant.id}",
        title=_l(
            "The region's target date for %(standard)s is %(date)s",
            standard=standard.title,
            date=str(standard.target_date),
        ),
        link=_link("regions.own_row", tenant_slug=tenant.slug, standard_id=standard.id),
    )
