"""Demo minutes: the Leszno meeting of 13.07.2023, recorded in full from seed 000."""

from __future__ import annotations

import secrets
from datetime import date, time, timedelta

from sqlalchemy import select

from app.accounts.models import hash_token
from app.extensions import db
from app.meetings import services
from app.meetings.models import EventRegistration, Meeting, Team
from app.programmes.models import Programme
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant

LESZNO_13_07_2023 = {
    "title": "Spotkanie pracowników Biura Pełnomocnika Prezydenta ds. współpracy z organizacjami "
    "pozarządowymi z przedstawicielami organizacji pozarządowych w sprawie zebrania "
    "informacji niezbędnych do opracowania Rocznego Programu Współpracy na 2024 rok",
    "topic": "Zebranie informacji niezbędnych do opracowania Rocznego Programu Współpracy na "
    "rok 2024.",
    "held_on": date(2023, 7, 13),
    "starts_at": time(12, 0),
    "ends_at": time(14, 0),
    "place": "sala sesyjna w Urzędzie Miasta Leszna",
    "facilitator": "Anna Szymańska",
    "organiser": "Biuro Pełnomocnika ds. Współpracy z Organizacjami Pozarządowymi",
    "goal": "Celem spotkania było zebranie informacji do opracowania Rocznego Programu "
    "Współpracy Miasta Leszna z Organizacjami Pozarządowymi oraz podmiotami "
    "prowadzącymi działalność pożytku publicznego na rok 2024.",
    "addressees": "Spotkanie skierowane było do przedstawicieli leszczyńskich organizacji "
    "pozarządowych.",
    "people_count": 17,
    "organisations_count": 15,
    "officials_count": 3,
    "agenda": [
        {
            "title": "Omówienie zagadnień: co to jest Roczny Program Współpracy; cele i rezultaty "
            "Programu; formy i zasady współpracy; mocne i słabe strony współpracy "
            "(analiza SWOT); priorytetowe zadania publiczne; harmonogram dalszych prac",
            "minutes": "Spotkanie rozpoczęła Pani Anna Szymańska, Pełnomocnik ds. Współpracy "
            "z Organizacjami Pozarządowymi, która powitała zaproszonych gości "
            "i przedstawiła w skrócie program spotkania.\n\nPrzedstawiono "
            "prezentację Biura Pełnomocnika o płaszczyznach **modelu współpracy** "
            "oraz o tym, czym jest „Roczny Program Współpracy”, co musi zawierać "
            "i jakie rezultaty powinny zostać osiągnięte.\n\nUczestników "
            "zapoznano z harmonogramem dalszych prac: 13–27.07.2023 r. przyjmowanie "
            "propozycji zapisów; sierpień/wrzesień – przekazanie propozycji "
            "komórkom Urzędu; październik – projekt i konsultacje społeczne, opinia "
            "Leszczyńskiej Rady Seniorów; listopad – ostateczna wersja do Biura "
            "Rady Miejskiej Leszna.",
            "speakers": [
                {
                    "person": "Helena Strzałkowska",
                    "organisation": "Stowarzyszenie „Nasza Alternatywa”",
                    "statement": "Pytała, czy w przyszłorocznym budżecie będą "
                    "przewidziane środki na współpracę z zagranicą w ramach wymiany z miastami "
                    "partnerskimi.",
                },
                {
                    "person": "Hanna Hendrysiak",
                    "organisation": "Stowarzyszenie „ECHO”",
                    "statement": "Pytała, czy możliwe będzie zwiększenie przez Miasto puli środków "
                    "na działalność organizacji pozarządowych.",
                },
                {
                    "person": "Aleksy Szymanowski",
                    "organisation": "Stowarzyszenie Katolickie Seniorów im. św. Jana Pawła II",
                    "statement": "Pytał, czy w programie na "
                    "działania w ramach AOL 2023 można składać projekty partnerskie; przedstawił "
                    "projekt otwarcia w Lesznie Izby Pamięci im. św. Jana Pawła II.",
                },
            ],
        },
        {
            "title": "Praca w grupach. Dyskusja na temat współpracy pomiędzy samorządem "
            "a organizacjami pozarządowymi",
            "minutes": "Przedstawiciele organizacji zostali podzieleni na grupy robocze, które "
            "analizowały zasady współpracy JST i NGO, formułowały cel główny "
            "i szczegółowe programu oraz przygotowały analizę SWOT.\n\nOrganizacje "
            "zwróciły uwagę na niejasność definicji **zasady zrównoważonego "
            "rozwoju** oraz **zasady współodpowiedzialności**.",
            "speakers": [],
        },
        {
            "title": "Podsumowanie spotkania",
            "minutes": "Uczestnicy otrzymali materiały "
            "(egzemplarz Programu na 2023 rok i formularz zgłoszenia propozycji).",
            "speakers": [],
        },
    ],
    "decisions": [
        {
            "text": "Definicja zasady zrównoważonego rozwoju wymaga uproszczenia; pozostałe "
            "definicje zasad współpracy pozostają bez zmian.",
            "responsible": "Biuro Pełnomocnika ds. Współpracy z NGO",
            "due_on": date(2023, 10, 1),
        },
        {
            "text": "Organizacje do 27.07.2023 r. przekazują za pośrednictwem formularza swoje "
            "propozycje i sugestie do Programu.",
            "responsible": "organizacje pozarządowe",
            "due_on": date(2023, 7, 27),
        },
    ],
    "groups": [
        {
            "name": "Grupy robocze",
            "result": "Analiza zasad współpracy JST i NGO, próba "
            "sformułowania celu głównego i szczegółowego programu, analiza SWOT współpracy "
            "Miasta Leszna z sektorem pozarządowym.",
        },
    ],
    "swot": [
        {"quadrant": "strengths", "text": "regularne spotkania Biura Pełnomocnika z NGO"},
        {"quadrant": "strengths", "text": "przejrzyste zasady otwartych konkursów ofert"},
        {"quadrant": "weaknesses", "text": "niejasne definicje części zasad współpracy"},
        {"quadrant": "weaknesses", "text": "niewielka pula środków na działalność NGO"},
        {"quadrant": "opportunities", "text": "współpraca z miastami partnerskimi"},
        {"quadrant": "opportunities", "text": "projekty partnerskie organizacji"},
        {"quadrant": "threats", "text": "rosnące koszty realizacji zadań"},
    ],
    "materials": [
        "egzemplarz „Rocznego Programu Współpracy Miasta Leszna z Organizacjami "
        "Pozarządowymi (...) na rok 2023”",
        "formularz zgłoszenia propozycji do projektu „Rocznego Programu Współpracy Miasta "
        "Leszna z Organizacjami Pozarządowymi (...) na 2024 rok”",
    ],
    "minutes_taker": "Barbara Grygier",
    "written_on": date(2023, 7, 14),
}


