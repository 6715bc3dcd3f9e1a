"""Demo programmes: Leszno's annual programme for 2024 (seeds 000 and 002) and Kraków's
multi-year programme 2012–2014 (seed 004)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import NamedTuple

from sqlalchemy import select

from app.extensions import db
from app.organisations.models import Organisation
from app.programmes import services, year_reports
from app.programmes.catalogue import STATUTORY_PRINCIPLES, Kind, Stage
from app.programmes.consultation import as_text, publish_version
from app.programmes.models import (
    Comment,
    CooperationForm,
    Indicator,
    Milestone,
    Opinion,
    Principle,
    PriorityTask,
    Programme,
    Proposal,
    Section,
    Version,
)
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant

LESZNO_PRINCIPLES = [
    (
        "Równość szans",
        "Dążenie do określenia i uwzględnienia potrzeb grup dyskryminowanych "
        "oraz ich wzmocnienia i bezpośredniego włączenia w procesy podejmowania decyzji.",
    ),
    (
        "Współodpowiedzialność",
        "Wspólne dążenie do polepszania życia mieszkańców Leszna poprzez "
        "odpowiedzialność względem partnerów za działania podejmowane przez sektor pozarządowy "
        "i administrację samorządową.",
    ),
    (
        "Solidarność",
        "Dobro wspólne stanowi wartość nadrzędną nad partykularnymi interesami partnerów.",
    ),
    # Simplified after the NGOs' request at the meeting of 13.07.2023 (seed 000).
    (
        "Zrównoważony rozwój",
        "Świadome kształtowanie relacji między wzrostem gospodarczym, "
        "dbałością o środowisko oraz zdrowiem i pozycją społeczną mieszkańców.",
    ),
]

LESZNO_FORMS = [
    (
        "policy",
        False,
        "konsultowanie z organizacjami pozarządowymi aktów normatywnych "
        "w dziedzinach dotyczących działalności statutowej tych organizacji",
    ),
    (
        "policy",
        False,
        "funkcjonowanie ciał konsultacyjno-doradczych i inicjatywno-doradczych, "
        "w szczególności Rad powołanych przez Prezydenta Miasta Leszna",
    ),
    (
        "policy",
        False,
        "wzajemne informowanie się o planowanych działaniach, inicjatywach i osiąganych efektach",
    ),
    ("tasks", True, "zlecanie realizacji zadań publicznych w trybie otwartych konkursów ofert"),
    ("tasks", True, "zlecanie zadań z pominięciem otwartego konkursu ofert (art. 19a)"),
    ("tasks", True, "inicjatywa lokalna"),
    (
        "infrastructure",
        False,
        "prowadzenie portalu internetowego dla organizacji "
        "pozarządowych na stronie Urzędu Miasta Leszna",
    ),
    (
        "infrastructure",
        False,
        "prowadzenie i aktualizowanie bazy danych o organizacjach pozarządowych",
    ),
    ("infrastructure", False, "udostępnianie lokali na spotkania organizacji"),
]

LESZNO_SCHEDULE = [
    (
        "Spotkanie z organizacjami pozarządowymi: analiza SWOT, przegląd zasad współpracy",
        date(2023, 7, 13),
        date(2023, 7, 13),
        "Biuro Pełnomocnika ds. Współpracy z NGO",
    ),
    (
        "Przyjmowanie propozycji zapisów leszczyńskich NGO do Programu Współpracy na rok 2024",
        date(2023, 7, 13),
        date(2023, 7, 27),
        "Biuro Pełnomocnika ds. Współpracy z NGO",
    ),
    (
        "Przekazanie propozycji NGO do komórek i jednostek organizacyjnych Urzędu",
        date(2023, 8, 1),
        date(2023, 9, 30),
        "Biuro Pełnomocnika ds. Współpracy z NGO",
    ),
    (
        "Opracowanie projektu Programu i konsultacje społeczne",
        date(2023, 10, 1),
        date(2023, 10, 31),
        "Biuro Pełnomocnika ds. Współpracy z NGO",
    ),
    (
        "Opiniowanie projektu przez Leszczyńską Radę Seniorów i komórki Urzędu",
        date(2023, 10, 1),
        date(2023, 10, 31),
        "Leszczyńska Rada Seniorów",
    ),
    (
        "Ostateczna wersja dokumentu przekazana do Biura Rady Miejskiej Leszna celem uchwalenia",
        date(2023, 11, 1),
        date(2023, 11, 30),
        "Biuro Rady Miejskiej Leszna",
    ),
]

KRAKOW_SCHEDULE = [
    (
        "Pierwsza tura spotkań zespołów branżowych (analizy SWOT)",
        date(2011, 6, 1),
        date(2011, 7, 31),
        "Wydział Spraw Społecznych, moderatorzy zespołów branżowych",
    ),
    (
        "Drugie spotkanie Zespołu Koordynującego w MOWIS",
        date(2011, 8, 4),
        date(2011, 8, 4),
        "Zespół koordynujący",
    ),
    (
        "Spotkanie z moderatorami zespołów branżowych w MOWIS",
        date(2011, 9, 29),
        date(2011, 9, 29),
        "Wydział Spraw Społecznych",
    ),
    (
        "Druga tura spotkań branżowych (spotkania otwarte z dyrektorami UMK i MJO)",
        date(2011, 10, 3),
        date(2011, 11, 18),
        "Wydział Spraw Społecznych",
    ),
    (
        "Podsumowanie II tury na spotkaniu zespołu",
        date(2011, 11, 21),
        date(2011, 11, 25),
        "Zespół koordynujący",
    ),
]


def load() -> int:
    tenants = {t.slug: t for t in db.session.scalars(select(Tenant))}
    created = 0
    with tenant_scope(tenants["leszno"].id):
        created += _leszno()
        created += _leszno_in_consultation_today()
    with tenant_scope(tenants["krakow"].id):
        created += _krakow()
    for slug, facts in NEIGHBOURS_2024.items():
        with tenant_scope(tenants[slug].id):
            created += _adopted_programme(facts)
    with tenant_scope(tenants["kalisz"].id):
        created += _kalisz_collecting_proposals_today()
    return created


# Wielkopolska's other cities, so the region's benchmark has something to compare:
# Kalisz on time, Konin two weeks late, Piła not in Razem yet.
class AdoptedProgramme(NamedTuple):
    title: str
    adopted_on: date
    resolution: str
    budget: Decimal


NEIGHBOURS_2024 = {
    "kalisz": AdoptedProgramme(
        "Program współpracy Miasta Kalisza z organizacjami pozarządowymi na rok 2024",
        date(2023, 11, 23),
        "Uchwała nr LXIV/912/2023",
        Decimal("2100000"),
    ),
    "konin": AdoptedProgramme(
        "Program współpracy Miasta Konina z organizacjami pozarządowymi na rok 2024",
        date(2023, 12, 13),
        "Uchwała nr LXXI/803/2023",
        Decimal("940000"),
    ),
}


def _adopted_programme(facts: AdoptedProgramme) -> int:
    if _exists(Kind.ANNUAL, 2024):
        return 0
    programme = services.create(Kind.ANNUAL, 2024, 2024, facts.title)
    programme.stage = Stage.ADOPTED.value
    programme.resolution_number = facts.resolution
    programme.resolution_date = facts.adopted_on
    programme.budget = facts.budget
    db.session.commit()
    return 1


def _exists(kind: Kind, year_from: int) -> bool:
    return (
        db.session.scalar(
            select(Programme.id).where(
                Programme.kind == kind.value, Programme.year_from == year_from
            )
        )
        is not None
    )


def _principles(extra: list[tuple[str, str]]) -> list[Principle]:
    rows = [(name, text, True) for name, text in STATUTORY_PRINCIPLES]
    rows += [(name, text, False) for name, text in extra]
    return [
        Principle(name=n, definition=d, statutory=s, position=i) for i, (n, d, s) in enumerate(rows)
    ]


def _leszno() -> int:
    if _exists(Kind.ANNUAL, 2024):
        return 0
    programme = Programme(
        kind=Kind.ANNUAL.value,
        year_from=2024,
        year_to=2024,
        stage=Stage.REPORTED.value,
        title="Roczny Program Współpracy Miasta Leszna z Organizacjami Pozarządowymi oraz "
        "podmiotami wymienionymi w art. 3 ust. 3 ustawy z dnia 24 kwietnia 2003 r. "
        "o działalności pożytku publicznego i o wolontariacie, na 2024 rok",
        budget=Decimal("2450000.00"),
        proposals_from=date(2023, 7, 13),
        proposals_to=date(2023, 7, 27),
        consultation_from=date(2023, 10, 9),
        consultation_to=date(2023, 10, 23),
        resolution_number="LXVIII/930/2023",
        resolution_date=date(2023, 11, 23),
        report_published_on=date(2025, 5, 28),
    )
    programme.sections = [
        Section(key=key, body=body)
        for key, body in {
            "goals": "Cel główny: budowanie partnerstwa między Miastem Leszno a organizacjami "
            "pozarządowymi dla lepszego zaspokajania potrzeb mieszkańców.\n"
            "Cele szczegółowe: wzmocnienie potencjału leszczyńskich organizacji; "
            "zwiększenie udziału mieszkańców w życiu publicznym; współpraca "
            "z miastami partnerskimi.",
            "scope": "Współpraca obejmuje sferę zadań publicznych, o których mowa w art. 4 ust. 1 "
            "ustawy, realizowanych przez organizacje działające na rzecz mieszkańców "
            "Leszna.",
            "implementation": "Program realizuje Prezydent Miasta Leszna przy pomocy Biura "
            "Pełnomocnika ds. Współpracy z Organizacjami Pozarządowymi oraz "
            "komórek i jednostek organizacyjnych Urzędu.",
            "evaluation": "Biuro Pełnomocnika monitoruje realizację Programu według wskaźników "
            "i przedstawia sprawozdanie Radzie Miejskiej do 31 maja 2025 r.",
            "creation": "Spotkanie z organizacjami 13.07.2023 r. (17 osób z 15 podmiotów, "
            "3 urzędników); propozycje zapisów przyjmowane 13–27.07.2023 r.; "
            "konsultacje społeczne projektu w październiku 2023 r.; opinia "
            "Leszczyńskiej Rady Seniorów.",
            "commissions": "Komisje konkursowe powołuje Prezydent Miasta; w ich skład wchodzą "
            "przedstawiciele organizacji pozarządowych niebiorących udziału "
            "w konkursie.",
        }.items()
    ]
    programme.principles = _principles(LESZNO_PRINCIPLES)
    programme.forms = [
        CooperationForm(area=a, financial=f, description=d, position=i)
        for i, (a, f, d) in enumerate(LESZNO_FORMS)
    ]
    programme.priority_tasks = [
        PriorityTask(area_code=code, description=text, position=i)
        for i, (code, text) in enumerate(
            [
                (
                    "10",
                    "aktywizacja osób w wieku emerytalnym, w tym Izba Pamięci "
                    "im. św. Jana Pawła II",
                ),
                ("26", "współpraca z miastami partnerskimi i wymiana młodzieży"),
                ("16", "wspieranie inicjatyw kulturalnych leszczyńskich organizacji"),
                ("17", "upowszechnianie kultury fizycznej wśród dzieci i młodzieży"),
            ]
        )
    ]
    programme.indicators = [
        Indicator(
            name=name, unit=unit, planned=Decimal(planned), actual=Decimal(actual), position=i
        )
        for i, (name, unit, planned, actual) in enumerate(
            [
                ("liczba ogłoszonych otwartych konkursów ofert", "", "12", "13"),
                ("liczba umów zawartych z organizacjami", "", "85", "91"),
                ("wysokość środków przekazanych organizacjom", "zł", "2450000", "2398120.50"),
                ("liczba konsultowanych projektów aktów prawa miejscowego", "", "10", "8"),
            ]
        )
    ]
    programme.milestones = [
        Milestone(title=t, starts_on=s, ends_on=e, responsible=r, status="done", position=i)
        for i, (t, s, e, r) in enumerate(LESZNO_SCHEDULE)
    ]
    programme.report_tasks_commissioned = 91
    programme.report_amount_spent = Decimal("2398120.50")
    programme.report_summary = (
        "Program zrealizowano zgodnie z założeniami; ogłoszono 13 "
        "otwartych konkursów ofert i zawarto 91 umów z organizacjami."
    )
    db.session.add(programme)
    db.session.flush()
    _leszno_cycle_records(programme)
    db.session.commit()
    return 1


def _leszno_in_consultation_today() -> int:
    """Next year's programme, started from the 2024 one, in public consultation on the day
    the demo is loaded: NGOs can comment and staff can edit the draft at once."""
    programme = _next_year_from_2024()
    if programme is None:
        return 0
    today = clock.today()
    programme.proposals_from = today - timedelta(days=60)
    programme.proposals_to = today - timedelta(days=46)
    programme.consultation_from = today - timedelta(days=7)
    programme.consultation_to = today + timedelta(days=14)
    programme.stage = Stage.CONSULTATION.value
    publish_version(programme, Stage.CONSULTATION.value)
    db.session.commit()
    return 1


def _kalisz_collecting_proposals_today() -> int:
    """Next year's programme of Kalisz, collecting proposals on the day the demo is loaded:
    ECHO (active in Kalisz) can send one at once, and Kalisz's staff can answer it."""
    programme = _next_year_from_2024()
    if programme is None:
        return 0
    today = clock.today()
    programme.proposals_from = today - timedelta(days=5)
    programme.proposals_to = today + timedelta(days=16)
    programme.consultation_from = today + timedelta(days=30)
    programme.consultation_to = today + timedelta(days=51)
    programme.stage = Stage.PROPOSALS_OPEN.value
    db.session.commit()
    return 1


