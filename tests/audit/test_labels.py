"""The audit log in the reader's language: kinds of record and fields by their labels, never
a class or a column name (an official reads it, not a programmer)."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
import re

import pytest

import app as app_package
from app.audit.labels import ENTITY_LABELS, FIELD_LABELS, HIDDEN_FIELD
from app.extensions import Model, db
from app.programmes import services
from app.programmes.catalogue import Kind
from app.tenancy.context import tenant_scope
from app.tenancy.scoping import TenantScoped
from tests import factories
from tests.conftest import log_in, post_form

for module in pkgutil.walk_packages(app_package.__path__, "app."):
    if module.name.endswith(".models"):
        importlib.import_module(module.name)
AUDITED = {
    mapper.class_.__name__: [column.key for column in mapper.column_attrs]
    for mapper in Model.registry.mappers
    if getattr(mapper.class_, "__audited__", issubclass(mapper.class_, TenantScoped))
}
PYTHON_NAMES = re.compile(r"\b([A-Z][a-z]+[A-Z]\w+|\w+_id|tenant_id|lock_version)\b|#None")


@pytest.mark.parametrize("entity", sorted(AUDITED))
def test_every_audited_record_and_field_has_a_label(entity):
    assert entity in ENTITY_LABELS
    unlabelled = [
        f for f in AUDITED[entity] if f not in FIELD_LABELS and not HIDDEN_FIELD.search(f)
    ]
    assert not unlabelled, f"{entity}: give these a label or hide them: {unlabelled}"


@pytest.fixture
def changes(client, make_user, tenants):
    """A programme created and renamed, a meeting with its agenda: what the office does."""
    make_user("a.szymanska@leszno.pl", leszno="admin")
    with tenant_scope(tenants["leszno"].id):
        programme = services.create(Kind.ANNUAL, 2025, 2025, "Program współpracy na 2025 rok")
        db.session.commit()
        assert programme.title  # loaded again, as a request loads what it changes
        programme.title = "Program współpracy Miasta Leszna na 2025 rok"
        db.session.commit()
    factories.meeting(tenants["leszno"])
    log_in(client, "a.szymanska@leszno.pl")
    return client


def _text(html: str) -> str:
    main = html[html.index("<main") : html.index("</main>")]
    return re.sub(r"<[^>]+>", " ", main)


def test_the_audit_log_page_names_records_and_fields_for_people(changes):
    page = _text(changes.get("/leszno/audit", headers={"Accept-Language": "pl"}).get_data(True))
    assert "Program współpracy" in page and "Tytuł" in page
    assert not PYTHON_NAMES.search(page), PYTHON_NAMES.search(page)
    assert "Programme" not in page


def test_an_entry_shows_each_field_before_and_after(changes):
    listing = changes.get("/leszno/audit").get_data(as_text=True)
    entry_urls = re.findall(r'href="(/leszno/audit/\d+)"', listing)
    pages = [_text(changes.get(url).get_data(as_text=True)) for url in entry_urls]
    update = next(p for p in pages if "zmieniono" in p and "Tytuł" in p)
    assert "Program współpracy na 2025 rok" in update
    assert "Program współpracy Miasta Leszna na 2025 rok" in update
    for page in pages:
        assert not PYTHON_NAMES.search(page), PYTHON_NAMES.search(page)


def test_the_export_is_in_polish_with_labels(changes):
    job_url = post_form(changes, "/leszno/audit/export").location
    data = changes.get(job_url + "/download").get_data().decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(data), delimiter=";"))
    assert {"Program współpracy", "Rola w mieście"} <= {row["Rekord"] for row in rows}
    renamed = next(
        row
        for row in rows
        if row["Działanie"] == "zmieniono" and row["Rekord"] == "Program współpracy"
    )
    assert renamed["Zmiany"] == (
        "Tytuł: Program współpracy na 2025 rok → Program współpracy Miasta Leszna na 2025 rok"
    )
    assert not PYTHON_NAMES.search(data), PYTHON_NAMES.search(data)
