"""The regional data set of issue #17, written in bulk (SQLAlchemy Core inserts of lists of
dicts) as the owner of the tables, beside row-level security.

At scale 1: one region of 300 cities, one of them (Poznań) with 10,000 of the ~20,000
organisations; 10 annual programmes a city (~3,000), ~30,000 meetings, ~200,000 proposals and
comments, a standards project of 40 standards and every city's adoption of them. Everything
counted scales with `scale` (0.1: a tenth) except the 40 standards.

Three people with known passwords use it: the big city's NGO liaison officer (its admin, with
an API token), a representative of an organisation active in five cities, and the region's
coordinator.
"""

from __future__ import annotations

import hashlib
import random
import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import Connection, Table, func, insert, select, text

from app.accounts.models import (
    ApiToken,
    Membership,
    RegionalAssignment,
    Role,
    User,
    hash_password,
    hash_token,
)
from app.audit.models import AuditEntry
from app.extensions import Model
from app.meetings.models import (
    AgendaItem,
    Attendee,
    Decision,
    EventRegistration,
    Meeting,
    Speaker,
    SwotItem,
    Team,
    TeamMember,
)
from app.notifications.models import Notification
from app.organisations.catalogue import PUBLIC_BENEFIT_AREAS
from app.organisations.models import (
    Organisation,
    OrganisationArea,
    OrganisationMember,
    Registration,
    fold,
)
from app.programmes.catalogue import TEXT_ELEMENTS
from app.programmes.models import Comment, PriorityTask, Programme, Proposal, Section, Version
from app.regions.models import (
    Adoption,
    AdoptionChange,
    Standard,
    StandardsProject,
    ThematicBlock,
)
from app.tenancy import clock
from app.tenancy.models import Region, Tenant
from bench import names

PASSWORD = "razem-bench-haslo"
REGION_SLUG = "wielkopolskie-bench"
REGION_TERYT = "98"  # no voivodeship has it
STANDARDS = 40
PROGRAMME_YEARS = 10
DATED_YEARS = 5  # registrations, meetings and adoption histories spread over this many years
DATED_DAYS = DATED_YEARS * 365
AREAS = list(PUBLIC_BENEFIT_AREAS)
ADOPTION_STATUSES = ["not_started", "planned", "in_progress", "adopted", "not_applicable"]


@dataclass
class Person:
    email: str
    password: str = PASSWORD


@dataclass
class Dataset:
    """What the benchmark needs to know of the data set it built."""

    scale: float
    counts: dict[str, int] = field(default_factory=dict)
    city: str = ""  # the big city's slug
    region: str = REGION_SLUG
    project_id: int = 0
    programme_id: int = 0  # the big city's programme under consultation
    meeting_id: int = 0  # its richest minutes
    team_id: int = 0
    registration_id: int = 0  # an organisation in the big city's directory
    directory_size: int = 0  # organisations active in the big city
    office: Person = field(default_factory=lambda: Person("pelnomocnik@razem-bench.pl"))
    ngo: Person = field(default_factory=lambda: Person("organizacja@razem-bench.pl"))
    coordinator: Person = field(default_factory=lambda: Person("koordynator@razem-bench.pl"))
    api_token: str = ""
    year: int = 0  # this year: the last of the multi-year benchmark


class Writer:
    """Bulk inserts with ids given here (so that rows can point at each other without reading
    them back); the sequences are moved past them at the end."""

    CHUNK = 5_000

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.counts: dict[str, int] = {}
        self._next: dict[str, int] = {}

    def ids(self, model: type[Model], count: int) -> range:
        table: Table = model.__table__  # type: ignore[assignment]
        if table.name not in self._next:
            self._next[table.name] = 1 + self.connection.scalar(
                select(func.coalesce(func.max(table.c.id), 0))
            )
        start = self._next[table.name]
        self._next[table.name] = start + count
        return range(start, start + count)

    def add(self, model: type[Model], rows: list[dict]) -> None:
        table: Table = model.__table__  # type: ignore[assignment]
        for start in range(0, len(rows), self.CHUNK):
            self.connection.execute(insert(table), rows[start : start + self.CHUNK])
        self.counts[table.name] = self.counts.get(table.name, 0) + len(rows)

    def finish(self) -> None:
        for name in self._next:
            self.connection.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {name}))"
                )
            )


