"""The attacker's suite for writes: every write of the web app (each non-GET rule of the URL
map) and of the API (each POST, PUT, PATCH and DELETE of the OpenAPI document), sent as a
valid request — the form its own page shows, the body its schema describes — by every kind
of person who may not make it, and by people of another city or region with these ids in
their own city's URL. Each is refused (401, 403, 404, or sent to log in) and leaves every
table, every stored file and the mailbox as they were. And each sent by a person who may,
with each of its fields (of the page's form and the view's WTForms) or properties (of the
request's schema) named like a column naming a record given a record of another city, of
another region's project, or an organisation outside the city: refused, nothing changed.

Who may make a write is read from the code: the roles the view requires, else the feature's
access policy. A last request as a person who may shows that the request was a valid one."""

from __future__ import annotations

import inspect
import io
import itertools
import re
from collections.abc import Callable
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html
import pytest
from flask import g, request
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField
from sqlalchemy import select, text
from werkzeug.datastructures import FileStorage, MultiDict
from werkzeug.exceptions import HTTPException
from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    FieldList,
    FormField,
    HiddenField,
    IntegerField,
    SubmitField,
    TimeField,
    URLField,
)
from wtforms.csrf.core import CSRFTokenField
from wtforms.fields.choices import SelectFieldBase
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from app.accounts.models import User
from app.accounts.permissions import can
from app.demo.loader import DEMO_PASSWORD
from app.extensions import db, limiter
from app.legal.models import LegalText
from app.meetings.models import EventRegistration, Meeting
from app.organisations.models import Organisation, OrganisationClaim, Registration
from app.programmes.models import Programme
from app.tenancy.context import acting_as, tenant_scope
from app.tenancy.models import Region, Tenant
from tests import factories
from tests.conftest import CSRF_PATTERN, PASSWORD, log_in
from tests.security.conftest import PEOPLE
from tests.security.planted import an_event_with_people
from tests.sweeps import CITY_OF, NOT_DATA, as_a_browser_submits, city_of, demo_records

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
CITY = "leszno"
REGION = "wielkopolskie"

# People of the demo who may write where PEOPLE may not, so that every write has someone to
# show the request valid; they attack every other write like everyone else.
MORE_PEOPLE = {"operator": "operator@razem.demo", "staff of Kraków": "staff@krakow.demo"}

# Writes open to a person by what they hold rather than by a role in a city: their own
# account and session, a link mailed to them, a credential. Nobody else's record is named,
# so nobody is refused; those that need a login refuse the anonymous visitor only.
OWN_DOORS = {
    "accounts.login": "signs in with a password",
    "accounts.logout": "ends the person's own session",
    "i18n.switch_language": "the language of the person's own pages",
    "accounts.sign_up": "opens an account",
    "accounts.send_again": "mails the confirmation link again",
    "accounts.confirm_email": "a link mailed to the address",
    "accounts.forgot_password": "mails a link to reset the password",
    "accounts.reset_password": "a link mailed to the address",
    "accounts.accept_invitation": "a link mailed to the invited person",
    "organisations.join": "a link mailed to the invited person",
    "meetings.cancel_registration": "a link mailed to the registrant",
    "meetings.confirm_registration": "a link mailed to the registrant",
    "accounts.account": "the person's own account",
    "accounts.create_token": "the person's own API token",
    "accounts.export_personal_data": "an archive of the person's own data, for them alone",
    "api_exports.accounts_export_personal_data": "an archive of the person's own data, for "
    "them alone",
    "accounts.delete_account": "deletes the person's own account, with their password",
    "accounts.switch_tenant": "the city the person's own pages show",
    "organisations.apply": "asks a city to register the person's own organisation",
    "api_organisations.apply": "asks a city to register the person's own organisation",
    "organisations.claim": "asks to act for an organisation",
    "organisations.register_new": "registers a new organisation",
    "api_core.create_token": "exchanges a password for a token",
    "api_core.revoke_token": "revokes the token the request is made with",
    "notifications.mark_read": "the person's own notifications",
    "notifications.preferences": "the person's own notification settings",
    "notifications.stop": "a link mailed to the person",
}

# Writes that name a record of the person who opens the page with the form (the view finds
# it among theirs only): the person the form was shown to may, nobody else.
ONLY_THE_OWNER = {"accounts.revoke_token": "an API token is revoked by its owner"}

# Writes whose view requires no role and asks its feature's access policy instead: the
# record (by its URL parameter, or the class itself) and the action the policy rules on.
POLICY_OF = {
    "legal.edit": (LegalText, None, "edit"),
    "legal.restore_default": (LegalText, None, "edit"),
    "programmes.opinions": (Programme, "programme_id", "manage"),
    "programmes.propose": (Programme, "programme_id", "propose"),
    "meetings.register": (Meeting, "meeting_id", "register"),
    "organisations.answer_invitation": (Registration, "registration_id", "answer"),
    "api_organisations.answer_invitation": (Registration, "registration_id", "answer"),
    "organisations.edit": (Organisation, "organisation_id", "edit"),
    "organisations.people": (Organisation, "organisation_id", "invite"),
    "organisations.answer_claim": (OrganisationClaim, "claim_id", "decide"),
    "api_organisations.OrganisationProfile": (Organisation, "organisation_id", "edit"),
    "api_meetings.Registrations": (Meeting, "meeting_id", "register"),
    "meetings.cancel_my_registration": (EventRegistration, "event_registration_id", "cancel"),
}

# URL parameters that name a record every city shares rather than one of this city's: the
# same id in another city's URL is that city's own business there, not this city's record.
SHARED_RECORDS = {
    "organisation_id": "an organisation is one for every city; a city's record is named by it",
    "standard_id": "a region's standard, which each city of the region adopts",
}

# URL parameters the demo's records do not name (its claims are the `claims` fixture's).
MORE_VALUES = {"window": "consultation", "region_slug": REGION}


# -- who holds what -------------------------------------------------------------------


