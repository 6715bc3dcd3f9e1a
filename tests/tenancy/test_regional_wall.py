"""The database keeps a city's private data from a regional read: raw SQL as the application
role, in a region's scope, reads the columns the regional pages read, of the region's
cities only, and nothing else of any tenant-owned table (generated from the models'
metadata), while the matrix and the benchmark still work."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import DBAPIError

from app.extensions import Model
from app.regions.benchmark import benchmark
from app.regions.matrix import adoption_matrix
from app.tenancy.context import tenant_scope
from app.tenancy.rls import REGIONAL_COLUMNS, REGIONAL_READER
from app.tenancy.scoping import tenant_scoped_tables
from tests import factories

PRIVATE = "PRYWATNE-ZNACZNIK"


def _tenant_owned_columns() -> list[tuple[str, str]]:
    tables = set(tenant_scoped_tables()) | set(REGIONAL_COLUMNS)
    return [
        (table.name, column.name)
        for table in Model.metadata.sorted_tables
        if table.name in tables
        for column in table.columns
    ]


@pytest.fixture
def regional(databases, tenants):
    """Run one statement as the app role in a regional read of Wielkopolska's cities."""
    readable = ",".join(str(tenants[slug].id) for slug in ("leszno", "kalisz"))
    engine = create_engine(databases.app_url)

    def run(sql: str) -> list:
        with engine.begin() as connection:
            connection.execute(
                text(
                    "SELECT set_config('app.readable_tenant_ids', :ids, true), "
                    "set_config('role', :role, true)"
                ),
                {"ids": readable, "role": REGIONAL_READER},
            )
            return list(connection.execute(text(sql)))

    yield run
    engine.dispose()


@pytest.fixture
def private_data(tenants, regions):
    """A city's notes, contacts, audit entries and event registrations, all marked."""
    project = factories.standards_project(regions["wielkopolskie"])
    for slug in ("leszno", "kalisz", "krakow"):
        tenant = tenants[slug]
        registration = factories.registration(tenant)
        with tenant_scope(tenant.id):
            registration.contact_email = f"{PRIVATE}@example.org"
            factories.db.session.commit()
        factories.adoption(tenant, project.blocks[0].standards[0], "adopted", notes=PRIVATE)
        factories.audit_entry(tenant)
        factories.registration_token(tenant)
        factories.meeting(tenant)
    return project


def test_every_column_outside_the_regional_pages_is_refused(app_context, regional, private_data):
    refused, read = [], []
    for table, column in _tenant_owned_columns():
        allowed = column in REGIONAL_COLUMNS.get(table, ())
        try:
            regional(f"SELECT {column} FROM {table}")
        except DBAPIError as error:
            assert "permission denied" in str(error)
            refused.append((table, column))
            assert not allowed, f"{table}.{column} is for the regional pages"
        else:
            read.append((table, column))
            assert allowed, f"{table}.{column} is readable in a regional read"
    assert len(refused) > 200 and read
    for private in (
        ("registration_notes", "notes"),
        ("registrations", "contact_email"),
        ("adoptions", "notes"),
        ("audit_log", "changes"),
        ("event_registrations", "email"),
    ):
        assert private in refused


def test_a_regional_read_sees_the_regions_cities_only_and_writes_nothing(
    app_context, tenants, regional, private_data
):
    wielkopolska = {tenants["leszno"].id, tenants["kalisz"].id}
    assert {row[0] for row in regional("SELECT tenant_id FROM adoptions")} == wielkopolska
    assert {row[0] for row in regional("SELECT tenant_id FROM meetings")} == wielkopolska
    for statement in (
        "UPDATE adoptions SET status = 'planned'",
        "DELETE FROM meetings",
        "INSERT INTO audit_log (tenant_id, action, entity) VALUES (1, 'x', 'x')",
    ):
        with pytest.raises(DBAPIError, match="permission denied"):
            regional(statement)


def test_the_matrix_and_the_benchmark_still_read_the_region(
    app_context, tenants, regions, private_data
):
    with tenant_scope(None):
        matrix = adoption_matrix(private_data)
        figures = benchmark(regions["wielkopolskie"])
    adopted = {row.city.slug: row.statuses[0] for row in matrix.rows}
    assert adopted["leszno"] == adopted["kalisz"] == "adopted"
    assert "krakow" not in adopted
    assert {city.city.slug for city in figures.cities} >= {"leszno", "kalisz"}
