"""Demo of the Samorząd Województwa Wielkopolskiego, a tenant of its own (art. 5a binds the
voivodeship too): next year's programme collecting proposals on the day the demo is loaded,
a proposal of a regional NGO already in, and an open meeting a fortnight ahead."""

from __future__ import annotations

from datetime import time, timedelta
from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.meetings import services as meetings
from app.meetings.models import Meeting
from app.organisations.models import Organisation
from app.programmes import services as programmes
from app.programmes.catalogue import Kind, Stage
from app.programmes.models import PriorityTask, Programme, Proposal
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from app.tenancy.models import Tenant

SLUG = "wojewodztwo-wielkopolskie"
OFFICE = "Departament Organizacyjny i Kadr, Wydział Współpracy z Organizacjami Pozarządowymi"

GOALS = (
    "Cel główny: rozwój współpracy Samorządu Województwa Wielkopolskiego z organizacjami "
    "pozarządowymi w realizacji zadań publicznych województwa.\n"
    "Cele szczegółowe: wzmocnienie regionalnej infrastruktury wsparcia organizacji; "
    "włączenie organizacji w tworzenie strategii i programów wojewódzkich; wyrównywanie "
    "szans organizacji spoza dużych miast."
)
SCOPE = (
    "Współpraca obejmuje zadania samorządu województwa (art. 4 ust. 1 ustawy), realizowane "
    "przez organizacje działające na terenie Wielkopolski lub na rzecz jej mieszkańców."
)
PRIORITIES = [
    ("10", "aktywizacja osób starszych i wsparcie wojewódzkiej rady seniorów"),
    ("18", "ochrona przyrody i edukacja ekologiczna w obszarach Natura 2000"),
    ("8", "sprawiedliwa transformacja Wielkopolski Wschodniej: aktywizacja zawodowa"),
]


def load() -> int:
    tenant = db.session.scalar(select(Tenant).where(Tenant.slug == SLUG))
    if tenant is None:  # an installation without the voivodeship's file
        return 0
    with tenant_scope(tenant.id):
        return _programme_collecting_proposals() + _meeting_ahead()


def _programme_collecting_proposals() -> int:
    year = clock.today().year + 1
    if db.session.scalar(select(Programme.id).where(Programme.year_from == year)):
        return 0
    programme = programmes.create(
        Kind.ANNUAL,
        year,
        year,
        "Program współpracy Samorządu Województwa Wielkopolskiego z organizacjami "
        "pozarządowymi oraz podmiotami, o których mowa w art. 3 ust. 3 ustawy o działalności "
        f"pożytku publicznego i o wolontariacie, na rok {year}",
    )
    today = clock.today()
    programme.proposals_from = today - timedelta(days=3)
    programme.proposals_to = today + timedelta(days=18)
    programme.consultation_from = today + timedelta(days=35)
    programme.consultation_to = today + timedelta(days=56)
    programme.stage = Stage.PROPOSALS_OPEN.value
    programme.budget = Decimal("9800000")
    texts = {"goals": GOALS, "scope": SCOPE}
    for section in programme.sections:
        section.body = texts.get(section.key, section.body)
    programme.priority_tasks = [
        PriorityTask(area_code=code, description=text, position=i)
        for i, (code, text) in enumerate(PRIORITIES)
    ]
    db.session.flush()
    seniors = db.session.execute(
        select(Organisation).where(Organisation.name == "Fundacja „Wielkopolska Akademia Seniora”")
    ).scalar_one()
    db.session.add(
        Proposal(
            programme_id=programme.id,
            organisation_id=seniors.id,
            element="priority_tasks",
            proposed_text="Dodać zadanie: regionalna sieć uniwersytetów trzeciego wieku "
            "w miastach powiatowych.",
            justification="Poza Poznaniem i Kaliszem seniorzy nie mają dostępu do zajęć.",
        )
    )
    db.session.commit()
    return 1


def _meeting_ahead() -> int:
    if db.session.scalar(select(Meeting.id).where(Meeting.held_on >= clock.today())):
        return 0
    held_on = clock.today() + timedelta(days=14)
    year = clock.today().year + 1
    meeting = meetings.create(
        {
            "title": "Wojewódzkie spotkanie z organizacjami pozarządowymi w sprawie programu "
            f"współpracy na rok {year}",
            "topic": "Propozycje organizacji do programu współpracy Samorządu Województwa.",
            "held_on": held_on,
            "starts_at": time(11, 0),
            "ends_at": time(14, 0),
            "place": "sala sesyjna Urzędu Marszałkowskiego, al. Niepodległości 34, Poznań",
            "facilitator": "Piotr Zieliński",
            "organiser": OFFICE,
            "goal": "Zebranie propozycji organizacji z całego województwa do programu.",
            "addressees": "Organizacje pozarządowe działające na terenie Wielkopolski.",
            "agenda": [
                {"title": "Założenia programu na rok " + str(year), "minutes": "", "speakers": []},
                {"title": "Propozycje i pytania organizacji", "minutes": "", "speakers": []},
            ],
        }
    )
    meeting.registration_open, meeting.capacity = True, 80
    meeting.registration_deadline = held_on - timedelta(days=2)
    db.session.commit()
    meetings.publish(meeting)
    return 1
