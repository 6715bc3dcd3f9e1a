"""Public consultation: versions kept and compared, comments answered, opinions, report."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import lxml.html
import pytest
from sqlalchemy import select

from app import unit_of_work
from app.extensions import db
from app.organisations.models import OrganisationMember
from app.programmes import services
from app.programmes.catalogue import Stage
from app.programmes.models import Comment, Programme
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

DURING = datetime(2023, 10, 12, 10, 0, tzinfo=UTC)
PL = {"Accept-Language": "pl"}


@pytest.fixture
def consulted(tenants, monkeypatch):
    """A complete draft moved into consultation (9–23.10.2023) by the city's staff."""
    programme_id = factories.programme(
        tenants["leszno"], stage="proposals_review", complete=True
    ).id
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, programme_id)
        programme.consultation_from, programme.consultation_to = (
            date(2023, 10, 9),
            date(2023, 10, 23),
        )
        db.session.commit()
        services.move(programme, Stage.CONSULTATION, "staff")
        unit_of_work.commit()
    monkeypatch.setattr(clock, "now", lambda: DURING)
    return programme_id


@pytest.fixture
def ngo(client, make_user, tenants):
    user = make_user("h.hendrysiak@echo.org.pl")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    factories.registration(tenants["leszno"], echo)
    db.session.add(OrganisationMember(organisation=echo, user=user))
    db.session.commit()
    log_in(client, "h.hendrysiak@echo.org.pl")
    return echo.id


def _comments(tenants) -> list[Comment]:
    with tenant_scope(tenants["leszno"].id):
        return list(db.session.scalars(select(Comment)))


def test_opening_the_consultation_publishes_the_draft(client, consulted):
    page = client.get(f"/leszno/programmes/{consulted}/consultation").get_data(as_text=True)
    assert "Treść: goals" in page  # the published draft, readable without logging in
    versions = client.get(
        f"/leszno/programmes/{consulted}/versions", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "draft for public consultation" in versions


def test_the_programme_leads_an_ngo_to_the_consultations_form(app, client, consulted, ngo):
    """The notice of the open window carries the action, as it does for proposals: an NGO
    that may comment is led to the form, a visitor who may not is told the dates alone."""
    programme = f"/leszno/programmes/{consulted}"
    notice = lxml.html.fromstring(client.get(programme, headers=PL).text).find_class("notice")[0]
    (button,) = notice.find_class("button")

    assert " ".join(notice.text_content().split()).startswith(
        "Uwagi można zgłaszać do 23 października 2023 (zostało 11 dni)."
    )
    assert button.get("href") == f"{programme}/consultation#comment-heading"
    form = lxml.html.fromstring(client.get(button.get("href"), headers=PL).text)
    assert form.get_element_by_id("comment-heading").text_content() == "Twoja uwaga"
    visitor = lxml.html.fromstring(app.test_client().get(programme, headers=PL).text)
    assert visitor.find_class("notice") and not visitor.find_class("notice")[0].find_class("button")


def test_ngo_comments_staff_answer_and_the_report_counts(
    client, make_user, consulted, ngo, tenants
):
    post_form(
        client,
        f"/leszno/programmes/{consulted}/comments",
        {
            "organisation_id": ngo,
            "element": "goals",
            "body": "Proponujemy dopisać cel: rozwój wolontariatu seniorów.",
        },
    )
    assert [c.body for c in _comments(tenants)] == [
        "Proponujemy dopisać cel: rozwój wolontariatu seniorów."
    ]
    post_form(client, "/logout")
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    (comment,) = _comments(tenants)
    post_form(
        client,
        f"/leszno/comments/{comment.id}/answer",
        {"answer": "Cel dopisano w wersji ostatecznej.", "taken_into_account": "yes"},
    )
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, consulted)
        goals = next(s for s in programme.sections if s.key == "goals")
        goals.body = "Treść: goals oraz rozwój wolontariatu seniorów."
        programme.stage = Stage.OPINIONS.value
        db.session.commit()
        services.move(programme, Stage.FINAL, "staff")
        unit_of_work.commit()
    post_form(client, "/logout")

    report = client.get(
        f"/leszno/programmes/{consulted}/consultation-report", headers={"Accept-Language": "en"}
    ).get_data(as_text=True)
    assert "Cel dopisano w wersji ostatecznej." in report
    assert "<dt>Taken into account</dt><dd>1</dd>" in report
    assert (
        '<ins><span class="visually-hidden">added: </span>oraz rozwój wolontariatu seniorów.'
        in report
    )
    compare = client.get(f"/leszno/programmes/{consulted}/versions?a=1&b=2").get_data(as_text=True)
    assert "rozwój wolontariatu seniorów" in compare


