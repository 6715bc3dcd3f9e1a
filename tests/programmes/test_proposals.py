"""NGOs' proposals: the window to the second, the aggregated list, answers by e-mail."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import lxml.html
import pytest
from sqlalchemy import select

from app.extensions import db
from app.organisations.models import OrganisationMember
from app.programmes.models import Programme, Proposal
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

PL = {"Accept-Language": "pl"}

# Leszno's window of seed 000: 13–27.07.2023; the city's day ends at midnight Warsaw time.
LAST_SECOND = datetime(2023, 7, 27, 21, 59, 59, tzinfo=UTC)  # 23:59:59 CEST


@pytest.fixture
def open_programme(tenants):
    programme_id = factories.programme(tenants["leszno"], stage="proposals_open").id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.proposals_from, programme.proposals_to = date(2023, 7, 13), date(2023, 7, 27)
        db.session.commit()
    return programme_id


@pytest.fixture
def echo_rep(client, make_user, tenants):
    user = make_user("h.hendrysiak@echo.org.pl", name="Hanna Hendrysiak", locale="pl")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    factories.registration(tenants["leszno"], echo)
    db.session.add(OrganisationMember(organisation=echo, user=user))
    db.session.commit()
    log_in(client, "h.hendrysiak@echo.org.pl")
    return echo.id


def _proposals(tenants) -> list[Proposal]:
    with tenant_scope(tenants["leszno"].id):
        return list(db.session.scalars(select(Proposal)))


def _send(client, programme_id: int, organisation_id: int, at: datetime, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: at)
    return post_form(
        client,
        f"/leszno/programmes/{programme_id}/proposals/new",
        {
            "organisation_id": organisation_id,
            "element": "principles",
            "proposed_text": "Uprościć definicję zasady zrównoważonego rozwoju.",
            "justification": "Obecna definicja jest niejasna dla organizacji.",
        },
        headers={"Accept-Language": "pl"},
    )


def test_a_proposal_in_the_last_second_is_taken(
    client, open_programme, echo_rep, monkeypatch, tenants
):
    response = _send(client, open_programme, echo_rep, LAST_SECOND, monkeypatch)
    assert response.status_code == 302
    (proposal,) = _proposals(tenants)
    assert proposal.element == "principles" and proposal.organisation_id == echo_rep


def test_a_proposal_on_behalf_of_an_organisation_one_does_not_act_for_is_refused(
    client, open_programme, echo_rep, monkeypatch, tenants
):
    """Another organisation's id in the form, of this city or of another: nothing saved,
    the form says what is wrong (the choices are the person's own organisations)."""
    elsewhere = factories.registration(tenants["kalisz"]).organisation_id
    neighbour = factories.registration(tenants["leszno"]).organisation_id
    for organisation_id in (elsewhere, neighbour):
        response = _send(client, open_programme, organisation_id, LAST_SECOND, monkeypatch)
        assert response.status_code == 422, organisation_id
        assert "Stowarzyszenie „ECHO”" in response.text  # the form again, with her own
    assert _proposals(tenants) == []


def test_one_second_after_the_deadline_the_form_is_closed(
    client, open_programme, echo_rep, monkeypatch, tenants
):
    response = _send(
        client, open_programme, echo_rep, LAST_SECOND + timedelta(seconds=1), monkeypatch
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 410
    assert "do końca dnia 27.07.2023" in page
    assert _proposals(tenants) == []


def test_before_the_window_opens_the_form_says_when(client, open_programme, echo_rep, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 7, 12, 12, 0, tzinfo=UTC))
    page = client.get(f"/leszno/programmes/{open_programme}/proposals/new").get_data(as_text=True)
    assert "od 13.07.2023" in page


def _words(page) -> str:
    return " ".join(lxml.html.fromstring(page.text).xpath("string(//main)").split())


@pytest.mark.parametrize("path", ["", "/proposals/new"])
def test_the_programme_and_its_form_say_until_when_proposals_are_taken(
    client, open_programme, echo_rep, monkeypatch, path
):
    """Where an NGO decides to write, not only on its home: the last day in Polish and the
    days left, the last day named as such rather than "0 days left"."""
    page = f"/leszno/programmes/{open_programme}{path}"
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 7, 20, 10, 0, tzinfo=UTC))
    assert "Propozycje można składać do 27 lipca 2023 (zostało 7 dni)." in _words(
        client.get(page, headers=PL)
    )
    monkeypatch.setattr(clock, "now", lambda: LAST_SECOND)
    assert "Propozycje można składać do 27 lipca 2023 (ostatni dzień)." in _words(
        client.get(page, headers=PL)
    )


