"""Form fields that give back what the person sees: saving a page unchanged changes nothing."""

from __future__ import annotations

from typing import Any

from wtforms import TextAreaField as PlainTextAreaField


class TextAreaField(PlainTextAreaField):
    """Browsers send a textarea's line breaks as CRLF (HTML's form submission rules) while
    the text was stored with LF: without this every save of a multi-line text would rewrite
    it."""

    data: Any  # as wtforms declares it

    def process_formdata(self, valuelist: list) -> None:
        super().process_formdata(valuelist)
        if self.data:
            self.data = self.data.replace("\r\n", "\n").replace("\r", "\n")
