"""The suite's own promise (conftest.clean_state): each test starts from the catalog of
tenants and regions alone, with every id counting from one again."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from tests.conftest import data_tables, empty_what_was_written

SEQUENCES = ("users_id_seq", "memberships_id_seq", "organisations_id_seq")


def test_what_a_test_wrote_is_gone_and_its_ids_start_again(app, databases, make_user):
    make_user("b.grygier@leszno.pl", leszno="staff")
    owner = create_engine(databases.owner_url)
    with owner.begin() as connection:
        connection.execute(text("SELECT nextval('organisations_id_seq')"))  # a rolled-back insert
        empty_what_was_written(connection)
    with owner.begin() as connection:
        written = {
            table
            for table in data_tables()
            if connection.scalar(text(f"SELECT count(*) FROM {table}"))
        }
        next_ids = [connection.scalar(text(f"SELECT nextval('{name}')")) for name in SEQUENCES]
        catalog = connection.scalar(text("SELECT count(*) FROM tenants"))
    owner.dispose()

    assert written == set()
    assert next_ids == [1, 1, 1]
    assert catalog > 0
