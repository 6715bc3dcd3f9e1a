"""What migrations know beyond the models: shared by migrations/env.py and the drift test."""

from __future__ import annotations

# The application role may add to these and read them, never change or remove a row.
APPEND_ONLY_TABLES = ("audit_log", "cross_tenant_reads", "operator_log")

# Made by migrations with SQL the models cannot express (PostgreSQL full-text search).
UNMODELLED_COLUMNS = {("organisations", "search_vector")}
UNMODELLED_INDEXES = {"ix_organisations_search_vector"}


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    if type_ == "column" and (obj.table.name, name) in UNMODELLED_COLUMNS:
        return False
    return not (type_ == "index" and name in UNMODELLED_INDEXES)