def test_only_representatives_of_active_organisations_propose(client, make_user, open_programme):
    # the draft collecting proposals is shown to the city's NGOs and staff only
    make_user("mieszkaniec@example.org", leszno="viewer")
    log_in(client, "mieszkaniec@example.org")
    assert client.get(f"/leszno/programmes/{open_programme}/proposals/new").status_code == 404
    post_form(client, "/logout")
    make_user("b.grygier@leszno.pl", leszno="staff")  # staff see it, but propose for no NGO
    log_in(client, "b.grygier@leszno.pl")
    assert client.get(f"/leszno/programmes/{open_programme}/proposals/new").status_code == 403


def test_staff_forward_and_answer_and_the_ngo_reads_it(
    client, make_user, open_programme, echo_rep, monkeypatch, mailbox, tenants
):
    _send(client, open_programme, echo_rep, LAST_SECOND, monkeypatch)
    post_form(client, "/logout")
    make_user("b.grygier@leszno.pl", leszno="staff")
    department = make_user("m.nowak@leszno.pl", name="Maria Nowak", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    listing = client.get(f"/leszno/programmes/{open_programme}/proposals").get_data(as_text=True)
    assert "Uprościć definicję zasady zrównoważonego rozwoju." in listing
    (proposal,) = _proposals(tenants)
    post_form(client, f"/leszno/proposals/{proposal.id}/forward", {"person": department.id})
    refused = post_form(
        client,
        f"/leszno/proposals/{proposal.id}/answer",
        {"verdict": "accepted", "justification": ""},
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    assert "Give the justification" in refused.get_data(as_text=True)
    post_form(
        client,
        f"/leszno/proposals/{proposal.id}/answer",
        {
            "verdict": "partly_accepted",
            "justification": "Definicja zostanie uproszczona; pozostałe zapisy bez zmian.",
        },
    )
    mail = mailbox.last_to("h.hendrysiak@echo.org.pl")
    assert "Roczny Program" in mail["Subject"]
    assert "Definicja zostanie uproszczona" in mail.get_content()
    waiting = client.get(f"/leszno/programmes/{open_programme}/proposals?answer=none")
    assert "Uprościć definicję" not in waiting.get_data(as_text=True)
    post_form(client, "/logout")

    log_in(client, "h.hendrysiak@echo.org.pl")
    mine = client.get("/leszno/proposals/mine")  # in Hanna's language: Polish
    assert "przyjęta częściowo" in mine.get_data(as_text=True)
    assert "Definicja zostanie uproszczona" in mine.get_data(as_text=True)


def test_ngos_do_not_see_the_aggregated_list(client, open_programme, echo_rep):
    assert client.get(f"/leszno/programmes/{open_programme}/proposals").status_code == 403


def test_a_proposal_is_forwarded_to_a_person_of_the_office_who_is_told_and_sees_it_to_do(
    client, make_user, tenants, mailbox
):
    programme = factories.programme(tenants["leszno"], year=2027, stage="proposals_open")
    proposal = factories.proposal(tenants["leszno"], programme)
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff", locale="pl")
    maria = make_user("m.nowak@leszno.pl", name="Maria Nowak", leszno="staff", locale="pl")
    kalisz = make_user("k.wisniewski@kalisz.pl", name="Karol Wiśniewski", kalisz="staff")
    log_in(client, "b.grygier@leszno.pl")

    listing = client.get(f"/leszno/programmes/{programme.id}/proposals", headers=PL)
    page = listing.get_data(as_text=True)
    assert "Maria Nowak" in page and "Karol Wiśniewski" not in page  # the city's office only
    for stranger in (kalisz.id, 99999, "Wydział Spraw Społecznych"):
        refused = post_form(
            client,
            f"/leszno/proposals/{proposal.id}/forward",
            {"person": stranger},
            follow_redirects=True,
            headers=PL,
        )
        assert refused.status_code == 200
        assert "Wybierz osobę z urzędu" in refused.get_data(as_text=True)
    assert _proposals(tenants)[0].forwarded_to_user_id is None

    post_form(client, f"/leszno/proposals/{proposal.id}/forward", {"person": maria.id})
    (forwarded,) = _proposals(tenants)
    assert (forwarded.forwarded_to_user_id, forwarded.forwarded_to) == (maria.id, "Maria Nowak")
    post_form(client, f"/leszno/proposals/{proposal.id}/forward", {"person": maria.id})  # again
    assert [m["To"] for m in mailbox.messages] == ["m.nowak@leszno.pl"]  # told once
    told = mailbox.last_to("m.nowak@leszno.pl")
    assert "Przekazano Ci do odpowiedzi propozycję" in told["Subject"]
    assert f"/leszno/programmes/{programme.id}/proposals?answer=none" in told.get_content()
    post_form(client, "/logout")

    log_in(client, "m.nowak@leszno.pl")
    home = client.get("/leszno/", headers=PL).get_data(as_text=True)
    assert "1 przekazana Ci propozycja czeka na Twoją odpowiedź" in home
    post_form(client, "/logout")
    log_in(client, "b.grygier@leszno.pl")
    assert "przekazana Ci propozycja" not in client.get("/leszno/", headers=PL).get_data(
        as_text=True
    )
