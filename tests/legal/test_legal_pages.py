"""The law's pages: each city's privacy policy and accessibility statement (defaults from its
tenants/*.toml file, editable by its administrators), linked from the footer of every page,
and the privacy clause on the public forms that collect personal data."""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import select

from app.audit.models import AuditEntry
from app.extensions import db
from app.legal.models import LegalText
from app.meetings.models import Meeting
from app.tenancy import clock
from app.tenancy.catalog import CatalogError, sync
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import log_in, post_form
from tests.sweeps import city_of, demo_values, url_of

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
STATEMENT = "/leszno/legal/accessibility_statement"


@pytest.fixture
def admin(app, make_user):
    make_user("a.szymanska@leszno.pl", leszno="admin")
    client = app.test_client()
    log_in(client, "a.szymanska@leszno.pl")
    return client


def _footer_links(page: str) -> set[str]:
    footer = lxml.html.fromstring(page).find(".//footer")
    return {link.get("href") for link in footer.iter("a")} if footer is not None else set()


def test_every_page_links_the_law_of_its_city_or_of_the_platform(app, people, owner):
    """Every page of the URL map, as a visitor and as the city's administrator: the footer
    links the city's own texts on its pages and the platform's elsewhere."""
    demo = demo_values(owner)
    missing, seen = [], 0
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.rule.startswith(("/api/", "/static")):
            continue
        values = {"region_slug": "wielkopolskie", **{k: v for k, v in demo.items() if v}}
        if set(rule.arguments) - set(values) - {"tenant_slug", "token"}:
            continue
        url = url_of(rule, {**values, "token": "nieznany"})
        prefix = f"/{city_of(rule)}" if "tenant_slug" in rule.arguments else ""
        expected = {f"{prefix}/privacy", f"{prefix}/accessibility"}
        for who in ("anonymous", "admin"):
            answer = people[who].get(url)
            if answer.status_code in (301, 302, 303) or "html" not in answer.content_type:
                continue
            seen += 1
            if not expected <= _footer_links(answer.get_data(as_text=True)):
                missing.append(f"{who}: {url} ({answer.status_code})")
    assert not missing, "\n".join(missing)
    assert seen > 100, seen


def test_the_citys_texts_are_generated_from_its_file(client):
    policy = client.get("/leszno/privacy").get_data(as_text=True)
    assert "Prezydent Miasta Leszna" in policy and "iod@leszno.pl" in policy
    statement = client.get("/leszno/accessibility").get_data(as_text=True)
    for fact in (
        "Urząd Miasta Leszna zobowiązuje się zapewnić dostępność",
        "ustawą z dnia 4 kwietnia 2019 r.",
        'datetime="2026-11-16"',  # publication and last update
        "koordynator do spraw dostępności",
        "dostepnosc@leszno.pl",
        "Rzecznika Praw Obywatelskich",  # the enforcement procedure
        "psem asystującym",  # architectural accessibility
    ):
        assert fact in statement, fact
    assert "Urząd Miasta Krakowa" in client.get("/krakow/accessibility").get_data(as_text=True)
    assert "Operator platformy Razem" in client.get("/privacy").get_data(as_text=True)


def test_the_default_texts_read_in_english_too(client):
    page = client.get("/leszno/accessibility", headers={"Accept-Language": "en"})
    text = page.get_data(as_text=True)
    assert "Urząd Miasta Leszna is committed to making its website accessible" in text


def test_the_administrator_edits_the_statement_and_other_cities_keep_theirs(admin, tenants):
    form = admin.get(STATEMENT).get_data(as_text=True)
    assert "Urząd Miasta Leszna zobowiązuje się" in form
    saved = post_form(
        admin,
        STATEMENT,
        {
            "body": "Deklaracja Leszna, poprawiona.",
            "published_on": "2026-11-16",
            "revised_on": "2026-12-01",
            "version": "",
        },
    )
    assert saved.status_code == 302
    statement = admin.get("/leszno/accessibility").get_data(as_text=True)
    assert "Deklaracja Leszna, poprawiona." in statement
    assert 'datetime="2026-12-01"' in statement
    assert "Deklaracja Leszna" not in admin.get("/kalisz/accessibility").get_data(as_text=True)
    with tenant_scope(tenants["leszno"].id):
        assert db.session.scalars(select(AuditEntry).where(AuditEntry.entity == "LegalText")).all()

    restored = post_form(admin, STATEMENT + "/default")
    assert restored.status_code == 302
    assert "zobowiązuje się" in admin.get("/leszno/accessibility").get_data(as_text=True)


def test_saving_the_default_unchanged_keeps_nothing(admin, tenants):
    page = lxml.html.fromstring(admin.get(STATEMENT).get_data(as_text=True))
    form = next(f for f in page.forms if f.get("method") == "post" and not f.get("action"))
    values = {name: value or "" for name, value in form.form_values()}
    assert post_form(admin, STATEMENT, values).status_code == 302
    with tenant_scope(tenants["leszno"].id):
        assert db.session.scalars(select(LegalText)).all() == []


def test_an_edit_that_lost_the_race_keeps_the_text_typed(admin):
    post_form(admin, STATEMENT, {"body": "Pierwsza wersja.", "version": ""})
    late = post_form(admin, STATEMENT, {"body": "Moja wersja.", "version": "0"})
    assert late.status_code == 409
    assert "Moja wersja." in late.get_data(as_text=True)


def test_only_the_citys_administrators_edit_its_texts(app, make_user):
    for email, roles in (
        ("staff@leszno.pl", {"leszno": "staff"}),
        ("ngo@example.pl", {"leszno": "ngo"}),
        ("admin@kalisz.pl", {"kalisz": "admin"}),
    ):
        make_user(email, **roles)
        client = app.test_client()
        log_in(client, email)
        assert client.get("/leszno/legal").status_code == 403, email
        assert post_form(client, STATEMENT, {"body": "x"}).status_code == 403, email
    assert app.test_client().get("/leszno/legal").status_code == 302  # to the login


def test_the_privacy_clause_is_on_the_event_registration_form(admin, client, tenants):
    meeting_id = factories.meeting(tenants["leszno"])
    with tenant_scope(tenants["leszno"].id):
        meeting = db.session.get(Meeting, meeting_id)
        meeting.registration_open = True
        meeting.held_on = clock.today() + timedelta(days=30)
        db.session.commit()
    page = client.get(f"/leszno/meetings/{meeting_id}").get_data(as_text=True)
    assert "Prezydent Miasta Leszna" in page and "iod@leszno.pl" in page
    clause = "Administratorem danych jest Prezydent Miasta Leszna (wersja miasta)."
    post_form(admin, "/leszno/legal/privacy_clause", {"body": clause, "version": ""})
    page = client.get(f"/leszno/meetings/{meeting_id}").get_data(as_text=True)
    assert "(wersja miasta)" in page


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('dpo_email = "iod@sopot.pl"', 'dpo_email = "iod"'), "dpo_email must be an e-mail"),
        (('controller = "Prezydent', 'kontroler = "Prezydent'), "unknown fields"),
        (("published_on = 2026-11-16", 'published_on = "wczoraj"'), "must be a date"),
    ],
)
def test_the_offices_fields_in_the_file_are_checked(app_context, tmp_path, change, message):
    shutil.copytree(TENANTS, tmp_path, dirs_exist_ok=True)
    sopot = tmp_path / "sopot.toml"
    sopot.write_text(sopot.read_text().replace(*change))
    with pytest.raises(CatalogError, match=message) as error:
        sync(tmp_path)
    assert "sopot.toml" in str(error.value)