def load() -> int:
    tenant = db.session.execute(select(Tenant).where(Tenant.slug == "leszno")).scalar_one()
    with tenant_scope(tenant.id):
        if db.session.scalar(select(Meeting.id).where(Meeting.held_on == date(2023, 7, 13))):
            return load_krakow() + load_study_visit() + load_upcoming_consultation_meeting()
        programme_id = db.session.scalar(select(Programme.id).where(Programme.year_from == 2024))
        meeting = services.create({**LESZNO_13_07_2023, "programme_id": programme_id})
        services.publish(meeting)
    return 1 + load_krakow() + load_study_visit() + load_upcoming_consultation_meeting()


# Seed 004: Kraków's coordinating team and eight sector teams, with a first round of
# sector meetings (June–July 2011) and their SWOT analyses.
KRAKOW_SECTORS = [
    (
        "Zdrowie i wsparcie dla osób niepełnosprawnych",
        "Marta Kowalczyk",
        (
            "doświadczone organizacje pacjenckie",
            "rozproszone dane o usługach",
            "środki z funduszy europejskich",
            "ubytek wolontariuszy",
        ),
    ),
    (
        "Edukacja",
        "Paweł Nowicki",
        (
            "współpraca szkół z organizacjami",
            "krótkie, roczne umowy",
            "programy rządowe dla szkół",
            "niż demograficzny",
        ),
    ),
    (
        "Aktywizacja grup zagrożonych wykluczeniem społecznym",
        "Agnieszka Wójcik",
        (
            "sieć centrów integracji społecznej",
            "brak wspólnej diagnozy potrzeb",
            "ekonomia społeczna",
            "rosnące koszty usług",
        ),
    ),
    (
        "Kultura",
        "Tomasz Lewandowski",
        (
            "bogata oferta festiwali",
            "niewiele lokali dla organizacji",
            "Europejska Stolica Kultury jako wzór",
            "koncentracja środków na dużych wydarzeniach",
        ),
    ),
    (
        "Ekologia",
        "Joanna Kamińska",
        (
            "aktywne ruchy miejskie",
            "słaba komunikacja z wydziałami",
            "edukacja ekologiczna w szkołach",
            "smog i presja inwestycyjna",
        ),
    ),
    (
        "Sport i rekreacja",
        "Krzysztof Zieliński",
        (
            "liczne kluby i UKS",
            "przewaga sportu wyczynowego w konkursach",
            "otwarte obiekty szkolne",
            "zużyta infrastruktura",
        ),
    ),
    (
        "Społeczeństwo obywatelskie",
        "Ewa Szymczak",
        (
            "doświadczenie w konsultacjach",
            "niska rozpoznawalność organizacji",
            "budżet obywatelski",
            "zniechęcenie mieszkańców",
        ),
    ),
    (
        "Rozwój gospodarczy",
        "",
        (
            "inicjatywy przedsiębiorców społecznych",
            "brak moderatora zespołu",
            "współpraca z uczelniami",
            "niska frekwencja na spotkaniach",
        ),
    ),
]


