"""Figures kept in the cache (Redis, or in-process without it) are a saving, never a need:
when the cache does not answer, they are computed as if nothing had been kept."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from typing import TypeVar

from flask_babel import get_locale, get_timezone
from redis.exceptions import RedisError

from app.core.page_cache import shared_revision
from app.extensions import cache

log = logging.getLogger(__name__)
T = TypeVar("T")
# Seconds a fragment is kept at most: one of a replaced revision is never asked for again,
# and Redis evicts nothing (deploy/compose.yaml), so it must not linger for long.
FRAGMENT_MAX_AGE = 3600


def remembered(key: str, compute: Callable[[], T], timeout: int) -> T:
    """What `compute()` gave last time under `key`, or its answer now (kept for `timeout`
    seconds when the cache takes it)."""
    try:
        found = cache.get(key)
    except RedisError as error:
        log.warning("cache unreachable, computing %s: %s", key, error)
        return compute()
    if found is not None:
        return found
    found = compute()
    try:
        cache.set(key, found, timeout=timeout)
    except RedisError as error:
        log.warning("cache unreachable, %s not kept: %s", key, error)
    return found


def kept_fragment(what: tuple, render: Callable[[], T], timeout: int = FRAGMENT_MAX_AGE) -> T:
    """What `render()` gives (HTML, with what the page around it needs to know) when it does
    not depend on who asks: rendered once for everyone allowed to see it, found again by
    `what` (everything it differs by, the revision of the data it shows among them), the
    language, the time zone and the revision of records no city owns. Where pages are not
    kept, nothing read by revision is either: it is rendered each time."""
    revision = shared_revision()
    if revision is None:
        return render()
    parts = "|".join(map(str, (*what, get_locale(), get_timezone(), revision)))
    key = "fragment:" + hashlib.blake2b(parts.encode(), digest_size=16).hexdigest()
    return remembered(key, render, timeout=timeout)
