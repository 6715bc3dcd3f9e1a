"""A city's home page: the office sees what needs it, with dates and links to where it is
done; every visitor sees what is open to take part in, what is coming and what was decided."""

from __future__ import annotations

from datetime import UTC, date, datetime
from itertools import islice

import lxml.html
import pytest
from sqlalchemy import select

from app.core import home
from app.extensions import db
from app.meetings.models import Decision
from app.organisations.models import Organisation, OrganisationMember
from app.programmes.models import Programme, Proposal
from app.regions.models import Region
from app.tenancy import clock
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form

TODAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def on_a_november_day(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 20, 10, 0, tzinfo=UTC))


@pytest.fixture
def office_work(tenants):
    """Leszno's office has one of each thing to do; Kalisz has the same, never shown."""
    leszno = tenants["leszno"]
    work = {}
    for tenant in (leszno, tenants["kalisz"]):
        next_year = factories.programme(tenant, year=2027)
        factories.registration(tenant, status="requested")
        factories.proposal(tenant, next_year)
        decision_id = factories.decision(tenant)
        with tenant_scope(tenant.id):
            db.session.get(Decision, decision_id).due_on = date(2026, 11, 2)
            db.session.commit()
        region = db.session.get(Region, tenant.region_id)
        project = factories.standards_project(region, standards=1)
        factories.adoption(tenant, project.blocks[0].standards[0], "adopted", review="returned")
        work[tenant.slug] = next_year
    return work


def _office_items(page) -> list[tuple[str, str]]:
    html = lxml.html.fromstring(page.text)
    return [
        (" ".join(item.text_content().split()), item.xpath(".//a/@href")[0])
        for item in html.xpath("//section[@aria-labelledby='office-heading']//li")
    ]


def test_the_office_sees_what_needs_it_with_dates_and_links(app, make_user, office_work):
    make_user("b.grygier@leszno.pl", leszno="staff", locale="pl")
    client = app.test_client()
    log_in(client, "b.grygier@leszno.pl")

    items = _office_items(client.get("/leszno/"))

    programme = office_work["leszno"]
    texts = "\n".join(text for text, _ in items)
    assert "Uchwalenie programu" in texts or "Adoption" in texts
    assert "30 listopada 2026" in texts and "10 dni" in texts
    assert "1 organizacja prosi o rejestrację" in texts
    assert "1 propozycja bez odpowiedzi" in texts
    assert "2 listopada 2026" in texts  # the overdue decision, with its date
    assert "Standard konsultacji nr 1" in texts
    links = {link for _, link in items}
    assert {
        f"/leszno/programmes/{programme.id}",
        "/leszno/organisations/requests",
        f"/leszno/programmes/{programme.id}/proposals",
        "/leszno/decisions",
        "/leszno/standards",
    } <= links
    assert len(items) == 5  # Kalisz's work is not Leszno's


@pytest.mark.parametrize("who", ["anonymous", "ngo", "viewer"])
def test_only_the_office_sees_its_work(app, make_user, tenants, office_work, who):
    client = app.test_client()
    if who != "anonymous":
        person = make_user(f"{who}@leszno.pl", **({"leszno": who} if who == "viewer" else {}))
        if who == "ngo":  # a representative of an organisation active in Leszno
            organisation = factories.registration(tenants["leszno"]).organisation
            db.session.add(OrganisationMember(organisation_id=organisation.id, user=person))
            db.session.commit()
        log_in(client, f"{who}@leszno.pl")

    page = client.get("/leszno/")

    assert page.status_code == 200 and not _office_items(page)


def test_the_office_shares_its_home_but_each_sees_only_what_is_forwarded_to_them(
    app, make_user, tenants, office_work
):
    """The office's home is kept for all of it (page_cache.office_fragment): what is
    forwarded to one person never enters what the others are shown."""
    make_user("b.grygier@leszno.pl", leszno="staff", locale="pl")
    colleague = make_user("a.nowak@leszno.pl", leszno="staff", locale="pl")
    with tenant_scope(tenants["leszno"].id):
        proposal = db.session.scalars(select(Proposal)).one()
        proposal.forwarded_to_user_id = colleague.id
        db.session.commit()
    me, them = app.test_client(), app.test_client()
    log_in(me, "b.grygier@leszno.pl")
    log_in(them, "a.nowak@leszno.pl")
    forwarded = f"/leszno/programmes/{office_work['leszno'].id}/proposals?answer=none"

    mine = _office_items(me.get("/leszno/"))  # rendered, and kept
    theirs = _office_items(them.get("/leszno/"))  # the kept one

    assert forwarded not in {link for _, link in mine} and len(mine) == 5
    assert forwarded in {link for _, link in theirs} and len(theirs) == 6
    assert forwarded not in {link for _, link in _office_items(me.get("/leszno/"))}


