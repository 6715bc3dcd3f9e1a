from __future__ import annotations

from app.extensions import db
from app.organisations.models import OrganisationMember
from tests import factories
from tests.conftest import PASSWORD


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


def test_list_search_and_filters_are_public(client, tenants):
    factories.registration(
        tenants["pila"],
        factories.organisation("Fundacja „Źródło”", legal_form="foundation", areas=["6"]),
    )
    factories.registration(tenants["pila"], factories.organisation("Klub Sportowy Polonia"))
    found = client.get("/api/v1/tenants/pila/organisations?q=zrodlo")
    assert found.status_code == 200
    assert [r["organisation"]["name"] for r in found.json] == ["Fundacja „Źródło”"]
    assert "notes" not in found.json[0]
    assert len(client.get("/api/v1/tenants/pila/organisations?area=6").json) == 1
    assert '"total": 2' in client.get("/api/v1/tenants/pila/organisations").headers["X-Pagination"]


def test_staff_create_and_duplicates_answer_409(client, make_user, tenants):
    make_user("b.grygier@leszno.pl", leszno="staff")
    headers = _bearer(client, "b.grygier@leszno.pl")
    body = {
        "name": "Stowarzyszenie „ECHO”",
        "legal_form": "association",
        "nip": "856-734-62-15",
        "areas": ["16"],
    }
    created = client.post("/api/v1/tenants/leszno/organisations", json=body, headers=headers)
    assert created.status_code == 201
    assert created.json["organisation"]["nip"] == "8567346215"
    again = client.post("/api/v1/tenants/leszno/organisations", json=body, headers=headers)
    assert again.status_code == 409 and again.content_type == "application/problem+json"
    assert again.json["errors"]["existing_organisation_id"] == created.json["organisation"]["id"]


def test_bad_numbers_answer_422_with_the_reason(client, make_user):
    make_user("b.grygier@leszno.pl", leszno="staff")
    response = client.post(
        "/api/v1/tenants/leszno/organisations",
        json={"name": "X", "legal_form": "association", "nip": "8567346216", "regon": "12"},
        headers={**_bearer(client, "b.grygier@leszno.pl"), "Accept-Language": "en"},
    )
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert errors["nip"] == ["NIP has a wrong check digit: check for a typo."]
    assert errors["regon"] == ["REGON has the wrong number of digits."]


def test_registration_fields_and_private_notes_for_staff_only(client, make_user, tenants):
    registration = factories.registration(tenants["leszno"])
    org_id = registration.organisation_id
    make_user("b.grygier@leszno.pl", leszno="staff")
    make_user("k.wisniewska@kalisz.pl", kalisz="staff")
    staff = _bearer(client, "b.grygier@leszno.pl")
    url = f"/api/v1/tenants/leszno/organisations/{org_id}"
    updated = client.patch(
        url,
        json={
            "notes": "Kontakt przez sekretariat.",
            "tags": ["sport"],
            "contact_name": "Jan Nowak",
            "version": 1,
        },
        headers=staff,
    )
    assert updated.status_code == 200 and updated.json["tags"] == ["sport"]
    assert client.get(url, headers=staff).json["contact_name"] == "Jan Nowak"
    public = client.get(url).json  # as on the public page: the city's contact is the office's
    assert not {"contact_name", "contact_email", "contact_phone", "notes", "tags"} & set(public)
    other_city = _bearer(client, "k.wisniewska@kalisz.pl")
    assert (
        client.patch(url, json={"notes": "x", "version": 2}, headers=other_city).status_code == 403
    )
    assert client.get(f"/api/v1/tenants/kalisz/organisations/{org_id}").status_code == 404


def test_members_update_the_global_profile(client, make_user, tenants):
    organisation = factories.organisation("Stowarzyszenie „ECHO”")
    rep = make_user("h.hendrysiak@echo.org.pl")
    db.session.add(OrganisationMember(organisation=organisation, user=rep))
    db.session.commit()
    make_user("obcy@example.org")
    url = f"/api/v1/organisations/{organisation.id}"
    changed = client.patch(
        url,
        json={"phone": "+48 65 529 12 34", "version": 1},
        headers=_bearer(client, "h.hendrysiak@echo.org.pl"),
    )
    assert changed.status_code == 200 and changed.json["phone"] == "+48 65 529 12 34"
    stranger = _bearer(client, "obcy@example.org")
    assert client.patch(url, json={"phone": "0", "version": 2}, headers=stranger).status_code == 404
    assert client.get(url).status_code == 404  # active nowhere: no page, no public profile
    factories.registration(tenants["leszno"], organisation)
    assert client.patch(url, json={"phone": "0", "version": 2}, headers=stranger).status_code == 403
    assert client.get(url).json["name"] == "Stowarzyszenie „ECHO”"


def test_the_register_kept_for_the_office_is_neither_another_readers_nor_out_of_date(
    client, make_user, tenants
):
    """A page of the list is kept for each kind of reader (page_cache.kept_for_the_city):
    the office's, with its notes and requests, is not a viewer's, and a change is on the
    next read."""
    factories.registration(tenants["leszno"], factories.organisation("Klub Sportowy Polonia"))
    factories.registration(tenants["leszno"], status="requested")
    make_user("b.grygier@leszno.pl", leszno="staff")
    make_user("viewer@leszno.pl", leszno="viewer")
    staff, viewer = _bearer(client, "b.grygier@leszno.pl"), _bearer(client, "viewer@leszno.pl")
    url = "/api/v1/tenants/leszno/organisations?status=requested"
    [requested] = client.get(url, headers=staff).json  # kept for the office
    assert requested["notes"] is None

    assert [r["status"] for r in client.get(url, headers=viewer).json] == ["active"]
    assert "notes" not in client.get(url, headers=viewer).json[0]
    record = f"/api/v1/tenants/leszno/organisations/{requested['organisation']['id']}"
    client.patch(record, json={"notes": "Brak statutu.", "version": 1}, headers=staff)
    assert client.get(url, headers=staff).json[0]["notes"] == "Brak statutu."
