"""A person asks to act for an organisation already in Razem: its representatives answer,
or, where it has none, the staff of a city where it is active; duplicates are refused and
nobody else's answer counts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.audit.models import AuditEntry
from app.extensions import db
from app.organisations.models import (
    ClaimReview,
    Organisation,
    OrganisationClaim,
    OrganisationMember,
)
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

KRS = "0001123450"
NIP = "6972309159"
REGON = "523184707"


@pytest.fixture
def zatorze(tenants):
    """Active in Leszno, nobody acts for it in Razem."""
    organisation = factories.organisation(
        "Stowarzyszenie Sąsiedzi z Zatorza", krs=KRS, nip=NIP, regon=REGON
    )
    factories.registration(tenants["leszno"], organisation)
    return organisation


@pytest.fixture
def newcomer(app, make_user):
    make_user("ewa.nowak@example.pl", name="Ewa Nowak")
    client = app.test_client()
    log_in(client, "ewa.nowak@example.pl")
    return client


@pytest.fixture
def leszno_staff(app, make_user):
    make_user("b.grygier@leszno.pl", name="Barbara Grygier", leszno="staff")
    client = app.test_client()
    log_in(client, "b.grygier@leszno.pl")
    return client


def _claim(client, number: str = KRS, function: str = "prezeska zarządu", **extra):
    return post_form(
        client, "/organisations/claim", {"number": number, "function": function, **extra}
    )


def _the_claim() -> OrganisationClaim:
    db.session.expire_all()
    return db.session.scalars(select(OrganisationClaim)).one()


def _members(organisation) -> dict[str, str]:
    db.session.expire_all()
    rows = db.session.scalars(
        select(OrganisationMember).where(OrganisationMember.organisation_id == organisation.id)
    )
    return {member.user.email: member.role for member in rows}


@pytest.mark.parametrize("number", [KRS, "1123450", NIP, "697-230-91-59", REGON])
def test_the_organisation_is_found_by_krs_nip_or_regon(newcomer, zatorze, number):
    page = newcomer.get("/organisations/start", query_string={"number": number})
    assert page.status_code == 200
    assert "Stowarzyszenie Sąsiedzi z Zatorza" in page.get_data(as_text=True)


def test_a_number_of_no_kind_is_a_message_and_an_unknown_one_offers_registering(newcomer, zatorze):
    bad = newcomer.get("/organisations/start", query_string={"number": "12ab"})
    assert bad.status_code == 422 and 'aria-invalid="true"' in bad.get_data(as_text=True)
    unknown = newcomer.get("/organisations/start", query_string={"number": "0000000001"})
    page = unknown.get_data(as_text=True)
    assert unknown.status_code == 200 and "/organisations/register" in page
    assert "Zatorza" not in page


def test_a_city_decides_where_nobody_represents_the_organisation(
    newcomer, leszno_staff, zatorze, tenants, mailbox
):
    assert _claim(newcomer).status_code == 302
    claim = _the_claim()
    assert claim.status == "pending" and claim.deciding_tenant_id == tenants["leszno"].id
    assert "Ewa Nowak" in mailbox.last_to("b.grygier@leszno.pl").get_content()

    requests = leszno_staff.get("/leszno/organisations/requests").get_data(as_text=True)
    assert "Ewa Nowak" in requests and "prezeska zarządu" in requests
    decided = post_form(
        leszno_staff, f"/leszno/organisations/claims/{claim.id}/decision", {"accept": "1"}
    )
    assert decided.status_code == 302
    assert _members(zatorze) == {"ewa.nowak@example.pl": "representative"}
    claim = _the_claim()
    assert claim.status == "accepted" and claim.decided_at is not None
    assert mailbox.last_to("ewa.nowak@example.pl")
    with tenant_scope(tenants["leszno"].id):
        review = db.session.scalars(select(ClaimReview)).one()
        assert review.status == "accepted" and review.decided_by_id is not None
        logged = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "ClaimReview")
        ).all()
        assert {entry.action for entry in logged} == {"create", "update"}
    # being a representative of an organisation active in Leszno is the NGO role there
    assert "przedstawiciel" in newcomer.get("/leszno/").get_data(as_text=True).lower()


def test_its_representatives_decide_where_it_has_them(app, newcomer, zatorze, make_user, mailbox):
    representative = make_user("h.hendrysiak@example.pl", name="Hanna Hendrysiak")
    db.session.add(
        OrganisationMember(organisation=zatorze, user=representative, role="representative")
    )
    db.session.commit()
    _claim(newcomer)
    claim = _the_claim()
    assert claim.deciding_tenant_id is None
    assert "Ewa Nowak" in mailbox.last_to("h.hendrysiak@example.pl").get_content()

    hanna = app.test_client()
    log_in(hanna, "h.hendrysiak@example.pl")
    assert "Ewa Nowak" in hanna.get("/organisations/mine").get_data(as_text=True)
    post_form(
        hanna,
        f"/organisations/claims/{claim.id}/answer",
        {"accept": "1", "role": "editor"},
    )
    assert _members(zatorze)["ewa.nowak@example.pl"] == "editor"


def test_a_refusal_is_told_with_its_reason_and_the_person_may_ask_again(
    newcomer, leszno_staff, zatorze, mailbox
):
    _claim(newcomer)
    claim = _the_claim()
    post_form(
        leszno_staff,
        f"/leszno/organisations/claims/{claim.id}/decision",
        {"refuse": "1", "reason": "Zarząd nie zna tej osoby."},
    )
    assert _members(zatorze) == {}
    assert "Zarząd nie zna tej osoby." in mailbox.last_to("ewa.nowak@example.pl").get_content()
    assert _claim(newcomer).status_code == 302
    db.session.expire_all()
    statuses = db.session.scalars(select(OrganisationClaim.status).order_by(OrganisationClaim.id))
    assert list(statuses) == ["refused", "pending"]


def test_a_second_claim_while_one_waits_is_refused_with_a_message(newcomer, zatorze):
    _claim(newcomer)
    again = _claim(newcomer, number=NIP)
    page = newcomer.get(again.location).get_data(as_text=True)
    assert "czeka na odpowiedź" in page or "waiting for an answer" in page
    assert len(db.session.scalars(select(OrganisationClaim)).all()) == 1


def test_a_member_cannot_claim_the_organisation_again(newcomer, zatorze):
    ewa = db.session.scalar(select(User).where(User.email == "ewa.nowak@example.pl"))
    db.session.add(OrganisationMember(organisation=zatorze, user=ewa, role="editor"))
    db.session.commit()
    _claim(newcomer)
    assert db.session.scalars(select(OrganisationClaim)).all() == []


def test_another_citys_claim_is_not_found_and_other_roles_may_not_decide(
    app, newcomer, zatorze, make_user, tenants
):
    _claim(newcomer)
    claim = _the_claim()
    url = f"/{{city}}/organisations/claims/{claim.id}/decision"
    make_user("k.wisniewska@kalisz.pl", kalisz="admin")
    kalisz = app.test_client()
    log_in(kalisz, "k.wisniewska@kalisz.pl")
    assert post_form(kalisz, url.format(city="kalisz"), {"accept": "1"}).status_code == 404

    make_user("przeglad@leszno.pl", leszno="viewer")
    viewer = app.test_client()
    log_in(viewer, "przeglad@leszno.pl")
    assert post_form(viewer, url.format(city="leszno"), {"accept": "1"}).status_code == 403
    # the claimant cannot answer their own claim either, by either door
    assert post_form(newcomer, url.format(city="leszno"), {"accept": "1"}).status_code == 403
    answer = post_form(newcomer, f"/organisations/claims/{claim.id}/answer", {"accept": "1"})
    assert answer.status_code == 403
    assert _the_claim().status == "pending"


def test_a_claim_decided_by_a_city_is_not_answered_by_anyone_else(
    app, newcomer, zatorze, make_user
):
    _claim(newcomer)
    claim = _the_claim()
    make_user("ktos@example.pl")
    stranger = app.test_client()
    log_in(stranger, "ktos@example.pl")
    answer = post_form(stranger, f"/organisations/claims/{claim.id}/answer", {"accept": "1"})
    assert answer.status_code == 404
    missing = post_form(stranger, "/organisations/claims/999999/answer", {"accept": "1"})
    assert missing.status_code == 404


def test_an_organisation_nobody_can_confirm_says_so(newcomer, tenants):
    factories.organisation("Fundacja Bez Miasta", krs="0000999001")
    page = newcomer.get("/organisations/start", query_string={"number": "0000999001"})
    assert "/organisations/claim" not in page.get_data(as_text=True)
    assert _claim(newcomer, number="0000999001").status_code == 302
    assert db.session.scalars(select(OrganisationClaim)).all() == []


def test_the_claim_form_names_the_city_as_the_controller_of_the_data(newcomer, zatorze):
    page = newcomer.get("/organisations/start", query_string={"number": KRS})
    assert "Prezydent Miasta Leszna" in page.get_data(as_text=True)


def test_a_new_organisation_is_registered_and_asks_two_cities(newcomer, tenants):
    answer = post_form(
        newcomer,
        "/organisations/register",
        {
            "name": "Fundacja Zielone Podwórko",
            "legal_form": "foundation",
            "krs": "0001099887",
            "cities": ["leszno", "kalisz"],
        },
    )
    assert answer.status_code == 302
    organisation = db.session.scalars(select(Organisation)).one()
    requests = [factories.registration_in(t, organisation) for t in tenants.values()]
    assert {(r.tenant.slug, r.status) for r in requests if r is not None} == {
        ("leszno", "requested"),
        ("kalisz", "requested"),
    }
    member = db.session.scalars(select(OrganisationMember)).one()
    assert member.user.email == "ewa.nowak@example.pl" and member.role == "representative"
    with tenant_scope(tenants["kalisz"].id):  # each request is in its city's audit log
        assert db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "Registration")
        ).all()


def test_registering_shows_similar_names_before_saving(newcomer, zatorze):
    factories.organisation("Spółdzielnia Socjalna „Smaki Leszna”")  # shares only the city
    answer = post_form(
        newcomer,
        "/organisations/register",
        {"name": "Sąsiedzi z Zatorza w Lesznie", "legal_form": "association"},
    )
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Stowarzyszenie Sąsiedzi z Zatorza" in page
    assert f"number={KRS}" in page  # "this is mine": ask to act for it instead
    assert "Smaki Leszna" not in page
    assert len(db.session.scalars(select(Organisation)).all()) == 2  # nothing new saved


def test_registering_an_identifier_already_in_razem_points_to_claiming_it(newcomer, zatorze):
    answer = post_form(
        newcomer,
        "/organisations/register",
        {"name": "Inna nazwa", "legal_form": "association", "nip": NIP},
    )
    assert f"number={KRS}" in answer.get_data(as_text=True)


def test_the_organisations_name_is_not_asked_as_a_persons_name(newcomer):
    page = newcomer.get("/organisations/register").get_data(as_text=True)
    assert "Nazwa organizacji" in page and "Imię i nazwisko" not in page


def test_registering_refuses_a_wrong_identifier_with_a_message(newcomer):
    answer = post_form(
        newcomer,
        "/organisations/register",
        {"name": "Fundacja", "legal_form": "foundation", "nip": "6972309158"},
    )
    assert answer.status_code == 422
    assert "NIP" in answer.get_data(as_text=True)


def test_a_person_without_an_organisation_is_shown_the_ways_in(newcomer):
    page = newcomer.get("/leszno/organisations/apply").get_data(as_text=True)
    assert "/organisations/start" in page and "/organisations/register?city=leszno" in page
    assert "już tu zarejestrowane" not in page and "already registered here" not in page


def test_an_anonymous_request_to_register_leads_to_sign_up_and_back(client):
    page = client.get("/leszno/organisations").get_data(as_text=True)
    assert "/signup?next=/leszno/organisations/apply" in page
