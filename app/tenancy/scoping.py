"""Automatic tenant scoping: the first wall.

Every ORM select, update and delete is filtered to the current tenant, and every new row
takes it, so no view has to remember a filter. PostgreSQL row-level security (rls.py) is
the second wall for whatever bypasses the ORM.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import ARRAY, ForeignKey, Integer, Select, any_, event, inspect, type_coerce
from sqlalchemy.orm import (
    Mapped,
    ORMExecuteState,
    Session,
    declared_attr,
    mapped_column,
    with_loader_criteria,
)

from app.tenancy.context import current_scope

# An id no tenant has: with no tenant in scope, scoped queries match nothing.
_NO_TENANT_ID = 0
# On a statement free_of_city_rows found free of them: the filter leaves it as it is.
_READS_NO_CITY_ROWS = "razem_reads_no_city_rows"


class CrossTenantWriteError(RuntimeError):
    """A row was about to be written for a tenant other than the current one."""


class TenantScoped:
    """Mixin for every table whose rows belong to one tenant."""

    @declared_attr
    def tenant_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("tenants.id", ondelete="RESTRICT"), index=True)


def tenant_scoped_tables() -> list[str]:
    from app.extensions import Model

    return sorted(
        mapper.persist_selectable.name  # type: ignore[attr-defined]
        for mapper in Model.registry.mappers
        if issubclass(mapper.class_, TenantScoped)
    )


def free_of_city_rows(statement: Select) -> Select:
    """The statement, marked to run without the tenant filter if the filter changes neither
    its SQL nor what may load later from its rows (no relationship of its entities leads to
    a city's table). For a statement built once a process and run on every request (the
    signed-in person's), adding the filter cost more than running it: SQLAlchemy keys a
    statement for its cache again whenever an option is added."""
    entities = {d["entity"] for d in statement.column_descriptions if d.get("entity")}
    filtered = statement.options(_criteria(lambda cls: cls.tenant_id == _NO_TENANT_ID))
    if any(map(_leads_to_city_rows, entities)) or str(filtered) != str(statement):
        return statement
    return statement.execution_options(**{_READS_NO_CITY_ROWS: True})


def reads_no_city_rows(statement: Select) -> bool:
    return bool(statement.get_execution_options().get(_READS_NO_CITY_ROWS))


def _leads_to_city_rows(entity: type, seen: set | None = None) -> bool:
    seen = set() if seen is None else seen
    if issubclass(entity, TenantScoped):
        return True
    seen.add(entity)
    targets = {r.mapper.class_ for r in inspect(entity).relationships} - seen
    return any(_leads_to_city_rows(target, seen) for target in targets)


def _criteria(criterion):
    return with_loader_criteria(TenantScoped, criterion, include_aliases=True)


@event.listens_for(Session, "do_orm_execute")
def _filter_to_current_tenant(state: ORMExecuteState) -> None:
    if state.is_column_load or state.is_relationship_load:
        return  # the criteria added to the parent statement propagate to these loads
    if state.execution_options.get(_READS_NO_CITY_ROWS):
        return
    if not (state.is_select or state.is_update or state.is_delete):
        return
    if state.is_select:
        readable = current_scope().readable_ids() or (_NO_TENANT_ID,)
        postgresql = state.session.get_bind().dialect.name == "postgresql"
        criteria = _reading_criteria(readable, postgresql)
    else:
        criteria = _writing_criteria(current_scope().tenant_id or _NO_TENANT_ID)
    state.statement = state.statement.options(criteria)


# The options made once for each scope, not at every statement: making one (its lambda
# analysed) was most of the filter's cost (5.5 -> 1.4 % of an NGO home's time).
@lru_cache(maxsize=1024)
def _reading_criteria(readable: tuple[int, ...], postgresql: bool):
    return _criteria(_readable_criterion(readable, postgresql))


@lru_cache(maxsize=1024)
def _writing_criteria(writable: int):
    return _criteria(lambda cls: cls.tenant_id == writable)


def _readable_criterion(readable: tuple[int, ...], postgresql: bool):
    if len(readable) == 1:
        only = readable[0]
        return lambda cls: cls.tenant_id == only
    if postgresql:
        as_array = _as_array(readable)
        return lambda cls: cls.tenant_id == any_(as_array)
    return lambda cls: cls.tenant_id.in_(readable)


def among_tenants(column, tenant_ids: tuple[int, ...], postgresql: bool):
    """`column IN tenant_ids`, for a table outside the scoping (the NGO base's registers)."""
    return column == any_(_as_array(tenant_ids)) if postgresql else column.in_(tenant_ids)


def _as_array(tenant_ids: tuple[int, ...]):
    """A region's 300 cities go to PostgreSQL as one array parameter: 300 placeholders
    cost more to send than the query costs to run."""
    return type_coerce(list(tenant_ids), ARRAY(Integer))


@event.listens_for(Session, "before_flush")
def _stamp_and_guard_tenant(session: Session, flush_context, instances) -> None:
    tenant_id = current_scope().tenant_id
    for obj in session.new:
        if not isinstance(obj, TenantScoped):
            continue
        if obj.tenant_id is None:
            obj.tenant_id = tenant_id
        if obj.tenant_id is None or obj.tenant_id != tenant_id:
            raise CrossTenantWriteError(f"{obj!r} does not belong to the current tenant")
    for obj in list(session.dirty) + list(session.deleted):
        if not isinstance(obj, TenantScoped):
            continue
        changed = inspect(obj).attrs.tenant_id.history.has_changes()
        if changed or obj.tenant_id != tenant_id:
            raise CrossTenantWriteError(f"{obj!r} cannot be changed from this tenant")