def _next_year_from_2024() -> Programme | None:
    """The current city's programme for the year after the demo's day, started from its 2024
    one ("start from last year"); None when there is no 2024 one or next year's exists."""
    year = clock.today().year + 1
    previous = db.session.scalar(
        select(Programme).where(Programme.kind == Kind.ANNUAL.value, Programme.year_from == 2024)
    )
    if previous is None or _exists(Kind.ANNUAL, year):
        return None
    return services.copy_as_next(previous, year_from=year)


def _organisation(name: str) -> Organisation:
    return db.session.execute(select(Organisation).where(Organisation.name == name)).scalar_one()


def _leszno_cycle_records(programme: Programme) -> None:
    """Seed 000: the NGOs' proposals and their answers; a consultation with comments."""
    for name, element, text, answer, why in LESZNO_PROPOSALS:
        db.session.add(
            Proposal(
                programme_id=programme.id,
                organisation_id=_organisation(name).id,
                element=element,
                proposed_text=text,
                justification="",
                answer=answer,
                answer_justification=why,
                forwarded_to="Biuro Pełnomocnika ds. Współpracy z NGO",
                submitted_at=datetime(2023, 7, 26, 10, 0, tzinfo=UTC),
                answered_at=datetime(2023, 9, 15, 12, 0, tzinfo=UTC),
            )
        )
    for name, element, body, answer, taken in LESZNO_COMMENTS:
        db.session.add(
            Comment(
                programme_id=programme.id,
                organisation_id=_organisation(name).id,
                element=element,
                body=body,
                answer=answer,
                taken_into_account=taken,
                created_at=datetime(2023, 10, 16, 9, 0, tzinfo=UTC),
                answered_at=datetime(2023, 10, 30, 9, 0, tzinfo=UTC),
            )
        )
    db.session.add(
        Opinion(
            programme_id=programme.id,
            body="Leszczyńska Rada Seniorów",
            given_on=date(2023, 10, 25),
            text="Rada pozytywnie opiniuje projekt Programu na 2024 rok.",
        )
    )
    consultation_text = as_text(programme)
    db.session.add(
        Version(
            programme_id=programme.id,
            number=1,
            label="consultation",
            content=consultation_text,
            published_at=datetime(2023, 10, 9, 8, 0, tzinfo=UTC),
        )
    )
    db.session.add(
        Version(
            programme_id=programme.id,
            number=2,
            label="adopted",
            content=consultation_text,
            published_at=datetime(2023, 11, 23, 12, 0, tzinfo=UTC),
        )
    )


