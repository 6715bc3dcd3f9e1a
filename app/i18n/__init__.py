"""Language and time zone of a request; the language switch."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Mapping
from datetime import UTC, date, datetime, time, tzinfo
from decimal import Decimal
from functools import cache, partial
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from flask import (
    Blueprint,
    Flask,
    current_app,
    g,
    has_request_context,
    redirect,
    request,
    session,
    url_for,
)
from flask_babel import (
    format_date,
    format_datetime,
    format_percent,
    format_time,
    get_locale,
    get_timezone,
    get_translations,
    lazy_gettext,
)
from flask_login import current_user
from jinja2 import pass_context
from jinja2.runtime import Context

from app.collation import polish_sort
from app.extensions import csrf

blueprint = Blueprint("i18n", __name__)


def supported() -> tuple[str, ...]:
    return current_app.config["LANGUAGES"]


def select_locale() -> str:
    """The user's preference, then an explicit switch, then the browser, then the tenant."""
    if not has_request_context():  # jobs and commands: the default language
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if current_user and current_user.is_authenticated and current_user.locale in supported():
        return current_user.locale
    if session.get("locale") in supported():
        return session["locale"]
    best = request.accept_languages.best_match(supported())
    if best:
        return best
    tenant = g.get("tenant")
    if tenant is not None and tenant.locale in supported():
        return tenant.locale
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    tenant = g.get("tenant")
    return tenant.timezone if tenant is not None else current_app.config["BABEL_DEFAULT_TIMEZONE"]


def safe_next(target: str | None, fallback: str) -> str:
    """Only a path on this site: never an open redirect."""
    if not target:
        return fallback
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return fallback
    return target


@blueprint.post("/language")
@csrf.exempt
def switch_language():
    # A visitor without an account switches from a page shared by every visitor, which
    # holds no session's token (app/core/edge.py): choosing a language for them is no
    # harm done. A signed-in person's choice is saved to their account: asked with one.
    if current_user.is_authenticated:
        csrf.protect()
    locale = request.form.get("locale", "")
    if locale in supported():
        session["locale"] = locale
        if current_user.is_authenticated:
            current_user.locale = locale
    return redirect(safe_next(request.form.get("next"), url_for("core.landing")))


ROLE_LABELS = {
    "admin": lazy_gettext("administrator"),
    "staff": lazy_gettext("city hall staff"),
    "ngo": lazy_gettext("NGO representative"),
    "viewer": lazy_gettext("viewer"),
    "coordinator": lazy_gettext("regional coordinator"),
}


ACTION_LABELS = {
    "create": lazy_gettext("created"),
    "update": lazy_gettext("changed"),
    "delete": lazy_gettext("deleted"),
}


def N_(message: str) -> str:  # the name Babel's extractor looks for
    """A message kept in English (in a record, say) and translated where it is shown."""
    return message


def label(labels: Mapping, key: Hashable) -> str:
    """labels[key] (a lazy string) in the reader's language, or the key itself where it has
    none: translated once per request and language, however many rows of a page show it
    (the audit log asked gettext for each label of each of its rows)."""
    return labeller(labels)(key)


def labeller(labels: Mapping) -> Callable[[Hashable], str]:
    """`label(labels, key)` for the rows of one page: the request's translations of `labels`
    are found once, not again for each row (the language is looked up once too)."""
    kept = g.setdefault("translated_labels", {})
    # the entry holds `labels` itself, so no other mapping takes its id during the request
    _, translated = kept.setdefault((id(labels), str(get_locale())), (labels, {}))

    def translate(key: Hashable) -> str:
        if key not in translated:
            translated[key] = str(labels.get(key, key))
        return translated[key]

    return translate


def role_label(role: str) -> str:
    return label(ROLE_LABELS, role)


def action_label(action: str) -> str:
    return label(ACTION_LABELS, action)


def format_number(value, locale: str | None = None) -> str:
    """A number as people read it: 12 and 120.00 → "12", "120"; 2398120.5 → "2 398 120,5"
    in Polish, "2,398,120.5" in English. In the reader's language unless one is given (an
    official text is Polish whoever reads it)."""
    return babel_numbers.format_decimal(value, locale=locale or get_locale())


