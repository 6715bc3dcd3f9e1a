"""Tenants as code: read tenants/*.toml and tenants/regions/*.toml, make the database match."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.extensions import db
from app.tenancy.models import TENANT_KINDS, VOIVODESHIP, Region, Tenant

SLUG_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
COLOUR_PATTERN = re.compile(r"^#[0-9a-fA-F]{6}$")
# A web origin as a browser sends it: scheme, host and port, no path.
ORIGIN_PATTERN = re.compile(r"^https?://[a-z0-9.-]+(?::\d{1,5})?$")
# TERYT (TERC) codes by kind, 7 digits as GUS pads them: a voivodeship "3000000", a powiat
# "3013000", a city or gmina "3063011" (its last digit the kind of gmina, never 0).
TERYT_PATTERNS = {
    "voivodeship": (re.compile(r"\d{2}00000"), "3000000"),
    "county": (re.compile(r"\d{2}(?!00)\d{2}000"), "3013000"),
    "city": (re.compile(r"\d{2}(?!00)\d{4}[1-9]"), "3063011"),
    "gmina": (re.compile(r"\d{2}(?!00)\d{4}[1-9]"), "3013012"),
}
# First path segments the application uses itself; a tenant cannot take them.
RESERVED_SLUGS = {
    "api",
    "static",
    "regions",
    "login",
    "logout",
    "account",
    "password",
    "my-cities",
    "switch",
    "language",
    "jobs",
    "healthz",
    "readyz",
    "metrics",
    "platform",
    "invitations",
    "admin",
    "signup",
    "privacy",
    "accessibility",
}
# What the law's pages say of the city hall ([office]) and of its accessibility statement
# ([accessibility]); see app/legal. Each a short text, or a date where the name says so.
OFFICE_FIELDS = {"name", "controller", "address", "email", "phone", "dpo_email", "website"}
ACCESSIBILITY_FIELDS = {"published_on", "revised_on", "contact", "email", "phone", "building"}
REQUIRED_OFFICE_FIELDS = ("name", "controller", "address", "dpo_email")
# Days after an event that the registrations of people without an account are kept.
DEFAULT_RETENTION_DAYS = 30
# The Polish forms of the name sentences need ([name_forms]): "Programy współpracy Miasta
# Leszna", "spotkanie w Lesznie". A city's name declines irregularly, so each is written out.
NAME_FORMS = {
    "genitive": "Leszna",
    "locative": "w Lesznie",
    "office": "Miasto Leszno",
    "office_genitive": "Miasta Leszna",
}


# The top of the first page of the city's documents ([letterhead]): the office's lines and
# its coat of arms, a PNG or JPEG file (what PDF, Word and LibreOffice documents all show)
# named relative to the tenants' folder.
LETTERHEAD_FIELDS = {"lines", "coat_of_arms"}
MAX_LETTERHEAD_LINES = 4
COAT_OF_ARMS_TYPES = {".png", ".jpg", ".jpeg"}
MAX_COAT_OF_ARMS_BYTES = 1_000_000


class CatalogError(ValueError):
    """A tenant file is invalid; the message names the file and the field."""


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    only_in_database: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated)


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as error:
        raise CatalogError(f"{path.name}: not valid TOML ({error})") from error


def _require(data: dict, key: str, path: Path):
    if key not in data or data[key] in ("", None):
        raise CatalogError(f"{path.name}: '{key}' is required")
    return data[key]


def _names(data: dict, path: Path) -> dict[str, str]:
    names = _require(data, "names", path)
    if not isinstance(names, dict) or not names.get("pl"):
        raise CatalogError(f"{path.name}: [names] needs at least 'pl'")
    return {str(k): str(v) for k, v in names.items()}


def load_regions(directory: Path) -> dict[str, dict]:
    regions = {}
    for path in sorted((directory / "regions").glob("*.toml")):
        data = _read(path)
        slug = _require(data, "slug", path)
        teryt = str(_require(data, "teryt", path))
        if not SLUG_PATTERN.match(slug):
            raise CatalogError(f"{path.name}: slug '{slug}' must be lowercase letters, digits, '-'")
        if not re.fullmatch(r"\d{2}", teryt):
            raise CatalogError(f"{path.name}: a voivodeship TERYT code has two digits")
        regions[slug] = {"slug": slug, "teryt": teryt, "names": _names(data, path)}
    return regions


def load_tenants(directory: Path, regions: dict[str, dict]) -> dict[str, dict]:
    tenants: dict[str, dict] = {}
    voivodeships: dict[str, str] = {}
    for path in sorted(directory.glob("*.toml")):
        data = _read(path)
        tenant = _tenant_from(data, path, regions)
        tenant["letterhead"] = _letterhead(data, path, directory)
        if tenant["slug"] in tenants:
            raise CatalogError(f"{path.name}: slug '{tenant['slug']}' is defined twice")
        if tenant["kind"] == VOIVODESHIP:
            if tenant["region"] in voivodeships:
                raise CatalogError(
                    f"{path.name}: region '{tenant['region']}' already has its voivodeship "
                    f"self-government, '{voivodeships[tenant['region']]}'"
                )
            voivodeships[tenant["region"]] = tenant["slug"]
        tenants[tenant["slug"]] = tenant
    return tenants


def cors_origins(directory: Path) -> dict[str, frozenset[str]]:
    """Each tenant's `cors_origins`: the websites (the city's own, its BIP) whose pages may
    read the tenant's public API from the browser."""
    found = {}
    for path in sorted(directory.glob("*.toml")):
        data = _read(path)
        origins = [str(o).lower() for o in data.get("cors_origins", [])]
        if not all(ORIGIN_PATTERN.match(origin) for origin in origins):
            raise CatalogError(f"{path.name}: cors_origins must look like https://www.leszno.pl")
        found[_require(data, "slug", path)] = frozenset(origins)
    return found


