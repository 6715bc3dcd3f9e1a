"""A cooperation-quality benchmark of a region's cities, computed from what they do in Razem.

The figures follow the spirit of the cooperation quality index (DOMAIN.md, "Measuring
cooperation"): basic infrastructure, its public availability, financial and non-financial
cooperation. A figure is None when the city has no data for it; None is never shown as zero.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cached_property
from typing import Any, NamedTuple

from babel import Locale, numbers
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Integer, case, func, select

from app.caching import remembered
from app.extensions import db
from app.i18n import percent_formatter
from app.meetings.models import Meeting, MeetingStatus
from app.organisations.models import Registration, RegistrationStatus
from app.programmes.models import Comment, Programme, Proposal, YearReport
from app.regions.charts import Sparkline, sparkline
from app.regions.cities import City, cities_of, self_government_of
from app.regions.models import AdoptionChange, StandardsProject
from app.tenancy import clock
from app.tenancy.cross_tenant import reading_region
from app.tenancy.models import Region
from app.tenancy.scoping import among_tenants


@dataclass(frozen=True)
class Measure:
    key: str
    label: Any
    explanation: Any
    kind: str  # "yes_no", "number", "share", "money"


MEASURES = [
    Measure(
        "programme_on_time",
        _l("Programme adopted on time"),
        _l(
            "The programme covering the year was adopted by the council by 30 November of "
            "the year before it (art. 5a ust. 1)."
        ),
        "yes_no",
    ),
    Measure(
        "report_on_time",
        _l("Report published on time"),
        _l(
            "The report on the previous year's programme was published by 31 May of the "
            "year (art. 5a ust. 3); no data before the deadline has passed."
        ),
        "yes_no",
    ),
    Measure(
        "ngos_per_10k",
        _l("NGOs per 10,000 residents"),
        _l(
            "Organisations active in the city's register, per 10,000 residents "
            "(population according to GUS)."
        ),
        "number",
    ),
    Measure(
        "proposals",
        _l("Proposals received"),
        _l("NGO proposals to the programme covering the year."),
        "number",
    ),
    Measure(
        "proposals_answered",
        _l("Proposals answered"),
        _l("Share of those proposals the city has answered."),
        "share",
    ),
    Measure(
        "comments",
        _l("Consultation comments"),
        _l("Comments made in the public consultation of that programme."),
        "number",
    ),
    Measure(
        "comments_answered",
        _l("Comments answered"),
        _l("Share of those comments the city has answered in its consultation report."),
        "share",
    ),
    Measure(
        "meetings",
        _l("Meetings held"),
        _l("Participatory meetings held in the year."),
        "number",
    ),
    Measure(
        "minutes_published",
        _l("Minutes published"),
        _l("Share of the year's meetings whose minutes are published."),
        "share",
    ),
    Measure(
        "budget_per_resident",
        _l("Budget for cooperation per resident"),
        _l("The amount planned in the programme covering the year, divided by the population."),
        "money",
    ),
]


@dataclass(frozen=True)
class CityFigures:
    city: City
    values: dict[str, Any]


@dataclass(frozen=True)
class Benchmark:
    region_id: int
    year: int
    computed_at: datetime
    cities: list[CityFigures]
    # The voivodeship's own programme, shown apart: it is not one of the compared.
    self_government: CityFigures | None = None


class ProgrammeFacts(NamedTuple):
    id: int
    tenant_id: int
    year_from: int
    year_to: int
    resolution_date: date | None
    report_published_on: date | None
    budget: Decimal | None


@dataclass(frozen=True)
class RegionFacts:
    """What the region's cities recorded for one year, read once for every city."""

    year: int
    today: date
    current: dict[int, ProgrammeFacts]  # tenant id -> programme in force in the year
    previous: dict[int, ProgrammeFacts]  # ... in the year before, whose report is due
    year_reports: dict[int, date]  # programme id -> its report on the year before, published
    proposals: dict[int, tuple[int, float]]  # programme id -> (count, share answered)
    comments: dict[int, tuple[int, float]]
    meetings: dict[int, tuple[int, float]]  # tenant id -> (held, share published)
    ngos: dict[int, int]  # tenant id -> registrations active by the end of the year


