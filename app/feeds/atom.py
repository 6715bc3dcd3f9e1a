"""One Atom document (RFC 4287) from a list of entries, written by feedgen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from feedgen.feed import FeedGenerator
from flask import Response, request, url_for
from flask_babel import get_locale

# Entries are read from the newest; a feed reader needs no more than this to catch up.
LATEST = 50
# RFC 4151 tag URIs: an entry's id never changes, whatever host or path serves the feed.
TAG = "tag:razem,2026:"
ATOM = "application/atom+xml"


@dataclass(frozen=True)
class Entry:
    key: str  # unique within the feed's owner, e.g. "leszno/minutes/12"
    title: str
    updated: datetime
    link: str
    summary: str = ""
    published: datetime | None = None


@dataclass(frozen=True)
class Feed:
    key: str
    title: str
    link: str  # the public page the feed follows
    entries: list[Entry]
    # When the feed has no entries, it was last changed when its owner was created.
    created: datetime


def tag(key: str) -> str:
    return TAG + key


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; they were stored in UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _self_link(language: str) -> str:
    """This feed's own address, in the language it is written in."""
    values = dict(request.view_args or {}) | ({} if language == "pl" else {"lang": language})
    return url_for(str(request.endpoint), **values, _external=True)


def render(feed: Feed) -> Response:
    language = str(get_locale())
    generator = FeedGenerator()
    # one feed per language; its entries keep their ids, being the same records
    generator.id(tag(feed.key if language == "pl" else f"{feed.key}/{language}"))
    generator.title(feed.title)
    generator.language(language)
    generator.link(href=feed.link, rel="alternate", type="text/html")
    generator.link(href=_self_link(language), rel="self", type=ATOM)
    generator.updated(max((_aware(e.updated) for e in feed.entries), default=_aware(feed.created)))
    for entry in feed.entries[:LATEST]:
        item = generator.add_entry(order="append")
        item.id(tag(entry.key))
        item.title(entry.title)
        item.updated(_aware(entry.updated))
        item.link(href=entry.link, rel="alternate", type="text/html")
        if entry.published:
            item.published(_aware(entry.published))
        if entry.summary:
            item.summary(entry.summary)
    return Response(generator.atom_str(pretty=True), mimetype=ATOM)
