"""A page of the audit log as its table shows it: only the columns it shows are read, and the
labels, the language, the time zone and the entries' link are looked up once for the page,
not for each of its rows (they were most of the page's time, issue #17)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _
from sqlalchemy import Row, Select, or_, select

from app.accounts.models import User
from app.audit.labels import ENTITY_LABELS, fields_labeller
from app.audit.models import AuditEntry
from app.audit.services import AuditFilter
from app.collation import polish_key
from app.i18n import ACTION_LABELS, labeller, moment_formatter
from app.pages import row_url

# The kinds of record to filter by, in each language: the same for every page.
_ENTITY_CHOICES: dict[str, list[tuple[str, str]]] = {}


@dataclass(frozen=True)
class ListedEntry:
    """One row of the table, in the reader's language."""

    url: str
    moment: str
    user: str
    action: str
    record: str
    fields: str


def listing(audit_filter: AuditFilter, older_than: int | None = None) -> Select:
    """The entries the filter finds, newest first (and listed after entry `older_than`): what
    the table shows of each, and who made it by their address alone."""
    query = audit_filter.statement(
        AuditEntry.id,
        AuditEntry.created_at,
        # its own users: the filter by address joins them to the entries too
        select(User.email)
        .where(User.id == AuditEntry.user_id)
        .correlate(AuditEntry)
        .scalar_subquery(),
        AuditEntry.action,
        AuditEntry.entity,
        AuditEntry.entity_id,
        AuditEntry.changes,
    )
    if older_than is None:
        return query
    # the log's order is (created_at, id), both descending; `created_at <=` lets the index of
    # the log's time find where to start, rather than OFFSET count every entry before it
    moment = select(AuditEntry.created_at).where(AuditEntry.id == older_than).scalar_subquery()
    return query.where(
        AuditEntry.created_at <= moment,
        or_(AuditEntry.created_at < moment, AuditEntry.id < older_than),
    )


def listed_entries(rows: Sequence[Row]) -> list[ListedEntry]:
    moment = moment_formatter("moment")
    action = labeller(ACTION_LABELS)
    entity = labeller(ENTITY_LABELS)
    shown_fields = fields_labeller()
    number = _("no. %(number)s")
    system = _("system")
    entry_url = row_url("audit.entry", "entry_id")
    listed = []
    for entry_id, created_at, email, action_name, entity_name, record_id, changes in rows:
        record = entity(entity_name)
        if record_id is not None:
            record += f" ({number % {'number': record_id}})"
        listed.append(
            ListedEntry(
                url=entry_url(entry_id),
                moment=moment(created_at),
                user=email or system,
                action=action(action_name),
                record=record,
                fields=", ".join(shown_fields(changes)),
            )
        )
    return listed


def entity_choices() -> list[tuple[str, str]]:
    """Each kind of record with its label, in the Polish order of the labels in the reader's
    language; sorted once a language, not on every page."""
    locale = str(get_locale())
    if locale not in _ENTITY_CHOICES:
        entity = labeller(ENTITY_LABELS)
        labelled = [(name, entity(name)) for name in ENTITY_LABELS]
        _ENTITY_CHOICES[locale] = sorted(labelled, key=lambda choice: polish_key(choice[1]))
    return _ENTITY_CHOICES[locale]