def benchmark(region: Region, year: int | None = None) -> Benchmark:
    """Every city of the region with its figures for `year`, in a constant number of queries.

    Without a year, the latest year that has begun and for which a city has a programme.
    The figures are computed once in each `figures_period()`: they draw on every city's
    programmes, proposals, meetings and register, too many sources to watch.
    """
    with reading_benchmark(region, [year]) as tenant_ids:
        return benchmark_as_read(region, year, tenant_ids)


def reading_benchmark(
    region: Region, years: Sequence[int | None]
) -> AbstractContextManager[tuple[int, ...]]:
    """The region's records may be read within for the benchmark of `years` (a range, or one
    year; None: the latest), on record when the region's coordinator reads them."""
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0] or ""
    return reading_region(region, purpose=f"cooperation benchmark {span}")


def benchmark_as_read(region: Region, year: int | None, tenant_ids: tuple[int, ...]) -> Benchmark:
    """`benchmark` for a caller already `reading_benchmark(region, [year])`."""
    today = clock.today()
    key = f"benchmark/{region.id}/{year or 'latest'}/{today.isoformat()}/{figures_period()}"

    def computed() -> Benchmark:
        years = [year or _latest_programme_year(today.year)]
        return _computed(region, years, today, tenant_ids)[0]

    return remembered(key, computed, timeout=current_app.config["BENCHMARK_MAX_AGE_SECONDS"])


def benchmarks(region: Region, years: list[int]) -> list[Benchmark]:
    """The benchmark of each of `years` (consecutive), in one read and as many queries as
    for one year."""
    with reading_benchmark(region, years) as tenant_ids:
        return benchmarks_as_read(region, years, tenant_ids)


def benchmarks_as_read(
    region: Region, years: list[int], tenant_ids: tuple[int, ...]
) -> list[Benchmark]:
    """`benchmarks` for a caller already `reading_benchmark(region, years)`."""
    today = clock.today()
    key = f"benchmarks/{region.id}/{years[0]}-{years[-1]}/{today.isoformat()}/{figures_period()}"
    return remembered(
        key,
        lambda: _computed(region, years, today, tenant_ids),
        timeout=current_app.config["BENCHMARK_MAX_AGE_SECONDS"],
    )


def figures_period() -> int:
    """The benchmark's revision: the number of the period of BENCHMARK_MAX_AGE_SECONDS the
    clock is in. Figures, and pages rendered from them, are kept for their period only."""
    return int(clock.now().timestamp()) // current_app.config["BENCHMARK_MAX_AGE_SECONDS"]


def _computed(
    region: Region, years: list[int], today: date, tenant_ids: tuple[int, ...]
) -> list[Benchmark]:
    """Each year's figures reconstructed from dated records: the programmes covering it,
    its meetings, and the registrations made by its end."""
    first, last = min(years), max(years)
    programmes = _programmes(first, last)
    programme_ids = [p.id for p in programmes]
    proposals = _answered(Proposal, Proposal.answer, programme_ids)
    comments = _answered(Comment, Comment.answer, programme_ids)
    year_reports = _year_reports(first - 1, last - 1)
    meetings = _meetings(first, last, until=today)
    ngos = _registrations_by_year(tenant_ids, last)
    cities = cities_of(region.id)
    own = self_government_of(region.id)
    computed_at = clock.now()
    result = []
    for year in years:
        facts = RegionFacts(
            year=year,
            today=today,
            current=_covering(programmes, year),
            previous=_covering(programmes, year - 1),
            year_reports=year_reports.get(year - 1, {}),
            proposals=proposals,
            comments=comments,
            meetings=meetings.get(year, {}),
            ngos=ngos.get(year, {}),
        )
        figures = [CityFigures(city, _figures(city, facts)) for city in cities]
        apart = CityFigures(own, _figures(own, facts)) if own else None
        result.append(Benchmark(region.id, year, computed_at, figures, apart))
    return result


def _latest_programme_year(this_year: int) -> int:
    latest = db.session.scalar(
        select(func.max(Programme.year_from)).where(
            Programme.deleted_at.is_(None),
            Programme.year_from <= this_year,
        )
    )
    return latest or this_year


