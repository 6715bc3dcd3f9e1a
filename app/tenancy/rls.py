"""PostgreSQL row-level security: the second wall.

Each transaction carries the current tenant in `app.tenant_id` (SET LOCAL semantics via
set_config(..., true)); policies on every tenant-owned table compare rows against it.
The application connects as a role that does not own the tables, so the policies apply
to it even when a query bypasses the ORM.

Each transaction also carries the current actor, the person the request or job acts for, in
`app.user_id`: "personal walls" (PERSONAL_WALLS) let a person read their own rows of the
per-tenant links that follow them across cities (their memberships, their organisations'
registrations, their jobs and API tokens), while writes stay inside the current tenant; a
person's notifications, their choices and digests are theirs alone. A job of no city and no
person is the system's, read only while `app.system` is on (context.as_system).

A regional read (cross_tenant.reading_region) runs as REGIONAL_READER for its length: a
role that may SELECT only the columns of REGIONAL_COLUMNS, of the region's cities, and
write nothing. So the database, not Python, keeps a city's notes, contacts, audit entries
and event registrations away from the region's coordinator.

A person's read of their own cities at once (cross_tenant.reading_own_cities, an NGO's home)
runs as the application's role with `app.visited_tenant_ids`: OWN_CITIES_TABLES then show it
the rows of those cities where the actor acts for an organisation, for reading only.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from app.tenancy.context import acting_as_system, current_actor_id, current_scope

# Each setting is read in a subquery, so PostgreSQL evaluates it once per query (an InitPlan)
# instead of parsing the setting again for every row, and looks the readable tenants up in
# a hash rather than comparing each row with every id: on the 10,000 rows of a region's 300
# cities that is 3 ms instead of 164 ms.
_CURRENT_TENANT = "(SELECT NULLIF(current_setting('app.tenant_id', true), '')::integer)"
CURRENT_ACTOR = "(SELECT NULLIF(current_setting('app.user_id', true), '')::integer)"
# On only while the system acts (context.as_system): the worker or the sweeper with a job of
# no city and no person, enqueue() writing one. Never for a request of its own.
_SYSTEM = "(SELECT current_setting('app.system', true) = 'on')"
READABLE_TENANTS = (
    "(SELECT unnest(string_to_array("
    "NULLIF(current_setting('app.readable_tenant_ids', true), ''), ',')::integer[]))"
)


VISITED_TENANTS = (
    "(SELECT unnest(string_to_array("
    "NULLIF(current_setting('app.visited_tenant_ids', true), ''), ',')::integer[]))"
)


REGIONAL_READER = "razem_regional_reader"

# What the regional pages read of the cities (app/regions: the adoption matrix and its
# progress, a city's row with its history, the reviews and evidence of adoption, the
# benchmark's figures, the project's meetings and how active each city is), column by
# column. Nothing else of a city is readable in a regional read.
REGIONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "adoptions": (
        "id",
        "tenant_id",
        "standard_id",
        "status",
        "evidence",
        "evidence_file_key",
        "evidence_file_name",
        "decided_on",
        "review_status",
        "review_comment",
        "updated_at",
        # the coordinator's review states the version of the declaration they read
        "lock_version",
    ),
    # the history of a city's row, with who changed it and the coordinator's comments
    "adoption_changes": (
        "id",
        "tenant_id",
        "adoption_id",
        "status",
        "review_status",
        "comment",
        "user_id",
        "created_at",
    ),
    # counted, never read: when each city last changed something
    "audit_log": ("tenant_id", "created_at"),
    "programmes": (
        "id",
        "tenant_id",
        "year_from",
        "year_to",
        "resolution_date",
        "report_published_on",
        "budget",
        "deleted_at",
    ),
    # when the report on each year of a multi-year programme was published
    "programme_year_reports": ("tenant_id", "programme_id", "year", "published_on", "deleted_at"),
    "programme_proposals": ("tenant_id", "programme_id", "answer"),
    "programme_comments": ("tenant_id", "programme_id", "answer"),
    "meetings": (
        "id",
        "tenant_id",
        "title",
        "held_on",
        "status",
        "deleted_at",
        "people_count",
        "officials_count",
        "thematic_block_id",
    ),
    # the project's report counts participants by sector, never reads who they are
    "meeting_attendees": ("id", "tenant_id", "meeting_id", "official", "organisation_id"),
    # counted: how many organisations are active in each city, since when and until when
    "registrations": ("tenant_id", "status", "decided_at", "created_at", "archived_at"),
}
# Global tables the regional pages read while the regional role is in force.
REGIONAL_GLOBAL_TABLES = (
    "regions",
    "tenants",
    "standards_projects",
    "standardisation_groups",
    "thematic_blocks",
    "standards",
)


# What an NGO person's home (app/core/home.py) reads of each of their cities, in one query a
# kind of record for all of them (cross_tenant.reading_own_cities): while
# `app.visited_tenant_ids` lists cities, these tables show the application's role, for
# reading only, the rows of those of them where the actor acts for an organisation
# (razem_actor_ngo_tenant_ids, a SECURITY DEFINER function, says where), which is what the
# person would read visiting each city in turn. With the setting empty (every other
# statement) the policy lets nothing through.
OWN_CITIES_TABLES = (
    "programmes",
    "programme_early_closings",
    "programme_proposals",
    "meetings",
    "event_registrations",
)
OWN_CITIES_POLICY = "own_cities_read"


def own_cities_read_statements(function: str) -> list[str]:
    """DDL of the own-cities wall on OWN_CITIES_TABLES (migration 0048)."""
    return [
        statement
        for table in OWN_CITIES_TABLES
        for statement in (
            f"DROP POLICY IF EXISTS {OWN_CITIES_POLICY} ON {table}",
            f"CREATE POLICY {OWN_CITIES_POLICY} ON {table} FOR SELECT "
            f"USING (tenant_id IN {VISITED_TENANTS} AND tenant_id IN (SELECT {function}()))",
        )
    ]


def remove_own_cities_read_statements() -> list[str]:
    return [f"DROP POLICY IF EXISTS {OWN_CITIES_POLICY} ON {table}" for table in OWN_CITIES_TABLES]


def enable_statements(table: str) -> list[str]:
    """DDL that puts a tenant-owned table behind the wall (used by migrations)."""
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY tenant_isolation ON {table} "
        f"USING (tenant_id = {_CURRENT_TENANT}) WITH CHECK (tenant_id = {_CURRENT_TENANT})",
    ]


@dataclass(frozen=True)
class PersonalWall:
    """The policies of a table a person reads across cities: `write` holds for every row
    read, inserted, changed or deleted (USING and WITH CHECK); `personal_read` lets the
    person read their own rows besides (FOR SELECT, so never write them elsewhere)."""

    write: str
    personal_read: str | None = None
    policy: str = "tenant_isolation"


_OWN_TENANT = f"tenant_id = {_CURRENT_TENANT}"
PERSONAL_WALLS: dict[str, PersonalWall] = {
    # A person's roles in every city (the login's city switcher, each role check) are theirs
    # to read; granting, changing and removing a role is the city's, done in the city.
    "memberships": PersonalWall(write=_OWN_TENANT, personal_read=f"user_id = {CURRENT_ACTOR}"),
    # The registrations of the organisations a person acts for, in every city: "Moje
    # organizacje", their NGO role, the cities' invitations they answer. The city's
    # register is the city's to write. The organisations are read by a SECURITY DEFINER
    # function (migration 0029), so that the policy holds for the regional reader too, who
    # may read nothing of organisation_members.
    "registrations": PersonalWall(
        write=_OWN_TENANT,
        personal_read="organisation_id IN (SELECT razem_actor_organisation_ids())",
    ),
    # A job is its city's; started outside any city, its person's (a region's export), or,
    # with nobody acting (a mail to someone not signed in), the system's: read and written
    # only in the system's scope, which the worker takes for such a job and enqueue() for
    # the one insert — never an anonymous request's. The worker takes the job's city and
    # person before it reads the job. The person watches their jobs from wherever they are.
    "jobs": PersonalWall(
        write=f"{_OWN_TENANT} OR (tenant_id IS NULL AND (user_id = {CURRENT_ACTOR} OR "
        f"(user_id IS NULL AND {_SYSTEM} IS TRUE)))",
        personal_read=f"user_id = {CURRENT_ACTOR}",
        policy="job_isolation",
    ),
    # A token belongs to its person and to no city: only they list, issue and revoke
    # theirs. Authentication finds a token by its hash before anyone is known, through a
    # SECURITY DEFINER function (app/tenancy/before_scope.py).
    "api_tokens": PersonalWall(write=f"user_id = {CURRENT_ACTOR}", policy="personal_isolation"),
    # A person's notifications, choices and digests are theirs alone, whatever city they
    # are about. Telling many people writes each one's as theirs (notifications.notify acts
    # as each in turn), and what must be known of others first — told already? how do they
    # want it? who waits for a digest? — is read through SECURITY DEFINER functions.
    "notifications": PersonalWall(write=f"user_id = {CURRENT_ACTOR}", policy="personal_isolation"),
    "notification_preferences": PersonalWall(
        write=f"user_id = {CURRENT_ACTOR}", policy="personal_isolation"
    ),
    "notification_digests": PersonalWall(
        write=f"user_id = {CURRENT_ACTOR}", policy="personal_isolation"
    ),
    # A mail's delivery is its job's: seen wherever the job is (the subquery is itself
    # behind the jobs' wall), so the worker running the job records it.
    "mail_deliveries": PersonalWall(
        write="EXISTS (SELECT 1 FROM jobs WHERE jobs.id = mail_deliveries.job_id)",
        policy="job_deliveries",
    ),
}


def personal_wall_statements(table: str) -> list[str]:
    """DDL that puts a per-tenant link behind its PERSONAL_WALLS policies (migrations)."""
    wall = PERSONAL_WALLS[table]
    statements = [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY",
        f"CREATE POLICY {wall.policy} ON {table} USING ({wall.write}) WITH CHECK ({wall.write})",
    ]
    if wall.personal_read:
        statements.append(
            f"CREATE POLICY personal_read ON {table} FOR SELECT USING ({wall.personal_read})"
        )
    return statements


def remove_personal_wall_statements(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS personal_read ON {table}",
        f"DROP POLICY IF EXISTS {PERSONAL_WALLS[table].policy} ON {table}",
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]


def regional_read_statements(
    tables: Collection[str] | None = None, existing: Mapping[str, Collection[str]] | None = None
) -> list[str]:
    """DDL that lets the regional reader see the region's rows of REGIONAL_COLUMNS only; of
    `tables` only, when given, and of their `existing` columns only, when given (a
    migration's: those that exist at its point; the revisions adding the others grant them)."""
    statements = [f"GRANT SELECT ON {', '.join(REGIONAL_GLOBAL_TABLES)} TO {REGIONAL_READER}"]
    for table, columns in REGIONAL_COLUMNS.items():
        if tables is not None and table not in tables:
            continue
        if existing is not None:
            columns = tuple(column for column in columns if column in existing.get(table, ()))
        statements += [
            f"GRANT SELECT ({', '.join(columns)}) ON {table} TO {REGIONAL_READER}",
            f"DROP POLICY IF EXISTS regional_read ON {table}",
            f"CREATE POLICY regional_read ON {table} FOR SELECT TO {REGIONAL_READER} "
            f"USING (tenant_id IN {READABLE_TENANTS})",
        ]
    return statements


def disable_statements(table: str) -> list[str]:
    return [
        f"DROP POLICY IF EXISTS regional_read ON {table}",
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY",
        f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY",
    ]


_SETTINGS = (
    "SELECT set_config('app.tenant_id', %s, true), set_config('app.user_id', %s, true), "
    "set_config('app.readable_tenant_ids', %s, true), set_config('role', %s, true), "
    "set_config('app.system', %s, true), set_config('app.visited_tenant_ids', %s, true)"
)
# What a transaction starts with: every setting above is transaction-local (is_local true,
# and nothing in Razem sets one for a whole session), so PostgreSQL empties them all when
# a transaction ends, and the role is the connection's own again.
_EMPTY = ("", "", "", "none", "", "")
# connection.info: (the transaction, the settings it has) of the session's transaction
_APPLIED = "razem_applied_scope"
_ROLE = 3  # the place of the role among the settings
# The execution option of a statement whose result no setting changes, given that the role
# it runs as may run it: a SECURITY DEFINER function that reads none (before_scope.py).
READS_NO_SETTING = "razem_reads_no_setting"


def _wanted_settings() -> tuple[str, ...]:
    scope = current_scope()
    actor = current_actor_id()
    listed = ",".join(str(i) for i in scope.readable_tenant_ids)
    readable, visited = ("", listed) if scope.own_cities else (listed, "")
    return (
        "" if scope.tenant_id is None else str(scope.tenant_id),
        "" if actor is None else str(actor),
        readable,
        REGIONAL_READER if readable else "none",  # none: back to the application's role
        "on" if acting_as_system() else "",
        visited,
    )


def apply_scope(connection: Connection) -> None:
    if connection.dialect.name != "postgresql":
        return
    settings = _wanted_settings()
    connection.exec_driver_sql(_SETTINGS, settings)


@event.listens_for(Session, "after_begin")
def _scope_new_transaction(session, transaction, connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.info[_APPLIED] = (connection.get_transaction(), _EMPTY)


@event.listens_for(Engine, "before_cursor_execute")
def _scope_each_statement(connection, cursor, statement, parameters, context, executemany):
    """Before a statement of a session's transaction, the scope it runs in, if it changed:
    resolving the city, then the person, costs one statement, not one each (and none for a
    read before either is known, which the empty settings already fence)."""
    applied = connection.info.get(_APPLIED)
    if applied is None or applied[0] is not connection.get_transaction():
        return  # not a session's transaction: whoever opened it scopes it (apply_scope)
    settings = _wanted_settings()
    if settings == applied[1]:
        return
    if context.execution_options.get(READS_NO_SETTING) and settings[_ROLE] == applied[1][_ROLE]:
        # A statement that reads no setting, asked by the role wanted, runs the same under
        # the settings it finds: they wait for the next statement, which may change them
        # again (a bearer token's owner is found in the city before the person is known).
        return
    connection.info[_APPLIED] = (applied[0], settings)  # first, as it runs a statement too
    connection.exec_driver_sql(_SETTINGS, settings)


def policy_statements(table: str) -> list[str]:
    """DDL that replaces the table's policies with the current ones (used by migrations)."""
    return [
        f"DROP POLICY IF EXISTS regional_read ON {table}",
        f"DROP POLICY IF EXISTS tenant_isolation ON {table}",
        *enable_statements(table)[2:],
    ]


def protect(op, *tables: str) -> None:
    """In a migration: put these tenant-owned tables behind the wall (PostgreSQL only)."""
    if op.get_bind().dialect.name == "postgresql":
        for table in tables:
            for statement in enable_statements(table):
                op.execute(statement)


def unprotect(op, *tables: str) -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in tables:
            for statement in disable_statements(table):
                op.execute(statement)
