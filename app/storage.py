"""Files on disk under STORAGE_ROOT, one folder per tenant.

The interface (save, open, exists) is what an S3-backed store would implement later.
"""

from __future__ import annotations

import logging
import os
import tempfile
import uuid
from contextlib import suppress
from pathlib import Path
from typing import BinaryIO
from urllib.parse import quote

from anyascii import anyascii
from flask import current_app
from flask_babel import gettext as _

from app.files import UploadRejected, safe_filename

log = logging.getLogger(__name__)
# People's attachments: the app's user writes them, its group (a backup user) may read them.
FILE_MODE = 0o640


class StorageUnavailable(UploadRejected):
    """The file could not be stored (the disk is full or cannot be written); nothing was."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "The file could not be saved because the file storage is unavailable at the "
                "moment. Nothing has been saved; please try again later."
            )
        )


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, tenant_id: int | None, filename: str, data: bytes) -> str:
        """Store `data` whole or not at all: a full disk or an unwritable folder leaves no
        file behind, and raises StorageUnavailable for the person's form."""
        folder = f"tenant-{tenant_id}" if tenant_id is not None else "global"
        key = f"{folder}/{uuid.uuid4().hex}/{safe_filename(filename)}"
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            _write_whole(path, data)
        except OSError as error:
            log.error("storage could not take %s: %s", key, error)
            with suppress(OSError):
                path.parent.rmdir()  # the file's own folder, empty again
            raise StorageUnavailable() from error
        return key

    def probe(self) -> None:
        """Create, write and delete a small file under the root: an OSError says why the
        storage cannot take files (unwritable, full, not mounted)."""
        self.root.mkdir(parents=True, exist_ok=True)
        probe = self.root / f".probe-{uuid.uuid4().hex}"
        try:
            with probe.open("wb") as handle:
                handle.write(b"ok")
                handle.flush()
                os.fsync(handle.fileno())
        finally:
            probe.unlink(missing_ok=True)

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("storage key escapes the storage root")
        return path


def _write_whole(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, on disk (fsync), then rename it: readers see
    the whole file or none, and a failure removes the part written."""
    descriptor, partial = tempfile.mkstemp(dir=path.parent, prefix=".partial-")
    try:
        os.fchmod(descriptor, FILE_MODE)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def storage() -> LocalStorage:
    return LocalStorage(Path(current_app.config["STORAGE_ROOT"]))


def send_stored(key: str | None, name: str | None):
    """A stored file as a download, or 404 when there is none."""
    from flask import abort, send_file

    if not key:
        abort(404)
    name = safe_filename(name)
    response = send_file(storage().open(key), as_attachment=True, download_name=name)
    # RFC 6266: the name itself in filename*, and for clients that read only `filename` a
    # transliteration (Flask's own drops the letters without an ASCII decomposition: ł, Ł)
    quoted = quote(name, safe="!#$&+-.^_`|~")
    response.headers.set(
        "Content-Disposition",
        "attachment",
        filename=anyascii(name),
        **{"filename*": f"UTF-8''{quoted}"},
    )
    return response