@dataclass
class Holdings:
    """A person's roles, read from the tables rather than from the code under test."""

    cities: dict[str, str] = field(default_factory=dict)
    regions: set[str] = field(default_factory=set)
    operator: bool = False

    def hold(self, role: str, city: str | None, region: str | None) -> bool:
        if role == "operator":
            return self.operator
        if role == "coordinator":
            return region in self.regions
        return city is not None and self.cities.get(city) == role


HOLDINGS_SQL = {
    "member": "SELECT u.email, t.slug, m.role FROM memberships m "
    "JOIN users u ON u.id = m.user_id JOIN tenants t ON t.id = m.tenant_id",
    # NGO access follows the organisation's active registration; a membership outranks it
    "ngo": "SELECT u.email, t.slug, 'ngo' FROM organisation_members om "
    "JOIN users u ON u.id = om.user_id JOIN registrations r "
    "ON r.organisation_id = om.organisation_id AND r.status = 'active' "
    "JOIN tenants t ON t.id = r.tenant_id",
    "coordinator": "SELECT u.email, r.slug, 'coordinator' FROM regional_assignments a "
    "JOIN users u ON u.id = a.user_id JOIN regions r ON r.id = a.region_id",
    "operator": "SELECT email, '', 'operator' FROM users WHERE is_operator",
}


def holdings(owner, emails: dict[str, str | None]) -> dict[str, Holdings]:
    found: dict[str, Holdings] = {email: Holdings() for email in emails.values() if email}
    with owner.connect() as connection:
        for kind in ("ngo", "member", "coordinator", "operator"):
            for email, place, role in connection.execute(text(HOLDINGS_SQL[kind])):
                if email not in found:
                    continue
                if kind == "coordinator":
                    found[email].regions.add(place)
                elif kind == "operator":
                    found[email].operator = True
                else:
                    found[email].cities[place] = role
    return {
        who: found.get(email, Holdings()) if email else Holdings() for who, email in emails.items()
    }


# -- the writes -----------------------------------------------------------------------


@dataclass
class Write:
    label: str  # "POST /<tenant_slug>/meetings/<int:meeting_id>/edit"
    method: str
    endpoint: str
    url: str
    api: bool
    parameters: frozenset[str] = frozenset()
    form: MultiDict | None = None
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    body: object = None
    multipart: bool = False  # an API body sent as multipart/form-data
    shown_to: str | None = None  # the person whose page showed the form
    body_properties: tuple[str, ...] = ()  # of the request's schema, at its top level

    @property
    def city(self) -> str | None:
        if "tenant_slug" not in self.parameters:
            return None
        return re.match(r"^(?:/api/v1/tenants)?/([^/]+)/", self.url).group(1)

    @property
    def region(self) -> str | None:
        if "region_slug" not in self.parameters:
            return None
        return re.match(r"^(?:/api/v1)?/regions/([^/]+)/", self.url).group(1)


def view_of(app, endpoint: str, method: str) -> Callable:
    view = app.view_functions[endpoint]
    view_class = getattr(view, "view_class", None)
    return getattr(view_class, method.lower()) if view_class else view


def required_roles(app, write: Write) -> tuple | None:
    """The roles the view lets through (None: no login asked; (): any logged-in person)."""
    roles = getattr(view_of(app, write.endpoint, write.method), "required_roles", None)
    return None if roles is None else tuple(str(role) for role in roles)


def web_write_rules(app) -> list:
    return sorted(
        (
            rule
            for rule in app.url_map.iter_rules()
            if set(WRITE_METHODS) & rule.methods and not rule.rule.startswith("/api/")
        ),
        key=lambda rule: rule.rule,
    )


def api_write_operations(spec: dict) -> list[tuple[str, str, dict]]:
    return [
        (method.upper(), path, operation)
        for path, operations in sorted(spec["paths"].items())
        for method, operation in operations.items()
        if method.upper() in WRITE_METHODS
    ]


def _url(rule, values: dict) -> str | None:
    values = {"tenant_slug": city_of(rule), **MORE_VALUES, **values}
    if any(values.get(name) is None for name in rule.arguments):
        return None
    return rule.build({name: values[name] for name in rule.arguments}, append_unknown=False)[1]


def forms_on_pages(app, clients: dict, records: dict) -> dict[str, list]:
    """Every POST form on every page the people who write open, by the path it posts to:
    [(form element, who saw it)], in the order found."""
    adapter = app.url_map.bind("localhost")
    found: dict[str, list] = {}
    for rule in app.url_map.iter_rules():
        if (
            "GET" not in rule.methods
            or rule.rule.startswith("/api/")
            or rule.endpoint
            in {
                "static",
                "accounts.logout",
            }
        ):
            continue
        names = sorted(set(rule.arguments) & set(records))
        for chosen in itertools.product(*(records[name][:3] for name in names)):
            url = _url(rule, dict(zip(names, chosen, strict=True)))
            if url is None:
                continue
            for who, client in clients.items():
                answer = client.get(url)
                if answer.status_code != 200 or answer.mimetype != "text/html":
                    continue
                for form in lxml.html.fromstring(answer.get_data(as_text=True)).forms:
                    if (form.get("method") or "get").lower() != "post":
                        continue
                    path = urlsplit(form.get("action") or url).path
                    try:
                        adapter.match(path, method="POST")
                    except HTTPException:
                        continue
                    found.setdefault(path, []).append((form, who))
    return found


