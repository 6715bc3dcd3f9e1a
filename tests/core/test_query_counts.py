"""Pages do a constant number of queries whatever the amount of data."""

from __future__ import annotations

from app.extensions import db
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD, log_in, post_form


def _queries_for(client, count_queries, path: str, headers: dict | None = None) -> int:
    with count_queries() as counter:
        assert client.get(path, headers=headers).status_code == 200
    return counter.count


def test_members_and_audit_pages_do_not_grow_with_the_data(
    client, make_user, tenants, count_queries
):
    make_user("a.szymanska@leszno.pl", leszno="admin", kalisz="staff")
    log_in(client, "a.szymanska@leszno.pl")
    paths = ["/leszno/members", "/leszno/audit", "/my-cities"]
    for _ in range(3):
        factories.membership(tenants["leszno"], factories.unique_email())
        factories.invitation(tenants["leszno"])
    small = {path: _queries_for(client, count_queries, path) for path in paths}
    for _ in range(30):
        factories.membership(tenants["leszno"], factories.unique_email())
        factories.invitation(tenants["leszno"])
    large = {path: _queries_for(client, count_queries, path) for path in paths}
    assert large == small
    # of these, the fixed cost of a signed-in page (test_what_every_request_pays_first), which
    # brings what the header asks of the person with them
    assert max(small.values()) <= 6


def test_directory_and_api_list_do_not_grow_with_the_register(
    client, make_user, tenants, count_queries, monkeypatch
):
    make_user("b.grygier@leszno.pl", leszno="staff")
    monkeypatch.setattr("app.organisations.services.PAGE_SIZE", 2)  # full pages from the start
    paths = [
        "/leszno/organisations",
        "/leszno/organisations?q=fundacja&area=16",
        "/api/v1/tenants/leszno/organisations?page_size=2",
    ]

    def grow(count: int) -> None:
        for _ in range(count):
            organisation = factories.organisation(
                f"Fundacja {factories.unique_email()}", areas=["16", "10"]
            )
            factories.registration(tenants["leszno"], organisation)

    grow(3)
    anonymous_small = {path: _queries_for(client, count_queries, path) for path in paths}
    log_in(client, "b.grygier@leszno.pl")
    staff_small = {path: _queries_for(client, count_queries, path) for path in paths}
    grow(60)
    staff_large = {path: _queries_for(client, count_queries, path) for path in paths}
    post_form(client, "/logout")
    anonymous_large = {path: _queries_for(client, count_queries, path) for path in paths}
    assert staff_large == staff_small
    assert anonymous_large == anonymous_small
    # the page's ids first, then their rows: a deep page sorts ids only
    assert max(staff_small.values()) <= 10

    token = client.post(
        "/api/v1/auth/token", json={"email": "b.grygier@leszno.pl", "password": PASSWORD}
    ).json
    bearer = {"Authorization": f"Bearer {token['token']}"}
    api = "/api/v1/tenants/leszno/organisations?page_size=50"
    client.get(api, headers=bearer)  # the token's first use is written down; then not again
    before = _queries_for(client, count_queries, api, bearer)
    grow(30)
    assert _queries_for(client, count_queries, api, bearer) == before


def test_programme_pages_do_not_grow_with_proposals_and_comments(
    client, make_user, tenants, count_queries
):
    from app.extensions import db
    from app.programmes.models import Comment

    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    programme = factories.programme(tenants["leszno"], stage="consultation", complete=True)
    base = f"/leszno/programmes/{programme.id}"
    paths = [base, f"{base}/proposals", f"{base}/consultation", f"{base}/consultation-report"]

    def grow(count: int) -> None:
        for _ in range(count):
            organisation = factories.registration(tenants["leszno"]).organisation
            factories.proposal(tenants["leszno"], programme, organisation)
            with tenant_scope(tenants["leszno"].id):
                db.session.add(
                    Comment(
                        programme_id=programme.id,
                        element="goals",
                        organisation_id=organisation.id,
                        body="Uwaga.",
                    )
                )
                db.session.commit()

    grow(2)
    small = {path: _queries_for(client, count_queries, path) for path in paths}
    grow(25)
    assert {path: _queries_for(client, count_queries, path) for path in paths} == small
    # the overview reads every element of the programme: one query per kind of element,
    # and the windows closed early
    assert max(small.values()) <= 15  # with the fixed cost and the header, as above


