"""Seed 003: the "Wielkopolska działa razem" standards project, and Pomerania's own one."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.exports import Document
from app.exports.render import to_odt
from app.extensions import db
from app.i18n import when
from app.meetings import services as meetings
from app.regions.models import (
    Adoption,
    AdoptionChange,
    AdoptionStatus,
    ReviewStatus,
    Standard,
    StandardisationGroup,
    StandardsProject,
    ThematicBlock,
)
from app.storage import storage
from app.tenancy.context import tenant_scope
from app.tenancy.models import Region, Tenant

BLOCKS = (
    "Tworzenie polityk publicznych",
    "Współpraca w zakresie realizacji zadań publicznych",
    "Infrastruktura współpracy",
)

WIELKOPOLSKA: dict[str, Any] = {
    "project": {
        "title": "Wielkopolska działa razem – wdrożenie standardów współpracy "
        "Samorządu Województwa Wielkopolskiego i NGO",
        "starts_on": date(2013, 1, 1),
        "ends_on": date(2014, 12, 31),
        "funding_source": "Unia Europejska, Europejski Fundusz Społeczny",
        "partner": "Fundacja Forum Rozwoju Nowoczesnych Technologii",
        "description": "Osiem grup standaryzacyjnych złożonych z pracowników urzędów oraz "
        "przedstawicieli III sektora od marca spotykało się w siedzibie Urzędu "
        "Marszałkowskiego Województwa Wielkopolskiego w Poznaniu, opracowując standardy "
        "wzmacniające współpracę pomiędzy I i III sektorem. Standardy wprowadzały "
        "spotkania partycypacyjne w Kaliszu, Lesznie, Koninie i Pile, w trzech blokach "
        "tematycznych.",
    },
    # (block number, group, title, description)
    "standards": [
        (
            1,
            "Grupa standaryzacyjna nr 1",
            "Konsultowanie projektów aktów prawa miejscowego z organizacjami",
            "Procedura konsultacji: ogłoszenie, co najmniej 14 dni na uwagi, raport z "
            "odpowiedziami na każdą uwagę.",
        ),
        (
            1,
            "Grupa standaryzacyjna nr 2",
            "Tworzenie programu współpracy z udziałem organizacji",
            "Harmonogram prac nad programem rocznym, zbieranie propozycji, spotkanie "
            "otwarte przed przyjęciem programu do 30 listopada.",
        ),
        (
            1,
            "Grupa standaryzacyjna nr 3",
            "Rada Działalności Pożytku Publicznego",
            "Powołanie rady, regulamin, wydawanie opinii w terminie.",
        ),
        (
            2,
            "Grupa standaryzacyjna nr 4",
            "Otwarte konkursy ofert",
            "Jawne kryteria oceny, komisja z udziałem przedstawicieli organizacji, "
            "publikacja wyników z uzasadnieniem.",
        ),
        (
            2,
            "Grupa standaryzacyjna nr 5",
            "Małe granty (art. 19a)",
            "Uproszczona ścieżka dla zadań do 10 000 zł i 90 dni, publikacja oferty na 7 dni.",
        ),
        (
            2,
            "Grupa standaryzacyjna nr 6",
            "Sprawozdawczość i rozliczanie dotacji",
            "Wspólny wzór sprawozdania, kontrola merytoryczna przed finansową.",
        ),
        (
            3,
            "Grupa standaryzacyjna nr 7",
            "Baza danych o organizacjach pozarządowych",
            "Aktualizacja bazy co najmniej raz w roku, zgoda organizacji na publikację danych.",
        ),
        (
            3,
            "Grupa standaryzacyjna nr 8",
            "Centrum organizacji pozarządowych",
            "Udostępnianie lokali i sprzętu, doradztwo i szkolenia dla organizacji.",
        ),
    ],
    # city -> statuses of the eight standards, in order
    "adoption": {
        "leszno": [
            "adopted",
            "adopted",
            "adopted",
            "adopted",
            "adopted",
            "in_progress",
            "adopted",
            "planned",
        ],
        "kalisz": [
            "adopted",
            "in_progress",
            "adopted",
            "adopted",
            "planned",
            "not_started",
            "in_progress",
            "not_started",
        ],
        "konin": [
            "in_progress",
            "planned",
            "not_started",
            "adopted",
            "not_started",
            "not_started",
            "planned",
            "not_applicable",
        ],
        "pila": [
            "planned",
            "not_started",
            "not_started",
            "in_progress",
            "not_started",
            "not_started",
            "not_started",
            "not_started",
        ],
    },
}

POMORSKIE: dict[str, Any] = {
    "project": {
        "title": "Pomorskie standardy współpracy samorządów i organizacji",
        "starts_on": date(2023, 3, 1),
        "ends_on": date(2025, 2, 28),
        "funding_source": "Budżet Województwa Pomorskiego",
        "partner": "Regionalne Centrum Informacji i Wspomagania Organizacji Pozarządowych",
        "description": "Wspólne standardy konsultacji i małych grantów dla miast Trójmiasta.",
    },
    "standards": [
        (
            1,
            "Zespół ds. konsultacji",
            "Konsultacje społeczne z organizacjami",
            "Minimalne terminy i raport z konsultacji.",
        ),
        (
            2,
            "Zespół ds. grantów",
            "Regranting dla młodych organizacji",
            "Operator regrantingu wybierany w konkursie.",
        ),
    ],
    "adoption": {"gdansk": ["adopted", "in_progress"], "sopot": ["planned", "not_started"]},
}


def load() -> int:
    created = _load("wielkopolskie", WIELKOPOLSKA) + _load("pomorskie", POMORSKIE)
    if created:
        _participatory_meetings(WIELKOPOLSKA["project"]["title"])
    return created


# Seed 003: October 2013, a participatory meeting in each city, split into the three
# thematic blocks; (city, day, participants per block).
PARTICIPATORY_MEETINGS = (
    ("kalisz", date(2013, 10, 8), (21, 14, 12)),
    ("leszno", date(2013, 10, 10), (18, 16, 9)),
    ("konin", date(2013, 10, 15), (15, 11, 10)),
    ("pila", date(2013, 10, 17), (12, 13, 8)),
)


def _participatory_meetings(project_title: str) -> None:
    project = db.session.execute(
        select(StandardsProject).where(StandardsProject.title == project_title)
    ).scalar_one()
    blocks = list(project.blocks)
    for slug, held_on, participants in PARTICIPATORY_MEETINGS:
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one()
        with tenant_scope(tenant.id):
            for block, people in zip(blocks, participants, strict=True):
                meeting = meetings.create(
                    {
                        "title": f"Spotkanie partycypacyjne „Wielkopolska działa razem” – "
                        f"blok {block.numeral}: {block.title}",
                        "held_on": held_on,
                        "topic": "Standardy współpracy NGO–JST w Wielkopolsce",
                        "organiser": "Fundacja Forum Rozwoju Nowoczesnych Technologii",
                        "people_count": people,
                        "thematic_block_id": block.id,
                    }
                )
                meetings.publish(meeting)


def _load(region_slug: str, data: dict) -> int:
    region = db.session.execute(select(Region).where(Region.slug == region_slug)).scalar_one()
    title = data["project"]["title"]
    if db.session.scalar(select(StandardsProject.id).where(StandardsProject.title == title)):
        return 0
    project = StandardsProject(region=region, **data["project"])
    blocks = {n: ThematicBlock(number=n, title=t) for n, t in enumerate(BLOCKS, start=1)}
    project.blocks = list(blocks.values())
    groups = {
        name: _group(i, name)
        for i, name in enumerate(dict.fromkeys(g for _, g, *_ in data["standards"]))
    }
    project.groups = list(groups.values())
    standards = [
        Standard(
            block=blocks[number], position=i, group=groups[group], title=title, description=text
        )
        for i, (number, group, title, text) in enumerate(data["standards"])
    ]
    db.session.add(project)
    db.session.commit()
    project_year = data["project"]["starts_on"].year
    for slug, statuses in data["adoption"].items():
        # Kalisz has just sent its rows in; the others' were reviewed already.
        review_status = ReviewStatus.PENDING if slug == "kalisz" else ReviewStatus.ACCEPTED
        tenant = db.session.execute(select(Tenant).where(Tenant.slug == slug)).scalar_one()
        with tenant_scope(tenant.id):
            db.session.add_all(
                _adoption(tenant, standard, status, review_status, project_year)
                for standard, status in zip(standards, statuses, strict=True)
            )
            db.session.commit()
    return 1


# Officials and NGO people by the institution they came from (seed 003: offices and the
# third sector together).
OFFICES = (
    "Urząd Marszałkowski Województwa Wielkopolskiego",
    "Urząd Miasta Leszna",
    "Urząd Miasta Kalisza",
    "Urząd Miejski w Koninie",
    "Urząd Miasta Piły",
)
NGOS = (
    "Fundacja Forum Rozwoju Nowoczesnych Technologii",
    "Stowarzyszenie „ECHO”",
    "Kaliski Inkubator Przedsiębiorczości",
    "Stowarzyszenie Centrum Wspierania Organizacji Pozarządowych w Pile",
)


def _group(position: int, name: str) -> StandardisationGroup:
    return StandardisationGroup(
        position=position,
        name=name,
        office_members=[OFFICES[position % len(OFFICES)], OFFICES[(position + 2) % len(OFFICES)]],
        ngo_members=[NGOS[position % len(NGOS)], NGOS[(position + 1) % len(NGOS)]],
    )


def _adoption(
    tenant: Tenant, standard: Standard, status: str, review_status: str, year: int
) -> Adoption:
    """A row with a history: planned once the project's meetings began, then where it is now."""
    start = datetime(year, 10, 15, tzinfo=UTC)
    reached = start + timedelta(days=45 * (standard.position + 1))
    adoption = Adoption(standard_id=standard.id, status=status, review_status=review_status)
    adoption.changes = [
        AdoptionChange(status=AdoptionStatus.PLANNED, created_at=start),
        AdoptionChange(status=status, review_status=review_status, created_at=reached),
    ]
    if status == AdoptionStatus.ADOPTED:
        adoption.decided_on = reached.date()
        adoption.evidence = f"Zarządzenie nr {100 + standard.position}/{reached.year}"
        adoption.evidence_file_name = f"zarzadzenie-{100 + standard.position}-{reached.year}.odt"
        adoption.evidence_file_key = storage().save(
            tenant.id, adoption.evidence_file_name, _order(tenant, standard, adoption)
        )
    return adoption


