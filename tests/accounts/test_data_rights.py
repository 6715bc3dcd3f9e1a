"""A person's data rights (RODO art. 15, 17, 20): "Pobierz moje dane" and "Usuń konto", by
the person or by the operator on their request."""

from __future__ import annotations

import io
import json
import zipfile

from sqlalchemy import select, text, update

from app.accounts.erasure import DELETED_NAME
from app.accounts.models import ApiToken, User
from app.extensions import db
from app.meetings.models import Attendee
from app.programmes.models import Comment, Proposal
from app.tenancy.context import acting_as, tenant_scope
from tests import factories
from tests.accounts.test_session_security import api_me, api_token
from tests.conftest import PASSWORD, log_in, post_form

HANNA = "hanna.hendrysiak@echo.example.org"


def seeds_like_contributions(tenants, user: User) -> dict[str, int]:
    """Hanna's part in Leszno's 2024 programme and its 13 July meeting, as in seed 000."""
    leszno = tenants["leszno"]
    proposal = factories.proposal(leszno)
    comment_id = factories.comment(leszno)
    meeting_id = factories.meeting(leszno)
    factories.event_registration(leszno, email=HANNA.upper(), meeting_id=meeting_id)
    factories.invitation(tenants["kalisz"], email=HANNA, role="viewer")
    with tenant_scope(leszno.id):
        db.session.execute(
            update(Proposal).where(Proposal.id == proposal.id).values(submitted_by_id=user.id)
        )
        db.session.execute(
            update(Comment).where(Comment.id == comment_id).values(author_id=user.id)
        )
        attendee = Attendee(
            meeting_id=meeting_id,
            name="Hanna Hendrysiak",
            organisation="Stowarzyszenie „ECHO”",
            user_id=user.id,
        )
        db.session.add(attendee)
        db.session.commit()
        return {"proposal": proposal.id, "comment": comment_id, "attendee": attendee.id}


def download_my_data(client) -> tuple[str, dict]:
    job_url = post_form(client, "/account/personal-data").location
    response = client.get(job_url + "/download")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.get_data())) as archive:
        return job_url, json.loads(archive.read("personal-data.json"))


def test_a_person_downloads_all_their_data_and_nobody_else_can(app, client, tenants, make_user):
    hanna = make_user(HANNA, name="Hanna Hendrysiak", leszno="staff", kalisz="viewer")
    ids = seeds_like_contributions(tenants, hanna)
    log_in(client, HANNA)

    page = client.get("/account").get_data(as_text=True)
    assert "Pobierz moje dane" in page
    job_url, data = download_my_data(client)

    assert data["account"]["email"] == HANNA
    assert "password_hash" not in json.dumps(data)
    records = data["records"]
    assert {m["tenant_id"] for m in records["memberships"]} == {
        tenants["leszno"].id,
        tenants["kalisz"].id,
    }, "roles in every city"
    assert [p["id"] for p in records["programme_proposals"]] == [ids["proposal"]]
    assert [c["id"] for c in records["programme_comments"]] == [ids["comment"]]
    assert [a["id"] for a in records["meeting_attendees"]] == [ids["attendee"]]
    assert [r["email"] for r in records["event_registrations"]] == [HANNA.upper()]
    assert [i["email"] for i in records["invitations"]] == [HANNA], "Kalisz's invitation"
    assert "token_hash" not in json.dumps(data)
    assert {e["entity"] for e in records["audit_log"]} >= {"Membership", "Proposal"}, (
        "the audit entries about their roles and contributions"
    )
    assert data["cities"][str(tenants["leszno"].id)] == "leszno"
    proposal_by = records["programme_proposals"][0]["organisation_id"]
    assert data["organisations"][str(proposal_by)].startswith("Fundacja")

    make_user("jan.kowalski@leszno.example.org", leszno="admin")
    other = app.test_client()
    log_in(other, "jan.kowalski@leszno.example.org")
    assert other.get(job_url).status_code == 404
    assert other.get(job_url + "/download").status_code == 404


def test_the_archive_holds_nothing_of_another_person(app, client, tenants, make_user):
    hanna = make_user(HANNA, name="Hanna Hendrysiak", leszno="staff")
    seeds_like_contributions(tenants, hanna)
    make_user("jan.kowalski@leszno.example.org", leszno="admin")
    jan = app.test_client()
    log_in(jan, "jan.kowalski@leszno.example.org")

    _, data = download_my_data(jan)

    assert HANNA not in json.dumps(data, ensure_ascii=False).lower()
    assert "programme_proposals" not in data["records"]


