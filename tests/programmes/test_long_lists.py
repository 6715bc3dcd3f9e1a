"""The staff's aggregated list of proposals and the consultation's comments come in pages,
with their totals, filters and search, whatever the number of NGOs that write."""

from __future__ import annotations

import re

import pytest

from app.extensions import db
from app.programmes.models import Comment, Proposal
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import FORM_TOKEN, csrf_secret, csrf_secrets, log_in, post_form

PL = {"Accept-Language": "pl"}


@pytest.fixture
def programme(tenants):
    return factories.programme(tenants["leszno"], stage="consultation", complete=True)


@pytest.fixture
def staff(client, make_user):
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")


def _organisations(tenants, names: list[str]) -> list[int]:
    return [
        factories.registration(tenants["leszno"], factories.organisation(name)).organisation_id
        for name in names
    ]


def _propose(tenants, programme, organisation_ids: list[int], count: int, element="goals"):
    with tenant_scope(tenants["leszno"].id):
        db.session.add_all(
            Proposal(
                programme_id=programme.id,
                organisation_id=organisation_ids[number % len(organisation_ids)],
                element=element,
                proposed_text=f"Propozycja nr {number}: dodać cel współpracy z seniorami.",
            )
            for number in range(count)
        )
        db.session.commit()


def _headings(text: str) -> list[str]:
    return re.findall(r'<h2 id="proposal-\d+">([^<]+)</h2>', text)


def test_the_aggregated_list_comes_in_pages_with_its_total(
    client, tenants, programme, staff, monkeypatch
):
    monkeypatch.setattr("app.programmes.proposals.PAGE_SIZE", 5)
    organisations = _organisations(tenants, ["Stowarzyszenie „ECHO”", "Fundacja Zdrowie"])
    _propose(tenants, programme, organisations, 12)
    url = f"/leszno/programmes/{programme.id}/proposals"

    first = client.get(url, headers=PL).get_data(as_text=True)
    assert len(_headings(first)) == 5
    assert "12 propozycji" in first and "Strona 1 z 3" in first
    last = client.get(f"{url}?page=3", headers=PL).get_data(as_text=True)
    # numbered through the whole list, not from 1 on every page
    assert [h.split(":")[0] for h in _headings(last)] == ["Propozycja 11", "Propozycja 12"]
    assert client.get(f"{url}?page=4").status_code == 404
    assert client.get(f"{url}?page=x").status_code == 200


def test_the_list_is_searched_by_organisation_and_text_and_keeps_its_filters(
    client, tenants, programme, staff, monkeypatch
):
    monkeypatch.setattr("app.programmes.proposals.PAGE_SIZE", 2)
    echo, health = _organisations(tenants, ["Stowarzyszenie „ECHO”", "Fundacja Zdrowie"])
    _propose(tenants, programme, [echo], 3)
    _propose(tenants, programme, [health], 2, element="budget")
    url = f"/leszno/programmes/{programme.id}/proposals"

    found = client.get(f"{url}?q=echo", headers=PL).get_data(as_text=True)
    assert "3 propozycje" in found and "Fundacja Zdrowie" not in found
    assert "q=echo&amp;page=2" in found or "page=2&amp;q=echo" in found
    budget = client.get(f"{url}?element=budget", headers=PL).get_data(as_text=True)
    assert "2 propozycje" in budget and "ECHO" not in budget
    assert "seniorami" in client.get(f"{url}?q=SENIORAMI").get_data(as_text=True)
    assert "0 propozycji" in client.get(f"{url}?q=nikt", headers=PL).get_data(as_text=True)


def test_an_answer_brings_the_staff_back_to_their_page_of_the_list(
    client, tenants, programme, staff, monkeypatch
):
    monkeypatch.setattr("app.programmes.proposals.PAGE_SIZE", 2)
    _propose(tenants, programme, _organisations(tenants, ["Fundacja Zdrowie"]), 3)
    with tenant_scope(tenants["leszno"].id):
        last_id = max(db.session.scalars(db.select(Proposal.id)))
    url = f"/leszno/programmes/{programme.id}/proposals"
    page = client.get(f"{url}?answer=none&page=2").get_data(as_text=True)
    action = f"/leszno/proposals/{last_id}/answer?answer=none&amp;page=2"
    assert action in page

    response = post_form(
        client,
        action.replace("&amp;", "&"),
        {"verdict": "accepted", "justification": "Przyjęto do programu."},
    )
    # the answered proposal left the waiting ones, and page 2 with it: back to the last page
    assert response.status_code == 302
    assert response.location.endswith(f"{url}?answer=none")


