"""The audit log in the reader's language: kinds of record and fields by their labels, never
a class or a column name (an official reads it, not a programmer)."""

from __future__ import annotations

import csv
import importlib
import io
import pkgutil
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import CheckConstraint

import app as app_package
from app.audit.labels import ENTITY_LABELS, FIELD_LABELS, HIDDEN_FIELD, VALUE_LABELS
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
AUDITED_TABLES = {
    mapper.class_.__name__: mapper.local_table
    for mapper in Model.registry.mappers
    if mapper.class_.__name__ in AUDITED
}


def _enum_columns() -> list[tuple[str, str, list[str]]]:
    """(record, field, values) of every column whose values the database lists in a check
    constraint ("status IN ('draft', 'published')"): the enum-like columns of the models."""
    found = []
    for entity, table in sorted(AUDITED_TABLES.items()):
        for constraint in table.constraints:
            if not isinstance(constraint, CheckConstraint):
                continue
            for column, listed in re.findall(r"(\w+) IN \(([^)]*)\)", str(constraint.sqltext)):
                values = re.findall(r"'([^']*)'", listed)
                if values:
                    found.append((entity, column, values))
    return found


ENUM_COLUMNS = _enum_columns()
SAME_IN_POLISH = {"moderator"}
PYTHON_NAMES = re.compile(r"\b([A-Z][a-z]+[A-Z]\w+|\w+_id|tenant_id|lock_version)\b|#None")


@pytest.mark.parametrize("entity", sorted(AUDITED))
def test_every_audited_record_and_field_has_a_label(entity):
    assert entity in ENTITY_LABELS
    unlabelled = [
        f for f in AUDITED[entity] if f not in FIELD_LABELS and not HIDDEN_FIELD.search(f)
    ]
    assert not unlabelled, f"{entity}: give these a label or hide them: {unlabelled}"


def test_the_models_have_enum_columns_to_check():
    found = {(entity, column) for entity, column, _ in ENUM_COLUMNS}
    assert {("Programme", "stage"), ("Meeting", "status"), ("Membership", "role")} <= found


@pytest.mark.parametrize(("entity", "column", "values"), ENUM_COLUMNS)
def test_every_stored_value_of_an_enum_column_has_a_label(app_context, entity, column, values):
    labels = VALUE_LABELS.get((entity, column))
    assert labels is not None, f"{entity}.{column}: name its labels in VALUE_LABELS"
    missing = [v for v in values if v not in labels]
    assert not missing, f"{entity}.{column}: no label for {missing}"
    with force_locale("pl"):
        untranslated = [v for v in values if str(labels[v]) == v and v not in SAME_IN_POLISH]
    assert not untranslated, f"{entity}.{column}: shown as stored in Polish: {untranslated}"


@pytest.mark.parametrize(("entity", "column"), sorted(VALUE_LABELS))
def test_value_labels_name_an_audited_column(entity, column):
    assert column in AUDITED.get(entity, []), f"{entity}.{column} is not an audited column"


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
        assert programme.stage == "draft"
        programme.stage = "proposals_open"
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
    assert {"Program współpracy", "Rola w urzędzie"} <= {row["Rekord"] for row in rows}
    renamed = next(
        row
        for row in rows
        if row["Działanie"] == "zmieniono"
        and row["Rekord"] == "Program współpracy"
        and row["Zmiany"].startswith("Tytuł")
    )
    assert renamed["Zmiany"] == (
        "Tytuł: Program współpracy na 2025 rok → Program współpracy Miasta Leszna na 2025 rok"
    )
    assert not PYTHON_NAMES.search(data), PYTHON_NAMES.search(data)


STORED_VALUES = re.compile(r"\b(draft|proposals_open|annual|multi_year|published|True|False)\b")


def test_stored_values_read_as_their_labels_on_the_page_the_entry_and_the_export(changes):
    listing = changes.get("/leszno/audit").get_data(as_text=True)
    entry_urls = re.findall(r'href="(/leszno/audit/\d+)"', listing)
    pages = [_text(changes.get(url).get_data(as_text=True)) for url in entry_urls]
    moved = next(p for p in pages if "zmieniono" in p and "Etap" in p)
    assert re.search(r"projekt\s+przyjmowanie propozycji", moved), moved
    created = next(p for p in pages if "utworzono" in p and "Rodzaj" in p)
    assert "roczny program współpracy" in created
    for page in pages:
        assert not STORED_VALUES.search(page), STORED_VALUES.search(page)
    job_url = post_form(changes, "/leszno/audit/export").location
    data = changes.get(job_url + "/download").get_data().decode("utf-8-sig")
    assert "Etap: projekt → przyjmowanie propozycji" in data
    assert not STORED_VALUES.search(data), STORED_VALUES.search(data)
