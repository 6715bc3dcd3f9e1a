"""Public consultation: published versions, comments and answers, opinions, the report."""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import gettext as _
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, func, select
from sqlalchemy.orm import contains_eager, lazyload, load_only
from sqlalchemy.sql.elements import ColumnElement

from app import unit_of_work
from app.accounts.models import User
from app.extensions import db
from app.files import CheckedUpload
from app.i18n import format_money, format_number, when
from app.notifications import events
from app.organisations.catalogue import area_label
from app.organisations.models import Organisation
from app.pages import KeysFirstPagination, page_number
from app.programmes import services
from app.programmes.catalogue import (
    AREA_LABELS,
    ELEMENTS,
    OUTCOME_LABELS,
    CooperationArea,
    WindowKind,
    in_element_order,
)
from app.programmes.models import Comment, Opinion, Programme, Proposal, Version
from app.storage import storage
from app.tenancy import clock

OUTCOMES = tuple(OUTCOME_LABELS)


class ConsultationError(ValueError):
    """The comment cannot be taken; the message says why."""


# -- versions -------------------------------------------------------------------------


def _planned(value) -> str:
    return "—" if value is None else format_number(value, locale="pl")


def as_text(programme: Programme) -> dict[str, str]:
    """Every element of the programme as plain text: what a version keeps."""
    forms = []
    for area in CooperationArea:
        rows = [f for f in programme.forms if f.area == area]
        if rows:
            forms.append(str(AREA_LABELS[area]))
            forms += [f"– {f.description}" for f in rows]
    # the programme's official text is Polish, whatever the reader's language
    budget = "" if programme.budget is None else format_money(programme.budget, locale="pl")
    indicators = [
        f"– {i.name}: {_planned(i.planned)} {i.unit}".rstrip() for i in programme.indicators
    ]
    texts = {
        "principles": "\n".join(f"{p.name}: {p.definition}" for p in programme.principles),
        "forms": "\n".join(forms),
        "priority_tasks": "\n".join(
            f"– {t.description} ({area_label(t.area_code)})" for t in programme.priority_tasks
        ),
        "period": programme.period,
        "budget": budget,
        "evaluation": "\n".join(filter(None, [programme.text("evaluation"), *indicators])),
    }
    return {key: texts.get(key, programme.text(key)) for key in ELEMENTS}


def publish_version(programme: Programme, label: str) -> Version:
    number = (
        db.session.scalar(
            select(func.max(Version.number)).where(Version.programme_id == programme.id)
        )
        or 0
    ) + 1
    version = Version(
        programme_id=programme.id, number=number, label=label, content=as_text(programme)
    )
    db.session.add(version)
    return version


@dataclass(frozen=True)
class Change:
    element: str
    parts: list[tuple[str, str]]  # ("same" | "added" | "removed", text)

    @property
    def changed(self) -> bool:
        return any(kind != "same" for kind, _ in self.parts)


def compare(old: Version, new: Version) -> list[Change]:
    """Element by element, word by word: what was removed and what was added."""
    changes = []
    for key in ELEMENTS:
        before, after = old.content.get(key, "").split(" "), new.content.get(key, "").split(" ")
        parts: list[tuple[str, str]] = []
        matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
        for operation, a1, a2, b1, b2 in matcher.get_opcodes():
            if operation == "equal":
                parts.append(("same", " ".join(before[a1:a2])))
                continue
            if a2 > a1:
                parts.append(("removed", " ".join(before[a1:a2])))
            if b2 > b1:
                parts.append(("added", " ".join(after[b1:b2])))
        changes.append(Change(key, parts))
    return changes


# -- comments -------------------------------------------------------------------------


def consultation_open(programme: Programme) -> bool:
    return services.takes_input(programme, WindowKind.CONSULTATION)


def comment(
    programme: Programme,
    author: User,
    organisation: Organisation | None,
    element: str,
    body: str,
) -> Comment:
    if element not in ELEMENTS:
        raise ConsultationError(_("Choose the part of the programme the comment concerns."))
    if not consultation_open(programme):
        raise ConsultationError(_("The public consultation of this draft is closed."))
    record = Comment(
        programme_id=programme.id,
        element=element,
        body=body.strip(),
        author_id=author.id,
        organisation_id=organisation.id if organisation else None,
        created_at=clock.now(),
    )
    db.session.add(record)
    unit_of_work.flush()
    events.comment_received(record, programme)
    return record


def answer_comment(record: Comment, answer: str, taken_into_account: str) -> None:
    if not answer.strip() or taken_into_account not in OUTCOMES:
        raise ConsultationError(
            _("Write the answer and say whether the comment was taken into account.")
        )
    record.answer = answer.strip()
    record.taken_into_account = taken_into_account
    record.answered_at = clock.now()
    unit_of_work.flush()
    events.comment_answered(record, db.session.get_one(Programme, record.programme_id))


def forward_comment(record: Comment, person: User) -> None:
    """To a person of the city's office, who is told (again only if it goes to someone else)."""
    if record.forwarded_to_user_id == person.id:
        return
    record.forwarded_to_user_id = person.id
    record.forwarded_at = clock.now()
    unit_of_work.flush()
    events.comment_forwarded(record, db.session.get_one(Programme, record.programme_id), person)


COMMENTS_PAGE_SIZE = 50


@dataclass(frozen=True)
class CommentFilter:
    element: str = ""
    page: int = 1

    @classmethod
    def from_args(cls, args) -> CommentFilter:
        element = args.get("element", "")
        return cls(
            element=element if element in ELEMENTS else "",
            page=page_number(args.get("page", 1)),
        )

    def as_args(self, **changes) -> dict:
        """The filter as URL arguments, without defaults: for links to its other pages."""
        values = {"element": self.element, "page": self.page, **changes}
        return {k: v for k, v in values.items() if v and not (k == "page" and v == 1)}


