"""A city's data in and out: `flask tenants export | offboard | import`, on the demo of the
seeds. Which tables hold a city's rows is read here from the metadata's foreign keys to
tenants, independently of the code under test."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.extensions import Model, db, limiter
from app.meetings.models import Attachment, Meeting
from app.storage import storage
from app.tenancy.catalog import sync
from app.tenancy.context import tenant_scope
from tests.conftest import PASSWORD, log_in, post_form

MINUTES_SCAN = "%PDF-1.4\nlista obecności 13.07.2023 r.\n%%EOF\n".encode()


def rows_of_city(owner, tenant_id: int) -> dict[str, int]:
    """Rows naming the city in any column that refers to tenants, in every table."""
    counts = {}
    with owner.connect() as connection:
        for table in Model.metadata.sorted_tables:
            for fk in table.foreign_keys:
                if fk.column.table.name == "tenants":
                    counts[f"{table.name}.{fk.parent.name}"] = connection.scalar(
                        select(func.count()).select_from(table).where(fk.parent == tenant_id)
                    )
    return counts


def files_of(root: Path, tenant_id: int) -> dict[str, str]:
    folder = root / f"tenant-{tenant_id}"
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in folder.rglob("*")
        if path.is_file()
    }


def tenant_id_of(owner, slug: str) -> int | None:
    with owner.connect() as connection:
        return connection.scalar(text("SELECT id FROM tenants WHERE slug = :s"), {"s": slug})


@pytest.fixture
def leszno_with_a_file(app, demo):
    """The demo's cities (slug: id); Leszno's first meeting with its scanned attendance list
    attached."""
    leszno = demo["leszno"]
    with tenant_scope(leszno.id):
        meeting = db.session.scalars(select(Meeting).order_by(Meeting.id)).first()
        key = storage().save(leszno.id, "lista obecności.pdf", MINUTES_SCAN)
        db.session.add(
            Attachment(
                meeting_id=meeting.id,
                title="Lista obecności",
                file_name="lista obecności.pdf",
                storage_key=key,
            )
        )
        db.session.commit()
    ids = {slug: tenant.id for slug, tenant in demo.items()}
    db.session.remove()
    yield ids
    # An offboarded city comes back from its file (under a new id) for the tests after.
    sync(app.config["TENANTS_DIR"])
    db.session.commit()


def cli(app, *args: str):
    return app.test_cli_runner().invoke(args=["tenants", *args])


def test_offboarding_leaves_no_row_of_the_city_and_no_file(app, owner, leszno_with_a_file):
    leszno_id = leszno_with_a_file["leszno"]
    kalisz_id = leszno_with_a_file["kalisz"]
    root = Path(app.config["STORAGE_ROOT"])
    kalisz_before = rows_of_city(owner, kalisz_id)
    assert sum(rows_of_city(owner, leszno_id).values()) > 100, "the demo fills Leszno"

    dry = cli(app, "offboard", "leszno", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "meetings" in dry.output and "Dry run" in dry.output
    assert "files" in dry.output and files_of(root, leszno_id)
    assert tenant_id_of(owner, "leszno") == leszno_id, "a dry run removes nothing"

    result = cli(app, "offboard", "leszno")
    assert result.exit_code == 0, result.output

    left = {table: count for table, count in rows_of_city(owner, leszno_id).items() if count}
    assert left == {}
    assert tenant_id_of(owner, "leszno") is None
    assert not (root / f"tenant-{leszno_id}").exists()
    assert rows_of_city(owner, kalisz_id) == kalisz_before, "another city is untouched"
    with owner.connect() as connection:
        # ECHO's representative is active in Kalisz too: the account and the NGO stay
        assert connection.scalar(text("SELECT count(*) FROM users WHERE email='ngo@echo.demo'"))
        logged = connection.execute(
            text("SELECT action, subject FROM operator_log ORDER BY id")
        ).all()
    assert ("tenant.offboard", "leszno") in logged


def test_export_offboard_import_gives_the_same_city(app, owner, leszno_with_a_file, tmp_path):
    leszno_id = leszno_with_a_file["leszno"]
    root = Path(app.config["STORAGE_ROOT"])
    archive_path = tmp_path / "leszno.zip"
    before = {k: v for k, v in rows_of_city(owner, leszno_id).items() if v}
    files_before = files_of(root, leszno_id)

    exported = cli(app, "export", "leszno", "--output", str(archive_path))
    assert exported.exit_code == 0, exported.output
    with zipfile.ZipFile(archive_path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        data = json.loads(archive.read("data.json"))
    assert manifest["counts"]["meetings"] == before["meetings.tenant_id"]
    assert set(manifest["files"].values()) == set(files_before.values())
    assert manifest["schema_revision"]
    assert all("password_hash" not in user for user in data["identities"]["users"])

    assert cli(app, "offboard", "leszno").exit_code == 0
    imported = cli(app, "import", str(archive_path))
    assert imported.exit_code == 0, imported.output

    new_id = tenant_id_of(owner, "leszno")
    assert new_id is not None and new_id != leszno_id, "new ids, remapped"
    after = {k: v for k, v in rows_of_city(owner, new_id).items() if v}
    assert after == before
    assert files_of(root, new_id) == files_before
    with owner.connect() as connection:
        key = connection.scalar(
            text("SELECT storage_key FROM meeting_attachments WHERE tenant_id = :t"), {"t": new_id}
        )
        # the people stayed (their accounts are theirs): matched by e-mail, not copied
        assert connection.scalar(text("SELECT count(*) FROM users WHERE email LIKE '%leszno.demo'"))
        assert not connection.scalar(text("SELECT count(*) - count(DISTINCT email) FROM users")), (
            "no duplicate people"
        )
    assert key.startswith(f"tenant-{new_id}/")
    assert storage().open(key).read() == MINUTES_SCAN


def test_import_refuses_a_city_that_exists(app, owner, leszno_with_a_file, tmp_path):
    archive_path = tmp_path / "leszno.zip"
    assert cli(app, "export", "leszno", "--output", str(archive_path)).exit_code == 0
    before = rows_of_city(owner, leszno_with_a_file["leszno"])

    result = cli(app, "import", str(archive_path))

    assert result.exit_code != 0
    assert "exists" in result.output
    assert rows_of_city(owner, leszno_with_a_file["leszno"]) == before


def test_import_refuses_a_changed_archive(app, owner, leszno_with_a_file, tmp_path):
    archive_path = tmp_path / "leszno.zip"
    assert cli(app, "export", "leszno", "--output", str(archive_path)).exit_code == 0
    assert cli(app, "offboard", "leszno").exit_code == 0
    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(archive_path) as source, zipfile.ZipFile(tampered, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("files/"):
                content += b"changed"
            target.writestr(item, content)

    result = cli(app, "import", str(tampered))

    assert result.exit_code != 0
    assert "checksum" in result.output
    assert tenant_id_of(owner, "leszno") is None, "nothing was imported"


def test_import_refuses_another_schema_revision(app, owner, leszno_with_a_file, tmp_path):
    archive_path = tmp_path / "leszno.zip"
    assert cli(app, "export", "leszno", "--output", str(archive_path)).exit_code == 0
    assert cli(app, "offboard", "leszno").exit_code == 0
    older = tmp_path / "older.zip"
    with zipfile.ZipFile(archive_path) as source, zipfile.ZipFile(older, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "manifest.json":
                manifest = json.loads(content)
                manifest["schema_revision"] = "0012_older"
                content = json.dumps(manifest).encode()
            target.writestr(item, content)

    result = cli(app, "import", str(older))

    assert result.exit_code != 0
    assert "revision" in result.output


def test_people_missing_here_are_created_without_a_password(
    app, owner, leszno_with_a_file, tmp_path
):
    """As on another deployment: Leszno's staff member has no account there yet."""
    archive_path = tmp_path / "leszno.zip"
    before = {k: v for k, v in rows_of_city(owner, leszno_with_a_file["leszno"]).items() if v}
    assert cli(app, "export", "leszno", "--output", str(archive_path)).exit_code == 0
    assert cli(app, "offboard", "leszno").exit_code == 0
    with owner.begin() as connection:
        connection.execute(text("DELETE FROM users WHERE email = 'pracownik@leszno.demo'"))

    imported = cli(app, "import", str(archive_path))

    assert imported.exit_code == 0, imported.output
    assert "created 1" in imported.output
    new_id = tenant_id_of(owner, "leszno")
    with owner.connect() as connection:
        barbara = connection.execute(
            text(
                "SELECT u.name, u.password_hash, m.role FROM users u "
                "JOIN memberships m ON m.user_id = u.id AND m.tenant_id = :t "
                "WHERE u.email = 'pracownik@leszno.demo'"
            ),
            {"t": new_id},
        ).one()
    assert barbara == ("Barbara Grygier", None, "staff"), "she sets a password by the reset link"
    after = {k: v for k, v in rows_of_city(owner, new_id).items() if v}
    assert after == before


