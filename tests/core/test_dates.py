"""Dates and times are shown in named formats defined once (app/i18n): pages and documents
show "29.11.2026", a long date names the month in the reader's language."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from flask import render_template_string

from app.i18n import DATE_AND_TIME_FORMATS, moment_formatter, when

APP = Path(__file__).parents[2] / "app"
FORMATS_MODULE = Path("i18n/__init__.py")
# A Babel or strftime pattern, or a formatter given one, anywhere but the formats module;
# ISO dates for machines (file names, SQL month grouping) are not shown to people.
LITERAL_FORMAT = re.compile(
    r"(?<!func)\.strftime\(|\bformat_(date|datetime|time)\(|\|\s*(date|datetime|time)format\b"
    r"|%[dmYHM][.:/ ]%[dmYHM]|\b(dd?\.MM|MM\.y|d MMM|LLL|HH:mm)"
)
DAY = date(2026, 11, 29)
MOMENT = datetime(2026, 11, 29, 8, 5, tzinfo=UTC)  # 09:05 in Warsaw


def test_no_date_pattern_outside_the_named_formats():
    """Generated from the source: Python, page, mail and document templates."""
    offenders = [
        f"{path.relative_to(APP)}:{number}: {line.strip()[:80]}"
        for path in sorted(APP.rglob("*"))
        if path.suffix in {".py", ".html", ".txt"} and path.relative_to(APP) != FORMATS_MODULE
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if LITERAL_FORMAT.search(line)
    ]
    assert offenders == []


RENDERINGS = {
    "pl": {
        "day": "29.11.2026",
        "long_day": "29 listopada 2026",
        "official_day": "29 listopada 2026 r.",
        "official_numeric_day": "29.11.2026 r.",
        "month": "listopad 2026",
        "short_month": "lis 2026",
        "time": "09:05",
        "moment": "29.11.2026, 09:05",
        "exact_moment": "29 lis 2026, 09:05:00",
    },
    "en": {
        "day": "29.11.2026",
        "long_day": "November 29, 2026",
        "official_day": "November 29, 2026",
        "official_numeric_day": "29.11.2026",
        "month": "November 2026",
        "short_month": "Nov 2026",
        "time": "09:05",
        "moment": "11/29/26, 9:05\u202fAM",
        "exact_moment": "Nov 29, 2026, 9:05:00\u202fAM",
    },
}


@pytest.mark.parametrize("language", RENDERINGS)
def test_each_named_format_in_polish_and_english(app, tenants, language):
    assert set(RENDERINGS[language]) == set(DATE_AND_TIME_FORMATS)
    with app.test_request_context("/leszno/", headers={"Accept-Language": language}):
        from flask import g

        g.tenant = tenants["leszno"]
        for name, expected in RENDERINGS[language].items():
            value = time(9, 5) if name == "time" else MOMENT if "moment" in name else DAY
            assert when(value, name) == expected, name
            assert render_template_string(f"{{{{ value|{name} }}}}", value=value) == expected


def test_a_moment_is_shown_on_the_citys_calendar(app, tenants):
    late_evening = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)  # already 30 November in Poland
    with app.test_request_context("/leszno/", headers={"Accept-Language": "pl"}):
        from flask import g

        g.tenant = tenants["leszno"]
        assert when(late_evening) == "30.11.2026"
        assert when(None) == ""


@pytest.mark.parametrize("language", RENDERINGS)
def test_a_moment_reads_as_babel_writes_it_in_winter_summer_and_without_a_zone(
    app, tenants, language
):
    """The moments' patterns are looked up once per language: what they write is Babel's."""
    from babel.dates import format_datetime as babel_format_datetime
    from babel.dates import get_timezone

    warsaw = get_timezone("Europe/Warsaw")
    moments = [
        MOMENT,
        datetime(2026, 7, 1, 22, 30, tzinfo=UTC),  # summer time: already 2 July in Poland
        datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # a second before the clocks go forward
        datetime(2026, 1, 5, 12, 0),  # no zone: UTC, as Babel takes it
    ]
    with app.test_request_context("/leszno/", headers={"Accept-Language": language}):
        from flask import g

        g.tenant = tenants["leszno"]
        for moment in moments:
            for name, width in (("moment", "short"), ("exact_moment", "medium")):
                expected = babel_format_datetime(moment, width, tzinfo=warsaw, locale=language)
                assert when(moment, name) == expected, (moment, name)


@pytest.mark.parametrize("language", RENDERINGS)
def test_a_page_of_moments_reads_as_each_moment_alone(app, tenants, language):
    """The formatter a list of many rows asks once writes what `when` writes for each."""
    moments = [MOMENT, MOMENT, datetime(2026, 7, 1, 22, 30, tzinfo=UTC), datetime(2026, 1, 5)]
    with app.test_request_context("/leszno/", headers={"Accept-Language": language}):
        from flask import g

        g.tenant = tenants["leszno"]
        for name in ("moment", "exact_moment"):
            formatted = moment_formatter(name)
            assert [formatted(m) for m in moments] == [when(m, name) for m in moments], name


def test_a_mail_rendered_during_a_page_shows_its_moments_in_the_readers_language(app, tenants):
    """A page's moments are formatted in its language, once looked up for the render; a mail
    the page sends in its reader's language shows theirs."""
    from flask_babel import force_locale

    template = "{{ value|moment }}"
    with app.test_request_context("/leszno/", headers={"Accept-Language": "pl"}):
        from flask import g

        g.tenant = tenants["leszno"]
        assert render_template_string(template, value=MOMENT) == RENDERINGS["pl"]["moment"]
        with force_locale("en"):
            assert render_template_string(template, value=MOMENT) == RENDERINGS["en"]["moment"]
        assert render_template_string(template, value=None) == ""
        assert render_template_string(template, value=DAY) == when(DAY, "moment")
