"""Uploaded files: the type is read from the content, never trusted from the name."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import puremagic
from flask import current_app
from flask_babel import gettext as _

DOCUMENTS = {".pdf", ".docx", ".odt"}
IMAGES = {".png", ".jpg", ".jpeg"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Short enough for every file-name column (200) and for any file system (255 bytes).
MAX_NAME_LENGTH = 120
DEFAULT_STEM = "plik"


class UploadRejected(ValueError):
    """The file cannot be accepted; the message says why, for the person."""


@dataclass(frozen=True)
class CheckedUpload:
    filename: str
    data: bytes
    extension: str


def check_upload(filename: str, data: bytes, allowed: set[str] = DOCUMENTS) -> CheckedUpload:
    limit = current_app.config.get("MAX_UPLOAD_BYTES", MAX_UPLOAD_BYTES)
    if not data:
        raise UploadRejected(_("The file is empty."))
    if len(data) > limit:
        raise UploadRejected(_("The file is larger than %(size)d MB.", size=limit // 2**20))
    try:
        detected = puremagic.from_string(data).lower()
    except puremagic.PureError:
        detected = ""
    detected = ".jpg" if detected == ".jpeg" else detected
    if detected not in allowed:
        kinds = ", ".join(sorted(ext.lstrip(".").upper() for ext in allowed))
        raise UploadRejected(
            _(
                "This file is not one of: %(kinds)s (its content was checked, not only its name).",
                kinds=kinds,
            )
        )
    stem = safe_filename(filename).rsplit(".", 1)[0]
    return CheckedUpload(safe_filename(f"{stem}{detected}"), data, detected)


def safe_filename(name: str | None) -> str:
    """A file name fit for the disk, the database and a download's Content-Disposition,
    whatever a browser sent: composed Unicode (NFC), the last part of any path, without
    control or formatting characters (NUL, CR/LF, U+202E that shows `exe.pdf` as
    `fdp.exe`), and at most MAX_NAME_LENGTH characters, keeping the extension."""
    name = unicodedata.normalize("NFC", name or "")
    name = re.split(r"[/\\]", name)[-1]
    name = "".join(c for c in name if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    name = name.strip(" .")
    stem, dot, extension = name.rpartition(".")
    if not dot or len(extension) > 10:
        stem, extension = name, ""
    stem = stem.strip(" .")[: MAX_NAME_LENGTH - len(extension) - 1] or DEFAULT_STEM
    return f"{stem}.{extension}" if extension else stem


def from_form(upload, allowed: set[str] = DOCUMENTS) -> CheckedUpload | None:
    """The checked file of a form's FileField, or None when no file was chosen."""
    if not upload or not upload.filename:
        return None
    return check_upload(upload.filename, upload.read(), allowed)