def parse_number(text: str, locale: str | None = None) -> Decimal:
    """A number as a person types it: "2 450 000,50" in Polish, "2,450,000.50" in English, a
    plain "2450000.50" in either. Raises ValueError for what is not one ("1.234,5" in Polish,
    "1,5" in English, where the comma separates thousands)."""
    compact = re.sub(r"\s", "", text)  # the spaces people type and the non-breaking ones shown
    try:
        return babel_numbers.parse_decimal(compact, locale=locale or get_locale(), strict=True)
    except babel_numbers.NumberFormatError as error:
        raise ValueError(str(error)) from error


def format_amount(value, locale: str | None = None) -> str:
    """A number in a form's field, as the reader writes it: 2450000.00 → "2 450 000" in
    Polish, 12.5 → "12,5"; read back by parse_number."""
    return babel_numbers.format_decimal(value, format="#,##0.##", locale=locale or get_locale())


def format_money(amount, currency: str = "PLN", locale: str | None = None) -> str:
    """1234.5 → "1 234,50 zł" in Polish, "PLN 1,234.50" in English (CLDR conventions)."""
    return babel_numbers.format_currency(amount, currency, locale=locale or get_locale())


# The app's dates and times, by name: the one place that holds Babel patterns. The numerals
# are the Polish ones in both languages ("29.11.2026"); months are named in the reader's.
DATE_FORMATS = {
    "day": "d.MM.y",  # 29.11.2026
    "long_day": "long",  # Babel's: 29 listopada 2026 / November 29, 2026
    "month": "LLLL y",  # listopad 2026
    "short_month": "LLL y",  # lis 2026
}
TIME_FORMATS = {"time": "HH:mm"}  # 09:05
MOMENT_FORMATS: dict[str, Literal["short", "medium"]] = {
    "moment": "short",  # Babel's: 29.11.2026, 09:05 / 11/29/26, 9:05 AM
    "exact_moment": "medium",  # Babel's: 29 lis 2026, 09:05:31
}
# Dates in official texts take "r." in Polish: "z dnia 29 listopada 2026 r.", "13.07.2023 r."
OFFICIAL_DATE_FORMATS = {"official_day": "long", "official_numeric_day": "d.MM.y"}
OFFICIAL_YEAR_MARK = {"pl": " r."}
DATE_AND_TIME_FORMATS = {
    **DATE_FORMATS,
    **OFFICIAL_DATE_FORMATS,
    **TIME_FORMATS,
    **MOMENT_FORMATS,
}


def when(value: date | datetime | time | None, name: str = "day") -> str:
    """A date, time or moment in the named format; a moment in the tenant's time zone.
    No date is no text (Babel would show the current one)."""
    if value is None:
        return ""
    if name in TIME_FORMATS:
        return format_time(value, TIME_FORMATS[name])
    if name in MOMENT_FORMATS:
        if isinstance(value, datetime):
            return _moment(value, MOMENT_FORMATS[name])
        return format_datetime(value, MOMENT_FORMATS[name])  # a date or a time, as Babel takes it
    if name in OFFICIAL_DATE_FORMATS:
        mark = OFFICIAL_YEAR_MARK.get(get_locale().language, "")
        return format_date(value, OFFICIAL_DATE_FORMATS[name]) + mark
    return format_date(value, DATE_FORMATS[name])


def date_formatter(name: str = "day") -> Callable[[date], str]:
    """`when` for a page of many dates (the figures of a chart): the named format parsed once
    and each date formatted once for the whole request, where format_date looks up the
    locale and parses the pattern on every call. Dates only: a moment needs `when`'s time
    zone."""
    formatters = g.setdefault("date_formatters", {})
    if name not in formatters:
        locale = get_locale()
        named = DATE_FORMATS[name]
        pattern = (
            locale.date_formats[named]
            if named in ("short", "medium", "long", "full")
            else babel_dates.parse_pattern(named)
        )
        formatters[name] = cache(lambda value: pattern.apply(value, locale))
    return formatters[name]


def moment_formatter(name: str = "moment") -> Callable[[datetime], str]:
    """`when(value, name)` for the moments of a page of many rows (the audit log): the
    language and the time zone looked up once for the page rather than for each row, and
    each moment formatted once (the entries a save writes share theirs)."""
    width = MOMENT_FORMATS[name]
    return cache(partial(_moment, width=width, locale=get_locale(), zone=get_timezone()))


