"""What a job produced is for the eyes that may still see it: a person removed from the city
(or from the region) after starting an export no longer opens its page or its file."""

from __future__ import annotations

from sqlalchemy import delete

from app.accounts.models import Membership, RegionalAssignment
from app.extensions import db
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form


def _job_urls(job_url: str) -> list[str]:
    return [job_url, job_url + "/status.json", job_url + "/download"]


def test_staff_removed_from_the_city_no_longer_download_the_register(client, make_user, tenants):
    staff = make_user("pracownik@leszno.pl", leszno="staff")
    factories.registration(tenants["leszno"])
    log_in(client, "pracownik@leszno.pl")
    job_url = post_form(client, "/leszno/organisations/export", {"format": "csv"}).location
    assert [client.get(url).status_code for url in _job_urls(job_url)] == [200, 200, 200]

    with tenant_scope(tenants["leszno"].id):
        db.session.execute(delete(Membership).where(Membership.user_id == staff.id))
        db.session.commit()

    assert [client.get(url).status_code for url in _job_urls(job_url)] == [404, 404, 404]


def test_staff_made_viewers_no_longer_download_the_audit_export(client, make_user, tenants):
    admin = make_user("admin@leszno.pl", leszno="admin")
    log_in(client, "admin@leszno.pl")
    job_url = post_form(client, "/leszno/audit/export").location
    assert client.get(job_url + "/download").status_code == 200

    with tenant_scope(tenants["leszno"].id):
        admin.memberships[0].role = "viewer"
        db.session.commit()

    assert [client.get(url).status_code for url in _job_urls(job_url)] == [404, 404, 404]


def test_a_former_coordinator_no_longer_downloads_the_matrix(client, make_user, regions):
    coordinator = make_user("koordynator@umww.pl", coordinator_of="wielkopolskie")
    project = factories.standards_project(regions["wielkopolskie"])
    log_in(client, "koordynator@umww.pl")
    export_url = f"/regions/wielkopolskie/projects/{project.id}/adoption/export"
    job_url = post_form(client, export_url, {"file_format": "csv"}).location
    assert client.get(job_url + "/download").status_code == 200

    db.session.execute(
        delete(RegionalAssignment).where(RegionalAssignment.user_id == coordinator.id)
    )
    db.session.commit()

    assert [client.get(url).status_code for url in _job_urls(job_url)] == [404, 404, 404]