def test_meetings_and_programmes_over_the_api_do_not_grow_with_the_city(
    client, tenants, count_queries
):
    paths = [
        "/api/v1/tenants/leszno/meetings?page_size=50",
        "/api/v1/tenants/leszno/programmes?page_size=50",
    ]
    year = iter(range(2030, 2090))
    for _ in range(2):
        factories.meeting(tenants["leszno"])
        factories.event_registration(tenants["leszno"])
        factories.programme(tenants["leszno"], year=next(year), stage="in_force")
    small = {path: _queries_for(client, count_queries, path) for path in paths}
    for _ in range(12):
        factories.meeting(tenants["leszno"])
        factories.event_registration(tenants["leszno"])
        factories.programme(tenants["leszno"], year=next(year), stage="in_force")
    assert {path: _queries_for(client, count_queries, path) for path in paths} == small
    # the city, its scope, one page of rows, their count (and the meetings' free places)
    assert max(small.values()) <= 5


def test_meeting_pages_do_not_grow_with_the_meetings(client, make_user, tenants, count_queries):
    """The minutes and their search, a team's page and a meeting's registrations: the same
    queries with 3 meetings and with 30 (each with decisions, SWOT and registrations)."""
    from app.meetings.models import Decision, Meeting, SwotItem

    make_user("b.grygier@leszno.pl", leszno="staff")
    log_in(client, "b.grygier@leszno.pl")
    team = factories.team(tenants["leszno"])
    event = factories.meeting(tenants["leszno"])
    paths = [
        "/leszno/meetings",
        "/leszno/meetings?q=zagadnien",
        f"/leszno/teams/{team}",
        f"/leszno/meetings/{event}/registrations",
    ]

    def grow(count: int) -> None:
        for _ in range(count):
            meeting_id = factories.meeting(tenants["leszno"])
            factories.event_registration(tenants["leszno"], meeting_id=event)
            with tenant_scope(tenants["leszno"].id):
                db.session.get(Meeting, meeting_id).team_id = team
                db.session.add(Decision(meeting_id=meeting_id, text="Ustalono termin."))
                db.session.add(SwotItem(meeting_id=meeting_id, quadrant="threats", text="Brak sal"))
                db.session.commit()

    grow(3)
    small = {path: _queries_for(client, count_queries, path) for path in paths}
    grow(27)
    assert {path: _queries_for(client, count_queries, path) for path in paths} == small
    assert max(small.values()) <= 17


def test_a_deep_page_of_the_directory_costs_what_the_first_does(
    client, tenants, count_queries, monkeypatch
):
    monkeypatch.setattr("app.organisations.services.PAGE_SIZE", 2)
    for number in range(9):
        organisation = factories.organisation(f"Fundacja nr {number}", areas=["16"])
        factories.registration(tenants["leszno"], organisation)
    first = _queries_for(client, count_queries, "/leszno/organisations")
    assert _queries_for(client, count_queries, "/leszno/organisations?page=4") == first
    assert _queries_for(client, count_queries, "/leszno/organisations?page=4&area=16") == first
    # the last page, shorter, tells the total without counting it
    assert _queries_for(client, count_queries, "/leszno/organisations?page=5") == first - 1


def _statements_for(client, count_queries, path: str, headers: dict | None = None) -> list[str]:
    with count_queries() as counter:
        assert client.get(path, headers=headers).status_code == 200
    return counter.statements


def _scoping(statements: list[str]) -> list[str]:
    return [s for s in statements if "set_config('app.tenant_id'" in s]


def _reading(table: str, statements: list[str]) -> list[str]:
    return [s for s in statements if s.startswith(f"SELECT {table}.")]


