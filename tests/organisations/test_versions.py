"""Two people saving the same organisation: its profile (its representatives and editors)
and a city's registration of it (the city's staff). Whoever saves second from an older
version is told, and keeps what they typed; nothing the first saved is overwritten."""

from __future__ import annotations

import pytest

from app.extensions import db
from app.organisations.models import OrganisationMember
from tests import factories
from tests.conftest import PASSWORD, log_in, post_form

PROFILE = {
    "name": "Stowarzyszenie „ECHO”",
    "short_name": "ECHO",
    "legal_form": "association",
    "krs": "0000359730",
    "areas": ["10", "16"],
}


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


@pytest.fixture
def echo(tenants, make_user):
    organisation = factories.organisation(**{k: v for k, v in PROFILE.items() if k != "areas"})
    factories.registration(tenants["leszno"], organisation)
    for email, role in (
        ("h.hendrysiak@echo.org.pl", "representative"),
        ("m.kowalczyk@echo.org.pl", "editor"),
    ):
        db.session.add(
            OrganisationMember(organisation=organisation, user=make_user(email), role=role)
        )
    db.session.commit()
    return organisation


@pytest.fixture
def leszno_staff(make_user):
    make_user("a.szymanska@leszno.pl", leszno="staff")
    make_user("b.grygier@leszno.pl", leszno="staff")


def test_a_profile_saved_from_an_older_version_is_refused_and_the_input_kept(client, echo):
    log_in(client, "h.hendrysiak@echo.org.pl")
    opened = echo.lock_version
    first = post_form(
        client,
        f"/organisations/{echo.id}/edit",
        {**PROFILE, "address": "ul. Słowiańska 41, 64-100 Leszno", "version": opened},
    )
    assert first.status_code == 302
    post_form(client, "/logout")

    log_in(client, "m.kowalczyk@echo.org.pl")
    second = post_form(
        client,
        f"/organisations/{echo.id}/edit",
        {**PROFILE, "address": "ul. Leszczyńskich 5, 64-100 Leszno", "version": opened},
        headers={"Accept-Language": "pl"},
    )
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Ktoś inny zapisał" in page
    assert 'value="ul. Leszczyńskich 5, 64-100 Leszno"' in page  # what the editor typed
    db.session.refresh(echo)
    assert echo.address == "ul. Słowiańska 41, 64-100 Leszno"


def test_the_profile_form_carries_the_version_it_shows(client, echo):
    log_in(client, "h.hendrysiak@echo.org.pl")
    page = client.get(f"/organisations/{echo.id}/edit").get_data(as_text=True)
    assert f'name="version" type="hidden" value="{echo.lock_version}"' in page


def test_a_city_record_saved_from_an_older_version_is_refused_and_the_input_kept(
    client, echo, tenants, leszno_staff
):
    registration = factories.registration_in(tenants["leszno"], echo)
    url = f"/leszno/organisations/{registration.id}"
    opened = registration.lock_version
    log_in(client, "a.szymanska@leszno.pl")
    first = post_form(
        client,
        url,
        {"status": "active", "notes": "Zaległe sprawozdanie z dotacji 2023.", "version": opened},
    )
    assert first.status_code == 302
    post_form(client, "/logout")

    log_in(client, "b.grygier@leszno.pl")
    second = post_form(
        client,
        url,
        {"status": "active", "notes": "Sprawozdanie rozliczone.", "version": opened},
        headers={"Accept-Language": "pl"},
    )
    page = second.get_data(as_text=True)
    assert second.status_code == 409
    assert "Ktoś inny zapisał" in page
    assert "Sprawozdanie rozliczone." in page  # in the form, to compare and send again
    assert "Zaległe sprawozdanie z dotacji 2023." in page  # the record as saved now
    again = client.get(url).get_data(as_text=True)
    assert "Zaległe sprawozdanie z dotacji 2023." in again
    assert "Sprawozdanie rozliczone." not in again


def test_a_change_of_the_tags_alone_is_a_new_version(client, echo, tenants, leszno_staff):
    registration = factories.registration_in(tenants["leszno"], echo)
    opened = registration.lock_version
    log_in(client, "a.szymanska@leszno.pl")
    post_form(
        client,
        f"/leszno/organisations/{registration.id}",
        {"status": "active", "tags": "seniorzy", "version": opened},
    )
    assert factories.registration_in(tenants["leszno"], echo).lock_version == opened + 1


def test_the_areas_alone_are_a_new_version_of_the_profile(client, echo):
    opened = echo.lock_version
    log_in(client, "h.hendrysiak@echo.org.pl")
    post_form(
        client, f"/organisations/{echo.id}/edit", {**PROFILE, "areas": ["10"], "version": opened}
    )
    db.session.refresh(echo)
    assert echo.areas == ["10"] and echo.lock_version == opened + 1


# -- over the API --------------------------------------------------------------------


def test_the_api_updates_the_profile_with_the_version_read(client, echo):
    url = f"/api/v1/organisations/{echo.id}"
    representative = _bearer(client, "h.hendrysiak@echo.org.pl")
    editor = _bearer(client, "m.kowalczyk@echo.org.pl")
    read = client.get(url, headers=editor)
    assert read.headers["ETag"] == f'"v{read.json["version"]}"'

    saved = client.patch(
        url,
        json={"phone": "+48 65 529 12 34", "version": read.json["version"]},
        headers=representative,
    )
    assert saved.status_code == 200 and saved.json["version"] == read.json["version"] + 1

    stale = client.patch(
        url, json={"phone": "+48 600 000 000", "version": read.json["version"]}, headers=editor
    )
    assert stale.status_code == 409
    assert stale.mimetype == "application/problem+json"
    late = client.patch(
        url, json={"phone": "+48 600 000 000"}, headers=editor | {"If-Match": read.headers["ETag"]}
    )
    assert late.status_code == 412
    blind = client.patch(url, json={"phone": "+48 600 000 000"}, headers=editor)
    assert blind.status_code == 428
    assert client.get(url).json["phone"] == "+48 65 529 12 34"


def test_the_api_updates_the_city_record_with_the_version_read(client, echo, tenants, leszno_staff):
    url = f"/api/v1/tenants/leszno/organisations/{echo.id}"
    first = _bearer(client, "a.szymanska@leszno.pl")
    second = _bearer(client, "b.grygier@leszno.pl")
    read = client.get(url, headers=second)
    assert read.headers["ETag"] == f'"v{read.json["version"]}"'

    saved = client.patch(
        url,
        json={"notes": "Zaległe sprawozdanie z dotacji 2023."},
        headers=first | {"If-Match": read.headers["ETag"]},
    )
    assert saved.status_code == 200 and saved.json["version"] == read.json["version"] + 1

    stale = client.patch(
        url,
        json={"notes": "Sprawozdanie rozliczone.", "version": read.json["version"]},
        headers=second | {"Accept-Language": "pl"},
    )
    assert stale.status_code == 409 and "Ktoś inny zapisał" in stale.json["detail"]
    assert (
        client.patch(
            url, json={"notes": "x"}, headers=second | {"If-Match": read.headers["ETag"]}
        ).status_code
        == 412
    )
    assert client.get(url, headers=first).json["notes"] == "Zaległe sprawozdanie z dotacji 2023."