def build(connection: Connection, scale: float, seed: int = 17) -> Dataset:
    """Write the data set into an empty, migrated database; returns what the pages need."""
    return _Builder(connection, scale, random.Random(seed)).build()


def count(full: int, scale: float, least: int = 1) -> int:
    return max(least, round(full * scale))


class _Builder:
    def __init__(self, connection: Connection, scale: float, rng: random.Random) -> None:
        self.write = Writer(connection)
        self.scale = scale
        self.rng = rng
        self.today = clock.today()
        self.now = datetime.now(UTC)
        self.data = Dataset(scale=scale, year=self.today.year)
        # one hash for every generated person: argon2 takes ~50 ms a password
        self.password_hash = hash_password(PASSWORD)

    def build(self) -> Dataset:
        self.cities()
        self.people()
        self.organisations()
        self.programmes()
        self.contributions()
        self.meetings()
        self.standards()
        self.records()
        self.write.finish()
        self.data.counts = dict(self.write.counts)
        return self.data

    # -- cities and people -------------------------------------------------------------

    def cities(self) -> None:
        (region_id,) = self.write.ids(Region, 1)
        self.write.add(
            Region,
            [
                {
                    "id": region_id,
                    "slug": REGION_SLUG,
                    "teryt": REGION_TERYT,
                    "names": {
                        "pl": "Województwo wielkopolskie (zbiór testowy)",
                        "en": "Greater Poland (benchmark set)",
                    },
                }
            ],
        )
        self.region_id = region_id
        total = count(300, self.scale, least=3)
        self.city_ids = list(self.write.ids(Tenant, total))
        rows = []
        for number, tenant_id in enumerate(self.city_ids):
            town = names.TOWNS[number % len(names.TOWNS)]
            kind, label = ("city", "Miasto") if number < len(names.TOWNS) else ("gmina", "Gmina")
            slug = fold(town).replace(" ", "-")
            if kind == "gmina":
                slug = f"gmina-{slug}"
            rows.append(
                {
                    "id": tenant_id,
                    "slug": slug,
                    "names": {"pl": f"{label} {town}", "en": f"{label} {town}"},
                    "kind": kind,
                    "region_id": region_id,
                    # TERC: region, number, then the kind (1 a town, 2 a rural gmina)
                    "teryt": f"{REGION_TERYT}{number:04d}{1 if kind == 'city' else 2}",
                    "population": 540_000 if number == 0 else int(3_000 * 50 ** self.rng.random()),
                    "locale": "pl",
                    "timezone": "Europe/Warsaw",
                    "domains": [],
                    "brand_colour": "#1d4f91",
                }
            )
        self.write.add(Tenant, rows)
        self.big_city = self.city_ids[0]
        self.data.city = rows[0]["slug"]

    def users(self, people: list[tuple[str, str]]) -> list[int]:
        ids = list(self.write.ids(User, len(people)))
        self.write.add(
            User,
            [
                {"id": i, "email": email, "name": name, "password_hash": self.password_hash}
                for i, (email, name) in zip(ids, people, strict=True)
            ],
        )
        return ids

    def people(self) -> None:
        data = self.data
        self.office_id, self.ngo_id, self.coordinator_id = self.users(
            [
                (data.office.email, "Anna Szymańska"),
                (data.ngo.email, "Hanna Hendrysiak"),
                (data.coordinator.email, "Piotr Zieliński"),
            ]
        )
        # every other city's NGO liaison officer
        officers = [
            (f"urzad{i}@razem-bench.pl", self.rng.choice(names.PEOPLE)) for i in self.city_ids
        ]
        self.staff_ids = [self.office_id, *self.users(officers[1:])]
        memberships = list(self.write.ids(Membership, len(self.city_ids)))
        self.write.add(
            Membership,
            [
                {"id": m, "user_id": u, "tenant_id": t, "role": Role.ADMIN.value}
                for m, u, t in zip(memberships, self.staff_ids, self.city_ids, strict=True)
            ],
        )
        (assignment,) = self.write.ids(RegionalAssignment, 1)
        self.write.add(
            RegionalAssignment,
            [
                {
                    "id": assignment,
                    "user_id": self.coordinator_id,
                    "region_id": self.region_id,
                    "role": "coordinator",
                }
            ],
        )
        secret = "rzm_" + secrets.token_urlsafe(32)
        (token_id,) = self.write.ids(ApiToken, 1)
        self.write.add(
            ApiToken,
            [
                {
                    "id": token_id,
                    "user_id": self.office_id,
                    "name": "benchmark",
                    "token_hash": hash_token(secret),
                    "prefix": secret[:10],
                    "expires_at": self.now + timedelta(days=80),
                }
            ],
        )
        data.api_token = secret

    # -- organisations ------------------------------------------------------------------

    def organisations(self) -> None:
        rng = self.rng
        total = count(20_000, self.scale, least=20)
        ids = list(self.write.ids(Organisation, total))
        rows, areas = [], []
        for number, organisation_id in enumerate(ids):
            label, form = rng.choice(names.ORGANISATION_KINDS)
            town = names.TOWNS[rng.randrange(len(names.TOWNS))]
            name = f"{label} {rng.choice(names.PURPOSES)} „{rng.choice(names.NICKNAMES)}” {town}"
            rows.append(
                {
                    "id": organisation_id,
                    "name": name,
                    "legal_form": form,
                    "krs": f"{number + 1:010d}" if number % 3 else None,
                    "address": f"ul. Kościuszki {number % 200 + 1}, 60-{number % 1000:03d} {town}",
                    "email": f"biuro{number}@organizacje-bench.pl",
                    "description": "Działamy na rzecz mieszkańców od wielu lat.",
                    "public_benefit": number % 4 == 0,
                    "search_name": fold(f"{name} "),
                }
            )
            for code in rng.sample(AREAS, rng.randint(1, 3)):
                areas.append({"organisation_id": organisation_id, "code": code})
        self.write.add(Organisation, rows)
        self.write.add(OrganisationArea, areas)

        # Half in the big city; the others in one to three of the other cities; some of the
        # big city's also elsewhere.
        half = total // 2
        in_city: dict[int, list[int]] = {tenant: [] for tenant in self.city_ids}
        in_city[self.big_city] = ids[:half]
        others = self.city_ids[1:]
        for organisation_id in ids[half:]:
            for tenant in rng.sample(others, min(len(others), rng.choice((1, 1, 2, 3)))):
                in_city[tenant].append(organisation_id)
        for organisation_id in rng.sample(ids[:half], half // 5):
            in_city[rng.choice(others)].append(organisation_id)
        # The NGO person's organisation: active in the big city and four others.
        self.ngo_organisation = ids[0]
        for tenant in others[:4]:
            if ids[0] not in in_city[tenant]:
                in_city[tenant].append(ids[0])
        registrations = []
        for tenant, members in in_city.items():
            for organisation_id in dict.fromkeys(members):
                status = rng.choices(["active", "requested", "archived"], [90, 6, 4])[0]
                status = "active" if organisation_id == ids[0] else status
                decided_at = self.now - timedelta(days=rng.randint(0, DATED_DAYS))
                # archived some time after it began, as the benchmark's past years count it
                archived_at = decided_at + (self.now - decided_at) / 2
                registrations.append(
                    {
                        "organisation_id": organisation_id,
                        "tenant_id": tenant,
                        "status": status,
                        "decided_at": decided_at,
                        "archived_at": archived_at if status == "archived" else None,
                        "contact_name": rng.choice(names.PEOPLE),
                        "fields_of_activity": "warsztaty, konkursy i spotkania dla mieszkańców",
                    }
                )
        registration_ids = self.write.ids(Registration, len(registrations))
        for row, registration_id in zip(registrations, registration_ids, strict=True):
            row["id"] = registration_id
        self.write.add(Registration, registrations)
        self.organisations_in = {
            tenant: [o for o in dict.fromkeys(members)] for tenant, members in in_city.items()
        }
        self.data.registration_id = next(
            r["id"]
            for r in registrations
            if r["tenant_id"] == self.big_city and r["organisation_id"] == ids[half // 2]
        )
        self.registration_ids = [r["id"] for r in registrations if r["tenant_id"] == self.big_city]
        self.data.directory_size = sum(
            1 for r in registrations if r["tenant_id"] == self.big_city and r["status"] == "active"
        )

        # NGO people submit the proposals: one representative for every 20 organisations.
        represented = ids[:: max(1, 20)]
        people = self.users(
            [(f"ngo{o}@organizacje-bench.pl", rng.choice(names.PEOPLE)) for o in represented[1:]]
        )
        self.representative_of = dict(zip(represented, [self.ngo_id, *people], strict=True))
        links = list(self.write.ids(OrganisationMember, len(represented)))
        self.write.add(
            OrganisationMember,
            [
                {"id": link, "organisation_id": o, "user_id": u, "role": "representative"}
                for link, (o, u) in zip(links, self.representative_of.items(), strict=True)
            ],
        )

    # -- programmes, proposals and comments ---------------------------------------------

    def programmes(self) -> None:
        rng, year = self.rng, self.today.year
        rows, self.programme_of = [], {}
        for tenant in self.city_ids:
            for offset in range(PROGRAMME_YEARS):
                programme_year = year + 1 - offset
                stage = "consultation" if offset == 0 else "in_force" if offset == 1 else "reported"
                rows.append(
                    {
                        "tenant_id": tenant,
                        "kind": "annual",
                        "year_from": programme_year,
                        "year_to": programme_year,
                        "title": f"Roczny program współpracy z organizacjami pozarządowymi "
                        f"na {programme_year} rok",
                        "stage": stage,
                        "budget": Decimal(rng.randint(50_000, 20_000_000)),
                        "proposals_from": date(programme_year - 1, 7, 1),
                        "proposals_to": date(programme_year - 1, 7, 31),
                        "consultation_from": self.today - timedelta(days=7)
                        if offset == 0
                        else date(programme_year - 1, 10, 1),
                        "consultation_to": self.today + timedelta(days=14)
                        if offset == 0
                        else date(programme_year - 1, 10, 31),
                        "resolution_date": None
                        if offset == 0
                        else date(programme_year - 1, 11, 20),
                        "resolution_number": None if offset == 0 else f"XL/{offset}/{year}",
                        "report_published_on": date(programme_year + 1, 5, 31)
                        if stage == "reported"
                        else None,
                    }
                )
        ids = self.write.ids(Programme, len(rows))
        for row, programme_id in zip(rows, ids, strict=True):
            row["id"] = programme_id
            self.programme_of.setdefault(row["tenant_id"], []).append(programme_id)
        self.write.add(Programme, rows)
        self.data.programme_id = self.programme_of[self.big_city][0]
        sections, tasks, versions = [], [], []
        for row in rows:
            for key in TEXT_ELEMENTS:
                sections.append(
                    {
                        "tenant_id": row["tenant_id"],
                        "programme_id": row["id"],
                        "key": key,
                        "body": names.SECTIONS[key],
                    }
                )
            for position, code in enumerate(rng.sample(AREAS, 4)):
                tasks.append(
                    {
                        "tenant_id": row["tenant_id"],
                        "programme_id": row["id"],
                        "area_code": code,
                        "description": "Wspieranie działań na rzecz mieszkańców.",
                        "position": position,
                    }
                )
            if row["stage"] == "consultation":
                versions.append(
                    {
                        "tenant_id": row["tenant_id"],
                        "programme_id": row["id"],
                        "number": 1,
                        "label": "projekt do konsultacji",
                        "content": {key: names.SECTIONS[key] for key in TEXT_ELEMENTS},
                    }
                )
        self.write.add(Section, sections)
        self.write.add(PriorityTask, tasks)
        self.write.add(Version, versions)

    def contributions(self) -> None:
        """~200,000 proposals and comments: 4,500 on the big city's draft, the rest spread."""
        rng = self.rng
        proposals, comments = [], []
        heavy = self.data.programme_id
        spread = count(195_500, self.scale) // (len(self.city_ids) * PROGRAMME_YEARS - 1)
        for tenant, programmes in self.programme_of.items():
            organisations = self.organisations_in[tenant] or [self.ngo_organisation]
            for programme_id in programmes:
                many = count(4_500, self.scale) if programme_id == heavy else spread
                for number in range(many):
                    organisation_id = rng.choice(organisations)
                    submitter = self.representative_of.get(organisation_id)
                    when = self.now - timedelta(days=rng.randint(8, 120), minutes=number)
                    if number % 3 == 2:
                        answered = rng.random() < 0.5
                        comments.append(
                            {
                                "tenant_id": tenant,
                                "programme_id": programme_id,
                                "element": rng.choice(TEXT_ELEMENTS),
                                "body": rng.choice(names.COMMENTS),
                                "author_id": submitter,
                                "organisation_id": organisation_id,
                                "created_at": when,
                                "answer": "Uwzględniono w projekcie." if answered else None,
                                "taken_into_account": "yes" if answered else None,
                            }
                        )
                        continue
                    proposals.append(
                        {
                            "tenant_id": tenant,
                            "programme_id": programme_id,
                            "organisation_id": organisation_id,
                            "submitted_by_id": submitter,
                            "element": "priority_tasks",
                            "proposed_text": rng.choice(names.PROPOSALS),
                            "justification": "Takie są potrzeby mieszkańców.",
                            "submitted_at": when,
                            "answer": rng.choice([None, "accepted", "partly_accepted", "rejected"]),
                        }
                    )
        self.write.add(Proposal, proposals)
        self.write.add(Comment, comments)

    # -- meetings -----------------------------------------------------------------------

    def meetings(self) -> None:
        rng = self.rng
        total = count(30_000, self.scale, least=30)
        big = max(25, total // 20)  # the big city's share
        per_city = (total - big) // max(1, len(self.city_ids) - 1)
        teams, members = [], []
        team_of: dict[int, list[int]] = {}
        for tenant in self.city_ids:
            for kind, label in (
                ("coordinating", "Zespół Koordynujący"),
                ("sector", "Zespół ds. kultury"),
            ):
                (team_id,) = self.write.ids(Team, 1)
                team_of.setdefault(tenant, []).append(team_id)
                teams.append({"id": team_id, "tenant_id": tenant, "name": label, "kind": kind})
                for position, person in enumerate(rng.sample(names.PEOPLE, 6)):
                    members.append(
                        {
                            "tenant_id": tenant,
                            "team_id": team_id,
                            "position": position,
                            "name": person,
                            "organisation": "Urząd Miasta" if position == 0 else "Fundacja „Razem”",
                            "role": "moderator" if position == 0 else "member",
                        }
                    )
        self.write.add(Team, teams)
        self.write.add(TeamMember, members)
        self.data.team_id = team_of[self.big_city][0]

        rows = []
        for tenant in self.city_ids:
            held = big if tenant == self.big_city else per_city
            for number in range(held):
                # a few ahead, the others back over DATED_YEARS
                held_on = self.today + timedelta(days=30 - number * DATED_DAYS // held)
                upcoming = held_on > self.today
                rows.append(
                    {
                        "tenant_id": tenant,
                        "title": rng.choice(names.MEETING_TITLES),
                        "topic": "Współpraca miasta z organizacjami pozarządowymi",
                        "held_on": held_on,
                        "starts_at": time(16, 0),
                        "ends_at": time(18, 0),
                        "place": "Urząd Miasta, sala sesyjna",
                        "facilitator": rng.choice(names.PEOPLE),
                        "organiser": "Biuro Pełnomocnika ds. Współpracy z NGO",
                        "status": "draft"
                        if upcoming
                        else rng.choice(["published"] * 9 + ["draft"]),
                        "published_at": None if upcoming else self.now,
                        "team_id": team_of[tenant][0] if number % 10 == 0 else None,
                        "registration_open": upcoming,
                        "capacity": 60 if upcoming else None,
                        "registration_deadline": held_on - timedelta(days=2) if upcoming else None,
                        "materials": [],
                        "questions": [],
                    }
                )
        ids = self.write.ids(Meeting, len(rows))
        for row, meeting_id in zip(rows, ids, strict=True):
            row["id"] = meeting_id
        big_city_meetings = [r for r in rows if r["tenant_id"] == self.big_city]
        showcase = next(r for r in big_city_meetings if r["held_on"] < self.today)
        showcase.update(status="published", published_at=self.now)
        self.write.add(Meeting, rows)
        self.data.meeting_id = showcase["id"]
        self.minutes(rows, showcase["id"])
        self.registrations([r for r in big_city_meetings if r["registration_open"]])

    def minutes(self, meetings: list[dict], showcase: int) -> None:
        """Two agenda items and a decision a meeting; the showcase has full minutes."""
        rng = self.rng
        agenda, decisions, speakers, attendees, swot = [], [], [], [], []
        for meeting in meetings:
            rich = meeting["id"] == showcase
            tenant = meeting["tenant_id"]
            items = len(names.AGENDA) if rich else 2
            item_ids = self.write.ids(AgendaItem, items)
            for position, item_id in enumerate(item_ids):
                agenda.append(
                    {
                        "id": item_id,
                        "tenant_id": tenant,
                        "meeting_id": meeting["id"],
                        "position": position,
                        "title": names.AGENDA[position],
                        "minutes": "Uczestnicy omówili **propozycje** organizacji.",
                    }
                )
                for speaker in range(3 if rich else 0):
                    speakers.append(
                        {
                            "tenant_id": tenant,
                            "agenda_item_id": item_id,
                            "position": speaker,
                            "person": rng.choice(names.PEOPLE),
                            "organisation": "Stowarzyszenie „ECHO”",
                            "statement": "Proponujemy zwiększenie środków na małe granty.",
                        }
                    )
            for position in range(len(names.DECISIONS) if rich else 1):
                decisions.append(
                    {
                        "tenant_id": tenant,
                        "meeting_id": meeting["id"],
                        "position": position,
                        "text": names.DECISIONS[position],
                        "responsible": rng.choice(names.PEOPLE),
                        "due_on": meeting["held_on"] + timedelta(days=30),
                    }
                )
            if rich:
                for position in range(40):
                    attendees.append(
                        {
                            "tenant_id": tenant,
                            "meeting_id": meeting["id"],
                            "position": position,
                            "name": rng.choice(names.PEOPLE),
                            "organisation": "Fundacja „Promyk”",
                            "official": position < 5,
                        }
                    )
                for position, quadrant in enumerate(
                    ["strengths", "weaknesses", "opportunities", "threats"] * 4
                ):
                    swot.append(
                        {
                            "tenant_id": tenant,
                            "meeting_id": meeting["id"],
                            "quadrant": quadrant,
                            "text": "Dobra komunikacja z Urzędem",
                            "position": position,
                        }
                    )
        self.write.add(AgendaItem, agenda)
        self.write.add(Speaker, speakers)
        self.write.add(Decision, decisions)
        self.write.add(Attendee, attendees)
        self.write.add(SwotItem, swot)

    def registrations(self, events: list[dict]) -> None:
        rows = []
        for event in events:
            for number in range(40):
                token = f"{event['id']}-{number}"
                rows.append(
                    {
                        "tenant_id": event["tenant_id"],
                        "meeting_id": event["id"],
                        "name": self.rng.choice(names.PEOPLE),
                        "email": f"uczestnik{number}@razem-bench.pl",
                        "organisation": "Stowarzyszenie „Razem”",
                        "answers": [],
                        "status": "confirmed",
                        "cancel_token_hash": hashlib.sha256(f"c{token}".encode()).hexdigest(),
                        "email_confirmed_at": self.now,
                    }
                )
        self.write.add(EventRegistration, rows)

    # -- the region's standards -------------------------------------------------------

    def standards(self) -> None:
        rng, year = self.rng, self.today.year
        (project_id,) = self.write.ids(StandardsProject, 1)
        self.write.add(
            StandardsProject,
            [
                {
                    "id": project_id,
                    "region_id": self.region_id,
                    "title": "Wielkopolska działa razem",
                    "starts_on": date(year - DATED_YEARS + 1, 1, 1),
                    "ends_on": date(year + 1, 12, 31),
                    "description": "Standardy współpracy samorządów z organizacjami.",
                }
            ],
        )
        self.data.project_id = project_id
        block_ids = list(self.write.ids(ThematicBlock, len(names.STANDARD_BLOCKS)))
        self.write.add(
            ThematicBlock,
            [
                {"id": block, "project_id": project_id, "number": number + 1, "title": title}
                for number, (block, title) in enumerate(
                    zip(block_ids, names.STANDARD_BLOCKS, strict=True)
                )
            ],
        )
        standard_ids = list(self.write.ids(Standard, STANDARDS))
        self.write.add(
            Standard,
            [
                {
                    "id": standard,
                    "block_id": block_ids[number * len(block_ids) // STANDARDS],
                    "position": number,
                    "title": f"Standard {number + 1}: "
                    f"{names.STANDARD_TOPICS[number % len(names.STANDARD_TOPICS)]}",
                    "description": "Opis standardu i procedury jego wdrożenia.",
                }
                for number, standard in enumerate(standard_ids)
            ],
        )
        adoptions, changes = [], []
        for tenant in self.city_ids:
            for standard in standard_ids:
                if rng.random() > 0.8:
                    continue
                (adoption_id,) = self.write.ids(Adoption, 1)
                status = rng.choices(ADOPTION_STATUSES, [15, 15, 20, 40, 10])[0]
                review = rng.choice(["accepted", "accepted", "pending", "returned"])
                # planned first, then (months later) where it stands, over DATED_YEARS
                steps = rng.randint(1, 3)
                first = self.now - timedelta(days=rng.randint(steps * 60, DATED_DAYS - 30))
                adoptions.append(
                    {
                        "id": adoption_id,
                        "tenant_id": tenant,
                        "standard_id": standard,
                        "status": status,
                        "review_status": review,
                        "decided_on": (first + timedelta(days=60 * (steps - 1))).date(),
                    }
                )
                for step in range(steps):
                    last = step == steps - 1
                    changes.append(
                        {
                            "tenant_id": tenant,
                            "adoption_id": adoption_id,
                            "status": status if last else "planned",
                            "review_status": review if last else "accepted",
                            "user_id": self.office_id,
                            "created_at": first + timedelta(days=60 * step),
                        }
                    )
        self.write.add(Adoption, adoptions)
        self.write.add(AdoptionChange, changes)

    # -- what a working week leaves behind ----------------------------------------------

    def records(self) -> None:
        """The big city's audit log and the notifications of the office and the NGO person."""
        rng = self.rng
        entries = [
            {
                "tenant_id": tenant,
                "user_id": self.office_id,
                "action": "update",
                "entity": "Registration",
                "entity_id": rng.choice(self.registration_ids),
                "changes": {"status": ["requested", "active"]},
                "created_at": self.now - timedelta(minutes=number * 7),
            }
            for tenant, many in ((self.big_city, count(20_000, self.scale)),)
            for number in range(many)
        ]
        self.write.add(AuditEntry, entries)
        notifications = []
        for user, many in ((self.office_id, 2_000), (self.ngo_id, 500)):
            for number in range(count(many, self.scale)):
                notifications.append(
                    {
                        "user_id": user,
                        "tenant_id": self.big_city,
                        "kind": "new_contribution",
                        "key": f"bench-{number}",
                        "title": "Nowa propozycja do programu współpracy",
                        "link": f"/{self.data.city}/programmes/{self.data.programme_id}/proposals",
                        "delivery": "immediately",
                        "created_at": self.now - timedelta(hours=number),
                        "read_at": None if number < 20 else self.now,
                    }
                )
        self.write.add(Notification, notifications)