def comments_of(programme: Programme) -> list[Comment]:
    """Every comment, in the order of the programme's elements (the report, the API)."""
    return list(db.session.scalars(_comments(programme, CommentFilter())))


def comments_page(programme: Programme, where: CommentFilter, error_out: bool = True) -> Pagination:
    """One page of the comments, loading only what the consultation page shows of them; a
    programme's thousands of comments are sorted and counted alone (keys first), and only the
    page's rows are joined to their organisations and authors."""
    conditions = _comment_conditions(programme, where)
    shown = (
        select(Comment)
        .outerjoin(Comment.organisation)
        .outerjoin(Comment.author)
        .options(
            load_only(
                Comment.element,
                Comment.body,
                Comment.created_at,
                Comment.answer,
                Comment.taken_into_account,
                Comment.forwarded_to_user_id,
            ),
            contains_eager(Comment.organisation).options(
                load_only(Organisation.name), lazyload("*")
            ),
            contains_eager(Comment.author).options(load_only(User.name), lazyload("*")),
        )
    )
    return KeysFirstPagination(
        page=where.page,
        per_page=COMMENTS_PAGE_SIZE,
        max_per_page=None,
        error_out=error_out,
        keys=select(Comment.id).where(*conditions).order_by(*_COMMENT_ORDER),
        rows=shown,
        key=Comment.id,
        counted=select(func.count(Comment.id)).where(*conditions),
    )


def still_there(programme: Programme, where: CommentFilter) -> CommentFilter:
    """The same filter, on its last page if the page it was on is gone."""
    last = comments_page(programme, where, error_out=False).pages
    return replace(where, page=min(where.page, max(last, 1)))


def _comments(programme: Programme, where: CommentFilter) -> Select:
    return select(Comment).where(*_comment_conditions(programme, where)).order_by(*_COMMENT_ORDER)


_COMMENT_ORDER = (in_element_order(Comment.element), Comment.created_at, Comment.id)


def _comment_conditions(programme: Programme, where: CommentFilter) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Comment.programme_id == programme.id]
    if where.element:
        conditions.append(Comment.element == where.element)
    return conditions


# -- opinions -------------------------------------------------------------------------


def add_opinion(
    programme: Programme, body: str, given_on: date, text: str, upload: CheckedUpload | None
) -> Opinion:
    services.ensure_editable(programme)  # opinions feed element 10 of the adopted text
    opinion = Opinion(
        programme_id=programme.id, body=body.strip(), given_on=given_on, text=text.strip()
    )
    if upload is not None:
        opinion.attachment_key = storage().save(programme.tenant_id, upload.filename, upload.data)
        opinion.attachment_name = upload.filename
    db.session.add(opinion)
    unit_of_work.flush()
    return opinion


def opinions_of(programme: Programme) -> list[Opinion]:
    return list(
        db.session.scalars(
            select(Opinion).where(Opinion.programme_id == programme.id).order_by(Opinion.given_on)
        )
    )


# -- the report and element 10 ------------------------------------------------------


@dataclass
class Report:
    comments: list[Comment]
    outcomes: Counter
    answered: int
    changes: list[Change]
    consulted: Version | None
    latest: Version | None
    opinions: list[Opinion]


def report(programme: Programme) -> Report:
    comments = comments_of(programme)
    versions = programme.versions
    consulted = versions[0] if versions else None
    latest = versions[-1] if len(versions) > 1 else None
    return Report(
        comments=comments,
        outcomes=Counter(c.taken_into_account for c in comments if c.taken_into_account),
        answered=sum(1 for c in comments if c.answer),
        changes=compare(consulted, latest) if consulted and latest else [],
        consulted=consulted,
        latest=latest,
        opinions=opinions_of(programme),
    )


def creation_summary(programme: Programme) -> str:
    """Element 10 (how the programme was created and consulted), from the cycle's records."""
    proposals = db.session.scalars(
        select(Proposal).where(Proposal.programme_id == programme.id)
    ).all()
    answers = Counter(p.answer for p in proposals if p.answer)
    comments = comments_of(programme)
    outcomes = Counter(c.taken_into_account for c in comments if c.taken_into_account)
    organisations = len({p.organisation_id for p in proposals})
    lines = []
    if programme.proposals_from and programme.proposals_to:
        lines.append(
            _(
                "Proposals were collected from %(start)s to %(end)s: %(count)d proposals from "
                "%(organisations)d organisations; accepted %(accepted)d, partly accepted "
                "%(partly)d, rejected %(rejected)d.",
                start=when(programme.proposals_from),
                end=when(programme.proposals_to),
                count=len(proposals),
                organisations=organisations,
                accepted=answers["accepted"],
                partly=answers["partly_accepted"],
                rejected=answers["rejected"],
            )
        )
    if programme.consultation_from and programme.consultation_to:
        lines.append(
            _(
                "The draft was consulted from %(start)s to %(end)s: %(count)d comments; taken "
                "into account %(yes)d, partly %(partly)d, not taken into account %(no)d.",
                start=when(programme.consultation_from),
                end=when(programme.consultation_to),
                count=len(comments),
                yes=outcomes["yes"],
                partly=outcomes["partly"],
                no=outcomes["no"],
            )
        )
    for opinion in opinions_of(programme):
        lines.append(
            _(
                "Opinion of %(body)s of %(date)s.",
                body=opinion.body,
                date=when(opinion.given_on),
            )
        )
    return "\n".join(lines)


def fill_creation(programme: Programme) -> None:
    services.ensure_editable(programme)
    section = next(s for s in programme.sections if s.key == "creation")
    section.body = creation_summary(programme)
    services.touch(programme)
    unit_of_work.flush()