def test_every_visitor_sees_what_is_open_coming_and_decided(app, tenants, monkeypatch):
    leszno = tenants["leszno"]
    in_consultation = factories.programme(leszno, year=2027, stage="consultation")
    with tenant_scope(leszno.id):
        from app.programmes.models import Programme

        record = db.session.get(Programme, in_consultation.id)
        record.consultation_from, record.consultation_to = date(2026, 11, 10), date(2026, 12, 1)
        db.session.commit()
    factories.meeting(leszno)  # 13.07.2023: minutes

    html = lxml.html.fromstring(app.test_client().get("/leszno/").text)

    [section] = html.xpath("//section[@aria-labelledby='take-part-heading']")
    take_part = " ".join(section.itertext())
    assert "1 grudnia 2026" in take_part and "11 dni" in take_part
    assert html.xpath(f"//a[@href='/leszno/programmes/{in_consultation.id}/consultation']")
    minutes = html.xpath("//section[@aria-labelledby='minutes-heading']//a/text()")
    assert minutes == ["Spotkanie z organizacjami pozarządowymi"]

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 1, 10, 0, tzinfo=UTC))
    last_day = lxml.html.fromstring(app.test_client().get("/leszno/").text)
    [section] = last_day.xpath("//section[@aria-labelledby='take-part-heading']")
    assert "do 1 grudnia 2026 (ostatni dzień)" in " ".join(" ".join(section.itertext()).split())


def test_the_home_page_does_not_grow_with_the_city(app, make_user, tenants, count_queries):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    client = app.test_client()
    log_in(client, "a.szymanska@leszno.pl")

    def queries() -> int:
        with count_queries() as counter:
            assert client.get("/leszno/").status_code == 200
        return counter.count

    leszno = tenants["leszno"]
    years = iter(range(2027, 2040))

    def grow() -> None:
        programme = factories.programme(leszno, year=next(years), stage="consultation")
        factories.proposal(leszno, programme)
        decision_id = factories.decision(leszno)
        with tenant_scope(leszno.id):
            db.session.get(Decision, decision_id).due_on = date(2026, 11, 25)
            db.session.commit()
        factories.registration(leszno, status="requested")

    grow()
    small = queries()
    for _ in range(5):
        grow()
    assert queries() == small
    # each part of the page is one query; one statement more makes the signed-in person
    # known to the database (app.user_id, the personal walls of tenancy/rls.py), and one
    # counts the person's unread notifications for the header
    assert small <= 17


def test_an_ngo_sees_across_its_cities_what_it_can_take_part_in(
    app, make_user, tenants, monkeypatch
):
    """ECHO is active in Leszno and Kalisz: proposals collected in Kalisz (not public), a
    consultation in Leszno, each with days left; nothing of a city where it is not active."""
    person = make_user("h.hendrysiak@echo.org.pl", locale="pl")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    for slug in ("leszno", "kalisz"):
        factories.registration(tenants[slug], echo)
    db.session.add(OrganisationMember(organisation_id=echo.id, user=person))
    db.session.commit()
    collecting = factories.programme(tenants["kalisz"], year=2027, stage="proposals_open")
    consulted = factories.programme(tenants["leszno"], year=2027, stage="consultation")
    elsewhere = factories.programme(tenants["konin"], year=2027, stage="consultation")
    for record, tenant, window in (
        (collecting, "kalisz", "proposals"),
        (consulted, "leszno", "consultation"),
        (elsewhere, "konin", "consultation"),
    ):
        with tenant_scope(tenants[tenant].id):
            from app.programmes.models import Programme

            programme = db.session.get(Programme, record.id)
            setattr(programme, f"{window}_from", date(2026, 11, 1))
            setattr(programme, f"{window}_to", date(2026, 11, 27))
            db.session.commit()
    client = app.test_client()
    log_in(client, "h.hendrysiak@echo.org.pl")

    html = lxml.html.fromstring(client.get("/my-cities").text)

    links = html.xpath("//main//a/@href")
    assert f"/kalisz/programmes/{collecting.id}" in links
    assert f"/leszno/programmes/{consulted.id}/consultation" in links
    assert not [link for link in links if link.startswith("/konin/")]
    assert "27 listopada 2026 (zostało 7 dni)" in " ".join(html.text_content().split())

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 27, 10, 0, tzinfo=UTC))
    last_day = lxml.html.fromstring(client.get("/my-cities").text)
    assert "27 listopada 2026 (ostatni dzień)" in " ".join(last_day.text_content().split())