def test_the_commands_refuse_to_run_as_the_application_role(app, owner, leszno_with_a_file):
    owner_url = app.config["MIGRATION_DATABASE_URI"]
    app.config["MIGRATION_DATABASE_URI"] = None
    try:
        result = cli(app, "offboard", "leszno")
    finally:
        app.config["MIGRATION_DATABASE_URI"] = owner_url
    assert result.exit_code != 0
    assert "MIGRATION_DATABASE_URL" in result.output
    assert tenant_id_of(owner, "leszno") == leszno_with_a_file["leszno"]


def test_import_refuses_a_file_outside_the_citys_folder(app, owner, tmp_path):
    payload = b"{}"
    manifest = {
        "format": "razem-tenant-archive/1",
        "schema_revision": "",
        "data_sha256": hashlib.sha256(payload).hexdigest(),
        "files": {"../../escaped.txt": hashlib.sha256(b"x").hexdigest()},
    }
    crafted = tmp_path / "crafted.zip"
    with zipfile.ZipFile(crafted, "w") as archive:
        archive.writestr("manifest.json", json.dumps(manifest))
        archive.writestr("data.json", payload)
        archive.writestr("files/../../escaped.txt", b"x")

    result = cli(app, "import", str(crafted))

    assert result.exit_code != 0
    assert "outside" in result.output
    assert not (Path(app.config["STORAGE_ROOT"]).parent / "escaped.txt").exists()


