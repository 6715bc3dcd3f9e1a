"""The pages that start exports, known to the registry so that the API opens the same doors.

A feature declares each page that starts exports once, next to its documents: the page's
endpoint and the function that page and API alike call to start one (it loads the records
through the feature's access policy). Each document names the page that starts it
(`builder(..., page=...)`), so a new document is started where its page says, and the API's
twin of every page (app/exports/api.py) is generated from here: same path, same roles, same
function."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _
from marshmallow import Schema


class ExportRefused(ValueError):
    """What was asked cannot be exported: the page answers 400, the API 422 with this."""


@dataclass(frozen=True)
class Door:
    page: str  # the endpoint of the page's POST that starts the export: "meetings.export"
    # starts(document, file_format, **ids and arguments) -> the job record to watch
    starts: Callable[..., Any]
    # The document's own arguments the API takes besides its format (a period, a year).
    arguments: type[Schema] | None = None
    # Formats of a door whose job is no registered Document (a city's register as a table).
    formats: tuple[str, ...] = ()
    summary: str = ""
    description: str = field(default="", compare=False)

    def documents(self) -> dict[str, tuple[str, ...]]:
        """The registered documents this page starts, with their formats."""
        from app.exports import kinds, page_of

        return {name: formats for name, formats in kinds().items() if page_of(name) == self.page}

    def all_formats(self) -> tuple[str, ...]:
        found = dict.fromkeys(self.formats)
        for formats in self.documents().values():
            found.update(dict.fromkeys(formats))
        return tuple(found)

    def start(self, document: str | None, file_format: str, **arguments: Any):
        """Start the export asked for at this door, or refuse what it does not export."""
        documents = self.documents()
        if documents:
            document = document or next(iter(documents))
            if document not in documents:
                raise ExportRefused(_("This document cannot be exported here."))
            if file_format not in documents[document]:
                raise ExportRefused(_("This document cannot be exported in this format."))
        elif file_format not in self.formats:
            raise ExportRefused(_("This document cannot be exported in this format."))
        return self.starts(document, file_format, **arguments)


_doors: dict[str, Door] = {}


def door(page: str, starts: Callable[..., Any], **options: Any) -> Door:
    """Declare the page `page` as one that starts exports with `starts`."""
    _doors[page] = Door(page, starts, **options)
    return _doors[page]


def doors() -> dict[str, Door]:
    return dict(_doors)


def door_of(page: str) -> Door:
    return _doors[page]