def test_what_every_request_pays_first(client, make_user, tenants, count_queries):
    """Before its own queries a page reads the city from the URL; the database learns the
    city and the person in one statement (tenancy/rls.py), made once both are known, a
    token's person too; the person comes with their roles in every city and region, in one
    query, and the cities of their memberships with them (or, kept from an earlier request,
    is checked by one: accounts/loading.py); a token's use is written down once in a while."""
    make_user("b.grygier@leszno.pl", leszno="staff", kalisz="viewer")
    anonymous = _statements_for(client, count_queries, "/leszno/")
    assert len(_scoping(anonymous)) == 1

    token = client.post(
        "/api/v1/auth/token", json={"email": "b.grygier@leszno.pl", "password": PASSWORD}
    ).json["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    path = "/api/v1/tenants/leszno/programmes"
    first_use = _statements_for(client, count_queries, path, bearer)  # written down
    # the token's owner is found before the person is known, by a SECURITY DEFINER function
    # that reads no setting: the database learns the city and the person once, after it
    assert len(_scoping(first_use)) == 1
    assert first_use.index(_scoping(first_use)[0]) > next(
        i for i, s in enumerate(first_use) if "razem_api_token_owner" in s
    )
    api = _statements_for(client, count_queries, path, bearer)
    assert len(_scoping(api)) == 1
    assert not [s for s in api if "razem_api_token_owner" in s], "found once a process"
    assert not [s for s in api if s.startswith("UPDATE")]
    assert not _reading("memberships", api) and not _reading("regional_assignments", api)
    # their membership in the city is their role there: no other source of roles is asked
    assert not _reading("registrations", api)

    log_in(client, "b.grygier@leszno.pl")  # writes their row: their next request loads them
    client.get("/leszno/")  # whole, as kept since their token's requests no longer holds
    staff = _statements_for(client, count_queries, "/leszno/")
    assert len(_scoping(staff)) == 1
    assert not _reading("memberships", staff) and not _reading("regional_assignments", staff)
    assert not _reading("tenants", staff[1:]), "the header's cities came with the memberships"
    assert len(_reading("users", staff)) == 1
    # and so did what every page asks of them besides: the cities where their organisations
    # are active (their NGO role) and how many notifications they have not read (the header)
    about_them = [s for s in staff if "FROM notifications" in s or "JOIN organisation_members" in s]
    assert about_them == _reading("users", staff)


def test_a_kept_connection_reaches_the_page_without_a_round_trip_of_its_own(
    client, tenants, count_queries, monkeypatch
):
    """The server receives a page's statements and nothing else: the pool does not ask it
    whether a connection it kept is still open (one round trip per request) when the
    connection itself can tell; one the server closed meanwhile is found out all the same
    (tests/core/test_without_database.py)."""
    import psycopg

    received: list[str] = []
    execute = psycopg.Cursor.execute

    def received_by_the_server(cursor, query, *args, **kwargs):
        received.append(str(query))
        return execute(cursor, query, *args, **kwargs)

    client.get("/leszno/")  # the connection is kept in the pool
    monkeypatch.setattr(psycopg.Cursor, "execute", received_by_the_server)
    statements = _statements_for(client, count_queries, "/leszno/")
    assert received == statements


def test_another_app_in_the_process_adds_no_query(client, make_user, count_queries, tmp_path):
    """Features register with module-level registries when an app is created: a second app
    (a worker's, a migration's, a test's) must not register them twice."""
    from app import create_app

    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    before = _queries_for(client, count_queries, "/leszno/members")
    create_app(
        {"SQLALCHEMY_DATABASE_URI": "sqlite://", "RAZEM_ENV": "testing", "STORAGE_ROOT": tmp_path}
    )
    assert _queries_for(client, count_queries, "/leszno/members") == before


def test_region_pages_do_not_grow_with_cities_and_years(
    client, make_user, regions, tenants, added_places, count_queries, monkeypatch
):
    """The adoption matrix, the benchmark and its range of years: the same queries for four
    cities over two years and for seven over five, every figure computed afresh."""
    from datetime import UTC, date, datetime

    from app.extensions import cache
    from app.meetings import services as meetings
    from app.tenancy import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2024, 12, 15, tzinfo=UTC))
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    log_in(client, "p.zielinski@umww.pl")
    wielkopolska = regions["wielkopolskie"]
    project = factories.standards_project(wielkopolska, standards=3)
    standards = project.blocks[0].standards

    def records(city, years: range) -> None:
        for year in years:
            factories.registration(city, since=date(year, 3, 1))
            factories.programme(city, year=year)
            with tenant_scope(city.id):
                meetings.publish(
                    meetings.create({"title": "Spotkanie", "held_on": date(year, 4, 2)})
                )
                db.session.commit()
        factories.adoption(city, standards[0], "adopted", review="accepted")

    def queries(paths: list[str]) -> list[int]:
        counts = []
        for path in paths:
            cache.clear()  # computed, not served from the cache
            counts.append(_queries_for(client, count_queries, path))
        return counts

    matrix = f"/regions/wielkopolskie/projects/{project.id}/adoption"
    benchmark = "/regions/wielkopolskie/benchmark?year=2024"
    trend = "/regions/wielkopolskie/benchmark/trend?measure=ngos_per_10k&from={}&to=2024"
    records(tenants["kalisz"], range(2023, 2025))
    client.get(matrix)
    few = queries([matrix, benchmark, trend.format(2023)])
    more_cities = added_places.cities(wielkopolska, ["Gniezno", "Ostrów Wielkopolski", "Września"])
    for city in [tenants["leszno"], tenants["pila"], *more_cities]:
        records(city, range(2020, 2025))

    assert queries([matrix, benchmark, trend.format(2020)]) == few