SAMPLE_FILES = {"csv": ("rejestr.csv", b"Nazwa;KRS\r\nFundacja Przyk\xc5\x82ad;0000123456\r\n")}
A_FILE = ("zalacznik.pdf", b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")


def _files_of(form) -> dict[str, tuple[str, bytes]]:
    files = {}
    for element in form.inputs:
        if element.get("type") == "file" and element.get("name"):
            accepts = element.get("accept") or ""
            files[element.get("name")] = SAMPLE_FILES["csv"] if "csv" in accepts else A_FILE
    return files


def _form_classes(app, endpoint: str, method: str) -> list[type]:
    """The WTForms the view builds, read from its code."""
    view = inspect.unwrap(view_of(app, endpoint, method))
    found = (view.__globals__.get(name) for name in view.__code__.co_names)
    return [c for c in found if isinstance(c, type) and issubclass(c, FlaskForm)]


def _sample(field) -> list[str]:
    """What a person could type or pick in the field."""
    if isinstance(field, FileField | SubmitField | CSRFTokenField):
        return []
    if isinstance(field, HiddenField):  # ids and versions the page would have put there
        return [str(field.data)] if field.data not in (None, "") else []
    if isinstance(field, SelectFieldBase):
        choices = [value for value, *_rest in (field.choices or []) if value not in ("", None)]
        return [str(choices[0])] if choices else []
    if isinstance(field, BooleanField):
        return ["y"]
    if isinstance(field, DateField):
        return ["2031-03-02"]
    if isinstance(field, TimeField):
        return ["10:00"]
    if isinstance(field, URLField):
        return ["https://example.pl/"]
    if isinstance(field, IntegerField | DecimalField):
        ranges = [v for v in field.validators if isinstance(v, NumberRange)]
        low = next((r.min for r in ranges if r.min is not None), 1)
        return [str(max(low, 1))]
    if "email" in field.name:
        return ["osoba@example.pl"]
    return [str(field.data) if field.data not in (None, "") else "Próba zapisu"]


def _required(field) -> bool:
    return any(isinstance(v, DataRequired | InputRequired) for v in field.validators)


def _fields(fields, *, nested: bool = True):
    for each in fields:
        if isinstance(each, FieldList | FormField):
            if nested:
                yield from _fields(each)
        else:
            yield each


def form_of_the_view(
    app, endpoint: str, method: str, url: str, email: str, *, required_only: bool = False
) -> MultiDict:
    """The view's WTForm as `email` would fill it in: each field (or each required one)
    with a value."""
    data = MultiDict()
    with in_request(app, url, method, email):
        for form_class in _form_classes(app, endpoint, method):
            try:
                form = form_class(formdata=None, meta={"csrf": False})
            except TypeError:  # a form built with arguments the view gives it: no samples
                continue
            for field in _fields(form, nested=not required_only):  # a row left empty stays so
                if required_only and not _required(field):
                    continue
                for value in _sample(field):
                    data.add(field.name, value)
    return data


def files_of_the_view(app, endpoint: str, method: str) -> dict[str, tuple[str, bytes]]:
    """A file for each file field of the view's form, of a kind the field allows."""
    files = {}
    for form_class in _form_classes(app, endpoint, method):
        for name, unbound in vars(form_class).items():
            if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, FileField):
                allowed = [
                    kind
                    for validator in unbound.kwargs.get("validators", ())
                    if isinstance(validator, FileAllowed)
                    for kind in validator.upload_set
                ]
                files[name] = SAMPLE_FILES["csv"] if "csv" in allowed else A_FILE
    return files


def web_writes(
    app, forms: dict[str, list], records: dict, emails: dict
) -> tuple[list[Write], list[str]]:
    """Each write rule with the form its pages show (for the demo's record, else for any
    record the pages have a form for); those no page has a form for go with a CSRF token
    only, and are named in the summary."""
    adapter = app.url_map.bind("localhost")
    by_rule: dict[str, list[str]] = {}
    for path in forms:
        rule, _ = adapter.match(path, method="POST", return_rule=True)
        by_rule.setdefault(rule.rule, []).append(path)
    writes, formless = [], []
    for rule in web_write_rules(app):
        values = {name: next(iter(records.get(name) or []), None) for name in rule.arguments}
        url = _url(rule, {k: v for k, v in values.items() if v is not None})
        paths = ([url] if url in forms else []) + by_rule.get(rule.rule, [])
        for method in sorted(set(WRITE_METHODS) & rule.methods):
            label = f"{method} {rule.rule}"
            if paths:
                form, shown_to = forms[paths[0]][0]
                data = as_a_browser_submits(form)
                samples = form_of_the_view(
                    app, rule.endpoint, method, paths[0], emails[shown_to], required_only=True
                )
                for name in data:  # what the person would type into the required fields
                    if data[name] == "" and samples.get(name):
                        data.setlist(name, samples.getlist(name))
                writes.append(
                    Write(
                        label,
                        method,
                        rule.endpoint,
                        paths[0],
                        api=False,
                        parameters=frozenset(rule.arguments),
                        form=data,
                        files=files_of_the_view(app, rule.endpoint, method) or _files_of(form),
                        shown_to=shown_to,
                    )
                )
            elif url is not None:
                writes.append(
                    Write(
                        label,
                        method,
                        rule.endpoint,
                        url,
                        api=False,
                        parameters=frozenset(rule.arguments),
                        form=form_of_the_view(app, rule.endpoint, method, url, emails["admin"]),
                        files=files_of_the_view(app, rule.endpoint, method),
                    )
                )
                formless.append(label)
            else:
                formless.append(f"{label} (no record to name)")
    return writes, formless


# -- API bodies from the OpenAPI document ---------------------------------------------


def _resolve(spec: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def instance(spec: dict, schema: dict, name: str, ids: dict) -> object:
    """A valid-looking value for `schema`: its example, its first choice, the demo's record
    for an id, else the smallest value its type and bounds allow."""
    schema = _resolve(spec, schema)
    if "example" in schema:
        return schema["example"]
    if schema.get("enum"):
        return next(value for value in schema["enum"] if value is not None)
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            key: instance(spec, value, key, ids)
            for key, value in schema.get("properties", {}).items()
            if key in schema.get("required", ())
        }
    if kind == "array":
        return [instance(spec, schema.get("items", {}), name, ids)]
    if kind == "integer":
        if name in ids:
            return ids[name]
        low, high = schema.get("minimum", 1), schema.get("maximum")
        return max(low, min(high, 2031)) if high and high >= 2000 else low
    if kind == "number":
        return schema.get("minimum", 1)
    if kind == "boolean":
        return False
    formats = {
        "date": "2031-03-02",
        "date-time": "2031-03-02T10:00:00+01:00",
        "time": "10:00",
        "uri": "https://example.pl/",
        "url": "https://example.pl/",
    }
    if schema.get("format") in formats:
        return formats[schema["format"]]
    if schema.get("format") == "email" or name.endswith("email"):
        return "osoba@example.pl"
    if schema.get("pattern") or schema.get("format") == "decimal":
        return "1000.00"
    text_value = "Próba zapisu"
    return text_value[: schema.get("maxLength", len(text_value))]