@pytest.fixture
def echo_person(make_user, tenants):
    """Hanna acts for ECHO, active in Leszno and Kalisz, waiting for Konin's answer and
    refused by Piła."""
    person = make_user("h.hendrysiak@echo.org.pl", locale="pl")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    for slug in ("leszno", "kalisz"):
        factories.registration(tenants[slug], echo)
    factories.registration(tenants["konin"], echo, status="requested")
    refused = factories.registration(tenants["pila"], echo, status="declined")
    with tenant_scope(tenants["pila"].id):
        record = db.session.merge(refused)
        record.decline_reason = "Statut nie obejmuje działań na terenie miasta."
        record.decided_at = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)
        db.session.commit()
    db.session.add(OrganisationMember(organisation_id=echo.id, user=person))
    db.session.commit()
    return person


def _meeting_on(tenant, held_on: date, title: str, **values) -> int:
    """A published meeting of the city on that day, with any further `values` of it."""
    from app.meetings.models import Meeting

    meeting_id = factories.meeting(tenant)
    with tenant_scope(tenant.id):
        meeting = db.session.get(Meeting, meeting_id)
        for name, value in {"held_on": held_on, "title": title, **values}.items():
            setattr(meeting, name, value)
        db.session.commit()
    return meeting_id


def test_an_ngo_home_lists_its_registrations_in_every_city_and_cancels_them(
    app, tenants, echo_person
):
    coming = _meeting_on(tenants["kalisz"], date(2026, 12, 3), "Forum Organizacji Kaliskich")
    past = _meeting_on(tenants["leszno"], date(2026, 10, 8), "Warsztaty SWOT")
    elsewhere = _meeting_on(tenants["konin"], date(2026, 12, 4), "Spotkanie w Koninie")
    record, _ = factories.event_registration(tenants["kalisz"], echo_person.email, coming)
    record_id = record.id
    factories.event_registration(tenants["leszno"], echo_person.email, past)
    factories.event_registration(tenants["konin"], echo_person.email, elsewhere)
    client = app.test_client()
    log_in(client, echo_person.email)

    html = lxml.html.fromstring(client.get("/my-cities").text)
    section = html.xpath("//section[@aria-labelledby='registrations-heading']")[0]
    text = " ".join(section.text_content().split())

    assert "Forum Organizacji Kaliskich" in text and "3 grudnia 2026" in text
    assert "Warsztaty SWOT" not in text, "a past meeting is not something to go to"
    assert "Spotkanie w Koninie" not in text, "Konin is not one of ECHO's cities"
    cancel = f"/kalisz/registrations/{record_id}/cancel"
    assert section.xpath(f".//form[@action='{cancel}']")

    answer = post_form(client, cancel, {"from_home": "1"})
    assert answer.status_code == 302 and answer.location.endswith("/my-cities")
    html = lxml.html.fromstring(client.get("/my-cities").text)
    assert not html.xpath(f"//form[@action='{cancel}']")
    assert "Forum Organizacji Kaliskich" not in html.text_content()


def test_an_ngo_home_shows_its_requests_to_cities_and_their_answers(app, echo_person):
    client = app.test_client()
    log_in(client, echo_person.email)

    html = lxml.html.fromstring(client.get("/my-cities").text)
    section = html.xpath("//section[@aria-labelledby='requests-heading']")[0]
    rows = [" ".join(row.text_content().split()) for row in section.xpath(".//li")]

    assert len(rows) == 2, rows
    konin, pila = sorted(rows, key=lambda row: "Piła" in row)
    assert "Konin" in konin and "czeka na odpowiedź" in konin
    assert "Piła" in pila and "odmowa" in pila
    assert "Statut nie obejmuje działań na terenie miasta." in pila