# "Prezydent Miasta Kalisza": the demo's orders name their city in the genitive.
CITY_GENITIVE = {
    "leszno": "Leszna",
    "kalisz": "Kalisza",
    "konin": "Konina",
    "pila": "Piły",
    "gdansk": "Gdańska",
    "sopot": "Sopotu",
}


def _order(tenant: Tenant, standard: Standard, adoption: Adoption) -> bytes:
    """The mayor's order that brought the standard in: the document a city attaches."""
    city = CITY_GENITIVE[tenant.slug]
    order = Document(
        f"{adoption.evidence} Prezydenta Miasta {city}",
        subtitle=f"z dnia {when(adoption.decided_on)} r.",
    )
    order.paragraph(f"w sprawie wprowadzenia standardu „{standard.title}”")
    order.paragraph(
        "Na podstawie art. 33 ust. 3 ustawy z dnia 8 marca 1990 r. o samorządzie gminnym "
        "zarządza się, co następuje:"
    )
    order.paragraph(
        f"§ 1. Wprowadza się do stosowania w Urzędzie Miasta {city} standard "
        f"„{standard.title}”, wypracowany przez grupę standaryzacyjną projektu regionalnego."
    )
    order.paragraph("§ 2. Wykonanie zarządzenia powierza się Sekretarzowi Miasta.")
    order.paragraph("§ 3. Zarządzenie wchodzi w życie z dniem podpisania.")
    return to_odt(order)