def _tenant_from(data: dict, path: Path, regions: dict[str, dict]) -> dict:
    slug = _require(data, "slug", path)
    if not SLUG_PATTERN.match(slug) or slug in RESERVED_SLUGS:
        raise CatalogError(f"{path.name}: slug '{slug}' is not allowed")
    region = _require(data, "region", path)
    if region not in regions:
        raise CatalogError(f"{path.name}: region '{region}' has no file in regions/")
    kind = _require(data, "kind", path)
    if kind not in TENANT_KINDS:
        raise CatalogError(f"{path.name}: kind must be one of {sorted(TENANT_KINDS)}")
    teryt = _teryt(data, path, kind, regions[region]["teryt"])
    colour = data.get("branding", {}).get("colour", "#1d4f91")
    if not COLOUR_PATTERN.match(colour):
        raise CatalogError(f"{path.name}: branding colour must look like #1d4f91")
    population = data.get("population")
    if population is not None and (not isinstance(population, int) or population <= 0):
        raise CatalogError(f"{path.name}: population must be a positive whole number")
    retention = data.get("registration_retention_days", DEFAULT_RETENTION_DAYS)
    if not isinstance(retention, int) or isinstance(retention, bool) or retention <= 0:
        raise CatalogError(
            f"{path.name}: registration_retention_days must be a positive whole number of days"
        )
    return {
        "slug": slug,
        "names": _names(data, path),
        "registration_retention_days": retention,
        "name_forms": _name_forms(data, path),
        "office": _section(data, "office", OFFICE_FIELDS, path),
        "accessibility": _section(data, "accessibility", ACCESSIBILITY_FIELDS, path),
        "kind": kind,
        "region": region,
        "teryt": teryt,
        "population": population,
        "locale": data.get("locale", "pl"),
        "timezone": data.get("timezone", "Europe/Warsaw"),
        "domains": [str(d).lower() for d in data.get("domains", [])],
        "brand_colour": colour.lower(),
    }


def _teryt(data: dict, path: Path, kind: str, region_teryt: str) -> str:
    teryt = str(_require(data, "teryt", path))
    pattern, example = TERYT_PATTERNS[kind]
    if not pattern.fullmatch(teryt):
        raise CatalogError(
            f"{path.name}: TERYT '{teryt}' does not fit kind '{kind}': 7 digits like '{example}'"
        )
    if teryt[:2] != region_teryt:
        raise CatalogError(
            f"{path.name}: TERYT '{teryt}' must start with the voivodeship code {region_teryt}"
        )
    return teryt


def _name_forms(data: dict, path: Path) -> dict[str, str]:
    forms = data.get("name_forms")
    if not isinstance(forms, dict):
        raise CatalogError(f"{path.name}: [name_forms] is required: {_forms_example()}")
    missing = [form for form in NAME_FORMS if not str(forms.get(form, "")).strip()]
    if missing:
        raise CatalogError(f"{path.name}: [name_forms] needs {missing}, like {_forms_example()}")
    unknown = sorted(set(forms) - set(NAME_FORMS))
    if unknown:
        raise CatalogError(f"{path.name}: [name_forms] has unknown fields {unknown}")
    if not str(forms["locative"]).startswith(("w ", "we ")):
        raise CatalogError(
            f"{path.name}: [name_forms] locative starts with its preposition, like 'w Lesznie'"
        )
    return {form: str(forms[form]).strip() for form in NAME_FORMS}