def _figures(city: City, facts: RegionFacts) -> dict[str, Any]:
    values: dict[str, Any] = {}
    population = city.population
    programme = facts.current.get(city.id)
    if programme:
        deadline = date(programme.year_from - 1, 11, 30)
        values["programme_on_time"] = bool(
            programme.resolution_date and programme.resolution_date <= deadline
        )
        values["proposals"], values["proposals_answered"] = facts.proposals.get(
            programme.id, (0, None)
        )
        values["comments"], values["comments_answered"] = facts.comments.get(
            programme.id, (0, None)
        )
        if programme.budget is not None and population:
            values["budget_per_resident"] = programme.budget / population
    report = facts.previous.get(city.id)
    report_deadline = date(facts.year, 5, 31)
    published = _report_published(report, facts) if report else None
    if report and (published or facts.today > report_deadline):
        values["report_on_time"] = bool(published and published <= report_deadline)
    if city.id in facts.meetings:
        values["meetings"], values["minutes_published"] = facts.meetings[city.id]
    if population and city.id in facts.ngos:
        values["ngos_per_10k"] = facts.ngos[city.id] * 10_000 / population
    return values


def _programmes(first: int, last: int) -> list[ProgrammeFacts]:
    """The programmes of the region's cities in force from the year before `first` to `last`
    (the scoping of the region's read keeps them)."""
    rows = db.session.execute(
        select(
            Programme.id,
            Programme.tenant_id,
            Programme.year_from,
            Programme.year_to,
            Programme.resolution_date,
            Programme.report_published_on,
            Programme.budget,
        ).where(
            Programme.deleted_at.is_(None),
            Programme.year_from <= last,
            Programme.year_to >= first - 1,
        )
    ).all()
    return [ProgrammeFacts(*row) for row in rows]


def _report_published(programme: ProgrammeFacts, facts: RegionFacts) -> date | None:
    """The report on the year before: a multi-year programme's report of that year, or the
    programme's own report, which is on its last year (as services.report_published)."""
    if programme.id in facts.year_reports:
        return facts.year_reports[programme.id]
    return programme.report_published_on if programme.year_to == facts.year - 1 else None


def _year_reports(first: int, last: int) -> dict[int, dict[int, date]]:
    """{year reported on: {programme id: published on}}."""
    rows = db.session.execute(
        select(YearReport.year, YearReport.programme_id, YearReport.published_on).where(
            YearReport.year.between(first, last), YearReport.deleted_at.is_(None)
        )
    ).all()
    by_year: dict[int, dict[int, date]] = {}
    for year, programme_id, published_on in rows:
        by_year.setdefault(year, {})[programme_id] = published_on
    return by_year


def _covering(programmes: list[ProgrammeFacts], year: int) -> dict[int, ProgrammeFacts]:
    """Per city, the programme in force in `year` (the latest begun, if several overlap; the
    latest recorded of those begun the same year, as the operator's medians choose it)."""
    chosen: dict[int, ProgrammeFacts] = {}
    for programme in sorted(programmes, key=lambda p: (p.year_from, p.id)):
        if programme.year_from <= year <= programme.year_to:
            chosen[programme.tenant_id] = programme
    return chosen


def _answered(model, answer_column, programme_ids: list[int]) -> dict[int, tuple[int, float]]:
    """Per programme: how many rows, and the share with an answer."""
    rows = db.session.execute(
        select(
            model.programme_id,
            func.count(),
            func.count(answer_column),
        )
        .where(model.programme_id.in_(programme_ids))
        .group_by(model.programme_id)
    ).all()
    return {programme_id: (total, answered / total) for programme_id, total, answered in rows}


def _meetings(first: int, last: int, until: date) -> dict[int, dict[int, tuple[int, float]]]:
    """{year: {city: (meetings held that year up to today, share with published minutes)}}."""
    published = func.count().filter(Meeting.status == MeetingStatus.PUBLISHED)
    year = _year_of(Meeting.held_on)
    rows = db.session.execute(
        select(year, Meeting.tenant_id, func.count(), published)
        .where(
            Meeting.deleted_at.is_(None),
            Meeting.held_on >= date(first, 1, 1),
            Meeting.held_on <= min(date(last, 12, 31), until),
        )
        .group_by(year, Meeting.tenant_id)
    ).all()
    by_year: dict[int, dict[int, tuple[int, float]]] = {}
    for held_in, tenant_id, total, done in rows:
        by_year.setdefault(int(held_in), {})[tenant_id] = (total, done / total)
    return by_year