def load_krakow() -> int:
    tenant = db.session.execute(select(Tenant).where(Tenant.slug == "krakow")).scalar_one()
    with tenant_scope(tenant.id):
        if db.session.scalar(select(Team.id).limit(1)):
            return 0
        services.save_team(
            Team(),
            None,
            {
                "name": "Zespół koordynujący",
                "kind": "coordinating",
                "description": "Przedstawiciele UMK i NGO: koordynacja prac, wypracowywanie "
                "rozwiązań, formułowanie zapisów Wieloletniego Programu Współpracy.",
            },
            [
                {"name": "Wydział Spraw Społecznych UMK", "role": "leader"},
                {"name": "Łukasz Waszak", "organisation": "Sieć SPLOT", "role": "expert"},
                {"name": "Małgorzata Pyka", "organisation": "ekspert niezależny", "role": "expert"},
            ],
        )
        for day, (area, moderator, (strength, weakness, opportunity, threat)) in enumerate(
            KRAKOW_SECTORS, start=1
        ):
            team = Team()
            services.save_team(
                team,
                None,
                {"name": f"Zespół branżowy: {area}", "kind": "sector", "area": area},
                [
                    {"name": moderator, "role": "moderator"}
                    if moderator
                    else {"name": "(wakat)", "role": "moderator"},
                    {"name": "przedstawiciel wydziału merytorycznego UMK", "role": "member"},
                ],
            )
            meeting = services.create(
                {
                    "title": f"Spotkanie zespołu branżowego: {area} (I tura)",
                    "held_on": date(2011, 6, 6 + day * 3),
                    "place": "MOWIS, Kraków",
                    "facilitator": moderator,
                    "team_id": team.id,
                    "organiser": "Wydział Spraw Społecznych UMK",
                    "agenda": [
                        {
                            "title": "Analiza SWOT obszaru",
                            "minutes": "Zebrano postulaty "
                            "środowiska do Wieloletniego Programu Współpracy.",
                            "speakers": [],
                        }
                    ],
                    "swot": [
                        {"quadrant": "strengths", "text": strength},
                        {"quadrant": "weaknesses", "text": weakness},
                        {"quadrant": "opportunities", "text": opportunity},
                        {"quadrant": "threats", "text": threat},
                    ],
                }
            )
            services.publish(meeting)
    return 1


# Seed 001: the online study visit "Niechciany obowiązek, czy obustronna korzyść?", organised
# by three Żyrardów organisations; people register for it.
STUDY_VISIT = {
    "title": "Wizyta studyjna online: partnerska współpraca samorządu i NGO – dobre praktyki "
    "z Gdańska i Sopotu",
    "topic": "Niechciany obowiązek, czy obustronna korzyść?",
    "held_on": date(2020, 12, 14),
    "starts_at": time(14, 0),
    "ends_at": time(16, 30),
    "online_url": "https://wizyta-studyjna.demo/pomorze",
    "organiser": "Żyrardowska Federacja Organizacji Społecznych „DZIAŁAJ.MY”, Mariański Ruch "
    "Inicjatyw Ekonomiczno-Społecznych, Stowarzyszenie Wspólnoty Żyrardowa",
    "goal": "Poznanie dobrych praktyk współpracy z Gdańska i Sopotu: Pomorskiej Rady "
    "Działalności Pożytku Publicznego, Zespołu Międzysektorowego, Sopockiego Centrum "
    "Organizacji Pozarządowych i Sopockiej Rady Organizacji Pozarządowych.",
    "addressees": "Przedstawiciele organizacji społecznych i samorządu Żyrardowa.",
    "agenda": [
        {"title": "Prezentacje i dyskusje z prelegentami (dzień 1)", "minutes": "", "speakers": []},
        {"title": "Pokazy filmów i dyskusja (dzień 2, 15.12.2020)", "minutes": "", "speakers": []},
    ],
}
STUDY_VISIT_REGISTRANTS = [
    ("Jan Kowalski", "DZIAŁAJ.MY"),
    ("Ewa Nowak", "Stowarzyszenie Wspólnoty Żyrardowa"),
    ("Piotr Wiśniewski", "Mariański Ruch Inicjatyw Ekonomiczno-Społecznych"),
    ("Agnieszka Dąbrowska", "Urząd Miasta Żyrardowa"),
]


