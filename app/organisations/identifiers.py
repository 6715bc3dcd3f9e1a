"""Polish registry numbers: KRS (format only), NIP and REGON (check digits, via python-stdnum)."""

from __future__ import annotations

import re

from stdnum.exceptions import ValidationError
from stdnum.pl import nip, regon

_SEPARATORS = re.compile(r"[\s\-.]")


class InvalidIdentifier(ValueError):
    """The number is malformed; `reason` says how, for a message to the person."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(f"{kind}: {reason}")
        self.kind = kind
        self.reason = reason


def compact(value: str | None) -> str | None:
    if value is None:
        return None
    value = _SEPARATORS.sub("", str(value)).upper().removeprefix("PL")
    return value or None


def clean_krs(value: str | None) -> str | None:
    value = compact(value)
    if value is None:
        return None
    if not (value.isascii() and value.isdigit()):
        raise InvalidIdentifier("KRS", "digits")
    if len(value) > 10:
        raise InvalidIdentifier("KRS", "length")
    return value.zfill(10)  # spreadsheets drop the leading zeros


def clean_nip(value: str | None) -> str | None:
    value = compact(value)
    if value is None:
        return None
    try:
        return nip.validate(value)
    except ValidationError as error:
        raise InvalidIdentifier("NIP", _reason(error)) from error


def clean_regon(value: str | None) -> str | None:
    value = compact(value)
    if value is None:
        return None
    try:
        return regon.validate(value)
    except ValidationError as error:
        raise InvalidIdentifier("REGON", _reason(error)) from error


def _reason(error: ValidationError) -> str:
    name = type(error).__name__
    return {"InvalidChecksum": "checksum", "InvalidLength": "length"}.get(name, "digits")
