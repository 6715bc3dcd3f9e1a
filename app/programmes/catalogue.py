"""What the law asks of a cooperation programme (art. 5a ust. 4) and the cycle it goes through."""

from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import case


class Kind(StrEnum):
    ANNUAL = "annual"
    MULTI_YEAR = "multi_year"


class Stage(StrEnum):
    DRAFT = "draft"
    PROPOSALS_OPEN = "proposals_open"
    PROPOSALS_REVIEW = "proposals_review"
    CONSULTATION = "consultation"
    OPINIONS = "opinions"
    FINAL = "final"
    ADOPTED = "adopted"
    IN_FORCE = "in_force"
    REPORTED = "reported"


CYCLE = list(Stage)
# From here on the programme is public (zasada jawności): the draft under consultation,
# then the final, adopted text.
PUBLIC_STAGES = set(CYCLE[CYCLE.index(Stage.CONSULTATION) :])
# Adoption and what follows it are the council's acts: recorded by the city's admin.
ADMIN_STAGES = {Stage.ADOPTED, Stage.IN_FORCE, Stage.REPORTED}
# The council adopted the text: from here on it changes only by an amending resolution.
FROZEN_STAGES = {Stage.ADOPTED, Stage.IN_FORCE, Stage.REPORTED}


class WindowKind(StrEnum):
    """The windows of the cycle in which organisations and residents take part."""

    PROPOSALS = "proposals"
    CONSULTATION = "consultation"


WINDOW_LABELS = {
    WindowKind.PROPOSALS: _l("the collection of proposals"),
    WindowKind.CONSULTATION: _l("the public consultation"),
}

STAGE_LABELS = {
    Stage.DRAFT: _l("draft"),
    Stage.PROPOSALS_OPEN: _l("proposals open"),
    Stage.PROPOSALS_REVIEW: _l("proposals under review"),
    Stage.CONSULTATION: _l("public consultation"),
    Stage.OPINIONS: _l("opinions"),
    Stage.FINAL: _l("final version"),
    Stage.ADOPTED: _l("adopted"),
    Stage.IN_FORCE: _l("in force"),
    Stage.REPORTED: _l("reported"),
}

KIND_LABELS = {
    Kind.ANNUAL: _l("annual programme"),
    Kind.MULTI_YEAR: _l("multi-year programme"),
}

# Art. 5a ust. 4: the elements every programme contains, in the Act's order.
ELEMENTS = {
    "goals": _l("1. Main goal and specific goals"),
    "principles": _l("2. Principles of cooperation"),
    "scope": _l("3. Scope of cooperation"),
    "forms": _l("4. Forms of cooperation"),
    "priority_tasks": _l("5. Priority public tasks"),
    "period": _l("6. Period of the programme"),
    "implementation": _l("7. How the programme is carried out"),
    "budget": _l("8. Planned budget"),
    "evaluation": _l("9. How implementation is evaluated"),
    "creation": _l("10. How the programme was created and consulted"),
    "commissions": _l("11. Competition commissions"),
}


def in_element_order(column):
    """The programme's elements in the order of art. 5a ust. 4, as an SQL sort key."""
    return case({key: position for position, key in enumerate(ELEMENTS)}, value=column)


TEXT_ELEMENTS = ("goals", "scope", "implementation", "evaluation", "creation", "commissions")

# The statutory principles (art. 5 ust. 3), with the definitions cities commonly use.
STATUTORY_PRINCIPLES = [
    (
        "Pomocniczość",
        "Samorząd przekazuje zadania do bezpośredniej realizacji organizacjom "
        "pozarządowym, które posiadają odpowiednie zasoby kadrowe oraz warunki organizacyjne "
        "i finansowe.",
    ),
    (
        "Suwerenność stron",
        "Niezależność, prawo do wymiany opinii, równość, autonomia oraz "
        "własna reprezentacja podmiotów realizujących Program.",
    ),
    (
        "Partnerstwo",
        "Działania we współpracy opartej na wzajemnym szacunku, zaufaniu "
        "i uznaniu równorzędności stron.",
    ),
    (
        "Efektywność",
        "Wspólne dążenie do osiągnięcia możliwie najlepszych efektów przy jak "
        "najmniejszych nakładach, z poszanowaniem zasobów publicznych i prywatnych.",
    ),
    (
        "Uczciwa konkurencja",
        "Wszystkie odpowiednio przygotowane podmioty mają szansę "
        "rywalizować o wykonywanie zadań publicznych w oparciu o obiektywne kryteria.",
    ),
    (
        "Jawność",
        "Wszystkie aspekty współpracy są dostępne dla zainteresowanych, a jej wyniki "
        "są upowszechniane.",
    ),
]


class CooperationArea(StrEnum):
    """The three areas of the national Model Współpracy."""

    POLICY = "policy"
    TASKS = "tasks"
    INFRASTRUCTURE = "infrastructure"


AREA_LABELS = {
    CooperationArea.POLICY: _l("I. Making public policies"),
    CooperationArea.TASKS: _l("II. Carrying out public tasks"),
    CooperationArea.INFRASTRUCTURE: _l("III. Infrastructure of cooperation"),
}

# The catalogue of forms a city chooses from (art. 5 ust. 2 and the Model Współpracy);
# (area, financial, text).
FORMS_CATALOGUE = [
    (
        "policy",
        False,
        "konsultowanie z organizacjami pozarządowymi projektów aktów "
        "normatywnych w dziedzinach dotyczących ich działalności statutowej",
    ),
    ("policy", False, "konsultowanie projektów aktów z radą działalności pożytku publicznego"),
    ("policy", False, "tworzenie wspólnych zespołów o charakterze doradczym i inicjatywnym"),
    ("policy", False, "wzajemne informowanie się o planowanych kierunkach działalności"),
    (
        "tasks",
        True,
        "zlecanie realizacji zadań publicznych w trybie otwartego konkursu ofert "
        "(wspieranie lub powierzanie)",
    ),
    (
        "tasks",
        True,
        "zlecanie realizacji zadań publicznych z pominięciem otwartego konkursu "
        "ofert (tzw. małe granty, art. 19a)",
    ),
    ("tasks", True, "regranting"),
    ("tasks", True, "inicjatywa lokalna"),
    ("tasks", False, "umowy partnerskie i porozumienia o współpracy"),
    ("infrastructure", False, "udostępnianie lokali i sprzętu na preferencyjnych warunkach"),
    ("infrastructure", False, "szkolenia i doradztwo dla organizacji pozarządowych"),
    ("infrastructure", False, "prowadzenie bazy danych o organizacjach pozarządowych"),
    ("infrastructure", False, "prowadzenie portalu internetowego dla organizacji pozarządowych"),
    ("infrastructure", True, "centrum organizacji pozarządowych"),
]


class MilestoneStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


MILESTONE_LABELS = {
    MilestoneStatus.PLANNED: _l("planned"),
    MilestoneStatus.IN_PROGRESS: _l("in progress"),
    MilestoneStatus.DONE: _l("done"),
}


class Answer(StrEnum):
    ACCEPTED = "accepted"
    PARTLY_ACCEPTED = "partly_accepted"
    REJECTED = "rejected"


ANSWER_LABELS = {
    Answer.ACCEPTED: _l("accepted"),
    Answer.PARTLY_ACCEPTED: _l("partly accepted"),
    Answer.REJECTED: _l("rejected"),
}


# How the city weighed a consultation comment (Comment.taken_into_account).
OUTCOME_LABELS = {
    "yes": _l("Taken into account"),
    "partly": _l("Partly taken into account"),
    "no": _l("Not taken into account"),
}
