"""Public pages kept whole in the cache, for the next visitor who asks the same (issue #17).

Only a page that `may_be_shared()` is kept: asked without cookie or token, answered 200 in
full and setting nothing in the session, so it is the same for every visitor. A kept page is
found again by everything it can differ by: the host, the path with its query, the language,
the minute by the one clock (deadlines, "open today") and the revision of the data it shows.

A revision changes when a commit changes data: a city's records give that city's pages and
the pages of no city (the landing page, a region's) a new revision; records no city owns
(people, organisations, regions, standards, the cities themselves) give every page a new
one. The revision is read before the page is rendered, so a page rendered while a change
commits is kept under the old revision, which nobody asks for again. A kept page lives
PUBLIC_PAGE_MAX_AGE seconds at most, as long as nginx or a browser may keep it anyway.

A part of a page the same for everyone allowed to see it is kept too (`kept_fragment`), found
again by the revision of the data it shows: a region's matrix by its project's revision, a
city's staff list or a page of an API list by the city's (`kept_for_the_city`), a page of a
city's audit log by the log's own too (`note_changed`: its entries change no other page, and
many are written by reads), what each of an NGO's cities offers and the person's own there
by each city's (`kept_for_cities`). The view runs on every request, with its access checks and side
effects; only the rendering is reused, and the person's own (their CSRF token) takes its
place in a kept fragment (`office_fragment`).

The cache is a saving, never a need: when it does not answer, the page is rendered.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping
from typing import TypeVar
from uuid import uuid4

from flask import Response, current_app, g, has_app_context, request, session
from flask_babel import get_locale, get_timezone
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from redis.exceptions import RedisError
from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session

from app.caching import remembered
from app.core.edge import is_public_page, may_be_shared
from app.extensions import cache
from app.tenancy import clock
from app.tenancy.context import current_tenant_id

log = logging.getLogger(__name__)
T = TypeVar("T")

EVERY_PAGE = "revision:shared"  # records no city owns
PAGES_OF_NO_CITY = "revision:cities"  # the landing page and the regions' pages
CHANGED = "razem_page_revisions"
LARGEST_KEPT = 1_000_000  # bytes
# Seconds a fragment is kept at most: one of a replaced revision is never asked for again,
# and Redis evicts nothing (deploy/compose.yaml), so it must not linger for long.
FRAGMENT_MAX_AGE = 3600
# Where a kept fragment's forms take the reader's CSRF token: escaped text never holds "<".
CSRF_TOKEN_PLACE = Markup("<csrf-token>")

# Records no public page shows, many of them written while people only read (a token's last
# use, a coordinator's cross-tenant read): their changes leave every page as it was.
UNSEEN_TABLES = frozenset(
    {
        "api_tokens",
        "audit_log",
        "cross_tenant_reads",
        "jobs",
        "mail_deliveries",
        "notification_digests",
        "notification_preferences",
        "notifications",
        "operator_log",
        "webhook_deliveries",
        "webhook_subscriptions",
    }
)
# Columns of shown records that no public page shows (a login writes them).
UNSEEN_COLUMNS = {
    "users": frozenset({"last_login_at", "password_hash", "session_generation"}),
}


def shared_revision(*also: str) -> str | None:
    """The revision of records no city owns as this request began; None where pages are not
    kept (then nothing read by revision may be kept either) or the cache does not answer.

    `also` names revisions the request is about to read (its city's), read in the same round
    trip with the revision of the pages of no city."""
    if not current_app.config["PAGE_CACHE"]:
        return None
    if "shared_revision" not in g:
        try:
            g.shared_revision = _revisions(EVERY_PAGE, PAGES_OF_NO_CITY, *also)[0]
        except RedisError as error:
            log.warning("cache unreachable: %s", error)
            g.shared_revision = None
    return g.shared_revision


def city_revision(tenant_id: int) -> str:
    return f"revision:city:{tenant_id}"


def kept_fragment(what: tuple, render: Callable[[], T], timeout: int = FRAGMENT_MAX_AGE) -> T:
    """What `render()` gives (HTML, with what the page around it needs to know) when it does
    not depend on who asks: rendered once for everyone allowed to see it, found again by
    `what` (everything it differs by, the revision of the data it shows among them), the
    language, the time zone and the revision of records no city owns. Where pages are not
    kept, nothing read by revision is either: it is rendered each time."""
    if shared_revision() is None:
        return render()
    return remembered(_fragment_key(what), render, timeout=timeout)


def _fragment_key(what: tuple) -> str:
    parts = "|".join(map(str, (*what, get_locale(), get_timezone(), shared_revision())))
    return "fragment:" + hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()


def kept_for_the_city(
    name: str, compute: Callable[[], T], *varies_by: object, revisions: tuple[str, ...] = ()
) -> T:
    """`compute()` as kept for this address and `varies_by` (the city's day, the reader's
    kind), or computed now and kept, until a record of the city it may show changes, or
    one of the further `revisions` it shows (the city's audit log: `note_changed`).

    Only for what every reader of that kind in the city is given alike: their view checks the
    access first, on every request, and nothing of the person enters `compute()`."""
    tenant = g.get("tenant")
    if tenant is None or shared_revision() is None:
        return compute()
    try:
        city = _revisions(city_revision(tenant.id), *revisions)
    except RedisError as error:
        log.warning("cache unreachable, computing %s: %s", name, error)
        return compute()
    return kept_fragment((name, request.host, request.full_path, *city, *varies_by), compute)


def kept_for_cities(
    name: str,
    compute: Callable[[Mapping[int, object]], dict[int, T]],
    days: Mapping[int, object],
    *varies_by: object,
) -> dict[int, T]:
    """For each city of `days` ({city id: its day}), what `compute` gives it, kept until a
    record of the city changes or its day does; the cities of which nothing is kept are
    computed together, in one call of `compute(their days)`, and the rest cost one round
    trip to the cache for all of them.

    For what every reader of that kind in those cities is given alike, as kept_for_the_city,
    or for a person's own that changes only with the cities' records (and the records no
    city owns, people among them): then the person is one of `varies_by`."""
    if shared_revision() is None:
        return compute(days)
    try:
        revisions = _revisions(*(city_revision(city) for city in days))
        keys = {
            city: _fragment_key((name, city, revision, day, *varies_by))
            for (city, day), revision in zip(days.items(), revisions, strict=True)
        }
        found = dict(zip(keys, cache.get_many(*keys.values()), strict=True))
    except RedisError as error:
        log.warning("cache unreachable, computing %s: %s", name, error)
        return compute(days)
    kept = {city: value for city, value in found.items() if value is not None}
    missing = {city: day for city, day in days.items() if city not in kept}
    if missing:
        computed = compute(missing)
        try:
            cache.set_many(
                {keys[city]: computed[city] for city in missing}, timeout=FRAGMENT_MAX_AGE
            )
        except RedisError as error:
            log.warning("cache unreachable, %s not kept: %s", name, error)
        kept.update(computed)
    return kept


def note_changed(session: Session, revision: str) -> None:
    """A revision of records the commit's listeners cannot tell apart (the audit log's
    entries, which change no page but the log's) is replaced when the session commits."""
    session.info.setdefault(CHANGED, set()).add(revision)


def office_fragment(
    name: str,
    render: Callable[[], str],
    *varies_by: object,
    own: Mapping[Markup, str] | None = None,
    revisions: tuple[str, ...] = (),
) -> Markup:
    """HTML kept for the city's office (kept_for_the_city), with the reader's own in their
    places: the CSRF token in CSRF_TOKEN_PLACE, each of `own` in its own (a Markup tag, which
    escaped text never holds)."""
    fragment = kept_for_the_city(name, render, *varies_by, revisions=revisions)
    for place, value in {CSRF_TOKEN_PLACE: generate_csrf(), **(own or {})}.items():
        fragment = fragment.replace(place, value)
    return Markup(fragment)


def _revisions(*names: str) -> list[str]:
    """The revisions of `names` as this request first read them, those not read yet in one
    round trip; a first one for each there is none of yet (a new cache), so that what was
    kept before any change is never taken for what was kept after the revision was lost."""
    read = g.setdefault("revisions", {})
    unread = [name for name in dict.fromkeys(names) if name not in read]
    if unread:
        for name, revision in zip(unread, cache.get_many(*unread), strict=True):
            if revision is None:
                cache.add(name, uuid4().hex, timeout=0)
                revision = cache.get(name)
            read[name] = revision
    return [read[name] for name in names]


def kept_page() -> Response | None:
    """The page as kept for this request, or None (then render it and `keep` it)."""
    if not _keeps_pages() or not may_be_shared():
        return None
    try:
        g.page_cache_key = _page_key()
        kept = cache.get(g.page_cache_key)
    except RedisError as error:
        log.warning("cache unreachable, rendering the page: %s", error)
        return None
    if kept is None:
        return None
    body, headers = kept
    return Response(body, headers=headers)


def keep(response: Response) -> None:
    """Keep the page just rendered if every visitor would be shown the same."""
    key = g.pop("page_cache_key", None)
    if (
        key is None
        or not is_public_page(response)
        or session.modified
        or "Set-Cookie" in response.headers
        or len(response.get_data()) > LARGEST_KEPT
    ):
        return
    kept = (response.get_data(), list(response.headers.items()))
    try:
        cache.set(key, kept, timeout=current_app.config["PUBLIC_PAGE_MAX_AGE"])
    except RedisError as error:
        log.warning("cache unreachable, page not kept: %s", error)


def _keeps_pages() -> bool:
    return current_app.config["PAGE_CACHE"] and current_app.config["PUBLIC_PAGE_MAX_AGE"] > 0


def _page_key() -> str:
    tenant = g.get("tenant")
    revisions = (
        shared_revision(),
        *_revisions(city_revision(tenant.id) if tenant else PAGES_OF_NO_CITY),
    )
    minute = clock.now().replace(second=0, microsecond=0).isoformat()
    what = "|".join(map(str, (request.host, request.full_path, get_locale(), minute, *revisions)))
    return "page:" + hashlib.blake2b(what.encode(), digest_size=16).hexdigest()


@event.listens_for(Session, "after_flush")
def _note_changed_records(session: Session, flush_context) -> None:
    changed = session.info.setdefault(CHANGED, set())
    for record in session.new:
        changed.update(_revisions_changed_by(record, new=True))
    for record in (*session.dirty, *session.deleted):
        changed.update(_revisions_changed_by(record, new=False))


@event.listens_for(Session, "do_orm_execute")
def _note_changed_rows(state: ORMExecuteState) -> None:
    """An UPDATE or DELETE of many rows at once: the current city's, or anyone's."""
    if not (state.is_update or state.is_delete or state.is_insert):
        return
    table = getattr(state.statement, "table", None)
    name = getattr(table, "name", None)
    if name in UNSEEN_TABLES:
        return
    tenant_id = current_tenant_id() if has_app_context() else None
    owned_by_city = table is not None and "tenant_id" in getattr(table, "c", ())
    changed = city_revision(tenant_id) if owned_by_city and tenant_id else EVERY_PAGE
    state.session.info.setdefault(CHANGED, set()).add(changed)


@event.listens_for(Session, "after_commit")
def _new_revisions(session: Session) -> None:
    changed = session.info.pop(CHANGED, None)
    if not changed or not has_app_context():
        return
    changed.add(PAGES_OF_NO_CITY)
    try:
        cache.set_many({name: uuid4().hex for name in changed}, timeout=0)
    except RedisError as error:
        log.warning("cache unreachable, pages kept until they expire: %s", error)


@event.listens_for(Session, "after_rollback")
def _nothing_changed(session: Session) -> None:
    session.info.pop(CHANGED, None)


def _revisions_changed_by(record, new: bool) -> tuple[str, ...]:
    table = getattr(record, "__table__", None)
    if table is None or table.name in UNSEEN_TABLES:
        return ()
    if not new and not _shown_columns_changed(record, UNSEEN_COLUMNS.get(table.name, ())):
        return ()
    tenant_id = getattr(record, "tenant_id", None) if "tenant_id" in table.c else None
    return (city_revision(tenant_id) if tenant_id else EVERY_PAGE,)


def _shown_columns_changed(record, unseen: frozenset[str]) -> bool:
    state = inspect(record)
    if state.deleted or state.was_deleted or not unseen:
        return True
    return any(
        attribute.history.has_changes() for attribute in state.attrs if attribute.key not in unseen
    )