def load_study_visit() -> int:
    tenant = db.session.execute(select(Tenant).where(Tenant.slug == "zyrardow")).scalar_one()
    with tenant_scope(tenant.id):
        if db.session.scalar(select(Meeting.id).where(Meeting.held_on == date(2020, 12, 14))):
            return 0
        meeting = services.create(dict(STUDY_VISIT))
        meeting.registration_open, meeting.capacity = True, 60
        meeting.attendance_mode = "online"
        meeting.questions = ["Jaką organizację lub instytucję Pan/Pani reprezentuje?"]
        for name, organisation in STUDY_VISIT_REGISTRANTS:
            _register(meeting, name, organisation, f"{name.split()[0].lower()}@zyrardow.demo")
        db.session.commit()
        services.publish(meeting)
    return 1


# Like seed 000's meeting, but ahead: Leszno's consultation meeting on next year's draft,
# a week after the demo is loaded, with places left to register for.
UPCOMING_REGISTRANTS = [
    ("Helena Strzałkowska", "Stowarzyszenie „Nasza Alternatywa”", "h.strzalkowska"),
    ("Zofia Górecka", "Stowarzyszenie Rodzin Zastępczych „Gniazdo”", "z.gorecka"),
    ("Marek Jankowski", "Uczniowski Klub Sportowy „Jedynka”", "m.jankowski"),
]


def load_upcoming_consultation_meeting() -> int:
    tenant = db.session.execute(select(Tenant).where(Tenant.slug == "leszno")).scalar_one()
    held_on = clock.today() + timedelta(days=7)
    year = clock.today().year + 1
    with tenant_scope(tenant.id):
        if db.session.scalar(select(Meeting.id).where(Meeting.held_on >= clock.today())):
            return 0
        meeting = services.create(
            {
                "title": "Spotkanie konsultacyjne projektu Rocznego Programu Współpracy "
                f"Miasta Leszna z organizacjami pozarządowymi na rok {year}",
                "topic": f"Omówienie projektu programu współpracy na rok {year} i zebranie uwag.",
                "held_on": held_on,
                "starts_at": time(16, 0),
                "ends_at": time(18, 0),
                "place": "sala sesyjna w Urzędzie Miasta Leszna, ul. Karasia 15",
                "facilitator": "Anna Szymańska",
                "organiser": "Biuro Pełnomocnika ds. Współpracy z Organizacjami Pozarządowymi",
                "goal": "Przedstawienie projektu programu i zebranie uwag organizacji w ramach "
                "konsultacji społecznych.",
                "addressees": "Przedstawiciele leszczyńskich organizacji pozarządowych "
                "i mieszkańcy.",
                "agenda": [
                    {"title": "Prezentacja projektu programu", "minutes": "", "speakers": []},
                    {"title": "Uwagi i pytania organizacji", "minutes": "", "speakers": []},
                ],
            }
        )
        meeting.registration_open, meeting.capacity = True, 40
        meeting.registration_deadline = held_on - timedelta(days=1)
        meeting.questions = ["Którą organizację Pan/Pani reprezentuje?"]
        for name, organisation, mailbox in UPCOMING_REGISTRANTS:
            _register(meeting, name, organisation, f"{mailbox}@leszno-ngo.demo")
        # the demo's NGO person finds it on her home page, with a cancel button
        _register(meeting, "Hanna Hendrysiak", "Stowarzyszenie „ECHO”", "ngo@echo.demo")
        db.session.commit()
        services.publish(meeting)
    return 1


def _register(meeting: Meeting, name: str, organisation: str, email: str) -> None:
    """A confirmed registration answering the meeting's one question with the organisation."""
    db.session.add(
        EventRegistration(
            meeting_id=meeting.id,
            name=name,
            organisation=organisation,
            email=email,
            status="confirmed",
            answers=[organisation],
            cancel_token_hash=hash_token(secrets.token_urlsafe(16)),
        )
    )
