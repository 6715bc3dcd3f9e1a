"""Numbers meet nouns in their Polish forms: 1 osoba, 2 osoby, 5 osób, 12 osób, 22 osoby,
25 osób (Babel's ngettext with the catalog's three plural forms)."""

from __future__ import annotations

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale, ngettext

from app.meetings import services
from app.meetings.models import Meeting
from app.programmes.documents import _comment_counts

COUNTS = (1, 2, 5, 12, 22, 25)


def test_the_polish_catalog_has_the_three_polish_plural_forms():
    with open("translations/pl/LC_MESSAGES/messages.po", "rb") as handle:
        catalog = read_po(handle, locale="pl")
    assert catalog.num_plurals == 3
    expression = catalog.plural_expr.replace(" ", "")
    assert expression == "(n==1?0:n%10>=2&&n%10<=4&&(n%100<10||n%100>=20)?1:2)"


@pytest.mark.parametrize(
    ("people", "sentence"),
    [
        (1, "W spotkaniu wzięła udział 1 osoba z 1 podmiotu oraz 2 osoby z urzędu."),
        (2, "W spotkaniu wzięły udział 2 osoby z 2 podmiotów oraz 2 osoby z urzędu."),
        (5, "W spotkaniu wzięło udział 5 osób z 5 podmiotów oraz 2 osoby z urzędu."),
        (12, "W spotkaniu wzięło udział 12 osób z 12 podmiotów oraz 2 osoby z urzędu."),
        (22, "W spotkaniu wzięły udział 22 osoby z 22 podmiotów oraz 2 osoby z urzędu."),
        (25, "W spotkaniu wzięło udział 25 osób z 25 podmiotów oraz 2 osoby z urzędu."),
    ],
)
def test_the_minutes_count_people_in_polish(app_context, people, sentence):
    meeting = Meeting(people_count=people, organisations_count=people, officials_count=2)
    with force_locale("pl"):
        assert services.participation(meeting) == sentence


def test_the_minutes_count_people_in_english(app_context):
    meeting = Meeting(people_count=17, organisations_count=15, officials_count=1)
    with force_locale("en"):
        assert services.participation(meeting) == (
            "17 people took part representing 15 organisations, and 1 official."
        )
    nobody_from_outside = Meeting(people_count=1, organisations_count=0, officials_count=0)
    with force_locale("en"):
        assert services.participation(nobody_from_outside) == "1 person took part."


@pytest.mark.parametrize(
    ("forms", "message"),
    [
        (("1 miejsce", "2 miejsca", "5 miejsc", "12 miejsc", "22 miejsca", "25 miejsc"), "place"),
        (
            (
                "1 organizacja",
                "2 organizacje",
                "5 organizacji",
                "12 organizacji",
                *("22 organizacje", "25 organizacji"),
            ),
            "organisation",
        ),
        (
            (
                "1 propozycja",
                "2 propozycje",
                "5 propozycji",
                "12 propozycji",
                *("22 propozycje", "25 propozycji"),
            ),
            "proposal",
        ),
    ],
)
def test_counted_nouns_take_their_polish_form(app_context, forms, message):
    with force_locale("pl"):
        shown = tuple(
            ngettext(f"%(num)d {message}", f"%(num)d {message}s", count) for count in COUNTS
        )
    assert shown == forms


def test_day_counts_take_their_polish_form(app_context):
    with force_locale("pl"):
        shown = [ngettext("%(num)d day left", "%(num)d days left", n) for n in COUNTS]
    assert shown[:3] == ["został 1 dzień", "zostały 2 dni", "zostało 5 dni"]


def test_the_consultation_report_counts_comments_in_polish(app_context):
    class Sent:
        def __init__(self, number: int) -> None:
            self.organisation, self.author_id = None, number

    with force_locale("pl"):
        shown = [_comment_counts([Sent(i) for i in range(n)]) for n in COUNTS]
    assert shown == [
        "Wpłynęła 1 uwaga od 1 podmiotu.",
        "Wpłynęły 2 uwagi od 2 podmiotów.",
        "Wpłynęło 5 uwag od 5 podmiotów.",
        "Wpłynęło 12 uwag od 12 podmiotów.",
        "Wpłynęły 22 uwagi od 22 podmiotów.",
        "Wpłynęło 25 uwag od 25 podmiotów.",
    ]
