"""Tenants as code: the files are the truth, the sync is idempotent and says what it did."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.tenancy.catalog import CatalogError, sync
from app.tenancy.models import Tenant

TENANTS = Path(__file__).resolve().parents[2] / "tenants"


def test_the_shipped_tenants_have_real_teryt_codes(app_context):
    codes = dict(db.session.execute(select(Tenant.slug, Tenant.teryt)).all())
    assert codes["leszno"] == "3063011" and codes["krakow"] == "1261011"
    assert codes["gdansk"] == "2261011" and codes["torun"] == "0463011"
    assert codes["zyrardow"] == "1438011" and codes["pila"] == "3019011"


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
    assert result.exit_code == 0 and "0 created, 0 updated, 14 unchanged" in result.output
    listed = runner.invoke(args=["tenants", "list"]).output
    assert "leszno" in listed and "razem.leszno.pl" in listed and "1261011" in listed
