"""The few reads made before the database knows the person or the city they are for.

Row-level security (rls.py) shows the application's role a city's rows only in that city
and a person's own rows only once the person is known. A few steps come before either: a
bearer token is found by its hash to learn whose it is; the worker learns a job's city and
person before it takes them, and the sweeper which jobs of any city are unfinished; an
organisation's page asks where it is registered, for anyone; the operator's page counts
each city's members and compares the regions by aggregates alone; one person's step that
tells many others asks which of them were told already and how each wants it, and the daily
digest who has notifications waiting. Each step reads through its own SECURITY DEFINER
function (created by migrations 0029, 0030 and later ones, owned by the tables' owner, who
bypasses row-level security: deploy/postgres/init.sql), with a fixed search_path, returning
only what that step needs — and this module is the one place that calls them.

A function's body below is what the migration created: changing it needs a migration that
creates the function again. SQLite (the embedded default) has no row-level security, so
there the same body runs as a plain query.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, event, text
from sqlalchemy.engine import Engine

from app.extensions import db
from app.tenancy.rls import READS_NO_SETTING


@dataclass(frozen=True)
class DefinerRead:
    name: str
    parameters: tuple[tuple[str, str], ...]  # (name, SQL type)
    returns: str
    body: str  # SQL naming the parameters as :name
    volatility: str = "STABLE"  # VOLATILE for the one step that writes
    # PL/pgSQL keeps the body's plan for the connection; PostgreSQL plans a SQL function's
    # body again at every call (0.5 ms each time a wall's policy asks one). SQL for the one
    # that writes: PL/pgSQL cannot return what a WITH that updates counted.
    language: str = "plpgsql"

    def create_statements(self) -> list[str]:
        """DDL of the function, executable by no one but the owner until granted (env.py
        grants the application's role every function)."""
        signature = ", ".join(f"{name} {kind}" for name, kind in self.parameters)
        return [
            f"CREATE OR REPLACE FUNCTION {self.name}({signature}) RETURNS {self.returns} "
            f"LANGUAGE {self.language} {self.volatility} SECURITY DEFINER "
            f"SET search_path = public, pg_temp AS $$ {self._source()} $$",
            f"REVOKE ALL ON FUNCTION {self.name}({self.types()}) FROM PUBLIC",
        ]

    def _source(self) -> str:
        body = re.sub(r"(?<!:):(\w+)", r"\1", self.body)
        if self.language == "sql":
            return body
        returned = (
            f"RETURN QUERY {body};"
            if self.returns.startswith(("SETOF", "TABLE"))
            else f"RETURN ({body});"
        )
        # The columns of a TABLE result are variables of the function: in the body, a name
        # they share with a table's column means the column, as in a SQL function.
        return f"#variable_conflict use_column\nBEGIN {returned} END"

    def drop_statement(self) -> str:
        return f"DROP FUNCTION IF EXISTS {self.name}({self.types()})"

    def types(self) -> str:
        return ", ".join(kind for _, kind in self.parameters)

    def call(self, **arguments):
        if db.session.get_bind().dialect.name != "postgresql":
            return db.session.execute(_portable(self.body, arguments), arguments)
        placeholders = ", ".join(f":{name}" for name, _ in self.parameters)
        return db.session.execute(
            text(f"SELECT * FROM {self.name}({placeholders})"),
            arguments,
            execution_options={READS_NO_SETTING: "current_setting(" not in self.body},
        )


@event.listens_for(Engine, "connect")
def _teach_sqlite_make_date(connection, record) -> None:
    """PostgreSQL's make_date, which a body may use, as SQLite stores a date: ISO text."""
    if isinstance(connection, sqlite3.Connection):
        connection.create_function(
            "make_date", 3, lambda *ymd: date(*ymd).isoformat(), deterministic=True
        )


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
# (a row awaiting review or sent back counts as neither, as in the region's matrix). The
# region's local governments only, as the comparison counts its cells: the marshal office
# (kind voivodeship) is shown apart everywhere and is not one of the compared (0047).
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
    "WHERE t.region_id = p.region_id AND t.kind <> 'voivodeship' "
    "AND COALESCE(a.review_status, 'accepted') = 'accepted' "
    "GROUP BY s.block_id",
)
# The operator's national comparison of the cooperation benchmark (app/regions/benchmark.py)
# in one year: each measure's median over each region's municipalities (the voivodeship's
# and the powiats' own offices are not among them) and its mean (for a yes/no measure, the
# share of "yes"), with the number of those that have data; never a municipality's figure.
# Each figure as the region's benchmark computes it: the programme in force in the year (the
# latest begun) and the one of the year before, whose report is due by 31 May; meetings held
# from 1 January to `held_until`; registrations made before `year_end` and not archived
# before it, for a municipality with one made by then. Portable: SQLite runs it too.
_CITIES = (
    "SELECT id, region_id, population FROM tenants WHERE kind NOT IN ('voivodeship', 'county')"
)


