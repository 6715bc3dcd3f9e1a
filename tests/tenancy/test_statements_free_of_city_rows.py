"""A statement that no city's row can reach runs without the tenant filter (scoping.py): the
signed-in person's, run on every request. Its mark is checked when it is made, not trusted."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.sql.cache_key import HasCacheKey

from app.accounts import loading
from app.accounts.models import User
from app.meetings.models import Meeting
from app.tenancy.context import set_actor, tenant_scope
from app.tenancy.scoping import free_of_city_rows, reads_no_city_rows


def test_the_persons_statement_is_keyed_for_the_cache_once_a_process(
    app, make_user, tenants, monkeypatch
):
    person = make_user("anna.nowak@leszno.pl", leszno="admin")
    keyed = []
    original = HasCacheKey._generate_cache_key

    def counting(statement):
        keyed.append(statement)
        return original(statement)

    with app.test_request_context("/"), tenant_scope(tenants["leszno"].id):
        set_actor(person.id)  # as their session names them
        loading.person(person.id)  # the process's first request builds and keys it, whole
        loading.person(person.id)  # and its second the statement that checks the copy kept
        monkeypatch.setattr(HasCacheKey, "_generate_cache_key", counting)
        checked = loading.person(person.id).user
        monkeypatch.setattr(loading, "_kept", {})
        whole = loading.person(person.id).user

    assert checked is person and whole is person and keyed == []


def test_a_statement_that_reads_a_citys_rows_keeps_the_filter(app_context):
    assert reads_no_city_rows(free_of_city_rows(select(User)))
    assert not reads_no_city_rows(free_of_city_rows(select(Meeting)))
    meetings = select(func.count()).select_from(Meeting).where(Meeting.id > 0).scalar_subquery()
    assert not reads_no_city_rows(free_of_city_rows(select(User, meetings.label("meetings"))))
