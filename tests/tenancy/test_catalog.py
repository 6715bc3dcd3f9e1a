"""Tenants as code: the files are the truth, the sync is idempotent and says what it did."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.extensions import db
from app.tenancy.catalog import CatalogError, sync
from app.tenancy.models import Tenant

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


def test_the_shipped_tenants_have_real_teryt_codes(app_context):
    codes = dict(db.session.execute(select(Tenant.slug, Tenant.teryt)).all())
    assert codes["leszno"] == "3063011" and codes["krakow"] == "1261011"
    assert codes["gdansk"] == "2261011" and codes["torun"] == "0463011"
    assert codes["zyrardow"] == "1438011" and codes["pila"] == "3019011"
    # TERC pads the code of a voivodeship and of a powiat with zeros
    assert codes["wojewodztwo-wielkopolskie"] == "3000000"
    assert codes["powiat-leszczynski"] == "3013000"


def test_sync_is_idempotent_and_reports_changes(app_context, tmp_path):
    shutil.copytree(TENANTS, tmp_path, dirs_exist_ok=True)
    assert sync(tmp_path).changed is False  # same files as at start-up
    sopot = tmp_path / "sopot.toml"
    sopot.write_text(sopot.read_text().replace("population = 33485", "population = 34000"))
    report = sync(tmp_path)
    assert report.updated == ["tenant sopot"] and not report.created
    assert db.session.scalar(select(Tenant.population).where(Tenant.slug == "sopot")) == 34000
    sopot.write_text(sopot.read_text().replace("population = 34000", "population = 33485"))
    assert sync(tmp_path).updated == ["tenant sopot"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('teryt = "2264011"', 'teryt = "3064011"'), "start with the voivodeship code 22"),
        (('slug = "sopot"', 'slug = "api"'), "slug 'api' is not allowed"),
        (('region = "pomorskie"', 'region = "atlantyda"'), "region 'atlantyda'"),
        (('colour = "#005a70"', 'colour = "blue"'), "branding colour"),
    ],
)
def test_invalid_files_are_refused_with_the_file_and_field(app_context, tmp_path, change, message):
    shutil.copytree(TENANTS, tmp_path, dirs_exist_ok=True)
    sopot = tmp_path / "sopot.toml"
    sopot.write_text(sopot.read_text().replace(*change))
    with pytest.raises(CatalogError, match=message) as error:
        sync(tmp_path)
    assert "sopot.toml" in str(error.value)


def test_cli_sync_and_list(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["tenants", "sync"])
    assert result.exit_code == 0 and "0 created, 0 updated, 16 unchanged" in result.output
    listed = runner.invoke(args=["tenants", "list"]).output
    assert "leszno" in listed and "razem.leszno.pl" in listed and "1261011" in listed


@pytest.mark.parametrize(
    ("slug", "change", "message"),
    [
        (
            "wojewodztwo-wielkopolskie",
            ('"3000000"', '"3001000"'),
            "does not fit kind 'voivodeship'",
        ),
        ("wojewodztwo-wielkopolskie", ('"3000000"', '"2200000"'), "voivodeship code 30"),
        ("powiat-leszczynski", ('"3013000"', '"3013011"'), "does not fit kind 'county'"),
        ("powiat-leszczynski", ('"3013000"', '"3000000"'), "does not fit kind 'county'"),
        ("sopot", ('"2264011"', '"2264000"'), "does not fit kind 'city'"),
    ],
)
def test_a_teryt_code_must_fit_the_kind_of_local_government(
    app_context, tmp_path, slug, change, message
):
    shutil.copytree(TENANTS, tmp_path, dirs_exist_ok=True)
    path = tmp_path / f"{slug}.toml"
    path.write_text(path.read_text().replace(*change))
    with pytest.raises(CatalogError, match=message) as error:
        sync(tmp_path)
    assert path.name in str(error.value)


def test_a_region_has_one_voivodeship_self_government(app_context, tmp_path):
    shutil.copytree(TENANTS, tmp_path, dirs_exist_ok=True)
    original = (tmp_path / "wojewodztwo-wielkopolskie.toml").read_text()
    second = original.replace('slug = "wojewodztwo-wielkopolskie"', 'slug = "wielkopolska-bis"')
    (tmp_path / "wielkopolska-bis.toml").write_text(second)
    with pytest.raises(CatalogError, match="already has its voivodeship self-government") as error:
        sync(tmp_path)
    assert "wojewodztwo-wielkopolskie.toml" in str(error.value)
    assert db.session.scalar(select(Tenant).where(Tenant.slug == "wielkopolska-bis")) is None


def test_the_database_keeps_one_voivodeship_per_region_too(app_context):
    """The files are checked first; the partial unique index holds whatever writes the row."""
    marshal = db.session.scalars(
        select(Tenant).where(Tenant.slug == "wojewodztwo-wielkopolskie")
    ).one()
    db.session.add(
        Tenant(
            slug="wielkopolska-bis",
            names={"pl": "Drugie Województwo"},
            kind="voivodeship",
            region_id=marshal.region_id,
            teryt="3100000",  # a code of its own: only the region is shared
        )
    )
    with pytest.raises(IntegrityError, match="uq_tenants_voivodeship_region_id"):
        db.session.flush()
    db.session.rollback()
