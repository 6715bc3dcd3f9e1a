"""Rows a process keeps between requests and puts back into a request's session as if the
session had just loaded them, without a query: the columns set as loaded, then the row
attached (a tenth of constructing it and merging a copy, as measured). Whoever keeps a row
decides when the copy no longer holds (tenancy/resolution.py, accounts/loading.py)."""

from __future__ import annotations

import copy
import threading
from typing import Any, Generic, TypeVar

from cachetools import LRUCache
from sqlalchemy import inspect
from sqlalchemy.orm import Mapper, make_transient_to_detached

from app.extensions import db

K = TypeVar("K")
V = TypeVar("V")


class Kept(Generic[K, V]):
    """What a process keeps between requests: the `size` most recently kept, safe for the
    threads of a process (the jobs' in the embedded default)."""

    def __init__(self, size: int) -> None:
        self._kept: LRUCache[K, V] = LRUCache(maxsize=size)
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            return self._kept.get(key)

    def __setitem__(self, key: K, value: V) -> None:
        with self._lock:
            self._kept[key] = value

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()


def columns_of(row: object) -> dict[str, Any]:
    """The row's loaded columns, to keep."""
    state = inspect(row)
    return {
        attribute.key: copy_of(state.dict[attribute.key])
        for attribute in state.mapper.column_attrs
        if attribute.key in state.dict
    }


def attached(mapper: Mapper, columns: dict[str, Any]) -> Any:
    """The row of these kept columns in the request's session: the one it holds already, if
    it does (as a query would give it), else one made of a copy of them."""
    key = mapper.identity_key_from_primary_key(
        tuple(columns[mapper.get_property_by_column(column).key] for column in mapper.primary_key)
    )
    row = db.session.identity_map.get(key)
    if row is None:
        row = mapper.class_manager.new_instance()
        inspect(row).dict.update({name: copy_of(value) for name, value in columns.items()})
        make_transient_to_detached(row)
        db.session.add(row)
    return row


def copy_of(value: Any) -> Any:
    """A column's value for one request: its own JSON, which a page may change in place."""
    return copy.deepcopy(value) if isinstance(value, dict | list) else value
