"""The programme's official documents, built for the export pipeline (PDF, DOCX, ODT, XLSX)."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from app.exports import Document, builder
from app.extensions import db
from app.i18n import format_money, format_number, when
from app.programmes import proposals as proposal_service
from app.programmes.catalogue import ANSWER_LABELS, ELEMENTS, Answer
from app.programmes.consultation import as_text
from app.programmes.models import Programme


def _programme(programme_id: int) -> Programme:
    return db.session.execute(select(Programme).where(Programme.id == programme_id)).scalar_one()


def _number(value) -> str:
    return "—" if value is None else format_number(value)


def _money(amount) -> str:
    return "—" if amount is None else format_money(amount)


@builder("programme")
def programme_document(programme_id: int) -> tuple[Document, str]:
    programme = _programme(programme_id)
    document = Document(programme.title)
    if programme.resolution_number and programme.resolution_date:
        document.subtitle = _(
            "Annex to resolution No %(number)s of %(date)s",
            number=programme.resolution_number,
            date=when(programme.resolution_date, "official_day"),
        )
    for key, text in as_text(programme).items():
        document.heading(str(ELEMENTS[key])).markdown(text or "—")
    return document, f"program-wspolpracy-{programme.year_from}"


@builder("proposals")
def proposals_document(programme_id: int) -> tuple[Document, str]:
    programme = _programme(programme_id)
    rows = proposal_service.aggregated_list(programme, proposal_service.ProposalFilter())
    document = Document(_("Aggregated list of proposals"), subtitle=programme.title)
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


@builder("report")
def report_document(programme_id: int) -> tuple[Document, str]:
    programme = _programme(programme_id)
    document = Document(
        _("Report on the implementation of the programme"), subtitle=programme.title
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