def test_the_operator_exports_a_city_from_the_platform_page(
    app, owner, leszno_with_a_file, make_user, tmp_path
):
    """The page's button makes, as a background job, the archive the command makes."""
    make_user("operator@razem.pl", operator=True)
    make_user("a.szymanska@leszno.pl", leszno="admin")
    operator, admin = app.test_client(), app.test_client()
    log_in(operator, "operator@razem.pl")
    log_in(admin, "a.szymanska@leszno.pl")
    assert post_form(admin, "/platform/leszno/export").status_code == 403

    job_url = post_form(operator, "/platform/leszno/export").location
    download = operator.get(job_url + "/download")

    assert download.status_code == 200
    assert admin.get(job_url + "/download").status_code == 404, "the operator's alone"
    from_page = tmp_path / "from-page.zip"
    from_page.write_bytes(download.get_data())
    from_command = tmp_path / "from-command.zip"
    assert cli(app, "export", "leszno", "--output", str(from_command)).exit_code == 0
    page_manifest, command_manifest = manifest_of(from_page), manifest_of(from_command)
    assert page_manifest["counts"] == command_manifest["counts"]
    assert page_manifest["files"] == command_manifest["files"] != {}
    with owner.connect() as connection:
        logged = connection.execute(
            text("SELECT performed_by FROM operator_log WHERE action = 'tenant.export'")
        ).scalars()
        assert "operator@razem.pl" in list(logged)


def test_the_operators_api_twin_makes_the_archive_the_page_makes(
    app, leszno_with_a_file, make_user, tmp_path
):
    """POST /api/v1/platform/leszno/export starts the job the page starts, for the operator
    alone: a city's administrator is refused, and the archive is no one else's to fetch."""
    make_user("operator@razem.pl", operator=True)
    make_user("a.szymanska@leszno.pl", leszno="admin")
    browser, api = app.test_client(), app.test_client()
    log_in(browser, "operator@razem.pl")
    operator, admin = _token(api, "operator@razem.pl"), _token(api, "a.szymanska@leszno.pl")
    export = "/api/v1/platform/leszno/export"
    assert api.post(export, json={"file_format": "zip"}, headers=admin).status_code == 403

    started = api.post(export, json={"file_format": "zip"}, headers=operator)
    assert started.status_code == 202, started.json
    job = api.get(started.headers["Location"], headers=operator).json
    assert job["status"] == "done" and job["file"]["name"].startswith("leszno-"), job
    from_api = tmp_path / "from-api.zip"
    from_api.write_bytes(api.get(job["file"]["url"], headers=operator).get_data())
    assert api.get(job["file"]["url"], headers=admin).status_code == 404, "the operator's alone"
    from_page = tmp_path / "from-page.zip"
    job_url = post_form(browser, "/platform/leszno/export").location
    from_page.write_bytes(browser.get(job_url + "/download").get_data())
    api_counts, page_counts = manifest_of(from_api)["counts"], manifest_of(from_page)["counts"]
    # each export is a job of the city's: the later archive holds the earlier one's job
    assert page_counts.pop("jobs") == api_counts.pop("jobs") + 1
    assert api_counts == page_counts
    assert manifest_of(from_api)["files"] == manifest_of(from_page)["files"] != {}


def _token(client, email: str) -> dict[str, str]:
    limiter.reset()
    answer = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    assert answer.status_code == 201, answer.json
    return {"Authorization": f"Bearer {answer.json['token']}"}


def manifest_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))
