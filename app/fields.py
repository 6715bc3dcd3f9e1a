"""What every form shares: its base, `PageForm`, and fields that give back what the person sees
(saving a page unchanged changes nothing)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.csrf import _FlaskFormCSRF
from wtforms import DecimalField as PlainDecimalField
from wtforms import IntegerField as PlainIntegerField
from wtforms import TextAreaField as PlainTextAreaField
from wtforms.validators import StopValidation, ValidationError

from app import DATABASE_INTEGER_MAX
from app.i18n import format_amount, parse_number


class TokenWhenShown(_FlaskFormCSRF):
    """The session's CSRF token, made when the form is shown rather than when it is created.
    A view creates the forms of its page for everyone and the template shows staff their
    actions: a visitor's page then holds no token, sets no cookie and is the same for every
    visitor, which a cache may keep (app/core/page_cache.py)."""

    def generate_csrf_token(self, csrf_token_field):
        return LazyString(super().generate_csrf_token, csrf_token_field)


class PageForm(FlaskForm):
    """The base of every form of Razem: its CSRF token is made when it is shown."""

    class Meta(FlaskForm.Meta):
        csrf_class = TokenWhenShown


# Amounts are Numeric(14, 2) columns.
AMOUNT_LIMIT = Decimal(10) ** 12


class TextAreaField(PlainTextAreaField):
    """Browsers send a textarea's line breaks as CRLF (HTML's form submission rules) while
    the text was stored with LF: without this every save of a multi-line text would rewrite
    it."""

    data: Any  # as wtforms declares it

    def process_formdata(self, valuelist: list) -> None:
        super().process_formdata(valuelist)
        if self.data:
            self.data = self.data.replace("\r\n", "\n").replace("\r", "\n")


class IntegerField(PlainIntegerField):
    """A whole number the database can hold: a 25-digit figure is a message, not an overflow."""

    def pre_validate(self, form) -> None:
        if self.data is not None and not -DATABASE_INTEGER_MAX <= self.data <= DATABASE_INTEGER_MAX:
            raise ValidationError(_l("This number is too large."))


class DecimalField(PlainDecimalField):
    """An amount the database keeps (14 digits, 2 after the point): up to 999 999 999 999,99.
    Shown and read in the reader's way of writing numbers ("2 450 000,50" in Polish)."""

    def _value(self) -> str:
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else format_amount(self.data)

    def process_formdata(self, valuelist: list) -> None:
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        try:
            self.data = parse_number(valuelist[0])
        except ValueError as error:
            self.data = None
            example = format_amount(Decimal("2450000.5"))
            raise ValueError(_l("Write a number, like %(example)s.", example=example)) from error

    def pre_validate(self, form) -> None:
        if self.process_errors:  # not a number: the range checks have nothing to say
            raise StopValidation()
        if self.data is not None and abs(self.data) >= AMOUNT_LIMIT:
            raise ValidationError(_l("This number is too large."))


def lines(text: str | None) -> list[str]:
    """The entries of a textarea that takes one per line (materials, questions, members)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