def api_writes(spec: dict, records: dict, ids: dict, adapter, read) -> list[Write]:
    """Each write operation with a body from its schema: a change (PATCH, PUT) sends back
    the record as the API reads it, the properties the schema takes; a creation sends the
    properties the schema requires, the demo's records for ids."""
    writes = []
    for method, path, operation in api_write_operations(spec):
        parameters = frozenset(re.findall(r"\{(\w+)\}", path))
        city = next((CITY_OF[name] for name in parameters if name in CITY_OF), CITY)
        values = {"region_slug": REGION, **MORE_VALUES}
        values |= {name: next(iter(found), None) for name, found in records.items()}
        values["tenant_slug"] = city  # the city of the record the path names
        url = re.sub(r"\{(\w+)\}", lambda match, values=values: str(values[match.group(1)]), path)
        endpoint, _ = adapter.match(url, method=method)
        contents = operation.get("requestBody", {}).get("content", {})
        multipart = "multipart/form-data" in contents
        content = contents.get("multipart/form-data" if multipart else "application/json")
        body = instance(spec, content["schema"], "", ids) if content else None
        if multipart and isinstance(body, dict):  # the fields; the files are optional
            properties = _resolve(spec, content["schema"]).get("properties", {})
            body = {
                key: str(value)
                for key, value in body.items()
                if properties.get(key, {}).get("format") != "binary"
            }
        schema = _resolve(spec, content["schema"]) if content else {}
        if method in ("PATCH", "PUT") and "properties" in schema:
            current = read(url)
            if isinstance(current, dict):
                body = {
                    key: current[key]
                    for key, value in schema["properties"].items()
                    if key in current and not _resolve(spec, value).get("readOnly")
                }
        writes.append(
            Write(
                f"{method} {path}",
                method,
                endpoint,
                url,
                api=True,
                parameters=parameters,
                body=body,
                multipart=multipart,
                body_properties=tuple(
                    key
                    for key, value in schema.get("properties", {}).items()
                    if not _resolve(spec, value).get("readOnly")
                ),
            )
        )
    return writes


# -- what a write may change ----------------------------------------------------------