def test_comments_after_the_consultation_are_refused(client, consulted, ngo, monkeypatch, tenants):
    monkeypatch.setattr(clock, "now", lambda: datetime(2023, 10, 23, 22, 0, tzinfo=UTC))
    response = post_form(
        client,
        f"/leszno/programmes/{consulted}/comments",
        {"organisation_id": ngo, "element": "goals", "body": "Za późno."},
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    assert "The public consultation of this draft is closed." in response.get_data(as_text=True)
    assert _comments(tenants) == []


def test_opinions_with_documents_checked_by_content(client, make_user, consulted):
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    url = f"/leszno/programmes/{consulted}/opinions"
    fake = post_form(
        client,
        url,
        {
            "body": "Leszczyńska Rada Seniorów",
            "given_on": "2023-10-20",
            "attachment": (io.BytesIO(b"<html><script>alert(1)</script></html>"), "opinia.pdf"),
        },
        content_type="multipart/form-data",
        headers={"Accept-Language": "en"},
    )
    assert fake.status_code == 422
    assert "its content was checked, not only its name" in fake.get_data(as_text=True)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
    saved = post_form(
        client,
        url,
        {
            "body": "Leszczyńska Rada Seniorów",
            "given_on": "2023-10-20",
            "text": "Rada pozytywnie opiniuje projekt Programu.",
            "attachment": (io.BytesIO(pdf), "opinia LRS.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert saved.status_code == 302
    page = client.get(url).get_data(as_text=True)
    assert "Rada pozytywnie opiniuje" in page
    link = page.split('href="/leszno/opinions/', 1)[1].split('"', 1)[0]
    document = client.get(f"/leszno/opinions/{link}")
    assert document.get_data() == pdf


def test_element_10_is_filled_from_the_records(client, make_user, consulted, tenants):
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    factories.proposal(tenants["leszno"], factories.programme(tenants["leszno"], year=2097))
    post_form(client, f"/leszno/programmes/{consulted}/creation-summary")
    with tenant_scope(tenants["leszno"].id):
        programme = db.session.get(Programme, consulted)
        assert "9.10.2023" in programme.text("creation")  # the consultation, from the record


def test_a_comment_is_forwarded_to_a_person_of_the_office_who_is_told_and_sees_it_to_do(
    client, make_user, tenants, mailbox
):
    comment_id = factories.comment(tenants["leszno"])
    with tenant_scope(tenants["leszno"].id):
        programme_id = db.session.get(Comment, comment_id).programme_id
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff", locale="pl")
    maria = make_user("m.nowak@leszno.pl", name="Maria Nowak", leszno="staff", locale="pl")
    kalisz = make_user("k.wisniewski@kalisz.pl", name="Karol Wiśniewski", kalisz="staff")
    log_in(client, "b.grygier@leszno.pl")
    pl = {"Accept-Language": "pl"}
    forward = f"/leszno/comments/{comment_id}/forward"

    page = client.get(f"/leszno/programmes/{programme_id}/consultation", headers=pl)
    assert forward in page.get_data(as_text=True)
    assert "Karol Wiśniewski" not in page.get_data(as_text=True)
    refused = post_form(client, forward, {"person": kalisz.id}, follow_redirects=True, headers=pl)
    assert "Wybierz osobę z urzędu, do której ma trafić uwaga." in refused.get_data(as_text=True)

    post_form(client, forward, {"person": maria.id})
    post_form(client, forward, {"person": maria.id})  # the same again: told once
    with tenant_scope(tenants["leszno"].id):
        db.session.expire_all()
        assert db.session.get(Comment, comment_id).forwarded_to_user_id == maria.id
    (told,) = [m for m in mailbox.messages if m["To"] == "m.nowak@leszno.pl"]
    assert "Przekazano Ci do odpowiedzi uwagę z konsultacji" in told["Subject"]
    post_form(client, "/logout")

    log_in(client, "m.nowak@leszno.pl")
    home = client.get("/leszno/", headers=pl).get_data(as_text=True)
    assert "1 przekazana Ci uwaga z konsultacji czeka na Twoją odpowiedź" in home
