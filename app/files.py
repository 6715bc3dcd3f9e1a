"""Uploaded files: the type is read from the content, never trusted from the name."""

from __future__ import annotations

from dataclasses import dataclass

import puremagic
from flask import current_app
from flask_babel import gettext as _

DOCUMENTS = {".pdf", ".docx", ".odt"}
IMAGES = {".png", ".jpg", ".jpeg"}
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


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
    stem = filename.rsplit(".", 1)[0] if "." in filename else filename
    return CheckedUpload(f"{stem or 'plik'}{detected}", data, detected)


def from_form(upload, allowed: set[str] = DOCUMENTS) -> CheckedUpload | None:
    """The checked file of a form's FileField, or None when no file was chosen."""
    if not upload or not upload.filename:
        return None
    return check_upload(upload.filename, upload.read(), allowed)
