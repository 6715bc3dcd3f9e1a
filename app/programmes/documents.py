"""The programme's official documents, built for the export pipeline (PDF, DOCX, ODT, XLSX)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select

from app import exports
from app.collation import polish_key
from app.exports import Document, builder
from app.exports.doors import door
from app.exports.letterhead import letterhead_of
from app.extensions import db
from app.i18n import format_money, format_number, when
from app.programmes import consultation
from app.programmes import proposals as proposal_service
from app.programmes.access import programme_for
from app.programmes.catalogue import ANSWER_LABELS, ELEMENTS, OUTCOME_LABELS, Answer
from app.programmes.consultation import as_text
from app.programmes.models import Comment, Programme
from app.tenancy.models import Tenant


def _programme(programme_id: int) -> Programme:
    return db.session.execute(select(Programme).where(Programme.id == programme_id)).scalar_one()


def _headed(programme: Programme, title: str, subtitle: str = "") -> Document:
    """A document of the city's office: its letterhead atop the first page."""
    city = db.session.get_one(Tenant, programme.tenant_id)
    return Document(title, subtitle=subtitle, letterhead=letterhead_of(city))


def _number(value) -> str:
    return "—" if value is None else format_number(value)


def _money(amount) -> str:
    return "—" if amount is None else format_money(amount)


@builder("programme", page="programmes.export")
def programme_document(programme_id: int) -> tuple[Document, str]:
    programme = _programme(programme_id)
    document = _headed(programme, programme.title)
    if programme.resolution_number and programme.resolution_date:
        document.subtitle = _(
            "Annex to resolution No %(number)s of %(date)s",
            number=programme.resolution_number,
            date=when(programme.resolution_date, "official_day"),
        )
    for key, text in as_text(programme).items():
        document.heading(str(ELEMENTS[key])).markdown(text or "—")
    return document, f"program-współpracy-{programme.year_from}"


@builder("proposals", page="programmes.export")
def proposals_document(programme_id: int) -> tuple[Document, str]:
    programme = _programme(programme_id)
    rows = proposal_service.aggregated_list(programme, proposal_service.ProposalFilter())
    document = _headed(programme, _("Aggregated list of proposals"), programme.title)
    document.add_table(
        [
            _("No"),
            _("Organisation"),
            _("Part of the programme"),
            _("Proposed text"),
            _("Justification"),
            _("Forwarded to"),
            _("Answer"),
            _("Justification of the answer"),
        ],
        [
            [
                str(i),
                p.organisation.name,
                str(ELEMENTS[p.element]),
                p.proposed_text,
                p.justification,
                p.forwarded_to or "",
                str(ANSWER_LABELS[Answer(p.answer)]) if p.answer else "",
                p.answer_justification or "",
            ]
            for i, p in enumerate(rows, start=1)
        ],
        caption=_("Proposals"),
    )
    return document, f"zbiorczy-wykaz-propozycji-{programme.year_from}"


@builder("report", page="programmes.export")
def report_document(programme_id: int) -> tuple[Document, str]:
    programme = _programme(programme_id)
    document = _headed(
        programme, _("Report on the implementation of the programme"), programme.title
    )
    document.heading(_("Public tasks commissioned and money spent"))
    document.add_table(
        [_("Item"), _("Planned"), _("Actual")],
        [
            [
                _("Budget of the programme"),
                _money(programme.budget),
                _money(programme.report_amount_spent),
            ],
            [
                _("Public tasks commissioned to organisations"),
                "—",
                str(programme.report_tasks_commissioned or "—"),
            ],
        ],
        caption=_("Money"),
    )
    document.heading(_("Indicators"))
    document.add_table(
        [_("Indicator"), _("Planned value"), _("Actual value"), _("Unit")],
        [
            [
                i.name,
                _number(i.planned),
                _number(i.actual),
                i.unit,
            ]
            for i in programme.indicators
        ],
        caption=_("Planned and actual indicators"),
    )
    document.heading(_("Summary")).markdown(programme.report_summary)
    return document, f"sprawozdanie-{programme.year_from}"


