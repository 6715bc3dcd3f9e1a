"""A city's name declined as Polish sentences need it: "Programy współpracy Miasta Leszna",
"Organizacje pozarządowe w Krakowie"; English keeps the plain name."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from app.extensions import db
from app.tenancy.catalog import CatalogError, sync
from app.tenancy.models import Tenant
from tests.conftest import log_in

TENANTS = Path(__file__).resolve().parents[2] / "tenants"
CITIES = sorted(path.stem for path in TENANTS.glob("*.toml"))
DECLINED = {
    "leszno": ("Leszna", "w Lesznie", "Miasta Leszna"),
    "krakow": ("Krakowa", "w Krakowie", "Miasta Krakowa"),
    "kalisz": ("Kalisza", "w Kaliszu", "Miasta Kalisza"),
    "pila": ("Piły", "w Pile", "Miasta Piły"),
    "zyrardow": ("Żyrardowa", "w Żyrardowie", "Miasta Żyrardowa"),
    "wojewodztwo-wielkopolskie": (
        "Województwa Wielkopolskiego",
        "w Województwie Wielkopolskim",
        "Samorządu Województwa Wielkopolskiego",
    ),
    "powiat-leszczynski": (
        "Powiatu Leszczyńskiego",
        "w Powiecie Leszczyńskim",
        "Powiatu Leszczyńskiego",
    ),
}


@pytest.mark.parametrize("slug", sorted(DECLINED))
def test_the_tenant_files_give_the_declined_forms(app_context, slug):
    tenant = db.session.scalars(select(Tenant).where(Tenant.slug == slug)).one()
    genitive, locative, office_genitive = DECLINED[slug]
    assert tenant.name_as("genitive") == genitive
    assert tenant.name_as("locative") == locative
    assert tenant.name_as("office_genitive") == office_genitive
    assert tenant.name_as("office_genitive", "en") == tenant.name("en")


def test_every_city_office_is_named_with_its_genitive(app_context):
    """The office's name in [office] and the declined name agree: "Urząd Miasta Leszna",
    "Urząd Marszałkowski Województwa Wielkopolskiego"; a powiat's office, the starostwo, is
    named after the town it sits in ("Starostwo Powiatowe w Lesznie")."""
    for tenant in db.session.scalars(select(Tenant)):
        office = tenant.office.get("name", "")
        if tenant.kind == "county":
            assert office.startswith("Starostwo Powiatowe w ")
            continue
        assert tenant.name_as("genitive") in office or tenant.name_as("locative") in office


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('genitive = "Sopotu"\n', ""), r"\[name_forms\] needs \['genitive'\]"),
        (('locative = "w Sopocie"', 'locative = "Sopocie"'), "starts with its preposition"),
    ],
)
def test_sync_refuses_a_city_without_its_forms(app_context, tmp_path, change, message):
    shutil.copytree(TENANTS, tmp_path, dirs_exist_ok=True)
    sopot = tmp_path / "sopot.toml"
    sopot.write_text(sopot.read_text().replace(*change))
    with pytest.raises(CatalogError, match=message) as error:
        sync(tmp_path)
    assert "sopot.toml" in str(error.value)


def test_the_cli_sync_names_the_missing_forms(app, tmp_path):
    shutil.copytree(TENANTS, tmp_path, dirs_exist_ok=True)
    konin = tmp_path / "konin.toml"
    konin.write_text(konin.read_text().split("# The Polish forms")[0])
    app.config["TENANTS_DIR"], original = tmp_path, app.config["TENANTS_DIR"]
    try:
        result = app.test_cli_runner().invoke(args=["tenants", "sync"])
    finally:
        app.config["TENANTS_DIR"] = original
    assert result.exit_code != 0
    assert "konin.toml: [name_forms] is required" in result.output
    assert 'genitive = "Leszna"' in result.output


def _titles(client, slug: str) -> str:
    pages = [f"/{slug}/programmes", f"/{slug}/organisations", f"/{slug}/organisations/apply"]
    texts = []
    for page in pages:
        response = client.get(page, headers={"Accept-Language": "pl"})
        assert response.status_code == 200, page
        texts.extend(re.findall(r"<h1[^>]*>(.*?)</h1>", response.get_data(as_text=True), re.S))
    return " | ".join(texts)


@pytest.mark.parametrize("slug", CITIES)
def test_no_polish_title_leaves_the_city_name_undeclined(app, client, make_user, slug):
    make_user(f"ngo.{slug}@example.pl", **{slug: "ngo"})
    log_in(client, f"ngo.{slug}@example.pl")
    titles = _titles(client, slug)
    with app.app_context():
        tenant = db.session.scalars(select(Tenant).where(Tenant.slug == slug)).one()
        nominative = tenant.name("pl")
        assert f"Programy współpracy {tenant.name_as('office_genitive')}" in titles
        assert f"Organizacje pozarządowe {tenant.name_as('locative')}" in titles
    assert not re.search(rf"miast[ao] {re.escape(nominative)}\b", titles, re.I), titles
    assert not re.search(rf"\bw {re.escape(nominative)}\b", titles), titles


def test_english_titles_keep_the_plain_name(client, make_user):
    make_user("ngo.leszno@example.pl", locale="en", leszno="ngo")
    log_in(client, "ngo.leszno@example.pl")
    page = client.get("/leszno/programmes").get_data(as_text=True)
    assert "Cooperation programmes of Leszno" in page