def test_webhooks_page_and_api_do_not_grow_with_subscriptions_and_deliveries(
    client, make_user, tenants, count_queries
):
    from app import unit_of_work
    from app.webhooks import services
    from app.webhooks.models import Subscription

    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    token = client.post(
        "/api/v1/auth/token", json={"email": "a.szymanska@leszno.pl", "password": PASSWORD}
    ).json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    client.get("/api/v1/tenants/leszno/webhooks", headers=headers)  # the token's first use

    def subscribe_and_send(subscriptions: int) -> None:
        for _ in range(subscriptions):
            subscription_id = factories.subscription(tenants["leszno"])
            with tenant_scope(tenants["leszno"].id):
                for _ in range(4):  # never answered: they stay waiting for a retry
                    services.send_test(db.session.get_one(Subscription, subscription_id))
                unit_of_work.commit()

    paths = ["/leszno/webhooks", "/api/v1/tenants/leszno/webhooks"]
    subscribe_and_send(2)
    small = {path: _queries_for(client, count_queries, path, headers) for path in paths}
    subscribe_and_send(6)
    large = {path: _queries_for(client, count_queries, path, headers) for path in paths}
    assert large == small


def _an_ngo_city(tenant, organisation, email: str) -> None:
    """What an NGO's home shows of a city: the organisation active there, proposals collected
    for next year's programme (one of them the organisation's), and a meeting ahead with
    places left, one of them the person's."""
    from datetime import date

    from app.meetings.models import Meeting
    from app.programmes.models import Programme

    factories.registration(tenant, organisation)
    record = factories.programme(tenant, year=2027, stage="proposals_open")
    factories.proposal(tenant, record, organisation)
    meeting_id = factories.meeting(tenant)
    with tenant_scope(tenant.id):
        programme = db.session.get(Programme, record.id)
        programme.proposals_from, programme.proposals_to = date(2026, 11, 1), date(2026, 11, 27)
        meeting = db.session.get(Meeting, meeting_id)
        meeting.title = f"Forum organizacji — {tenant.slug}"
        meeting.held_on, meeting.registration_open, meeting.capacity = date(2026, 12, 3), True, 40
        db.session.commit()
    factories.event_registration(tenant, email, meeting_id)


