"""Files on disk under STORAGE_ROOT, one folder per tenant.

The interface (save, open, exists) is what an S3-backed store would implement later.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from app.files import safe_filename


class LocalStorage:
    def __init__(self, root: Path) -> None:
        self.root = root

    def save(self, tenant_id: int | None, filename: str, data: bytes) -> str:
        folder = f"tenant-{tenant_id}" if tenant_id is not None else "global"
        key = f"{folder}/{uuid.uuid4().hex}/{safe_filename(filename)}"
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return key

    def open(self, key: str) -> BinaryIO:
        return self._path(key).open("rb")

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def _path(self, key: str) -> Path:
        path = (self.root / key).resolve()
        if self.root.resolve() not in path.parents:
            raise ValueError("storage key escapes the storage root")
        return path


def storage() -> LocalStorage:
    return LocalStorage(Path(current_app.config["STORAGE_ROOT"]))


def send_stored(key: str | None, name: str | None):
    """A stored file as a download, or 404 when there is none."""
    from flask import abort, send_file

    if not key:
        abort(404)
    # Flask writes a non-ASCII name as RFC 6266's filename*=UTF-8''…
    return send_file(storage().open(key), as_attachment=True, download_name=safe_filename(name))
