"""Every page's header tells a logged-in person how many notifications they have not read,
in words a screen reader says, with one query."""

from __future__ import annotations

import lxml.html

from app.extensions import db
from app.notifications.models import Notification
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