def test_the_office_sees_the_decisions_due_soonest_and_how_many_there_are(app, make_user, tenants):
    """Decisions left undone pile up over the years: the home page names the most urgent and
    links to all of them."""
    make_user("b.grygier@leszno.pl", leszno="staff")
    for day in range(1, 16):
        decision_id = factories.decision(tenants["leszno"])
        with tenant_scope(tenants["leszno"].id):
            db.session.get(Decision, decision_id).due_on = date(2026, 10, day)
            db.session.commit()
    client = app.test_client()
    log_in(client, "b.grygier@leszno.pl")

    items = _office_items(client.get("/leszno/"))

    decisions = [text for text, _ in items if text.startswith("Ustalenie:")]
    assert len(decisions) == home.DECISIONS_SHOWN
    assert "1 października 2026" in decisions[0]
    assert ("Wszystkie otwarte ustalenia (15)", "/leszno/decisions") in items


def test_an_ngo_home_costs_the_same_whatever_the_size_of_its_cities(
    app, tenants, echo_person, count_queries
):
    """A few queries a city, never one a programme or a proposal."""
    echo_id = db.session.scalars(
        select(OrganisationMember.organisation_id).where(
            OrganisationMember.user_id == echo_person.id
        )
    ).one()
    client = app.test_client()
    log_in(client, echo_person.email)

    years = iter(range(2027, 2040))

    def grow(count: int) -> int:
        for year in islice(years, count):
            for slug in ("leszno", "kalisz"):
                record = factories.programme(tenants[slug], year=year, stage="proposals_open")
                with tenant_scope(tenants[slug].id):
                    programme = db.session.get(Programme, record.id)
                    programme.proposals_from = date(2026, 11, 1)
                    programme.proposals_to = date(2026, 11, 27)
                    db.session.commit()
                echo = db.session.get(Organisation, echo_id)
                factories.proposal(tenants[slug], record, echo)
        with count_queries() as counter:
            assert client.get("/my-cities").status_code == 200
        return counter.count

    assert grow(1) == grow(5)


def test_an_ngo_home_costs_the_same_for_two_cities_and_for_six(
    app, make_user, tenants, count_queries
):
    """Each city ECHO joins brings a programme in consultation, a meeting still to come with
    a place there and a proposal; its requests to other cities come later: the page asks each
    kind of record once for all of them, and no more than the header's cities and the
    person's requests need besides."""
    person = make_user("h.hendrysiak@echo.org.pl", locale="pl")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    db.session.add(OrganisationMember(organisation_id=echo.id, user=person))
    db.session.commit()
    client = app.test_client()
    log_in(client, person.email)

    def join(*slugs: str) -> int:
        for slug in slugs:
            factories.registration(tenants[slug], echo)
            programme = factories.programme(tenants[slug], year=2027, stage="consultation")
            with tenant_scope(tenants[slug].id):
                record = db.session.get(Programme, programme.id)
                record.consultation_from = date(2026, 11, 1)
                record.consultation_to = date(2026, 11, 27)
                db.session.commit()
            meeting_id = _meeting_on(tenants[slug], date(2026, 12, 3), f"Forum w {slug}")
            factories.event_registration(tenants[slug], person.email, meeting_id)
            factories.proposal(tenants[slug], programme, db.session.get(Organisation, echo.id))
        with count_queries() as counter:
            page = client.get("/my-cities")
        assert page.status_code == 200
        assert all(f"Forum w {slug}" in page.text for slug in slugs)
        return counter.count

    two = join("leszno", "kalisz")
    factories.registration(tenants["sopot"], echo, status="requested")
    factories.registration(tenants["zyrardow"], echo, status="invited")
    six = join("konin", "pila", "gdansk", "torun")
    assert six == two
    # the person and the header's cities, their requests, then what the cities have open:
    # their programmes taking input, meetings, proposals, places (and the scope, each time)
    assert two <= 9