def state(owner, storage: Path, mailbox) -> dict:
    """Every table's row count and a hash of its rows, every stored file, the mail sent."""
    tables = [table.name for table in db.metadata.sorted_tables if table.name not in NOT_DATA]
    query = " UNION ALL ".join(
        f"SELECT '{name}', count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), ''))"
        f" FROM {name} x"
        for name in tables
    )
    with owner.connect() as connection:
        rows = {name: (count, digest) for name, count, digest in connection.execute(text(query))}
    files = {
        str(path.relative_to(storage)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in storage.rglob("*")
    }
    return {"tables": rows, "files": files, "mail": len(mailbox.messages)}


def what_changed(before: dict, after: dict) -> list[str]:
    changed = [
        f"{name}: {before['tables'][name][0]} → {count} rows"
        for name, (count, digest) in after["tables"].items()
        if (count, digest) != before["tables"][name]
    ]
    if before["files"] != after["files"]:
        changed.append(f"files: {sorted(set(after['files']) ^ set(before['files']))[:3]}")
    if before["mail"] != after["mail"]:
        changed.append(f"{after['mail'] - before['mail']} e-mails sent")
    return changed


def refused(response, write: Write, *, anonymous: bool) -> bool:
    """401, 403 or 404; a page sends the anonymous visitor (only) to log in."""
    if response.status_code in (401, 403, 404):
        return True
    login = response.status_code == 302 and "/login" in (response.location or "")
    return login and anonymous and not write.api


# -- ids of other cities inside the bodies --------------------------------------------


# Writes whose purpose is to name a record of no city's yet: refused would be wrong.
NAMES_ANOTHERS_BY_DESIGN = {
    ("organisations.link", "organisation_id"): "adds an organisation of Razem to this city's "
    "register: invited, it joins only when its representative accepts (services.link)",
}


def named_tables() -> dict[str, str]:
    """{column: the table it names}, from the models' foreign keys: a form field or a JSON
    property named like such a column names a record of that table."""
    named: dict[str, str] = {}
    for table in db.metadata.sorted_tables:
        for column in table.columns:
            for key in column.foreign_keys:
                named.setdefault(column.name, key.column.table.name)
    return named


def id_fields(app, write: Write, named: dict[str, str]) -> list[tuple[str, str]]:
    """(field, table) of each field of the form (as its page shows it, and as the view's
    WTForms declare it), or property of the request's schema, named like a column naming a
    record — filled in or left empty."""
    if write.api:
        names = list(write.body_properties) if isinstance(write.body, dict) else []
    else:
        names = list(write.form)
        for form_class in _form_classes(app, write.endpoint, write.method):
            declared = [
                name
                for name, unbound in vars(form_class).items()
                if isinstance(unbound, UnboundField)
                and not issubclass(unbound.field_class, SubmitField)
            ]
            if set(declared) & set(write.form):  # the form posted, not another the page shows
                names += [name for name in declared if name not in names]
    found = []
    for name in names:
        column = name.rsplit("-", 1)[-1]  # a row's field: "agenda-0-team_id"
        if column in named and (write.endpoint, name) not in NAMES_ANOTHERS_BY_DESIGN:
            found.append((name, named[column]))
    return found


def foreign_ids(owner, table: str, write: Write) -> list[int]:
    """Ids of the table's records that are not the write's city's (or region's) to name: of
    another city; of a project of another region; organisations not in the city at all."""
    region = "(SELECT id FROM regions WHERE slug = :region)"
    if write.city:
        region = "(SELECT region_id FROM tenants WHERE slug = :city)"
    columns = {column.name: column for column in db.metadata.tables[table].columns}
    parents = {
        name: next(iter(column.foreign_keys)).column.table
        for name, column in columns.items()
        if column.foreign_keys
    }
    if "tenant_id" in columns:
        where = "tenant_id <> (SELECT id FROM tenants WHERE slug = :city)"
        if not write.city:
            where = f"tenant_id NOT IN (SELECT id FROM tenants WHERE region_id = {region})"
    elif "region_id" in columns:
        where = f"region_id <> {region}"
    elif regional := next((n for n, t in parents.items() if "region_id" in t.c), None):
        parent = parents[regional].name
        where = f"{regional} IN (SELECT id FROM {parent} WHERE region_id <> {region})"
    elif table == "organisations":
        where = (
            "id NOT IN (SELECT organisation_id FROM registrations "
            "WHERE tenant_id = (SELECT id FROM tenants WHERE slug = :city))"
        )
    else:
        return []
    with owner.connect() as connection:
        return list(
            connection.scalars(
                text(f"SELECT id FROM {table} WHERE {where} ORDER BY id LIMIT 1"),
                {"city": write.city or CITY, "region": write.region or REGION},
            )
        )


def with_value(write: Write, name: str, value: int) -> Write:
    """The same write with one field or property naming another record."""
    if write.api:
        return replace(write, body={**write.body, name: value})
    form = MultiDict(write.form)
    form.setlist(name, [str(value)])
    return replace(write, form=form)


def refused_with_no_change(response, write: Write) -> bool:
    """A 4xx, or the page's form shown again with what is wrong (a 200 of HTML, which the
    state compared around it shows saved nothing); never a success sent on elsewhere."""
    if write.api:
        return 400 <= response.status_code < 500
    return 400 <= response.status_code < 500 or (
        response.status_code == 200 and response.mimetype == "text/html"
    )


# -- the people -----------------------------------------------------------------------


@pytest.fixture
def claims(app, demo, make_user):
    """A claim to act for the demo's represented organisation (its representatives decide),
    and one for an organisation with none, decided by Leszno's staff."""
    from app.organisations import claims as claiming
    from app.organisations.models import OrganisationMember

    represented = db.session.scalar(
        select(Organisation).where(Organisation.id.in_(select(OrganisationMember.organisation_id)))
    )
    city = db.session.scalar(select(Tenant).where(Tenant.slug == CITY))
    with tenant_scope(city.id):  # the city's register, read in the city (row-level security)
        unrepresented = db.session.scalar(
            select(Organisation)
            .join(Registration, Registration.organisation_id == Organisation.id)
            .where(
                Registration.tenant_id == city.id,
                Registration.status == "active",
                Organisation.id.not_in(select(OrganisationMember.organisation_id)),
            )
            .order_by(Organisation.id)
        )
    filed = []
    with app.test_request_context():
        for number, organisation in enumerate((represented, unrepresented)):
            claimant = make_user(f"prosba{number}@example.pl")
            city = db.session.scalar(select(Tenant).where(Tenant.slug == CITY))
            filed.append(claiming.file_claim(claimant, organisation, "prezes zarządu", city).id)
        db.session.commit()
    return filed


@pytest.fixture
def everyone(app, people, tokens, demo):
    """A logged-in client and an API token for every kind of person (PEOPLE and more)."""
    clients, issued = dict(people), dict(tokens)
    for who, email in MORE_PEOPLE.items():
        clients[who] = app.test_client()
        log_in(clients[who], email, DEMO_PASSWORD)
        answer = clients[who].post(
            "/api/v1/auth/token", json={"email": email, "password": DEMO_PASSWORD}
        )
        issued[who] = answer.json["token"]
        limiter.reset()
    emails = {who: person.email for who, person in PEOPLE.items()} | MORE_PEOPLE
    return clients, issued, emails


def _csrf(client) -> str:
    # the login form gives a visitor without a cookie a token; the shared pages do not
    match = CSRF_PATTERN.search(client.get("/login").get_data(as_text=True))
    match = match or CSRF_PATTERN.search(client.get("/").get_data(as_text=True))
    return match.group(1) if match else ""


def send(client, write: Write, *, csrf: str, token: str | None, url: str | None = None):
    with client.application.app_context():
        limiter.reset()
    url = url or write.url
    if write.api:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        if write.multipart:
            return client.open(url, method=write.method, data=write.body, headers=headers)
        return client.open(url, method=write.method, json=write.body, headers=headers)
    data = MultiDict(write.form)
    data.setlist("csrf_token", [csrf])
    for name, (filename, content) in write.files.items():
        data.add(name, FileStorage(stream=io.BytesIO(content), filename=filename))
    return client.open(url, method=write.method, data=data)


@contextmanager
def in_request(app, url: str, method: str, email: str | None = None):
    """A request to `url` as the app sees it after resolving the city, the region and the
    person: the view's arguments, with the tenant's scope entered."""
    with app.app_context(), app.test_request_context(url, method=method):
        values = dict(request.view_args or {})
        tenant = db.session.scalar(select(Tenant).where(Tenant.slug == values.get("tenant_slug")))
        if "region_slug" in values:
            g.region = db.session.scalar(select(Region).where(Region.slug == values["region_slug"]))
        if tenant is not None:
            g.tenant = tenant
        user = None
        if email:  # as Flask-Login's loader leaves it, without a session to sign
            user = g._login_user = db.session.scalar(select(User).where(User.email == email))
        # the person known to the database too (their personal walls), as after logging in;
        # their roles read afresh behind the walls, not as an earlier read left them
        with (
            acting_as(user.id if user else None),
            tenant_scope(tenant.id) if tenant is not None else nullcontext(),
        ):
            if user is not None:
                db.session.expire(user)
            yield values


def policy_allows(app, write: Write, email: str | None) -> bool:
    """The feature's access policy, asked as the person, about the write's record."""
    model, parameter, action = POLICY_OF[write.endpoint]
    with in_request(app, write.url, write.method, email) as values:
        if parameter is None:
            return can(action, model)
        record = db.session.scalar(select(model).where(model.id == values[parameter]))
        return record is not None and can(action, record)


def may(app, write: Write, who: str, email: str | None, held: Holdings) -> bool:
    roles = required_roles(app, write)
    if roles:
        return any(held.hold(role, write.city, write.region) for role in roles)
    if roles == () and email is None:
        return False
    if write.endpoint in POLICY_OF:
        return policy_allows(app, write, email)
    if write.endpoint in ONLY_THE_OWNER:
        return who == write.shown_to
    return True  # one of OWN_DOORS


# -- the tests ------------------------------------------------------------------------


def test_every_write_without_a_required_role_is_ruled_by_a_policy_or_is_the_persons_own(app):
    spec = app.test_client().get("/api/v1/openapi.json").json
    adapter = app.url_map.bind("localhost")
    endpoints = {}
    for rule in web_write_rules(app):
        for method in set(WRITE_METHODS) & rule.methods:
            endpoints[(rule.endpoint, method)] = rule.rule
    for method, path, _operation in api_write_operations(spec):
        url = re.sub(r"\{(\w+)\}", "1", path).replace("/tenants/1/", f"/tenants/{CITY}/")
        endpoints[(adapter.match(url, method=method)[0], method)] = path
    open_ones = {
        endpoint
        for endpoint, method in endpoints
        if not getattr(view_of(app, endpoint, method), "required_roles", None)
    }
    declared = set(OWN_DOORS) | set(POLICY_OF) | set(ONLY_THE_OWNER)
    undeclared = open_ones - declared
    assert not undeclared, f"name the policy (POLICY_OF) or the reason (OWN_DOORS): {undeclared}"
    stale = declared - open_ones
    assert not stale, f"these writes are gone or require a role now: {stale}"
    parameters = {name for rule in web_write_rules(app) for name in rule.arguments}
    parameters |= {name for path in endpoints.values() for name in re.findall(r"\{(\w+)\}", path)}
    assert set(SHARED_RECORDS) <= parameters, set(SHARED_RECORDS) - parameters
    for endpoint, (model, _parameter, action) in POLICY_OF.items():
        view = view_of(app, endpoint, next(m for e, m in endpoints if e == endpoint))
        with app.test_request_context():
            can(action, model)  # the policy rules on the action (a KeyError otherwise)
        assert _mentions(view, action), f"{endpoint} does not ask the policy about {action!r}"


def _mentions(view, word: str) -> bool:
    """Whether the view's code (through its decorators) names the action."""
    return word in inspect.getsource(inspect.unwrap(view))


# Writes that end the access of the person who makes them, or of another (the demo's first
# membership is the administrator's own): their shows of validity go last, logging out last.
ENDS_ACCESS = ("remove", "revoke", "switch", "change_role", "logout")

# Writes the person who may make them cannot make on the demo as it stands; the request is
# refused for what the record is, not for what the request lacks. The suite fails when one
# of them is accepted, so that the reason is never stale.
NOT_SHOWN_VALID = {
    "POST /<tenant_slug>/organisations/apply": "the demo's NGO is in the city's register "
    "already: nothing to ask for (422, as over the API's 409 for that organisation)",
    "POST /<tenant_slug>/organisations/link": "links the organisation a search found (400)",
    "POST /organisations/claim": "names an organisation by a number a search found (404)",
    "POST /api/v1/auth/token": "a sample address has no account (401)",
    **{
        f"POST /<tenant_slug>/programmes/<int:programme_id>/{action}": "the demo's programme "
        "is adopted: its text, opinions, report and adoption are frozen (409)"
        for action in ("adoption", "edit", "opinions", "report")
    },
    "POST /<tenant_slug>/programmes/<int:programme_id>/year-reports/new": "the demo's "
    "programme in Leszno is annual: it has one report, not one on each year (404)",
    "POST /api/v1/tenants/{tenant_slug}/programmes/{programme_id}/transitions": "an adopted "
    "programme moves no further (409)",
    **{
        label: "the demo's windows for proposals and comments are closed (410, 422)"
        for label in (
            "POST /<tenant_slug>/programmes/<int:programme_id>/comments",
            "POST /<tenant_slug>/programmes/<int:programme_id>/proposals/new",
            "POST /api/v1/tenants/{tenant_slug}/programmes/{programme_id}/comments",
            "POST /api/v1/tenants/{tenant_slug}/programmes/{programme_id}/proposals",
        )
    },
    **{
        f"{method} /api/v1/tenants/{{tenant_slug}}/programmes/{{programme_id}}{rest}": "the "
        "demo's programme is adopted: its text, adoption and windows are frozen (409)"
        for method, rest in (
            ("PATCH", ""),
            ("POST", "/adoption"),
            ("POST", "/windows/{window}/close"),
        )
    },
    "POST /api/v1/tenants/{tenant_slug}/programmes/{programme_id}/year-reports": "the demo's "
    "programme in Leszno is annual: it has one report, not one on each year (404)",
    "POST /api/v1/tenants/{tenant_slug}/programmes/year-reports/{year_report_id}/withdraw": "the "
    "page's form withdrew Kraków's year report first (404)",
    # TODO(#15): send the ETag read just before as If-Match, so that these show valid too
    **{
        label: "a versioned change whose body holds no version it read, and the sweep sends no "
        "If-Match (428)"
        for label in (
            "PUT /api/v1/tenants/{tenant_slug}/programmes/{programme_id}/milestones",
            "PATCH /api/v1/tenants/{tenant_slug}/programmes/{programme_id}/report",
            "POST /api/v1/tenants/{tenant_slug}/programmes/{programme_id}/stage",
            "POST /api/v1/tenants/{tenant_slug}/programmes/{programme_id}/amendments/resolution",
        )
    },
    "POST /api/v1/tenants/{tenant_slug}/meetings/{meeting_id}/registrations": "the demo's "
    "meeting takes no registrations (410)",
    "PATCH /api/v1/tenants/{tenant_slug}/meetings/{meeting_id}": "the page's form saved the "
    "minutes first: the version read before is no longer the current one (409)",
    "PATCH /api/v1/tenants/{tenant_slug}/standards/{standard_id}": "the page's form saved the "
    "city's adoption first: the version read before is no longer the current one (409)",
    **{
        f"POST /api/v1/regions/{{region_slug}}/projects/{{project_id}}/{action}": "a state "
        "change states the version it read (in the body or If-Match); a body of the required "
        "properties has none (428)"
        for action in ("publicity", "reviews/{adoption_id}")
    },
    "POST /api/v1/regions/{region_slug}/benchmark/publicity": "a state change states the "
    "version it read (in the body or If-Match); a body of the required properties has none "
    "(428)",
    "PUT /api/v1/tenants/{tenant_slug}/standards/{standard_id}/evidence": "an upload is "
    "multipart/form-data, the sweep sends JSON bodies: no file (422)",
    "PUT /api/v1/tenants/{tenant_slug}/organisations/{organisation_id}": "the organisation "
    "is in the city's register already (409)",
    "DELETE /api/v1/auth/token": "the token was revoked by the account page's form (401)",
    **{
        f"POST /api/v1/tenants/{{tenant_slug}}/meetings/{{meeting_id}}/{action}": "a change "
        "of the meeting's state sends the version read; the sweep's body states none (428)"
        for action in ("publish", "registration-settings")
    },
    "POST /api/v1/tenants/{tenant_slug}/meetings/{meeting_id}/attachments": "a multipart "
    "upload: the sweep sends no file (422)",
    "POST /api/v1/tenants/{tenant_slug}/organisations/apply": "the demo's administrator acts "
    "for no organisation (403)",
    "POST /api/v1/tenants/{tenant_slug}/organisations/{registration_id}/decision": "the "
    "demo's registration was decided long ago (409)",
    "POST /api/v1/tenants/{tenant_slug}/organisations/{registration_id}/"
    "invite-representative": "the demo's organisation has its representative (409)",
    "POST /api/v1/tenants/{tenant_slug}/meetings/{meeting_id}/registrations/"
    "{event_registration_id}/remove": "the event's registration is of another meeting than "
    "the demo's first (404)",
    "POST /api/v1/tenants/{tenant_slug}/members/{membership_id}/remove": "the demo's first "
    "membership is the city's only administrator (409)",
    **{
        label: "the administrator's token was revoked by DELETE /api/v1/auth/token before (401)"
        for label in (
            "POST /api/v1/tenants/{tenant_slug}/invitations/{invitation_id}/revoke",
            "POST /api/v1/tenants/{tenant_slug}/members/{membership_id}/role",
        )
    },
    "POST /api/v1/tenants/{tenant_slug}/swot/export": "the body of required properties names "
    "neither the team nor the programme whose SWOT it asks for, one of which it needs (422)",
    "POST /<tenant_slug>/webhooks": "the page's form to add a subscription is empty until "
    "the administrator gives an address and chooses events (422)",
    "PATCH /api/v1/tenants/{tenant_slug}/webhooks/{subscription_id}": "the page's buttons "
    "rotated the secret or deactivated the subscription first: the version read before is "
    "no longer the current one (409)",
}


def test_every_write_refuses_who_may_not_and_changes_nothing(app, everyone, claims, owner, mailbox):
    clients, tokens, emails = everyone
    # the city is the one each record belongs to (city_of), not the demo's Leszno for all
    records = {name: found for name, found in demo_records(owner).items() if name != "tenant_slug"}
    records["claim_id"] = claims
    with_what_the_demo_lacks(records, owner)
    spec = clients["anonymous"].get("/api/v1/openapi.json").json
    adapter = app.url_map.bind("localhost")
    ids = {name: found[0] for name, found in records.items() if found and name.endswith("_id")}
    held = holdings(owner, emails)
    writers = {who: clients[who] for who in ("admin", "NGO of the city", "coordinator")}
    writers |= {who: clients[who] for who in MORE_PEOPLE}
    web, formless = web_writes(app, forms_on_pages(app, writers, records), records, emails)

    def read(url: str):
        answer = clients["admin"].get(url, headers={"Authorization": f"Bearer {tokens['admin']}"})
        return answer.json if answer.status_code == 200 else None

    writes = web + api_writes(spec, records, ids, adapter, read)
    csrf = {who: _csrf(client) for who, client in clients.items()}
    storage = Path(app.config["STORAGE_ROOT"])
    failures: list[str] = []
    attempts, swapped = 0, 0
    entitled: dict[str, list[str]] = {}
    before = state(owner, storage, mailbox)

    def attempt(write: Write, who: str, url: str, expected: Callable, as_whom: str) -> None:
        nonlocal before
        response = send(clients[who], write, csrf=csrf[who], token=tokens[who], url=url)
        after = state(owner, storage, mailbox)
        changed = what_changed(before, after)
        if not expected(response) or changed:
            failures.append(f"{as_whom}: {write.method} {url} → {response.status_code} {changed}")
        before = after

    def is_refused(write: Write, who: str) -> Callable:
        return lambda response: refused(response, write, anonymous=emails[who] is None)

    def not_found(response) -> bool:
        return response.status_code == 404

    named = named_tables()
    in_bodies: dict[str, int] = {}  # field or property → requests sent naming another's
    for write in writes:
        entitled[write.label] = []
        for who in clients:
            if may(app, write, who, emails[who], held[who]):
                entitled[write.label].append(who)
                continue
            attempt(write, who, write.url, is_refused(write, who), who)
            attempts += 1
        for who, url in _with_ids_elsewhere(app, write, held):
            attempt(write, who, url, not_found, f"{who} in their city")
            swapped += 1
        who = _who_may(write, entitled[write.label])
        for name, table in id_fields(app, write, named) if who else ():
            in_bodies.setdefault(f"{write.label} {name}", 0)
            for foreign in foreign_ids(owner, table, write):
                refusal = partial(refused_with_no_change, write=write)
                naming = f"{who} naming {table} {foreign} in {name}"
                attempt(with_value(write, name, foreign), who, write.url, refusal, naming)
                in_bodies[f"{write.label} {name}"] = in_bodies.get(f"{write.label} {name}", 0) + 1

    accepted, not_shown = _shown_valid(writes, entitled, clients, csrf, tokens)
    summary = (
        f"{len(web)} web writes ({len(formless)} filled from the view's form, no page showing "
        f"one: {formless}) and {len(writes) - len(web)} API writes × {len(clients)} kinds of "
        f"person: {attempts} refusals, {swapped} with the ids in another city's URL and "
        f"{sum(in_bodies.values())} naming another city's (region's, organisation's) record in "
        f"{len(in_bodies)} id fields of {len({k.rsplit(' ', 1)[0] for k in in_bodies})} "
        f"forms and bodies ({sorted(in_bodies)}), each "
        f"compared over {len(before['tables'])} tables, the stored files and the mailbox; "
        f"{accepted} of {len(writes)} requests accepted from a person who may "
        f"(the others answered {not_shown})"
    )
    print(summary)
    assert not failures, summary + "\n" + "\n".join(failures)
    unnamed = [field for field, sent in in_bodies.items() if not sent]
    assert not unnamed, f"no record of another city or region to name in: {unnamed}"
    assert {label.rsplit(" as ", 1)[0] for label in not_shown} == set(NOT_SHOWN_VALID), summary


def with_what_the_demo_lacks(records: dict, owner) -> None:
    """A pending invitation, and an event open for registration with its registrations."""
    records["invitation_id"] = [factories.invitation(db.session.get(Tenant, _city_id(owner)))[0].id]
    with owner.begin() as connection:
        event = an_event_with_people(connection, _city_id(owner))
        records["meeting_id"].append(event)
        records["event_registration_id"] = list(
            connection.scalars(
                text("SELECT id FROM event_registrations WHERE meeting_id = :m"), {"m": event}
            )
        )


def _city_id(owner) -> int:
    with owner.connect() as connection:
        return connection.scalar(text("SELECT id FROM tenants WHERE slug = :s"), {"s": CITY})


PREFERRED = ["admin", "staff of Kraków", "coordinator", "NGO of the city", "operator"]


def _who_may(write: Write, entitled: list[str]) -> str | None:
    """The person to send the write as one who may: whom its page showed the form, else
    the first of PREFERRED who may, else anyone who may."""
    mine = [write.shown_to] if write.shown_to in entitled else []
    who = next((p for p in mine + PREFERRED if p in entitled), None)
    return who or next(iter(entitled), None)


def _shown_valid(writes, entitled, clients, csrf, tokens) -> tuple[int, dict[str, int]]:
    """The same request from a person who may: accepted, it shows the refusals were of a
    valid request rather than of a malformed one."""
    accepted, others = 0, {}

    def order(write: Write) -> tuple:
        ends = [word in write.endpoint for word in ENDS_ACCESS]
        return (any(ends), ends[::-1])

    ordered = sorted(writes, key=order)
    for write in ordered:
        who = _who_may(write, entitled[write.label])
        if who is None:
            continue
        response = send(clients[who], write, csrf=csrf[who], token=tokens[who])
        if response.status_code < (300 if write.api else 400):
            accepted += 1
        else:
            others[f"{write.label} as {who}"] = response.status_code
    return accepted, others


def _with_ids_elsewhere(app, write: Write, held: dict[str, Holdings]) -> list[tuple[str, str]]:
    """(person, URL): the write's URL in each other city or region where a person holds the
    role the write asks for, the ids of this one kept."""
    if not {name for name in write.parameters if name.endswith("_id")} - set(SHARED_RECORDS):
        return []
    roles = required_roles(app, write) or ()
    swaps = []
    for who, holding in held.items():
        if write.region:
            for region in sorted(holding.regions - {write.region}):
                if "coordinator" in roles or not roles:
                    swaps.append(
                        (
                            who,
                            write.url.replace(
                                f"/regions/{write.region}/", f"/regions/{region}/", 1
                            ),
                        )
                    )
        elif write.city:
            for city, role in sorted(holding.cities.items()):
                if city != write.city and (role in roles or not roles):
                    swaps.append((who, write.url.replace(f"/{write.city}/", f"/{city}/", 1)))
    return swaps


def test_the_api_asks_who_sends_a_write_before_it_reads_the_body(app, client, make_user):
    """An empty body to every API write that requires a login: the anonymous visitor is
    asked to authenticate and a viewer without the role is refused, before any validation
    of the body answers 422."""
    make_user("przeglad@leszno.pl", leszno="viewer")
    token = client.post(
        "/api/v1/auth/token", json={"email": "przeglad@leszno.pl", "password": PASSWORD}
    ).json["token"]
    spec = client.get("/api/v1/openapi.json").json
    adapter = app.url_map.bind("localhost")
    answers, checked = [], 0
    for method, path, _operation in api_write_operations(spec):
        url = re.sub(r"\{(\w+)\}", "1", path).replace("/tenants/1/", f"/tenants/{CITY}/")
        url = url.replace("/regions/1/", f"/regions/{REGION}/")
        url = url.replace("/platform/1/", f"/platform/{CITY}/")  # the operator's, of a city
        endpoint, _ = adapter.match(url, method=method)
        roles = getattr(view_of(app, endpoint, method), "required_roles", None)
        if roles is None:
            continue
        senders = [({}, 401)]
        if roles and "viewer" not in roles:
            senders.append(({"Authorization": f"Bearer {token}"}, 403))
        for headers, expected in senders:
            status = client.open(url, method=method, json={}, headers=headers).status_code
            checked += 1
            if status != expected:
                answers.append(f"{method} {url} with {headers or 'no token'}: {status}")
    assert not answers, f"{len(answers)} of {checked} requests:\n" + "\n".join(answers)