def test_an_ngo_home_costs_the_same_for_two_cities_and_for_five(
    client, make_user, tenants, count_queries, monkeypatch
):
    """Each kind of record is read once for all the person's cities, never once a city."""
    from datetime import UTC, datetime

    import lxml.html

    from app.organisations.models import OrganisationMember
    from app.tenancy import clock

    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 20, 10, 0, tzinfo=UTC))
    person = make_user("h.hendrysiak@echo.org.pl", locale="pl")
    echo = factories.organisation("Stowarzyszenie „ECHO”")
    db.session.add(OrganisationMember(organisation_id=echo.id, user=person))
    db.session.commit()
    log_in(client, person.email)
    for slug in ("leszno", "kalisz"):
        _an_ngo_city(tenants[slug], echo, person.email)
    two = _statements_for(client, count_queries, "/my-cities")
    five_cities = ("leszno", "kalisz", "konin", "pila", "gdansk")
    for slug in five_cities[2:]:
        _an_ngo_city(tenants[slug], echo, person.email)
    five = _statements_for(client, count_queries, "/my-cities")

    assert len(five) == len(two), "\n".join(five)
    # the fixed cost of a signed-in page and the header's, the person's cities, then one
    # statement to read across them, and one query for each kind of record
    assert len(five) <= 14
    # As a server answers, the cities come from the process's copies, with their regions,
    # which the page names: no region is read, nor loaded lazily, city by city.
    client.get("/my-cities")
    with count_queries(kept=True) as counter:
        assert client.get("/my-cities").status_code == 200
    assert not _reading("regions", counter.statements), "\n".join(counter.statements)
    assert len(counter.statements) < len(five)
    html = lxml.html.fromstring(client.get("/my-cities").text)
    links = set(html.xpath("//main//a/@href"))
    for slug in five_cities:
        assert f"/{slug}/proposals/mine" in links, slug
        assert any(link.startswith(f"/{slug}/programmes/") for link in links), slug
    registrations = html.xpath("//section[@aria-labelledby='registrations-heading']//h3")
    assert len(registrations) == len(five_cities)


def test_the_audit_log_is_never_counted_nor_read_whole(client, make_user, tenants, count_queries):
    """The log only grows: a page reads its rows and one more, to know if another follows."""
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    for _ in range(3):
        factories.audit_entry(tenants["leszno"])
    small = _statements_for(client, count_queries, "/leszno/audit")
    for _ in range(60):
        factories.audit_entry(tenants["leszno"])
    large = _statements_for(client, count_queries, "/leszno/audit?page=2")

    assert len(large) == len(small)
    reading_the_log = [s for s in large if "audit_log" in s]
    assert len(reading_the_log) == 1, reading_the_log
    assert "count(" not in reading_the_log[0].lower() and "DISTINCT" not in reading_the_log[0]
    # of the people who made the changes, only their address, which the page shows
    assert "password_hash" not in reading_the_log[0], reading_the_log[0]


def test_the_region_overview_lists_its_cities_a_page_at_a_time(
    client, make_user, regions, added_places, count_queries, monkeypatch
):
    """A page of local governments at a time, for the coordinator as for anyone, at the same
    cost with a page of cities and with many, and with one standards project or several."""
    from app.regions import views

    monkeypatch.setattr(views, "CITIES_PAGE_SIZE", 3)  # the region's own five fill a page
    make_user("p.zielinski@umww.pl", coordinator_of="wielkopolskie")
    wielkopolska = regions["wielkopolskie"]
    factories.standards_project(wielkopolska, standards=1)
    path = "/regions/wielkopolskie/"
    anonymous_few = _queries_for(client, count_queries, path)
    log_in(client, "p.zielinski@umww.pl")
    coordinator_few = _queries_for(client, count_queries, path)

    names = [f"Gmina Testowa {number:02d}" for number in range(20)]
    added_places.cities(wielkopolska, names)
    factories.standards_project(wielkopolska, standards=1)
    coordinator_many = _queries_for(client, count_queries, path)
    listed = wielkopolska.local_governments
    pages = [
        client.get(f"{path}?page={number}").get_data(as_text=True)
        for number in range(1, -(-len(listed) // 3) + 1)
    ]
    post_form(client, "/logout")
    anonymous_many = _queries_for(client, count_queries, path)

    assert (anonymous_many, coordinator_many) == (anonymous_few, coordinator_few)
    on_each = [
        [city for city in listed if f'href="/{city.slug}/"' in _cities_table(page)]
        for page in pages
    ]
    assert [len(cities) for cities in on_each[:-1]] == [3] * (len(pages) - 1)
    shown = [city for cities in on_each for city in cities]
    assert sorted(c.slug for c in shown) == sorted(c.slug for c in listed)  # each once
    assert "page=2" in pages[0]


def _cities_table(page: str) -> str:
    start = page.index('id="cities-caption"')
    return page[start : page.index("</table>", start)]