def _comment(tenants, programme, organisation_ids: list[int], count: int, element="goals"):
    with tenant_scope(tenants["leszno"].id):
        db.session.add_all(
            Comment(
                programme_id=programme.id,
                organisation_id=organisation_ids[0],
                element=element,
                body=f"Uwaga nr {number}: doprecyzować cele szczegółowe.",
            )
            for number in range(count)
        )
        db.session.commit()


def test_the_consultation_shows_its_comments_in_pages_with_their_total(
    client, tenants, programme, monkeypatch
):
    monkeypatch.setattr("app.programmes.consultation.COMMENTS_PAGE_SIZE", 4)
    organisations = _organisations(tenants, ["Stowarzyszenie „ECHO”"])
    _comment(tenants, programme, organisations, 6, element="budget")
    _comment(tenants, programme, organisations, 3, element="goals")
    url = f"/leszno/programmes/{programme.id}/consultation"

    first = client.get(url, headers=PL).get_data(as_text=True)
    assert first.count('class="card comment"') == 4 and "9 uwag" in first
    assert "Strona 1 z 3" in first
    # in the order of the programme's elements: the goals (1.) before the budget (8.)
    assert first.index("1. Cel główny") < first.index("Uwaga nr 0")
    last = client.get(f"{url}?page=3", headers=PL).get_data(as_text=True)
    assert last.count('class="card comment"') == 1
    assert client.get(f"{url}?page=4").status_code == 404
    goals = client.get(f"{url}?element=goals", headers=PL).get_data(as_text=True)
    assert goals.count('class="card comment"') == 3 and "3 uwagi" in goals


def test_answering_a_comment_brings_the_staff_back_to_their_page(
    client, tenants, programme, staff, monkeypatch
):
    monkeypatch.setattr("app.programmes.consultation.COMMENTS_PAGE_SIZE", 2)
    _comment(tenants, programme, _organisations(tenants, ["Fundacja Zdrowie"]), 3)
    with tenant_scope(tenants["leszno"].id):
        last_id = max(db.session.scalars(db.select(Comment.id)))
    url = f"/leszno/programmes/{programme.id}/consultation"
    action = f"/leszno/comments/{last_id}/answer?element=goals&amp;page=2"
    assert action in client.get(f"{url}?element=goals&page=2").get_data(as_text=True)

    response = post_form(
        client,
        action.replace("&amp;", "&"),
        {"answer": "Uwzględniono w celach.", "taken_into_account": "yes"},
    )
    assert response.status_code == 302
    assert response.location.endswith(f"{url}?element=goals&page=2")


def test_the_office_is_shown_one_list_each_with_their_own_token_and_every_answer_at_once(
    app, client, tenants, programme, staff, make_user
):
    """The list is kept for the whole office (office_fragment): a colleague's copy holds the
    colleague's token, and an answer given by one is on the other's next view."""
    _propose(tenants, programme, _organisations(tenants, ["Fundacja Zdrowie"]), 2)
    make_user("a.nowak@leszno.pl", name="Anna Nowak", leszno="staff")
    colleague = app.test_client()
    log_in(colleague, "a.nowak@leszno.pl")
    url = f"/leszno/programmes/{programme.id}/proposals"
    client.get(url)  # rendered, and kept

    kept = colleague.get(url).get_data(as_text=True)
    assert csrf_secrets(app, kept) == {csrf_secret(app, colleague)} != {csrf_secret(app, client)}
    action = re.findall(r'action="(/leszno/proposals/\d+/answer)"', kept)[0]
    answered = colleague.post(
        action,
        data={
            "csrf_token": FORM_TOKEN.search(kept).group(1),
            "verdict": "accepted",
            "justification": "Przyjęto do programu.",
        },
    )

    assert answered.status_code == 302
    assert "Przyjęto do programu." in client.get(url).get_data(as_text=True)