def registered_since():
    """When a registration began: the city's decision, or its creation when it was made
    active at once (an import, the demo)."""
    return func.coalesce(Registration.decided_at, Registration.created_at)


def registered_until():
    """When an archived registration ended (one archived before its date was recorded ends
    when it began: it is counted in no year); None while it is active."""
    return case(
        (
            Registration.status == RegistrationStatus.ARCHIVED,
            func.coalesce(Registration.archived_at, registered_since()),
        ),
        else_=None,
    )


# The registrations a past year may count: active now, or active then and archived since.
COUNTED_REGISTRATIONS = (RegistrationStatus.ACTIVE, RegistrationStatus.ARCHIVED)


def _registrations_by_year(tenant_ids: tuple[int, ...], last: int) -> dict[int, dict[int, int]]:
    """{year: {city: registrations active at the end of the year}}: registered before the
    year ended and not archived before it ended. A year before a city's first registration
    has none (no data, not zero); a year after it may count zero, all of them archived."""
    began, ended = _year_of(registered_since()), _year_of(registered_until())
    rows = db.session.execute(
        select(began, ended, Registration.tenant_id, func.count())
        .where(
            among_tenants(Registration.tenant_id, tenant_ids, _on_postgresql()),
            Registration.status.in_(COUNTED_REGISTRATIONS),
            began <= last,
        )
        .group_by(began, ended, Registration.tenant_id)
    ).all()
    started: dict[int, dict[int, int]] = {}  # {year: {city: registrations begun}}
    stopped: dict[int, dict[int, int]] = {}  # {year: {city: minus those archived}}
    for began_in, ended_in, tenant_id, count in rows:
        year_began = started.setdefault(int(began_in), {})
        year_began[tenant_id] = year_began.get(tenant_id, 0) + count
        if ended_in is not None:
            year_ended = stopped.setdefault(int(ended_in), {})
            year_ended[tenant_id] = year_ended.get(tenant_id, 0) - count
    by_year: dict[int, dict[int, int]] = {}
    running: dict[int, int] = {}
    for year in sorted(started.keys() | stopped.keys()):
        for changes in (started.get(year, {}), stopped.get(year, {})):
            for tenant_id, change in changes.items():
                running[tenant_id] = running.get(tenant_id, 0) + change
        by_year[year] = dict(running)
    return _carried_forward(by_year, last)


def _carried_forward(by_year: dict[int, dict[int, int]], last: int) -> dict[int, dict[int, int]]:
    """A year without new registrations keeps the counts of the year before."""
    if not by_year:
        return {}
    carried: dict[int, dict[int, int]] = {}
    latest: dict[int, int] = {}
    for year in range(min(by_year), last + 1):
        latest = by_year.get(year, latest)
        carried[year] = latest
    return carried


def _year_of(column):
    if _on_postgresql():
        return func.cast(func.extract("year", column), Integer)
    return func.cast(func.strftime("%Y", column), Integer)


def displayed(figures: Benchmark, locale: Locale) -> list[list[str | None]]:
    """Each city's figures as text in `locale`, in the order of MEASURES; None: no data.

    Kept as long as the figures themselves: formatting a region's 3,000 figures costs more
    than reading them."""
    computation = f"{figures.region_id}/{figures.year}/{figures.computed_at.isoformat()}"
    key = f"benchmark-shown/{computation}/{locale}"
    return remembered(
        key,
        lambda: _formatted(figures.cities, locale),
        timeout=current_app.config["BENCHMARK_MAX_AGE_SECONDS"],
    )


def displayed_apart(figures: Benchmark, locale: Locale) -> list[str | None] | None:
    """The self-government's figures as text, like a city's; None when it is not in Razem."""
    if figures.self_government is None:
        return None
    return _formatted([figures.self_government], locale)[0]


