"""The audit log's page: each entry as a row of who, what and when, in the reader's language,
and the kinds of record to filter by in the order of their names."""

from __future__ import annotations

from datetime import UTC, datetime

import lxml.html
from sqlalchemy import insert

from app.audit.labels import ENTITY_LABELS
from app.audit.models import AuditEntry, log_revision
from app.collation import polish_key
from app.extensions import db
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in

WHEN = datetime(2025, 11, 29, 9, 5, tzinfo=UTC)  # 10:05 in Leszno


def _rows(client, language: str) -> list[list[str]]:
    """The rows of that day: not the entries that making the test's people wrote."""
    that_day = "/leszno/audit?from=2025-11-29&to=2025-11-29"
    return _cells(client.get(that_day, headers={"Accept-Language": language}).text)


def _cells(page: str) -> list[list[str]]:
    html = lxml.html.fromstring(page)
    return [[cell.text_content() for cell in row.xpath("td")] for row in html.xpath("//tbody/tr")]


def _record(tenant_id: int, user_id: int | None, **entry) -> None:
    with tenant_scope(tenant_id):
        values = {"tenant_id": tenant_id, "user_id": user_id, "created_at": WHEN, **entry}
        db.session.execute(insert(AuditEntry), [values])
        db.session.commit()


def test_each_entry_is_a_row_of_when_who_what_and_which_fields(client, make_user, tenants):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    leszno = tenants["leszno"].id
    renamed = {"id": 7, "title": ["Stary", "Nowy"], "lock_version": [1, 2], "stage": ["a", "b"]}
    _record(leszno, admin.id, action="update", entity="Programme", entity_id=7, changes=renamed)
    _record(leszno, None, action="delete", entity="Unheard", entity_id=None, changes={})
    log_in(client, "a.szymanska@leszno.pl")

    newest_first = _rows(client, "pl")
    assert newest_first == [
        ["29.11.2025, 10:05", "system", "usunięto", "Unheard", ""],
        [
            "29.11.2025, 10:05",
            "a.szymanska@leszno.pl",
            "zmieniono",
            "Program współpracy (nr 7)",
            "Tytuł, Etap",
        ],
    ]
    assert _rows(client, "en")[1][1:] == [
        "a.szymanska@leszno.pl",
        "changed",
        "Cooperation programme (no. 7)",
        "Title, Stage",
    ]


def test_the_kinds_of_record_to_filter_by_are_in_the_order_of_their_names(client, make_user):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    for language, first, last in (
        ("pl", "Część tekstu programu", "Zmiana programu"),
        ("en", "Adoption of a standard", "Workshop group"),
    ):
        page = client.get("/leszno/audit", headers={"Accept-Language": language}).text
        options = lxml.html.fromstring(page).xpath("//select[@id='f-entity']/option")
        names = [option.text_content() for option in options][1:]
        assert names == sorted(names, key=polish_key), language
        assert (names[0], names[-1]) == (first, last), language
        assert len(names) == len(set(names)) == len(ENTITY_LABELS)


def test_a_kept_page_of_the_log_shows_a_new_entry_at_once(client, make_user, tenants):
    """The page is kept for the office until the log changes, also by a change that changes
    no other page of the city (a webhook subscription, which no page but its own shows)."""
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    assert "Subskrypcja webhooka" not in _table(client)
    assert "Subskrypcja webhooka" not in _table(client)  # as kept

    factories.subscription(tenants["leszno"])
    assert "Subskrypcja webhooka" in _table(client)


def _table(client) -> str:
    return _tbody(client.get("/leszno/audit", headers={"Accept-Language": "pl"}).text)


def test_the_kept_page_gives_each_reader_their_own_token_to_export_with(app, make_user, tenants):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    make_user("k.nowak@leszno.pl", leszno="admin")
    for email in ("a.szymanska@leszno.pl", "k.nowak@leszno.pl"):  # the second page as kept
        reader = app.test_client()
        log_in(reader, email)
        html = lxml.html.fromstring(reader.get("/leszno/audit").text)
        token = html.xpath("//form[@action='/leszno/audit/export']/input[@name='csrf_token']")
        assert token[0].get("value") == html.xpath("//meta[@name='csrf-token']")[0].get("content")
        exported = reader.post("/leszno/audit/export", data={"csrf_token": token[0].get("value")})
        assert exported.status_code == 302, email


def test_forgetting_a_name_in_the_log_gives_the_log_a_new_revision(app_context, tenants):
    """The erasure rewrites entries of the log outside the ORM: the kept page is not kept on."""
    from app.accounts.erasure import forget_in_audit_log
    from app.extensions import cache

    leszno = tenants["leszno"].id
    _record(leszno, None, action="create", entity="Team", entity_id=1, changes={"name": "Ewa"})
    before = cache.get(log_revision(leszno))
    with tenant_scope(leszno):
        assert forget_in_audit_log(["Ewa"]) == 1
        db.session.commit()
    assert cache.get(log_revision(leszno)) not in (None, before)


def test_an_older_page_starts_after_the_last_entry_shown_not_counted_past(
    client, make_user, tenants, monkeypatch, count_queries
):
    """The "Older" link names the last entry shown: its page is found from there by the log's
    time, with no OFFSET that counts every newer entry (deep pages cost as the first), and
    it lists what the numbered page lists."""
    monkeypatch.setattr("app.audit.views.PAGE_SIZE", 10)
    make_user("a.szymanska@leszno.pl", leszno="admin")
    for _ in range(25):
        factories.audit_entry(tenants["leszno"])
    log_in(client, "a.szymanska@leszno.pl")

    second = _older_link(client.get("/leszno/audit").text)
    assert "before=" in second and "page=2" in second
    with count_queries() as counter:
        by_keyset = client.get(second).text
    reading_the_log = [s for s in counter.statements if "audit_log" in s]
    assert len(reading_the_log) == 1 and "OFFSET" not in reading_the_log[0]
    assert _tbody(by_keyset) == _tbody(client.get("/leszno/audit?page=2").text)
    third = _older_link(by_keyset)
    assert _tbody(client.get(third).text) == _tbody(client.get("/leszno/audit?page=3").text)


def _older_link(page: str) -> str:
    links = lxml.html.fromstring(page).xpath("//nav[@class='pagination']/a[text()='Starsze']")
    return links[0].get("href")


def _tbody(page: str) -> str:
    return page[page.index("<tbody>") : page.index("</tbody>")]


def test_the_entries_of_one_person_by_their_address(client, make_user, tenants):
    admin = make_user("a.szymanska@leszno.pl", leszno="admin")
    leszno = tenants["leszno"].id
    _record(leszno, admin.id, action="create", entity="Team", entity_id=3, changes={})
    _record(leszno, None, action="create", entity="Team", entity_id=4, changes={})
    log_in(client, "a.szymanska@leszno.pl")

    page = client.get("/leszno/audit?user=A.Szymanska@leszno.pl&from=2025-11-29&to=2025-11-29")
    assert page.status_code == 200
    assert [row[1:4] for row in _cells(page.text)] == [
        ["a.szymanska@leszno.pl", "utworzono", "Zespół (nr 3)"]
    ]
    assert client.get("/leszno/audit?user=nikt@leszno.pl").status_code == 200
