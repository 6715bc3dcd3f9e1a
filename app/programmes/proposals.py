"""NGOs' proposals for the programme: the window, forwarding, answers (zbiorczy wykaz)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from flask import g
from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, lazyload, load_only, raiseload
from sqlalchemy.sql.elements import ColumnElement

from app import unit_of_work
from app.accounts.models import User
from app.collation import in_polish_order
from app.core.edge import record_id
from app.extensions import db
from app.i18n import when
from app.notifications import events
from app.organisations.models import Organisation, OrganisationMember, fold
from app.pages import KeysFirstPagination, page_number
from app.programmes import services
from app.programmes.catalogue import (
    ANSWER_LABELS,
    ELEMENTS,
    Answer,
    Stage,
    WindowKind,
    in_element_order,
)
from app.programmes.models import Programme, Proposal
from app.tenancy import clock
from app.tenancy.models import Tenant


class ProposalError(ValueError):
    """The proposal cannot be taken; the message says why."""


def is_open(programme: Programme, at: datetime | None = None) -> bool:
    return services.takes_input(programme, WindowKind.PROPOSALS, at)


def closed_message(programme: Programme) -> str:
    bounds = services.window(programme, WindowKind.PROPOSALS)
    if programme.stage != Stage.PROPOSALS_OPEN or bounds is None:
        return _("Proposals for this programme are not being collected now.")
    if not bounds.has_started():
        return _("Proposals can be sent from %(date)s.", date=when(bounds.first_day))
    closing = programme.early_closing(WindowKind.PROPOSALS)
    if closing is not None:
        return _(
            "The collection of proposals was ended early, on %(date)s: %(reason)s",
            date=when(closing.closed_at),
            reason=closing.reason,
        )
    return _(
        "Proposals could be sent until the end of %(date)s. The form is closed.",
        date=when(bounds.last_day),
    )


def organisations_for(user: User, tenant: Tenant) -> list[Organisation]:
    """The user's organisations that are active in the city: those they may propose for."""
    from app.organisations.models import Registration, RegistrationStatus

    return list(
        db.session.scalars(
            select(Organisation)
            .join(OrganisationMember)
            .join(Registration, Registration.organisation_id == Organisation.id)
            .where(
                OrganisationMember.user_id == user.id,
                Registration.tenant_id == tenant.id,
                Registration.status == RegistrationStatus.ACTIVE.value,
            )
            .order_by(in_polish_order(Organisation.name))
        )
    )


def submit(
    programme: Programme,
    organisation: Organisation,
    user: User,
    element: str,
    text: str,
    justification: str,
) -> Proposal:
    if element not in ELEMENTS:
        raise ProposalError(_("Choose the part of the programme the proposal concerns."))
    if not is_open(programme):
        raise ProposalError(closed_message(programme))
    proposal = Proposal(
        programme_id=programme.id,
        organisation_id=organisation.id,
        submitted_by_id=user.id,
        element=element,
        proposed_text=text.strip(),
        justification=justification.strip(),
        submitted_at=clock.now(),
    )
    db.session.add(proposal)
    unit_of_work.flush()
    events.proposal_received(proposal, programme)
    return proposal


PAGE_SIZE = 50


@dataclass(frozen=True)
class ProposalFilter:
    element: str = ""
    answer: str = ""  # "", "none" (waiting) or an Answer
    organisation_id: int | None = None
    text: str = ""  # words of the proposed text or of the organisation's name
    page: int = 1

    @classmethod
    def from_args(cls, args) -> ProposalFilter:
        return cls(
            element=args.get("element", "") if args.get("element") in ELEMENTS else "",
            answer=args.get("answer", "")
            if args.get("answer") in {"none", *[a.value for a in Answer]}
            else "",
            organisation_id=record_id(args.get("organisation")),
            text=args.get("q", "").strip()[:200],
            page=page_number(args.get("page", 1)),
        )

    def as_args(self, **changes) -> dict:
        """The filter as URL arguments, without defaults: for links to its other pages."""
        values = {
            "element": self.element,
            "answer": self.answer,
            "organisation": self.organisation_id,
            "q": self.text,
            "page": self.page,
        }
        values.update(changes)
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


def still_there(programme: Programme, where: ProposalFilter) -> ProposalFilter:
    """The same filter, on its last page if an answer emptied the page it was on."""
    last = list_page(programme, where, error_out=False).pages
    return replace(where, page=min(where.page, max(last, 1)))


def aggregated_list(programme: Programme, where: ProposalFilter) -> list[Proposal]:
    """The whole zbiorczy wykaz propozycji, in the order of the programme's elements."""
    conditions, _reads_organisations = _matching(programme, where)
    query = (
        select(Proposal)
        .join(Proposal.organisation)
        .where(*conditions)
        .order_by(*_LIST_ORDER)
        .options(contains_eager(Proposal.organisation))
    )
    return list(db.session.scalars(query))