def test_deleting_the_account_keeps_the_public_record_without_the_name(
    app, client, tenants, make_user
):
    make_user("anna.szymanska@leszno.example.org", leszno="admin")  # the city's office
    hanna = make_user(HANNA, name="Hanna Hendrysiak", leszno="staff", kalisz="viewer")
    hanna_id = hanna.id
    ids = seeds_like_contributions(tenants, hanna)
    token = api_token(app.test_client(), HANNA)
    elsewhere = app.test_client()
    log_in(elsewhere, HANNA)
    log_in(client, HANNA)

    wrong = post_form(client, "/account/delete", {"password": "nie-to-hasło"})
    assert "To nie jest Twoje hasło." in wrong.get_data(as_text=True)
    deleted = post_form(client, "/account/delete", {"password": PASSWORD})

    assert deleted.status_code == 302
    assert client.get("/account").status_code == 302, "logged out"
    assert elsewhere.get("/account").status_code == 302, "every other session ended"
    assert api_me(app.test_client(), token).status_code == 401, "API tokens revoked"
    login = post_form(app.test_client(), "/login", {"email": HANNA, "password": PASSWORD})
    assert login.status_code != 302
    db.session.expire_all()
    account = db.session.get(User, hanna_id)
    assert account.name == DELETED_NAME and HANNA not in account.email
    assert account.password_hash is None and not account.active
    with tenant_scope(tenants["leszno"].id):
        assert db.session.get(Proposal, ids["proposal"]).submitted_by.name == DELETED_NAME
        assert db.session.get(Comment, ids["comment"]).author.name == DELETED_NAME
        assert db.session.get(Attendee, ids["attendee"]).name == DELETED_NAME
        assert not db.session.scalar(text("SELECT count(*) FROM event_registrations"))
    with tenant_scope(tenants["kalisz"].id):
        assert not db.session.scalar(text("SELECT count(*) FROM invitations"))
    with acting_as(hanna_id):
        assert not account.memberships
        assert all(t.revoked_at for t in db.session.scalars(select(ApiToken)))
    logged = db.session.execute(text("SELECT action, subject FROM operator_log")).all()
    assert logged == [("account.erase", f"user {hanna_id}")]


def test_the_last_administrator_of_a_city_is_told_what_to_do_instead(client, make_user):
    make_user(HANNA, leszno="admin")
    log_in(client, HANNA)

    page = client.get("/account/delete").get_data(as_text=True)
    refused = post_form(client, "/account/delete", {"password": PASSWORD})

    assert "Tylko Ty masz rolę administratora w: Leszno" in page
    assert refused.status_code == 200
    assert db.session.scalar(select(User.active).where(User.email == HANNA))


def test_the_only_representative_of_an_organisation_is_told_what_to_do_instead(client, make_user):
    make_user(HANNA, leszno="ngo")
    log_in(client, HANNA)

    page = client.get("/account/delete").get_data(as_text=True)

    assert "Tylko Ty reprezentujesz organizację Fundacja" in page
    assert "Moje organizacje" in page, "where to invite another representative"


def test_the_operator_exports_and_erases_on_request(app, tenants, make_user, tmp_path):
    hanna = make_user(HANNA, name="Hanna Hendrysiak", leszno="staff")
    hanna_id = hanna.id
    seeds_like_contributions(tenants, hanna)
    runner = app.test_cli_runner()
    output = tmp_path / "hanna.zip"

    exported = runner.invoke(args=["users", "export-data", HANNA, "--output", str(output)])
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(output) as archive:
        assert json.loads(archive.read("personal-data.json"))["account"]["email"] == HANNA
    erased = runner.invoke(args=["users", "erase", HANNA, "--yes"])
    assert erased.exit_code == 0, erased.output
    refused = runner.invoke(args=["users", "erase", "nikt@example.org", "--yes"])
    assert refused.exit_code != 0

    db.session.expire_all()
    assert db.session.get(User, hanna_id).name == DELETED_NAME
    logged = db.session.execute(text("SELECT action, subject FROM operator_log ORDER BY id"))
    assert logged.all() == [
        ("person.export", f"user {hanna_id}"),
        ("account.erase", f"user {hanna_id}"),
    ]


def test_deleting_the_account_leaves_its_name_and_address_in_no_city_audit_log(
    client, tenants, make_user
):
    """The audit log keeps what changed (an attendance line, an invitation's address): after
    the erasure it says that a deleted person was there, not who."""
    make_user("anna.szymanska@leszno.example.org", leszno="admin")
    make_user("jan.kowalski@kalisz.example.org", kalisz="admin")
    hanna = make_user(HANNA, name="Hanna Hendrysiak", leszno="staff", kalisz="viewer")
    seeds_like_contributions(tenants, hanna)
    assert "Hanna Hendrysiak" in audit_text(tenants["leszno"]), "the test writes what it checks"
    assert HANNA in audit_text(tenants["kalisz"])
    log_in(client, HANNA)

    assert post_form(client, "/account/delete", {"password": PASSWORD}).status_code == 302

    for tenant in tenants.values():
        logged = audit_text(tenant)
        assert "Hanna Hendrysiak" not in logged and HANNA not in logged.lower(), tenant.slug
    assert DELETED_NAME in audit_text(tenants["leszno"])


def audit_text(tenant) -> str:
    """Every value of the city's audit log, as a person would read it."""
    with tenant_scope(tenant.id):
        rows = db.session.scalars(text("SELECT changes FROM audit_log")).all()
    return " ".join(
        json.dumps(row if isinstance(row, dict) else json.loads(row), ensure_ascii=False)
        for row in rows
    )
