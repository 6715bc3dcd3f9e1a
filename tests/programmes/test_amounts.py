"""Amounts typed and shown the reader's way: "2 450 000,50" in Polish, "2,450,000.5" in
English; what is not a number is a message, and the page keeps what was typed."""

from __future__ import annotations

from decimal import Decimal

import pytest

from app.extensions import db
from app.programmes.models import Programme
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

PL = {"Accept-Language": "pl"}


@pytest.fixture
def draft(client, make_user, tenants):
    programme_id = factories.programme(tenants["leszno"], complete=True).id
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    return programme_id


def _save_budget(client, programme_id: int, budget: str):
    url = f"/leszno/programmes/{programme_id}/edit"
    page = client.get(url).get_data(as_text=True)
    version = page.split('name="version" type="hidden" value="')[1].split('"')[0]
    return post_form(
        client,
        url,
        {"version": version, "title": "Roczny Program Współpracy", "budget": budget},
    )


def _budget(tenants, programme_id: int) -> Decimal | None:
    with tenant_scope(tenants["leszno"].id):
        db.session.expire_all()
        return db.session.get(Programme, programme_id).budget


def test_the_budget_field_shows_polish_digits(client, draft):
    page = client.get(f"/leszno/programmes/{draft}/edit").get_data(as_text=True)
    assert 'value="1\xa0250\xa0000"' in page


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("2 450 000,50", Decimal("2450000.50")),
        ("2\xa0450\xa0000", Decimal("2450000")),
        ("2450000.50", Decimal("2450000.50")),
        ("12,5", Decimal("12.5")),
    ],
)
def test_a_polish_amount_is_read_as_typed(client, draft, tenants, typed, stored):
    assert _save_budget(client, draft, typed).status_code == 302
    assert _budget(tenants, draft) == stored


def test_what_is_not_an_amount_is_a_message_and_is_kept(client, draft, tenants):
    response = _save_budget(client, draft, "1.234,50")
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'value="1.234,50"' in page
    assert "Wpisz liczbę, np. 2\xa0450\xa0000,5." in page
    assert "większa lub równa" not in page  # one message, the one that helps
    assert _budget(tenants, draft) == Decimal("1250000.00")


def test_english_reads_its_own_way(client, make_user, tenants):
    programme_id = factories.programme(tenants["leszno"], complete=True).id
    make_user("staff.en@leszno.pl", leszno="staff", locale="en")
    log_in(client, "staff.en@leszno.pl")
    page = client.get(f"/leszno/programmes/{programme_id}/edit").get_data(as_text=True)
    assert 'value="1,250,000"' in page
    assert _save_budget(client, programme_id, "2,450,000.5").status_code == 302
    assert _budget(tenants, programme_id) == Decimal("2450000.50")
    assert _save_budget(client, programme_id, "1,5").status_code == 422
