"""A city's Atom feeds and a region's public matrix as a feed: valid Atom, stable ids, what
an anonymous visitor reads on the public pages and nothing else."""

from __future__ import annotations

from datetime import date

from app.extensions import db
from app.regions.models import Adoption, AdoptionChange
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in
from tests.feeds.conftest import (
    ATOM,
    entries,
    meeting,
    parse_atom,
    programme_at,
    soon,
)


def test_minutes_feed_lists_published_minutes_only_with_stable_ids(client, tenants):
    published = meeting(tenants["leszno"], "Spotkanie partycypacyjne z NGO", date(2023, 7, 13))
    meeting(tenants["leszno"], "Projekt protokołu", date(2023, 8, 1), published=False)
    meeting(tenants["kalisz"], "Spotkanie w Kaliszu", date(2023, 7, 20))

    first = client.get("/leszno/feeds/minutes.atom")
    feed = parse_atom(first)
    assert feed.findtext(f"{ATOM}title") == "Protokoły spotkań Miasta Leszna"
    found = entries(feed)
    assert list(found) == [f"tag:razem,2026:leszno/minutes/{published}"]
    assert "Spotkanie partycypacyjne z NGO" in found[f"tag:razem,2026:leszno/minutes/{published}"]
    link = feed.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.endswith(f"/leszno/meetings/{published}")
    assert entries(parse_atom(client.get("/leszno/feeds/minutes.atom"))) == found


def test_events_feed_lists_upcoming_public_meetings_with_free_places(client, tenants):
    upcoming = meeting(
        tenants["leszno"],
        "Warsztaty o programie współpracy",
        soon(10),
        registration_open=True,
        capacity=30,
    )
    meeting(tenants["leszno"], "Spotkanie robocze", soon(12), published=False)
    meeting(tenants["leszno"], "Spotkanie z lipca", date(2023, 7, 13))

    feed = parse_atom(client.get("/leszno/feeds/events.atom"))
    assert list(entries(feed)) == [f"tag:razem,2026:leszno/event/{upcoming}"]
    assert "wolne miejsca: 30" in feed.findtext(f"{ATOM}entry/{ATOM}summary")


def test_programme_stages_and_consultations_of_public_programmes_only(client, tenants):
    public = programme_at(tenants["leszno"], "consultation", ["proposals_open", "consultation"])
    programme_at(tenants["leszno"], "proposals_open", ["proposals_open"], year=2028)
    programme_at(tenants["kalisz"], "consultation", ["consultation"])

    stages = entries(parse_atom(client.get("/leszno/feeds/programmes.atom")))
    assert len(stages) == 2
    assert all(public.title in title for title in stages.values())
    assert any(title.endswith(": konsultacje społeczne") for title in stages.values())

    consultations = parse_atom(client.get("/leszno/feeds/consultations.atom"))
    assert len(entries(consultations)) == 1
    link = consultations.find(f"{ATOM}entry/{ATOM}link").get("href")
    assert link.endswith(f"/leszno/programmes/{public.id}/consultation")


def test_feeds_are_cached_as_public_pages_and_linked_from_the_city(client, tenants):
    meeting(tenants["leszno"], "Spotkanie partycypacyjne z NGO", date(2023, 7, 13))
    first = client.get("/leszno/feeds/minutes.atom")
    assert "public" in first.headers["Cache-Control"]
    again = client.get(
        "/leszno/feeds/minutes.atom", headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304

    home = client.get("/leszno/", headers={"Accept-Language": "pl"}).get_data(as_text=True)
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert "/leszno/feeds/minutes.atom" in home
    assert "Kanał Atom" in home


def test_the_english_pages_link_the_feed_in_english(client, tenants):
    published = meeting(tenants["leszno"], "Spotkanie partycypacyjne z NGO", date(2023, 7, 13))
    home = client.get("/leszno/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "/leszno/feeds/minutes.atom?lang=en" in home

    english = parse_atom(client.get("/leszno/feeds/minutes.atom?lang=en"))
    polish = parse_atom(client.get("/leszno/feeds/minutes.atom"))
    assert english.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert english.findtext(f"{ATOM}title").startswith("Minutes of the meetings")
    assert english.findtext(f"{ATOM}id") != polish.findtext(f"{ATOM}id")
    assert english.find(f"{ATOM}link[@rel='self']").get("href").endswith("minutes.atom?lang=en")
    # the same record is the same entry in either language
    assert list(entries(english)) == list(entries(polish))
    assert list(entries(english)) == [f"tag:razem,2026:leszno/minutes/{published}"]
    # a language the site does not speak is the feed in Polish
    assert parse_atom(client.get("/leszno/feeds/minutes.atom?lang=xx")).findtext(
        f"{ATOM}title"
    ) == polish.findtext(f"{ATOM}title")


def test_an_unknown_feed_is_404(client, tenants):
    assert client.get("/leszno/feeds/decisions.atom").status_code == 404


def test_a_logged_in_office_reads_the_same_feed_as_anyone(client, make_user, tenants):
    meeting(tenants["leszno"], "Projekt protokołu", date(2023, 8, 1), published=False)
    make_user("a.szymanska@leszno.pl", leszno="admin")
    log_in(client, "a.szymanska@leszno.pl")
    assert entries(parse_atom(client.get("/leszno/feeds/minutes.atom"))) == {}


def _accepted(tenant, standard, status: str) -> None:
    with tenant_scope(tenant.id):
        adoption = Adoption(standard_id=standard.id, status=status, review_status="accepted")
        adoption.changes = [
            AdoptionChange(status=status, review_status="pending"),
            AdoptionChange(status=status, review_status="accepted"),
        ]
        db.session.add(adoption)
        db.session.commit()


def test_public_matrix_feed_lists_accepted_changes_and_a_private_one_is_404(
    client, tenants, regions
):
    project = factories.standards_project(regions["wielkopolskie"])
    standard = project.blocks[0].standards[0]
    _accepted(tenants["leszno"], standard, "adopted")
    with tenant_scope(tenants["kalisz"].id):
        db.session.add(
            Adoption(
                standard_id=standard.id,
                status="planned",
                review_status="pending",
                changes=[AdoptionChange(status="planned", review_status="pending")],
            )
        )
        db.session.commit()
    url = f"/regions/wielkopolskie/projects/{project.id}/adoption.atom"
    assert client.get(url).status_code == 404

    project.matrix_public = True
    db.session.commit()
    feed = parse_atom(client.get(url))
    titles = list(entries(feed).values())
    assert titles == ["Miasto Leszno: Standard konsultacji nr 1, uchwalony"]
    other_region = f"/regions/malopolskie/projects/{project.id}/adoption.atom"
    assert client.get(other_region).status_code == 404


def test_feeds_do_not_grow_with_the_city(client, tenants, count_queries):
    feeds = ["minutes", "events", "programmes", "consultations"]

    def queries() -> dict[str, int]:
        counts = {}
        for kind in feeds:
            with count_queries() as counter:
                assert client.get(f"/leszno/feeds/{kind}.atom").status_code == 200
            counts[kind] = counter.count
        return counts

    def grow(first: int, last: int) -> None:
        for number in range(first, last):
            meeting(tenants["leszno"], f"Spotkanie nr {number}", date(2023, 7, number))
            meeting(tenants["leszno"], f"Warsztaty nr {number}", soon(number), capacity=20)
            programme_at(tenants["leszno"], "consultation", ["consultation"], year=2030 + number)

    grow(1, 3)
    small = queries()
    grow(3, 10)
    assert queries() == small