def list_page(programme: Programme, where: ProposalFilter, error_out: bool = True) -> Pagination:
    """One page of the aggregated list, loading only what the staff's page shows; a page
    past the last is a 404 unless error_out is off.

    A programme's thousands of proposals are sorted and counted alone, joined to their
    organisations only when the search reads the names (every proposal has its organisation:
    the join changes no count); only the page's rows are then loaded with their names."""
    conditions, reads_organisations = _matching(programme, where)
    keys = select(Proposal.id).where(*conditions).order_by(*_LIST_ORDER)
    counted = select(func.count(Proposal.id)).where(*conditions)
    if reads_organisations:
        keys = keys.join(Proposal.organisation)
        counted = counted.join(Proposal.organisation)
    shown = (
        select(Proposal)
        .join(Proposal.organisation)
        .options(
            load_only(
                Proposal.element,
                Proposal.proposed_text,
                Proposal.justification,
                Proposal.submitted_at,
                Proposal.forwarded_to,
                Proposal.forwarded_to_user_id,
                Proposal.answer,
                Proposal.answer_justification,
            ),
            contains_eager(Proposal.organisation).options(
                load_only(Organisation.name), lazyload("*")
            ),
            raiseload(Proposal.submitted_by),
        )
    )
    return KeysFirstPagination(
        page=where.page,
        per_page=PAGE_SIZE,
        max_per_page=None,
        error_out=error_out,
        keys=keys,
        rows=shown,
        key=Proposal.id,
        counted=counted,
    )


_LIST_ORDER = (in_element_order(Proposal.element), Proposal.submitted_at, Proposal.id)


def _matching(
    programme: Programme, where: ProposalFilter
) -> tuple[list[ColumnElement[bool]], bool]:
    """The filter's conditions, and whether they read the organisations' names."""
    conditions: list[ColumnElement[bool]] = [Proposal.programme_id == programme.id]
    if where.element:
        conditions.append(Proposal.element == where.element)
    if where.answer == "none":
        conditions.append(Proposal.answer.is_(None))
    elif where.answer:
        conditions.append(Proposal.answer == where.answer)
    if where.organisation_id:
        conditions.append(Proposal.organisation_id == where.organisation_id)
    words = where.text.split()
    for word in words:
        conditions.append(
            or_(
                Organisation.search_name.contains(fold(word), autoescape=True),
                Proposal.proposed_text.icontains(word, autoescape=True),
            )
        )
    return conditions, bool(words)


def forward(proposal: Proposal, person: User) -> None:
    """To a person of the city's office, who is told; their name stays as the record's label
    (what the proposal was forwarded to before accounts were chosen stays readable too)."""
    if proposal.forwarded_to_user_id == person.id:
        return  # the list's form sent again unchanged: nothing new to tell
    proposal.forwarded_to = person.name[:300]
    proposal.forwarded_to_user_id = person.id
    proposal.forwarded_at = clock.now()
    unit_of_work.flush()
    events.proposal_forwarded(proposal, person)


def answer(proposal: Proposal, verdict: Answer, justification: str) -> None:
    if not justification.strip():
        raise ProposalError(_("Give the justification: the organisation will read it."))
    proposal.answer = verdict.value
    proposal.answer_justification = justification.strip()
    proposal.answered_by_id = g.get("actor_id")
    proposal.answered_at = clock.now()
    unit_of_work.flush()
    _tell_the_organisation(proposal, verdict)


def _tell_the_organisation(proposal: Proposal, verdict: Answer) -> None:
    recipients = {m.user for m in proposal.organisation.members}
    if proposal.submitted_by is not None:
        recipients.add(proposal.submitted_by)
    events.proposal_answered(
        proposal,
        recipients,
        verdict=str(ANSWER_LABELS[verdict]),
        element=str(ELEMENTS[proposal.element]),
    )


def counts_of_user_by_city(user: User) -> dict[int, tuple[int, int]]:
    """{city id: (answered, waiting for an answer)}: the proposals of the user's
    organisations in each city read, counted; a city with none is left out."""
    waiting = Proposal.answer.is_(None)
    rows = db.session.execute(
        select(Proposal.tenant_id, func.count().filter(~waiting), func.count().filter(waiting))
        .join(OrganisationMember, OrganisationMember.organisation_id == Proposal.organisation_id)
        .where(OrganisationMember.user_id == user.id)
        .group_by(Proposal.tenant_id)
    ).all()
    return {tenant_id: (answered, not_yet) for tenant_id, answered, not_yet in rows}


def of_user(user: User, programme_id: int) -> list[Proposal]:
    """Proposals of the user's organisations to one programme."""
    return list(db.session.scalars(_of_user(user).where(Proposal.programme_id == programme_id)))


def page_of_user(user: User, page: int) -> Pagination:
    """A page of the proposals of the user's organisations in the current city, the newest
    first, with the programme's title and the organisation's name and nothing else of them."""
    shown = _of_user(user).options(
        joinedload(Proposal.programme).load_only(Programme.title),
        joinedload(Proposal.organisation).load_only(Organisation.name).lazyload("*"),
        lazyload("*"),  # not the submitter with their roles, which the page does not show
    )
    return db.paginate(shown, page=page, per_page=PAGE_SIZE)


def _of_user(user: User) -> Select:
    return (
        select(Proposal)
        .join(OrganisationMember, OrganisationMember.organisation_id == Proposal.organisation_id)
        .where(OrganisationMember.user_id == user.id)
        .order_by(Proposal.submitted_at.desc(), Proposal.id.desc())
    )