def _moment(
    value: datetime,
    width: Literal["short", "medium"],
    locale: Locale | None = None,
    zone: tzinfo | None = None,
) -> str:
    """Babel's format_datetime(value, width) in the tenant's time zone, as Flask-Babel's,
    with the locale's patterns looked up once per language and width rather than on every
    call (most of the cost of the moment shown on each row of a list of 50)."""
    locale = locale or get_locale()
    zone = _zone_info(zone or get_timezone())
    local = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(zone)
    joined, day_pattern, time_pattern = _moment_patterns(locale, width)
    at_time = time_pattern.apply(local.timetz(), locale, reference_date=local.date())
    return joined.replace("{0}", at_time).replace("{1}", day_pattern.apply(local.date(), locale))


@cache
def _zone_info(zone: tzinfo) -> ZoneInfo:
    """The zone as the standard library has it: Flask-Babel's pytz zone converts a moment
    fifteen times slower (pytz, 4 µs a row)."""
    return ZoneInfo(str(zone))


@cache
def _moment_patterns(
    locale: Locale, width: Literal["short", "medium"]
) -> tuple[str, babel_dates.DateTimePattern, babel_dates.DateTimePattern]:
    return (
        str(babel_dates.get_datetime_format(width, locale=locale)).replace("'", ""),
        babel_dates.get_date_format(width, locale=locale),
        babel_dates.get_time_format(width, locale=locale),
    )


def percent_formatter(locale: Locale) -> Callable[[float], str]:
    """format_percent for a page of hundreds of figures: the locale's pattern is parsed once
    rather than on every call, as babel's format_percent does (five times slower), and each
    share, often repeated (a half, a third), is formatted once."""
    pattern = locale.percent_formats[None]
    return cache(lambda value: pattern.apply(value, locale))


def init_app(app: Flask) -> None:
    app.register_blueprint(blueprint)
    app.jinja_env.filters["format_number"] = format_number
    app.jinja_env.filters["format_money"] = format_money
    app.jinja_env.filters["format_percent"] = format_percent
    app.jinja_env.filters["polish_sort"] = polish_sort
    for name in DATE_AND_TIME_FORMATS:  # {{ meeting.held_on|day }}, {{ starts_at|time }}
        app.jinja_env.filters[name] = partial(when, name=name)
    for name in MOMENT_FORMATS:  # {{ notification.created_at|moment }}
        app.jinja_env.filters[name] = pass_context(partial(_moment_of_render, name=name))
    app.jinja_env.globals["date_formatter"] = date_formatter
    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.globals["action_label"] = action_label

    app.jinja_env.install_gettext_callables(
        gettext=pass_context(lambda context, text: _translations(context).ugettext(text)),
        ngettext=pass_context(
            lambda context, one, many, n: _translations(context).ungettext(one, many, n)
        ),
        pgettext=pass_context(
            lambda context, where, text: _translations(context).upgettext(where, text)
        ),
        npgettext=pass_context(
            lambda context, where, one, many, n: _translations(context).unpgettext(
                where, one, many, n
            )
        ),
        newstyle=True,
    )

    @app.context_processor
    def language_context() -> dict:
        return {
            "current_locale": str(get_locale()),
            "languages": supported(),
            _TRANSLATIONS: get_translations(),
            _MOMENTS: _MomentsOfRender(),
        }


# In a template's context: the translations of its language, looked up once for the render
# rather than for each of the page's texts (Flask-Babel's gettext looks up the language and
# its catalogue on every call: 5 µs, against 0.1 µs for the catalogue's own).
_TRANSLATIONS = "razem_translations"


def _translations(context: Context):
    """The render's translations, or the request's where the template was given no context
    (a macro imported without it, a template rendered outside Flask's render_template)."""
    return context.get(_TRANSLATIONS) or get_translations()


# In a template's context: the moments' formatters of its language and time zone, looked up
# once for the render rather than for each moment (a tenth of the time of a page of 50
# notifications went to looking them up again).
_MOMENTS = "razem_moments"


class _MomentsOfRender(dict):
    """The moments' formatters by name, each made when the render first shows one."""

    def __missing__(self, name: str) -> Callable[[datetime], str]:
        formatter = self[name] = moment_formatter(name)
        return formatter


def _moment_of_render(context: Context, value: datetime | date | time | None, name: str) -> str:
    """`when(value, name)` with the render's formatters (`when` itself where the template was
    given no context, or the value is not a moment)."""
    formatters = context.get(_MOMENTS)
    if formatters is None or not isinstance(value, datetime):
        return when(value, name)
    return formatters[name](value)