def test_an_ngo_home_reads_what_is_still_to_come_by_each_citys_own_day(
    app, tenants, echo_person, monkeypatch
):
    """Past midnight in Leszno (Warsaw's time), still the evening before in a Kalisz that
    keeps London's time: a meeting of that evening is still to come in Kalisz alone."""
    from app.tenancy.models import Tenant

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 3, 23, 30, tzinfo=UTC))
    db.session.get(Tenant, tenants["kalisz"].id).timezone = "Europe/London"
    db.session.commit()
    meetings = {}
    for slug, title in (("leszno", "Forum Leszczyńskie"), ("kalisz", "Forum Kaliskie")):
        meetings[slug] = _meeting_on(
            tenants[slug], date(2026, 12, 3), title, registration_open=True, capacity=30
        )
        factories.event_registration(tenants[slug], echo_person.email, meetings[slug])
    client = app.test_client()
    log_in(client, echo_person.email)

    html = lxml.html.fromstring(client.get("/my-cities").text)

    places = html.xpath("//section[@aria-labelledby='registrations-heading']")[0]
    assert "Forum Kaliskie" in places.text_content()
    assert "Forum Leszczyńskie" not in places.text_content()
    links = html.xpath("//main//li/a/@href")
    assert f"/kalisz/meetings/{meetings['kalisz']}" in links
    assert f"/leszno/meetings/{meetings['leszno']}" not in links


def test_an_ngo_home_is_kept_by_each_citys_revision_and_never_shown_to_another(
    app, tenants, echo_person, make_user, owner, count_queries
):
    """What a city has open and ahead is the same for every NGO of the city, and the person's
    own there (their proposals, their places) changes only with the city's records: both are
    kept by each city's revision, so a reader after the first asks the database only for
    their requests to cities; a change in one city is shown at once, the other cities staying
    kept; and one person's own is never shown to another."""
    from sqlalchemy import text

    open_with_3_places = {"registration_open": True, "capacity": 3}
    leszno = _meeting_on(
        tenants["leszno"], date(2026, 12, 3), "Forum Leszczyńskie", **open_with_3_places
    )
    _meeting_on(tenants["kalisz"], date(2026, 12, 3), "Forum Kaliskie", **open_with_3_places)
    consulted = factories.programme(tenants["leszno"], year=2027, stage="consultation")
    echo = db.session.scalars(
        select(Organisation)
        .join(OrganisationMember)
        .where(OrganisationMember.user_id == echo_person.id)
    ).one()
    factories.proposal(tenants["leszno"], consulted, echo)
    client = app.test_client()
    log_in(client, echo_person.email)

    def city_cards(client) -> dict[str, str]:
        html = lxml.html.fromstring(client.get("/my-cities").text)
        cards = html.xpath("//main/ul[@class='card-list']/li")
        return {card.xpath("string(h2)").strip(): _text(card) for card in cards}

    first = city_cards(client)
    assert "Forum Leszczyńskie — 3 grudnia 2026 (zostały 3 wolne miejsca)" in first["Leszno"]
    assert "Forum Kaliskie" in first["Kalisz"]
    assert "Nasze propozycje: 0 z odpowiedzią, 1 czeka na odpowiedź" in first["Leszno"]

    with count_queries(kept=True) as counter:
        assert client.get("/my-cities").status_code == 200
    cities_read = [
        s
        for s in counter.statements
        if any(table in s for table in ("FROM meetings", "FROM programmes", "FROM programme_"))
        or "FROM event_registrations" in s
    ]
    assert not cities_read, "\n".join(cities_read)

    with owner.begin() as connection:  # not the application's change: Kalisz stays kept
        connection.execute(
            text("UPDATE meetings SET title = 'Zmienione' WHERE title = 'Forum Kaliskie'")
        )
    factories.event_registration(tenants["leszno"], echo_person.email, leszno)

    after = city_cards(client)
    assert "Forum Leszczyńskie — 3 grudnia 2026 (zostały 2 wolne miejsca)" in after["Leszno"]
    assert "Forum Kaliskie" in after["Kalisz"]
    html = lxml.html.fromstring(client.get("/my-cities").text)
    places = html.xpath("//section[@aria-labelledby='registrations-heading']")
    assert places and "Forum Leszczyńskie" in _text(places[0])

    other = make_user("k.lis@przystan.org.pl", locale="pl")
    przystan = factories.registration(tenants["leszno"]).organisation
    db.session.add(OrganisationMember(organisation_id=przystan.id, user=other))
    db.session.commit()
    client = app.test_client()
    log_in(client, other.email)
    theirs = city_cards(client)
    assert "Forum Leszczyńskie — 3 grudnia 2026 (zostały 2 wolne miejsca)" in theirs["Leszno"]
    assert "Nasze propozycje" not in theirs["Leszno"]
    html = lxml.html.fromstring(client.get("/my-cities").text)
    assert not html.xpath("//section[@aria-labelledby='registrations-heading']")


def _text(element) -> str:
    return " ".join(element.text_content().split())
