"""The few reads made before the database knows the person or the city they are for.

Row-level security (rls.py) shows the application's role a city's rows only in that city
and a person's own rows only once the person is known. A few steps come before either: a
bearer token is found by its hash to learn whose it is; the worker learns a job's city and
person before it takes them, and the sweeper which jobs of any city are unfinished; an
organisation's page asks where it is registered, for anyone; the operator's page counts
each city's members; one person's step that tells many others asks which of them were told
already and how each wants it, and the daily digest who has notifications waiting. Each
step reads through its own SECURITY DEFINER function (created by migrations 0029 and 0030,
owned by the tables' owner, who bypasses row-level security: deploy/postgres/init.sql),
with a fixed search_path, returning only what that step needs — and this module is the one
place that calls them.

A function's body below is what the migration created: changing it needs a migration that
creates the function again. SQLite (the embedded default) has no row-level security, so
there the same body runs as a plain query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, text

from app.extensions import db


@dataclass(frozen=True)
class DefinerRead:
    name: str
    parameters: tuple[tuple[str, str], ...]  # (name, SQL type)
    returns: str
    body: str  # SQL naming the parameters as :name
    volatility: str = "STABLE"  # VOLATILE for the one step that writes

    def create_statements(self) -> list[str]:
        """DDL of the function, executable by no one but the owner until granted (env.py
        grants the application's role every function)."""
        signature = ", ".join(f"{name} {kind}" for name, kind in self.parameters)
        body = re.sub(r"(?<!:):(\w+)", r"\1", self.body)
        return [
            f"CREATE OR REPLACE FUNCTION {self.name}({signature}) RETURNS {self.returns} "
            f"LANGUAGE sql {self.volatility} SECURITY DEFINER SET search_path = public, pg_temp "
            f"AS $$ {body} $$",
            f"REVOKE ALL ON FUNCTION {self.name}({self.types()}) FROM PUBLIC",
        ]

    def drop_statement(self) -> str:
        return f"DROP FUNCTION IF EXISTS {self.name}({self.types()})"

    def types(self) -> str:
        return ", ".join(kind for _, kind in self.parameters)

    def call(self, **arguments):
        if db.session.get_bind().dialect.name != "postgresql":
            return db.session.execute(_portable(self.body, arguments), arguments)
        placeholders = ", ".join(f":{name}" for name, _ in self.parameters)
        return db.session.execute(text(f"SELECT * FROM {self.name}({placeholders})"), arguments)


def _portable(body: str, arguments: dict):
    """The body for a database without arrays: `= ANY(:list)` as `IN :list`, expanded."""
    lists = [name for name, value in arguments.items() if isinstance(value, list | tuple)]
    for name in lists:
        body = body.replace(f"= ANY(:{name})", f"IN :{name}")
    return text(body).bindparams(*(bindparam(name, expanding=True) for name in lists))


# Whose token this is, if it is not revoked; the token itself is then read as its person's.
API_TOKEN_OWNER = DefinerRead(
    "razem_api_token_owner",
    (("wanted_hash", "text"),),
    "integer",
    "SELECT user_id FROM api_tokens WHERE token_hash = :wanted_hash AND revoked_at IS NULL",
)
# The city and the person a job runs for; the job itself is then read in their scope.
JOB_SCOPE = DefinerRead(
    "razem_job_scope",
    (("wanted_job", "text"),),
    "TABLE (tenant_id integer, user_id integer)",
    "SELECT tenant_id, user_id FROM jobs WHERE id = :wanted_job",
)
# The jobs of every city and person not finished, queued longer ago than a cutoff: the
# sweeper (app/jobs/reconcile.py) then takes up each in its own city and person's scope.
UNFINISHED_JOBS = DefinerRead(
    "razem_unfinished_jobs",
    (("created_before", "timestamptz"),),
    "TABLE (id varchar, tenant_id integer, user_id integer, created_at timestamptz)",
    "SELECT id, tenant_id, user_id, created_at FROM jobs "
    "WHERE status IN ('queued', 'running', 'retrying') AND created_at <= :created_before "
    "ORDER BY created_at",
)
# Where an organisation is registered and how: whether its profile is public (active
# somewhere), which cities may confirm a claim to act for it. No city's contacts or notes.
ORGANISATION_REGISTRATIONS = DefinerRead(
    "razem_organisation_registrations",
    (("wanted_organisation", "integer"),),
    "TABLE (tenant_id integer, status text)",
    "SELECT tenant_id, CAST(status AS text) FROM registrations "
    "WHERE organisation_id = :wanted_organisation",
)
# How many people work in each city, for the operator's list of cities.
MEMBER_COUNTS = DefinerRead(
    "razem_member_counts",
    (),
    "TABLE (tenant_id integer, members bigint)",
    "SELECT tenant_id, count(*) FROM memberships GROUP BY tenant_id",
)
# The platform operator's national comparison: per thematic block, the cities' accepted
# adoptions and "not applicable" rows, summed over the block's region, never a city's row
# (a row awaiting review or sent back counts as neither, as in the region's matrix).
ADOPTION_BY_BLOCK = DefinerRead(
    "razem_adoption_by_block",
    (),
    "TABLE (block_id integer, adopted bigint, not_applicable bigint)",
    "SELECT s.block_id, "
    "SUM(CASE WHEN a.status = 'adopted' THEN 1 ELSE 0 END), "
    "SUM(CASE WHEN a.status = 'not_applicable' THEN 1 ELSE 0 END) "
    "FROM adoptions a JOIN standards s ON s.id = a.standard_id "
    "JOIN thematic_blocks b ON b.id = s.block_id "
    "JOIN standards_projects p ON p.id = b.project_id "
    "JOIN tenants t ON t.id = a.tenant_id "
    "WHERE t.region_id = p.region_id AND COALESCE(a.review_status, 'accepted') = 'accepted' "
    "GROUP BY s.block_id",
)
# The organisations the current actor acts for: the registrations' personal wall asks it
# (rls.PERSONAL_WALLS), as the application's role and as the regional reader alike.
ACTOR_ORGANISATIONS = DefinerRead(
    "razem_actor_organisation_ids",
    (),
    "SETOF integer",
    "SELECT organisation_id FROM organisation_members "
    "WHERE user_id = NULLIF(current_setting('app.user_id', true), '')::integer",
)
# The cities where the current actor acts for an organisation (one of its registrations is
# active: the NGO role, organisations.ngo_tenant_ids): the own-cities wall asks it
# (rls.OWN_CITIES_TABLES), so that an NGO's home reads no other city's rows.
ACTOR_NGO_TENANTS = DefinerRead(
    "razem_actor_ngo_tenant_ids",
    (),
    "SETOF integer",
    "SELECT DISTINCT r.tenant_id FROM registrations r "
    "JOIN organisation_members m ON m.organisation_id = r.organisation_id "
    "WHERE m.user_id = NULLIF(current_setting('app.user_id', true), '')::integer "
    "AND r.status = 'active'",
)
# Which of these people were told of an event already, when one person's step tells many.
ALREADY_NOTIFIED = DefinerRead(
    "razem_already_notified",
    (("wanted_key", "text"), ("people", "integer[]")),
    "SETOF integer",
    "SELECT user_id FROM notifications WHERE key = :wanted_key AND user_id = ANY(:people)",
)
# How each of these people chose to get a kind of notification (no row: its default).
CHOSEN_DELIVERIES = DefinerRead(
    "razem_chosen_deliveries",
    (("wanted_kind", "text"), ("people", "integer[]")),
    "TABLE (user_id integer, delivery text)",
    "SELECT user_id, CAST(delivery AS text) FROM notification_preferences "
    "WHERE kind = :wanted_kind AND user_id = ANY(:people)",
)
# Who has notifications waiting for the daily digest; each one's are then read as theirs.
DIGEST_WAITING = DefinerRead(
    "razem_digest_waiting",
    (),
    "SETOF integer",
    "SELECT DISTINCT user_id FROM notifications "
    "WHERE delivery = 'daily' AND mailed_at IS NULL ORDER BY user_id",
)
# The one write to the append-only audit log: erasing an account (app/accounts/erasure.py)
# replaces the person's name and address in the current city's entries, matched by a
# case-insensitive regular expression, with the text that stands for a deleted person.
FORGET_IN_AUDIT_LOG = DefinerRead(
    "razem_forget_in_audit_log",
    (("pattern", "text"), ("replacement", "text")),
    "integer",
    "WITH forgotten AS (UPDATE audit_log "
    "SET changes = CAST(regexp_replace(CAST(changes AS text), :pattern, :replacement, 'gi') "
    "AS json) "
    "WHERE tenant_id = NULLIF(current_setting('app.tenant_id', true), '')::integer "
    "AND CAST(changes AS text) ~* :pattern RETURNING 1) "
    "SELECT CAST(count(*) AS integer) FROM forgotten",
    volatility="VOLATILE",
)
# The functions migration 0029 created; 0030 created the rest but the last three, of 0036,
# 0039 and 0045.
PERSONAL_WALL_READS = (
    API_TOKEN_OWNER,
    JOB_SCOPE,
    UNFINISHED_JOBS,
    ORGANISATION_REGISTRATIONS,
    MEMBER_COUNTS,
    ACTOR_ORGANISATIONS,
)
NOTIFICATION_READS = (ALREADY_NOTIFIED, CHOSEN_DELIVERIES, DIGEST_WAITING)
DEFINER_READS = (
    PERSONAL_WALL_READS
    + NOTIFICATION_READS
    + (FORGET_IN_AUDIT_LOG, ADOPTION_BY_BLOCK, ACTOR_NGO_TENANTS)
)


def api_token_owner(token_hash: str) -> int | None:
    return API_TOKEN_OWNER.call(wanted_hash=token_hash).scalar()


def job_scope(job_id: str) -> tuple[int | None, int | None] | None:
    """(tenant id, user id) of the job, or None when there is no such job."""
    row = JOB_SCOPE.call(wanted_job=job_id).first()
    return None if row is None else (row.tenant_id, row.user_id)


def unfinished_jobs(created_before: datetime) -> list[tuple[str, int | None, int | None]]:
    """(id, tenant id, user id) of every unfinished job created by then, oldest first."""
    rows = UNFINISHED_JOBS.call(created_before=created_before)
    return [(row.id, row.tenant_id, row.user_id) for row in rows]


def organisation_registrations(organisation_id: int) -> dict[int, str]:
    """{tenant id: status} of the organisation's registrations."""
    rows = ORGANISATION_REGISTRATIONS.call(wanted_organisation=organisation_id)
    return {tenant_id: status for tenant_id, status in rows}


def member_counts() -> dict[int, int]:
    return {tenant_id: members for tenant_id, members in MEMBER_COUNTS.call()}


def adoption_by_block() -> dict[int, tuple[int, int]]:
    """{thematic block id: (accepted adoptions, accepted "not applicable")} of every region."""
    rows = ADOPTION_BY_BLOCK.call()
    return {
        block_id: (int(adopted), int(not_applicable)) for block_id, adopted, not_applicable in rows
    }


def already_notified(key: str, user_ids: list[int]) -> set[int]:
    return set(ALREADY_NOTIFIED.call(wanted_key=key, people=user_ids).scalars())


def chosen_deliveries(kind: str, user_ids: list[int]) -> dict[int, str]:
    """{user id: delivery} of those of these people who chose one for the kind."""
    return dict(CHOSEN_DELIVERIES.call(wanted_kind=kind, people=user_ids).all())


def digest_waiting() -> list[int]:
    """The ids of the people with notifications waiting for the daily digest."""
    return list(DIGEST_WAITING.call().scalars())