def formatters(locale: Locale) -> dict[str, Callable[[Any], str]]:
    """How a figure of each kind of measure reads in `locale`."""
    no, yes = str(_l("no")), str(_l("yes"))
    money = locale.currency_formats["standard"]
    number = numbers.parse_pattern("#,##0.#")
    return {
        "yes_no": lambda v: yes if v else no,
        "share": percent_formatter(locale),
        "money": lambda v: money.apply(v, locale, currency="PLN"),
        "number": lambda v: number.apply(v, locale),
    }


def _formatted(city_figures: list[CityFigures], locale: Locale) -> list[list[str | None]]:
    formats = formatters(locale)
    return [
        [
            None if (value := city.values.get(m.key)) is None else formats[m.kind](value)
            for m in MEASURES
        ]
        for city in city_figures
    ]


def _on_postgresql() -> bool:
    return db.session.get_bind().dialect.name == "postgresql"


def benchmark_years(region: Region) -> list[int]:
    """The years a coordinator may pick: this one back to the year of the region's earliest
    dated record (a project, a programme, a meeting, a registration, an adoption)."""
    today = clock.today()
    first = remembered(
        f"benchmark-years/{region.id}/{today.isoformat()}",
        lambda: _earliest_year(region),
        timeout=current_app.config["BENCHMARK_MAX_AGE_SECONDS"],
    )
    return list(range(today.year, min(first or today.year, today.year) - 1, -1))


def _earliest_year(region: Region) -> int | None:
    with reading_region(region, purpose="years of the cooperation benchmark") as tenant_ids:
        earliest = db.session.execute(
            select(
                select(func.min(Programme.year_from))
                .where(Programme.deleted_at.is_(None))
                .scalar_subquery(),
                select(func.min(Meeting.held_on))
                .where(Meeting.deleted_at.is_(None))
                .scalar_subquery(),
                select(func.min(registered_since()))
                .where(
                    among_tenants(Registration.tenant_id, tenant_ids, _on_postgresql()),
                    Registration.status.in_(COUNTED_REGISTRATIONS),
                )
                .scalar_subquery(),
                select(func.min(AdoptionChange.created_at)).scalar_subquery(),
                select(func.min(StandardsProject.starts_on))
                .where(StandardsProject.region_id == region.id)
                .scalar_subquery(),
            )
        ).one()
    years = [_year(value) for value in earliest if value is not None]
    return min(years) if years else None


def _year(value: int | date | datetime | str) -> int:
    if isinstance(value, int):
        return value
    if isinstance(value, str):  # SQLite
        return int(value[:4])
    return value.year


@dataclass(frozen=True)
class TrendRow:
    city: City
    shown: list[str | None]  # each year's figure as text; None: no data
    values: list[float | None]  # each year's figure as charted
    top: float  # the top of the scale every city's chart shares

    @cached_property
    def chart(self) -> Sparkline | None:
        """Drawn once the row is shown: a page shows 30 of a region's 300 rows."""
        return sparkline(self.values, self.top)


@dataclass(frozen=True)
class Trend:
    """One measure for each city over a range of years."""

    measure: Measure
    years: list[int]
    rows: list[TrendRow]


def trend(
    region: Region, measure: Measure, years: list[int], locale: Locale, tenant_ids: tuple[int, ...]
) -> Trend:
    """The measure for every city in each of `years`, with a small chart of each city's
    figures, all cities on one scale; for a caller `reading_benchmark(region, years)`."""
    column = MEASURES.index(measure)
    yearly = benchmarks_as_read(region, years, tenant_ids)
    shown = [displayed(figures, locale) for figures in yearly]
    values = [
        [_charted(figures.cities[row].values.get(measure.key)) for figures in yearly]
        for row in range(len(yearly[0].cities))
    ]
    top = max((v for row in values for v in row if v is not None), default=0)
    if measure.kind in ("yes_no", "share"):
        top = 1
    rows = [
        TrendRow(figures.city, [by_year[row][column] for by_year in shown], values[row], top)
        for row, figures in enumerate(yearly[0].cities)
    ]
    return Trend(measure, years, rows)


def _charted(value: Any) -> float | None:
    return None if value is None else float(value)