@builder("consultation", page="programmes.export")
def consultation_document(programme_id: int) -> tuple[Document, str]:
    """The report of the public consultation of the draft (art. 5 ust. 5 of the ustawa): when
    it ran, who commented, each comment with the city's answer, and the counts."""
    programme = _programme(programme_id)
    report = consultation.report(programme)
    document = _headed(programme, _("Report of the public consultation"), programme.title)
    document.heading(_("The consultation"))
    document.paragraph(_consultation_dates(programme))
    document.paragraph(_comment_counts(report.comments))
    document.add_table(
        [_("Comments"), _("Answered"), *(str(label) for label in OUTCOME_LABELS.values())],
        [[len(report.comments), report.answered, *(report.outcomes[o] for o in OUTCOME_LABELS)]],
        caption=_("Comments in numbers"),
    )
    document.heading(_("Who sent comments"))
    document.bullets(_senders(report.comments) or [_("No comments were sent.")])
    document.heading(_("Comments and answers"))
    document.add_table(
        [
            _("No"),
            _("Sent by"),
            _("Part of the programme"),
            _("Comment"),
            _("Taken into account"),
            _("Answer of the office and its justification"),
        ],
        [_comment_row(number, c) for number, c in enumerate(report.comments, start=1)],
    )
    if report.opinions:
        document.heading(_("Opinions"))
        document.bullets([f"{o.body}, {when(o.given_on, 'official_day')}" for o in report.opinions])
    return document, f"sprawozdanie-z-konsultacji-{programme.year_from}"


def _consultation_dates(programme: Programme) -> str:
    if not (programme.consultation_from and programme.consultation_to):
        return _("The dates of the consultation have not been announced.")
    return _(
        "From %(start)s to %(end)s the draft was open for comments.",
        start=when(programme.consultation_from, "official_day"),
        end=when(programme.consultation_to, "official_day"),
    )


def _comment_counts(comments: list[Comment]) -> str:
    organisations = {c.organisation.name for c in comments if c.organisation}
    people = {c.author_id for c in comments if c.organisation is None}
    senders = len(organisations) + len(people)
    sent = ngettext("%(num)d comment was sent", "%(num)d comments were sent", len(comments))
    by = ngettext(
        "by %(num)d organisation or person.", "by %(num)d organisations or people.", senders
    )
    return f"{sent} {by}"


def _sender(comment: Comment) -> str:
    """The organisation that commented; a person on their own is not named in a published
    report (RODO: the data a record keeps is minimised)."""
    return comment.organisation.name if comment.organisation else _("a private person")


def _senders(comments: list[Comment]) -> list[str]:
    named = {c.organisation.name for c in comments if c.organisation}
    people = len({c.author_id for c in comments if c.organisation is None})
    others = (
        [ngettext("%(num)d private person", "%(num)d private people", people)] if people else []
    )
    return sorted(named, key=polish_key) + others


def _comment_row(number: int, comment: Comment) -> list:
    outcome = OUTCOME_LABELS.get(comment.taken_into_account or "")
    return [
        str(number),
        _sender(comment),
        str(ELEMENTS[comment.element]),
        comment.body,
        str(outcome) if outcome else _("no answer yet"),
        comment.answer or "",
    ]


def start_programme_export(document: str, file_format: str, programme_id: int):
    """What the programme's page and the API call to start the export of one of its
    documents."""
    programme = programme_for(programme_id, "manage")
    return exports.start(document, file_format, programme_id=programme.id)


door(
    "programmes.export",
    start_programme_export,
    summary="Export a programme's document",
    description="Staff of the city. The programme's text, the proposals received and their "
    "answers, the report on its implementation, or the consultation's report.",
)
