"""A city's legal texts: as its administrator saved them, or else the defaults generated
from its tenants/*.toml file. Pages outside any city show the platform operator's."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from flask import current_app, g, render_template, url_for
from flask_babel import get_locale
from jinja2 import TemplateNotFound
from sqlalchemy import select

from app import unit_of_work
from app.extensions import db
from app.legal.models import LegalKind, LegalText
from app.tenancy.context import current_tenant_id, tenant_scope
from app.tenancy.models import Tenant


@dataclass(frozen=True)
class PublicBody:
    """Who publishes the texts: a city hall from its [office] and [accessibility] tables, or
    the platform's operator from the configuration."""

    name: str
    controller: str
    address: str
    email: str
    dpo_email: str
    website: str
    accessibility_contact: str
    accessibility_email: str
    accessibility_phone: str
    building: str
    published_on: date | None
    revised_on: date | None
    site_name: str
    site_url: str

    @property
    def complete(self) -> bool:
        """Whether the file names everything the texts must say."""
        return all((self.name, self.controller, self.address, self.dpo_email))


@dataclass(frozen=True)
class ShownText:
    kind: LegalKind
    body: str  # Markdown
    published_on: date | None
    revised_on: date | None
    record: LegalText | None

    @property
    def is_default(self) -> bool:
        return self.record is None


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def public_body(tenant: Tenant | None) -> PublicBody:
    if tenant is None:
        return _operator()
    office, accessibility = tenant.office or {}, tenant.accessibility or {}
    return PublicBody(
        name=office.get("name", ""),
        controller=office.get("controller", ""),
        address=office.get("address", ""),
        email=office.get("email", ""),
        dpo_email=office.get("dpo_email", ""),
        website=office.get("website", ""),
        accessibility_contact=accessibility.get("contact", ""),
        accessibility_email=accessibility.get("email") or office.get("email", ""),
        accessibility_phone=accessibility.get("phone") or office.get("phone", ""),
        building=accessibility.get("building", ""),
        published_on=_day(accessibility.get("published_on")),
        revised_on=_day(accessibility.get("revised_on") or accessibility.get("published_on")),
        site_name=f"Razem — {tenant.name('pl')}",
        site_url=url_for("core.tenant_home", tenant_slug=tenant.slug, _external=True),
    )


def _operator() -> PublicBody:
    operator = current_app.config["OPERATOR"]
    return PublicBody(
        name=operator["name"],
        controller=operator["name"],
        address=operator["address"],
        email=operator["email"],
        dpo_email=operator["dpo_email"],
        website=operator["website"],
        accessibility_contact=operator["accessibility_contact"],
        accessibility_email=operator["email"],
        accessibility_phone=operator["phone"],
        building="",
        published_on=_day(operator["published_on"]),
        revised_on=_day(operator["published_on"]),
        site_name="Razem",
        site_url=url_for("core.landing", _external=True),
    )


@contextmanager
def _as(tenant: Tenant) -> Iterator[None]:
    """Read a city's texts from a page outside it (sign-up, a claim it decides)."""
    if current_tenant_id() == tenant.id:
        yield
        return
    with tenant_scope(tenant.id):
        yield


def saved_text(kind: LegalKind) -> LegalText | None:
    """The current city's own wording (scoped to it like every tenant's row)."""
    return db.session.scalar(select(LegalText).where(LegalText.kind == kind.value))


def default_body(kind: LegalKind, tenant: Tenant | None) -> str:
    body = public_body(tenant)
    names = [f"legal/defaults/{kind.value}.{get_locale()}.md", f"legal/defaults/{kind.value}.pl.md"]
    for name in names:
        try:
            return render_template(name, body=body, policy_url=_policy_url(tenant)).strip() + "\n"
        except TemplateNotFound:
            continue
    raise TemplateNotFound(names[-1])


def _policy_url(tenant: Tenant | None) -> str:
    if tenant is None:
        return url_for("legal.privacy_policy")
    return url_for("legal.privacy_policy", tenant_slug=tenant.slug)


def shown(kind: LegalKind, tenant: Tenant | None) -> ShownText:
    """What the city (or, with no city, the platform) publishes as `kind` now."""
    record = None
    if tenant is not None:
        with _as(tenant):
            record = saved_text(kind)
    if record is not None:
        return ShownText(kind, record.body, record.published_on, record.revised_on, record)
    body = public_body(tenant)
    dated = kind == LegalKind.ACCESSIBILITY_STATEMENT
    return ShownText(
        kind,
        default_body(kind, tenant),
        body.published_on if dated else None,
        body.revised_on if dated else None,
        None,
    )


def privacy_clause(tenant: Tenant | None = None) -> ShownText:
    """The art. 13 clause of the form's city: the current one unless another is named."""
    return shown(LegalKind.PRIVACY_CLAUSE, tenant if tenant is not None else g.get("tenant"))


def save(
    kind: LegalKind,
    body: str,
    published_on: date | None,
    revised_on: date | None,
    expected_version: int | str | None,
    actor_id: int | None,
) -> None:
    """Keep the current city's wording; saving the default unchanged keeps nothing."""
    current = shown(kind, g.tenant)
    unchanged = (body.strip(), published_on, revised_on) == (
        current.body.strip(),
        current.published_on,
        current.revised_on,
    )
    if unchanged:
        return
    record = current.record or LegalText(kind=kind.value)
    unit_of_work.check_version(record, expected_version)
    record.body = body.strip() + "\n"
    record.published_on = published_on
    record.revised_on = revised_on
    record.updated_by_id = actor_id
    db.session.add(record)
    unit_of_work.flush()


def restore_default(kind: LegalKind) -> None:
    record = saved_text(kind)
    if record is not None:
        db.session.delete(record)
        unit_of_work.flush()