LESZNO_PROPOSALS = [
    (
        "Stowarzyszenie „Nasza Alternatywa”",
        "priority_tasks",
        "Przewidzieć w budżecie środki na współpracę z zagranicą w ramach wymiany z miastami "
        "partnerskimi.",
        "accepted",
        "Zadanie dopisano do priorytetów (wymiana młodzieży z miastami partnerskimi).",
    ),
    (
        "Stowarzyszenie „ECHO”",
        "budget",
        "Zwiększyć pulę środków Miasta na działalność organizacji pozarządowych.",
        "partly_accepted",
        "Pula wzrosła o 5% względem 2023 r.; dalsze zwiększenie zależy od budżetu Miasta.",
    ),
    (
        "Stowarzyszenie Katolickie Seniorów im. św. Jana Pawła II",
        "forms",
        "Dopuścić składanie projektów partnerskich w programie na działania AOL.",
        "rejected",
        "Zasady programu AOL określa odrębny regulamin; propozycję przekazano do jego autorów.",
    ),
    (
        "Stowarzyszenie „ECHO”",
        "principles",
        "Uprościć definicję zasady zrównoważonego rozwoju.",
        "accepted",
        "Definicję uproszczono zgodnie z ustaleniami spotkania z 13.07.2023 r.",
    ),
]

