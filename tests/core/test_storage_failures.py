"""When the file storage is unwritable or full: a clear message in the form, which keeps
what the person wrote; nothing saved, no part of a file left behind; /readyz says so."""

from __future__ import annotations

import errno
import io
import os

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.programmes.models import Opinion
from app.storage import StorageUnavailable, storage
from tests.conftest import REDIS_URL, log_in, post_form
from tests.programmes.test_consultation import consulted  # noqa: F401 - a fixture

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
UNAVAILABLE_PL = "Nie udało się zapisać pliku, ponieważ magazyn plików jest chwilowo niedostępny."


@pytest.fixture
def unwritable_storage(app, tmp_path):
    """STORAGE_ROOT names a file, not a folder: nothing can be created below it, even by
    root (the suite may run as root, for whom permissions are no wall)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    kept = app.config["STORAGE_ROOT"]
    app.config["STORAGE_ROOT"] = blocker
    yield blocker
    app.config["STORAGE_ROOT"] = kept


@pytest.fixture
def full_disk(monkeypatch):
    """The disk fills up while the file is being written: the data goes out, fsync fails."""

    def no_space_left(descriptor):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space_left)


def _files_under(root) -> list[str]:
    return [str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()]


def test_an_opinion_with_its_document_keeps_the_form_and_saves_nothing(
    client,
    make_user,
    consulted,  # noqa: F811 - the fixture imported above
    unwritable_storage,
):
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")

    answer = post_form(
        client,
        f"/leszno/programmes/{consulted}/opinions",
        {
            "body": "Leszczyńska Rada Seniorów",
            "given_on": "2023-10-20",
            "text": "Rada pozytywnie opiniuje projekt Programu.",
            "attachment": (io.BytesIO(PDF), "opinia LRS.pdf"),
        },
        content_type="multipart/form-data",
    )

    page = answer.get_data(as_text=True)
    assert answer.status_code == 422
    assert UNAVAILABLE_PL in page
    assert "Rada pozytywnie opiniuje projekt Programu." in page  # what they wrote is kept
    assert db.session.scalar(select(func.count()).select_from(Opinion)) == 0


def test_an_import_file_gets_the_message_in_its_form(client, make_user, unwritable_storage):
    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    table = "Nazwa;KRS\nStowarzyszenie „ECHO”;0000123456\n".encode()

    answer = post_form(
        client,
        "/leszno/organisations/import",
        {"file": (io.BytesIO(table), "organizacje.csv")},
        content_type="multipart/form-data",
    )

    assert answer.status_code == 422
    assert UNAVAILABLE_PL in answer.get_data(as_text=True)


def test_a_full_disk_leaves_no_part_of_the_file(app_context, app, full_disk):
    root = app.config["STORAGE_ROOT"]
    before = _files_under(root)

    with pytest.raises(StorageUnavailable):
        storage().save(1, "uchwała.pdf", PDF * 1000)

    assert _files_under(root) == before


def test_a_file_is_stored_whole_and_read_back(app_context):
    key = storage().save(1, "uchwała nr XII/2024.pdf", PDF)

    with storage().open(key) as stored:
        assert stored.read() == PDF
    assert not [name for name in _files_under(storage().root) if ".partial-" in name]


def test_readiness_names_the_part_that_is_down(app, client, unwritable_storage):
    answer = client.get("/readyz")

    assert answer.status_code == 503
    assert answer.json["status"] == "unavailable"
    assert answer.json["checks"]["storage"].startswith("unavailable")
    assert answer.json["checks"]["database"] == "ok"


def test_readiness_is_ok_with_every_part(app, client):
    app.config["REDIS_URL"] = REDIS_URL
    try:
        answer = client.get("/readyz")
    finally:
        app.config["REDIS_URL"] = None
        app.extensions.pop("redis", None)

    assert answer.status_code == 200
    assert answer.json == {
        "status": "ok",
        "checks": {"database": "ok", "storage": "ok", "redis": "ok"},
    }
