"""Every page's header tells a logged-in person how many notifications they have not read,
in words a screen reader says, with one query."""

from __future__ import annotations

import lxml.html
from sqlalchemy import select, text, update
from sqlalchemy.dialects import postgresql

from app.extensions import db
from app.notifications.models import Notification
from app.notifications.services import unread_count_of
from app.tenancy import clock
from app.tenancy.context import acting_as
from tests.conftest import log_in, post_form

PL = {"Accept-Language": "pl"}


def _told(user, titles: list[str]) -> None:
    with acting_as(user.id):
        for title in titles:
            db.session.add(
                Notification(
                    user_id=user.id,
                    kind="answered",
                    key=f"answered:{title}",
                    title=title,
                    link="http://localhost/leszno/proposals/mine",
                    delivery="immediately",
                )
            )
        db.session.commit()


def _header_link(client, path: str = "/my-cities"):
    page = lxml.html.fromstring(client.get(path, headers=PL).get_data(as_text=True))
    (link,) = page.xpath("//nav[contains(@class, 'user-nav')]//a[@href='/notifications']")
    return link


def test_the_header_counts_unread_notifications_in_words(client, make_user):
    echo = make_user("h.hendrysiak@echo.org.pl", locale="pl")
    _told(echo, [f"Odpowiedź na Twoją propozycję nr {n}" for n in range(1, 4)])
    log_in(client, "h.hendrysiak@echo.org.pl")

    link = _header_link(client)
    assert " ".join(link.text_content().split()) == "Powiadomienia (3)(3 nieprzeczytane)"
    (shown,) = link.xpath("span[@aria-hidden='true']")
    assert shown.text_content() == "(3)"
    (spoken,) = link.xpath("span[@class='visually-hidden']")
    assert spoken.text_content() == "(3 nieprzeczytane)"

    _told(echo, [f"Odpowiedź na Twój komentarz nr {n}" for n in range(4, 9)])
    assert _header_link(client).xpath("span[@class='visually-hidden']")[0].text_content() == (
        "(8 nieprzeczytanych)"
    )

    post_form(client, "/notifications/read")
    read = _header_link(client)
    assert read.text_content().strip() == "Powiadomienia"


def test_one_query_counts_them_on_every_page(client, make_user, count_queries):
    staff = make_user("b.grygier@leszno.pl", leszno="staff")
    _told(staff, ["Nowa propozycja do programu współpracy na 2027 r."])
    log_in(client, "b.grygier@leszno.pl")
    for path in ("/my-cities", "/leszno/", "/leszno/organisations"):
        with count_queries() as counter:
            assert client.get(path).status_code == 200
        about_notifications = [s for s in counter.statements if "FROM notifications" in s]
        assert len(about_notifications) == 1, path


def test_nobody_logged_in_costs_no_query(client, count_queries):
    with count_queries() as counter:
        page = client.get("/leszno/").get_data(as_text=True)
    assert not [s for s in counter.statements if "notifications" in s]
    assert 'href="/notifications"' not in page


def test_the_count_reads_only_the_unread_ones(app_context, make_user):
    """However many notifications a person has read, the header's count visits only the
    unread ones, by an index of their own: no page grows with a person's history."""
    echo = make_user("h.hendrysiak@echo.org.pl", locale="pl")
    _told(echo, [f"Odpowiedź na Twoją propozycję nr {n}" for n in range(1, 61)])
    with acting_as(echo.id):
        db.session.execute(update(Notification).values(read_at=clock.now()))
        db.session.commit()
    _told(echo, ["Rozpoczęły się konsultacje programu współpracy na 2027 r."])

    count = select(unread_count_of(echo.id)).compile(
        dialect=postgresql.dialect(), compile_kwargs={"literal_binds": True}
    )
    with acting_as(echo.id):
        db.session.execute(text("SET LOCAL enable_seqscan = off"))  # as at scale
        (plan,) = db.session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {count}")).scalar()
        db.session.rollback()

    scans = [node for node in _nodes(plan["Plan"]) if node.get("Relation Name") == "notifications"]
    assert [(s.get("Index Name"), s["Actual Rows"]) for s in scans] == [
        ("ix_notifications_unread", 1)
    ]
    assert not scans[0].get("Rows Removed by Filter")


def _nodes(node: dict):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)
