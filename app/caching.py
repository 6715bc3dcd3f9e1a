"""Figures kept in the cache (Redis, or in-process without it) are a saving, never a need:
when the cache does not answer, they are computed as if nothing had been kept."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TypeVar

from redis.exceptions import RedisError

from app.extensions import cache

log = logging.getLogger(__name__)
T = TypeVar("T")


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