def _programme_in_force(year: str) -> str:
    return (
        "SELECT * FROM (SELECT id, tenant_id, year_from, year_to, resolution_date, "
        "report_published_on, budget, row_number() OVER (PARTITION BY tenant_id "
        "ORDER BY year_from DESC, id DESC) AS latest FROM programmes "
        f"WHERE deleted_at IS NULL AND year_from <= {year} AND year_to >= {year}) AS p "
        "WHERE latest = 1"
    )


def _answered(table: str) -> str:
    return (
        f"SELECT programme_id, count(*) AS total, count(answer) AS answered FROM {table} "
        "WHERE programme_id IN (SELECT id FROM current_programme) GROUP BY programme_id"
    )


def _figure(measure: str, value: str, joined: str, condition: str = "1 = 1") -> str:
    return (
        f"SELECT c.region_id, '{measure}' AS measure, CAST({value} AS double precision) AS value "
        f"FROM cities c {joined} WHERE {condition}"
    )


_SINCE = "COALESCE(decided_at, created_at)"
BENCHMARK_MEDIANS = DefinerRead(
    "razem_benchmark_medians",
    (
        ("wanted_year", "integer"),
        ("year_start", "date"),
        ("year_end", "date"),
        ("held_until", "date"),
        ("report_deadline", "date"),
        ("report_due", "boolean"),
    ),
    "TABLE (region_id integer, measure text, cities integer, median double precision, "
    "mean double precision)",
    f"WITH cities AS ({_CITIES}), "
    f"current_programme AS ({_programme_in_force(':wanted_year')}), "
    f"previous_programme AS ({_programme_in_force(':wanted_year - 1')}), "
    "reported AS (SELECT p.tenant_id, CASE WHEN y.programme_id IS NOT NULL THEN y.published_on "
    "WHEN p.year_to = :wanted_year - 1 THEN p.report_published_on END AS published_on "
    "FROM previous_programme p LEFT JOIN programme_year_reports y ON y.programme_id = p.id "
    "AND y.year = :wanted_year - 1 AND y.deleted_at IS NULL), "
    f"proposals AS ({_answered('programme_proposals')}), "
    f"comments AS ({_answered('programme_comments')}), "
    "held AS (SELECT tenant_id, count(*) AS total, "
    "SUM(CASE WHEN status = 'published' THEN 1 ELSE 0 END) AS published FROM meetings "
    "WHERE deleted_at IS NULL AND held_on >= :year_start AND held_on <= :held_until "
    "GROUP BY tenant_id), "
    "registered AS (SELECT tenant_id, SUM(CASE WHEN status = 'active' "
    f"OR COALESCE(archived_at, {_SINCE}) >= :year_end THEN 1 ELSE 0 END) AS active "
    f"FROM registrations WHERE status IN ('active', 'archived') AND {_SINCE} < :year_end "
    "GROUP BY tenant_id), "
    "figures AS ("
    + " UNION ALL ".join(
        (
            _figure(
                "programme_on_time",
                "CASE WHEN p.resolution_date <= make_date(p.year_from - 1, 11, 30) "
                "THEN 1 ELSE 0 END",
                "JOIN current_programme p ON p.tenant_id = c.id",
            ),
            _figure(
                "report_on_time",
                "CASE WHEN r.published_on <= :report_deadline THEN 1 ELSE 0 END",
                "JOIN reported r ON r.tenant_id = c.id",
                "r.published_on IS NOT NULL OR :report_due",
            ),
            _figure(
                "ngos_per_10k",
                "r.active * 10000.0 / c.population",
                "JOIN registered r ON r.tenant_id = c.id",
                "c.population > 0",
            ),
            _figure(
                "proposals",
                "COALESCE(a.total, 0)",
                "JOIN current_programme p ON p.tenant_id = c.id "
                "LEFT JOIN proposals a ON a.programme_id = p.id",
            ),
            _figure(
                "proposals_answered",
                "CAST(a.answered AS double precision) / a.total",
                "JOIN current_programme p ON p.tenant_id = c.id "
                "JOIN proposals a ON a.programme_id = p.id",
            ),
            _figure(
                "comments",
                "COALESCE(a.total, 0)",
                "JOIN current_programme p ON p.tenant_id = c.id "
                "LEFT JOIN comments a ON a.programme_id = p.id",
            ),
            _figure(
                "comments_answered",
                "CAST(a.answered AS double precision) / a.total",
                "JOIN current_programme p ON p.tenant_id = c.id "
                "JOIN comments a ON a.programme_id = p.id",
            ),
            _figure("meetings", "h.total", "JOIN held h ON h.tenant_id = c.id"),
            _figure(
                "minutes_published",
                "CAST(h.published AS double precision) / h.total",
                "JOIN held h ON h.tenant_id = c.id",
            ),
            _figure(
                "budget_per_resident",
                "p.budget / c.population",
                "JOIN current_programme p ON p.tenant_id = c.id",
                "p.budget IS NOT NULL AND c.population > 0",
            ),
        )
    )
    + "), "
    "ranked AS (SELECT region_id, measure, value, row_number() OVER (PARTITION BY region_id, "
    "measure ORDER BY value) AS position, count(*) OVER (PARTITION BY region_id, measure) "
    "AS cities FROM figures) "
    "SELECT region_id, measure, CAST(MAX(cities) AS integer), "
    "AVG(CASE WHEN position IN ((cities + 1) / 2, (cities + 2) / 2) THEN value END), "
    "AVG(value) FROM ranked GROUP BY region_id, measure",
)
# The years the national comparison of the benchmark offers: from the earliest programme,
# meeting or registration of any city, and the latest programme year begun by `this_year`.
BENCHMARK_YEARS = DefinerRead(
    "razem_benchmark_years",
    (("this_year", "integer"),),
    "TABLE (first_programme integer, latest_programme integer, first_meeting date, "
    "first_registration timestamptz)",
    "SELECT (SELECT min(year_from) FROM programmes WHERE deleted_at IS NULL), "
    "(SELECT max(year_from) FROM programmes WHERE deleted_at IS NULL "
    "AND year_from <= :this_year), "
    "(SELECT min(held_on) FROM meetings WHERE deleted_at IS NULL), "
    f"(SELECT min({_SINCE}) FROM registrations WHERE status IN ('active', 'archived'))",
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
    language="sql",
)
# The functions migration 0029 created; 0030 created the rest but the last ones, of 0036,
# 0039, 0046 and 0048 (0038 created ADOPTION_BY_BLOCK, 0047 its present body); 0053 made
# them all PL/pgSQL but the one that writes.
PERSONAL_WALL_READS = (
    API_TOKEN_OWNER,
    JOB_SCOPE,
    UNFINISHED_JOBS,
    ORGANISATION_REGISTRATIONS,
    MEMBER_COUNTS,
    ACTOR_ORGANISATIONS,
)
NOTIFICATION_READS = (ALREADY_NOTIFIED, CHOSEN_DELIVERIES, DIGEST_WAITING)
BENCHMARK_READS = (BENCHMARK_MEDIANS, BENCHMARK_YEARS)
DEFINER_READS = (
    PERSONAL_WALL_READS
    + NOTIFICATION_READS
    + (FORGET_IN_AUDIT_LOG, ADOPTION_BY_BLOCK, ACTOR_NGO_TENANTS)
    + BENCHMARK_READS
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


@dataclass(frozen=True)
class RegionMedian:
    """One measure of the benchmark over a region's municipalities that have data for it."""

    cities: int
    median: float
    mean: float


def benchmark_medians(year: int, today: date) -> dict[int, dict[str, RegionMedian]]:
    """{region id: {measure key: its median}} of the benchmark in `year`, as of `today`; a
    measure no municipality of the region has data for is absent."""
    report_deadline = date(year, 5, 31)
    rows = BENCHMARK_MEDIANS.call(
        wanted_year=year,
        year_start=date(year, 1, 1),
        year_end=date(year + 1, 1, 1),
        held_until=min(date(year, 12, 31), today),
        report_deadline=report_deadline,
        report_due=today > report_deadline,
    )
    medians: dict[int, dict[str, RegionMedian]] = {}
    for region_id, measure, cities, median, mean in rows:
        medians.setdefault(region_id, {})[measure] = RegionMedian(
            int(cities), float(median), float(mean)
        )
    return medians


def benchmark_years(this_year: int) -> tuple[int | None, int | None]:
    """(the earliest year of any city's programme, meeting or registration, the latest
    programme year begun by `this_year`); None where there is none."""
    first_programme, latest_programme, *dated = BENCHMARK_YEARS.call(this_year=this_year).one()
    years = [first_programme] + [_year(value) for value in dated if value is not None]
    known = [year for year in years if year is not None]
    return (min(known) if known else None), latest_programme


def _year(value: date | datetime | str) -> int:
    return int(value[:4]) if isinstance(value, str) else value.year  # SQLite: ISO text