LESZNO_COMMENTS = [
    (
        "Stowarzyszenie „Nasza Alternatywa”",
        "goals",
        "Proponujemy dopisać w celach szczegółowych współpracę z miastami partnerskimi.",
        "Cel dopisano w wersji ostatecznej.",
        "yes",
    ),
    (
        "Stowarzyszenie Katolickie Seniorów im. św. Jana Pawła II",
        "priority_tasks",
        "Prosimy o wskazanie Izby Pamięci im. św. Jana Pawła II wśród zadań priorytetowych.",
        "Uwzględniono w zadaniu dotyczącym aktywizacji seniorów.",
        "partly",
    ),
]


def _krakow() -> int:
    if _exists(Kind.MULTI_YEAR, 2012):
        return 0
    programme = Programme(
        kind=Kind.MULTI_YEAR.value,
        year_from=2012,
        year_to=2014,
        stage=Stage.IN_FORCE.value,
        title="Wieloletni Program Współpracy Gminy Miejskiej Kraków z organizacjami "
        "pozarządowymi na lata 2012–2014",
        budget=Decimal("150000000.00"),
        consultation_from=date(2011, 10, 3),
        consultation_to=date(2011, 11, 18),
        resolution_number="XXX/391/11",
        resolution_date=date(2011, 11, 23),
    )
    programme.sections = [
        Section(key=key, body=body)
        for key, body in {
            "goals": "Rozwój społeczeństwa obywatelskiego w Krakowie przez partnerską współpracę "
            "Gminy Miejskiej Kraków z organizacjami pozarządowymi.",
            "scope": "Finansowe formy współpracy UMK z organizacjami (zadania publiczne zlecane "
            "organizacjom) oraz pozafinansowe formy współpracy i rozwiązania systemowe.",
            "implementation": "Zespół koordynujący (przedstawiciele UMK i NGO) koordynuje prace; "
            "osiem zespołów branżowych mobilizuje środowisko i zbiera postulaty.",
            "evaluation": "Coroczne sprawozdanie z realizacji Programu w każdym roku jego "
            "obowiązywania.",
            "creation": "Program przygotowany przez Zespół koordynujący i zespoły branżowe "
            "z udziałem ekspertów (Sieć SPLOT, ekspert niezależny), w dwóch turach "
            "spotkań branżowych w 2011 r.",
            "commissions": "Komisje konkursowe z udziałem przedstawicieli organizacji "
            "wskazanych przez zespoły branżowe.",
        }.items()
    ]
    programme.principles = _principles([])
    programme.forms = [
        CooperationForm(
            area="tasks",
            financial=True,
            position=0,
            description="zlecanie zadań publicznych organizacjom",
        ),
        CooperationForm(
            area="policy",
            financial=False,
            position=1,
            description="zespoły branżowe i zespół koordynujący jako wspólne "
            "zespoły o charakterze doradczym i inicjatywnym",
        ),
    ]
    programme.priority_tasks = [
        PriorityTask(area_code=code, description=text, position=i)
        for i, (code, text) in enumerate(
            [
                ("6", "zdrowie i wsparcie dla osób niepełnosprawnych"),
                ("14", "edukacja"),
                ("2", "aktywizacja grup zagrożonych wykluczeniem społecznym"),
                ("16", "kultura"),
                ("18", "ekologia"),
                ("17", "sport i rekreacja"),
                ("22", "społeczeństwo obywatelskie"),
                ("11", "rozwój gospodarczy"),
            ]
        )
    ]
    programme.indicators = [
        Indicator(
            name="liczba zespołów branżowych, które zebrały się w danym roku",
            planned=Decimal(8),
            position=0,
        )
    ]
    programme.milestones = [
        Milestone(title=t, starts_on=s, ends_on=e, responsible=r, status="done", position=i)
        for i, (t, s, e, r) in enumerate(KRAKOW_SCHEDULE)
    ]
    db.session.add(programme)
    db.session.flush()
    # the reports on its first two years are on record; the last year's is not
    for year, submitted_on, published_on in KRAKOW_YEAR_REPORTS:
        year_reports.file(programme, year, year_reports.Filing(published_on, submitted_on))
    db.session.commit()
    return 1


KRAKOW_YEAR_REPORTS = [
    (2012, date(2013, 4, 24), date(2013, 5, 29)),
    (2013, date(2014, 4, 23), date(2014, 5, 28)),
]