def _letterhead(data: dict, path: Path, directory: Path) -> dict:
    section = data.get("letterhead", {})
    if not isinstance(section, dict):
        raise CatalogError(f"{path.name}: [letterhead] must be a table")
    unknown = sorted(set(section) - LETTERHEAD_FIELDS)
    if unknown:
        raise CatalogError(f"{path.name}: [letterhead] has unknown fields {unknown}")
    letterhead: dict = {}
    lines = section.get("lines", [])
    if not isinstance(lines, list) or not all(
        isinstance(line, str) and line.strip() for line in lines
    ):
        raise CatalogError(
            f'{path.name}: [letterhead] lines are texts, like ["Urząd Miasta Leszna"]'
        )
    if len(lines) > MAX_LETTERHEAD_LINES:
        raise CatalogError(f"{path.name}: [letterhead] has at most {MAX_LETTERHEAD_LINES} lines")
    if lines:
        letterhead["lines"] = [line.strip() for line in lines]
    if "coat_of_arms" in section:
        name = str(section["coat_of_arms"])
        image = directory / name
        if image.suffix.lower() not in COAT_OF_ARMS_TYPES:
            raise CatalogError(f"{path.name}: [letterhead] coat_of_arms is a PNG or JPEG file")
        if not image.is_file() or image.stat().st_size > MAX_COAT_OF_ARMS_BYTES:
            raise CatalogError(
                f"{path.name}: [letterhead] coat_of_arms '{name}' is not a file of at most 1 MB "
                f"in {directory}"
            )
        letterhead["coat_of_arms"] = name
    return letterhead


def _forms_example() -> str:
    return ", ".join(f'{form} = "{example}"' for form, example in NAME_FORMS.items())


def _section(data: dict, name: str, fields: set[str], path: Path) -> dict[str, str]:
    """An optional table of short texts (dates kept as ISO text); a typo is an error."""
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise CatalogError(f"{path.name}: [{name}] must be a table")
    unknown = sorted(set(section) - fields)
    if unknown:
        raise CatalogError(f"{path.name}: [{name}] has unknown fields {unknown}")
    if name == "office" and section:
        missing = [key for key in REQUIRED_OFFICE_FIELDS if not section.get(key)]
        if missing:
            raise CatalogError(f"{path.name}: [office] needs {missing}")
    values = {}
    for key, value in section.items():
        if key.endswith("_on"):
            if not isinstance(value, date):
                raise CatalogError(f"{path.name}: [{name}] {key} must be a date like 2025-01-15")
            value = value.isoformat()
        elif key.endswith("email") and "@" not in str(value):
            raise CatalogError(f"{path.name}: [{name}] {key} must be an e-mail address")
        values[key] = str(value)
    return values


def _apply(row, values: dict) -> bool:
    changed = False
    for key, value in values.items():
        if getattr(row, key) != value:
            setattr(row, key, value)
            changed = True
    return changed


def sync(directory: Path) -> SyncReport:
    """Make regions and tenants in the database match the files; idempotent."""
    regions = load_regions(directory)
    tenants = load_tenants(directory, regions)
    report = SyncReport()
    region_rows = {r.slug: r for r in db.session.scalars(select(Region))}
    for slug, values in regions.items():
        row = region_rows.get(slug)
        if row is None:
            row = region_rows[slug] = Region(**values)
            db.session.add(row)
            report.created.append(f"region {slug}")
        elif _apply(row, values):
            report.updated.append(f"region {slug}")
        else:
            report.unchanged.append(f"region {slug}")
    db.session.flush()
    tenant_rows = {t.slug: t for t in db.session.scalars(select(Tenant))}
    for slug, values in tenants.items():
        region_slug = values.pop("region")
        values["region_id"] = region_rows[region_slug].id
        tenant = tenant_rows.get(slug)
        if tenant is None:
            db.session.add(Tenant(**values))
            report.created.append(f"tenant {slug}")
        elif _apply(tenant, values):
            report.updated.append(f"tenant {slug}")
        else:
            report.unchanged.append(f"tenant {slug}")
    # Tenants removed from the files keep their data; the operator decides what to do.
    report.only_in_database = sorted(set(tenant_rows) - set(tenants))
    db.session.commit()
    return report
