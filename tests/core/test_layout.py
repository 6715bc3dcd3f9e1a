"""The layout's menus are each reader's, though they are rendered once a process for each
city, role and language (`{% cache %}` in base.html, extensions.layout_cache)."""

from __future__ import annotations

import lxml.html
import pytest

from tests.conftest import log_in

PL, EN = {"Accept-Language": "pl"}, {"Accept-Language": "en"}


def _city_menu(client, path: str, headers: dict = PL) -> list[str]:
    page = lxml.html.fromstring(client.get(path, headers=headers).get_data(as_text=True))
    (menu,) = page.xpath("//nav[@class='tenant-nav']")
    return [" ".join(a.text_content().split()) + " " + a.get("href") for a in menu.iter("a")]


@pytest.fixture
def readers(app, make_user):
    people = {"anonymous": app.test_client()}
    for role in ("admin", "staff", "viewer"):
        make_user(f"{role}@leszno.pl", leszno=role, kalisz="viewer")
        people[role] = app.test_client()
        log_in(people[role], f"{role}@leszno.pl")
    return people


def test_each_reader_gets_the_menu_of_their_role_city_and_language(readers):
    menus = {who: _city_menu(client, "/leszno/") for who, client in readers.items()}

    assert "Dziennik zmian /leszno/audit" in menus["admin"]
    assert "Osoby i role /leszno/members" in menus["admin"]
    assert "Moje ustalenia /leszno/decisions?mine=1" in menus["staff"]
    assert not {"Dziennik zmian /leszno/audit", "Moje ustalenia /leszno/decisions?mine=1"} & set(
        menus["viewer"]
    )
    assert "Standardy regionalne /leszno/standards" in menus["viewer"]
    assert menus["anonymous"] == menus["viewer"][:5]

    # the same people elsewhere and in another language, after the menus above were kept
    assert _city_menu(readers["admin"], "/kalisz/") == _city_menu(readers["viewer"], "/kalisz/")
    assert all("/kalisz/" in link for link in _city_menu(readers["admin"], "/kalisz/"))
    assert "Audit log /leszno/audit" in _city_menu(readers["admin"], "/leszno/", EN)
    assert menus["admin"] == _city_menu(readers["admin"], "/leszno/")
