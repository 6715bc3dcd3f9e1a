"""Nobody becomes more than the acting person may grant.

The doors that grant a role are read from the code: every form class with a role field,
every URL rule whose view uses such a form or calls a service taking a `role`, every API
request body with a `role` property, every CLI command with a `role` option. Each door must
have an exerciser here; each exerciser tries every role as every kind of actor, and only the
legitimate grants change the memberships, invitations or audit log.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import SelectField
from wtforms.fields.core import UnboundField

import app as app_package
from app.accounts.models import Invitation, Membership, Role
from app.audit.models import AuditEntry
from app.extensions import db, limiter
from app.organisations.models import OrganisationInvitation, OrganisationMember
from app.tenancy.context import tenant_scope
from tests import factories
from tests.conftest import PASSWORD, log_in, post_form

ACTOR_EMAILS = {
    "viewer": "viewer@leszno.pl",
    "staff": "staff@leszno.pl",
    "admin": "admin@leszno.pl",
    "ngo": "ngo@leszno.pl",  # NGO access through an organisation active in Leszno
    "admin_of_another_city": "admin@kalisz.pl",
    "operator": "operator@razem.pl",
}
CITY_ACTORS = ("viewer", "staff", "admin", "ngo", "admin_of_another_city")
# Every role a person could ask for, including those no form offers.
ROLES_TO_TRY = [role.value for role in Role] + ["coordinator", "operator", "representative"]


# -- discovery ------------------------------------------------------------------------


def _import_all_modules() -> None:
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        importlib.import_module(module.name)


def _all_subclasses(cls: type) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found |= {sub, *_all_subclasses(sub)}
    return found


ROLE_NAMES = {"Role", "grantable_roles", "MEMBERSHIP_ROLES", "ROLE_LABELS"}


def _grants_roles(field: UnboundField) -> bool:
    """A select offering the Role enum's values, or built by code that reads the roles."""
    if not issubclass(field.field_class, SelectField):
        return False
    choices = field.kwargs.get("choices") or ()
    if callable(choices):
        return bool(set(choices.__code__.co_names) & ROLE_NAMES)
    values = {c[0] if isinstance(c, tuple) else getattr(c, "value", c) for c in choices}
    return bool(values & {role.value for role in Role})


def role_granting_forms() -> set[type]:
    _import_all_modules()
    forms = set()
    for form in _all_subclasses(FlaskForm):
        fields = {
            name: value for name, value in vars(form).items() if isinstance(value, UnboundField)
        }
        if "role" in fields or any(_grants_roles(f) for f in fields.values()):
            forms.add(form)
    return forms


def role_granting_services() -> set[str]:
    """Names of the domain operations that give a role to someone: they take the role and
    the person (an e-mail, a user or a membership); a predicate on a role is not one."""
    _import_all_modules()
    names = set()
    for module in pkgutil.walk_packages(app_package.__path__, "app."):
        if not module.name.endswith(".services"):
            continue
        for name, function in inspect.getmembers(importlib.import_module(module.name)):
            if not inspect.isfunction(function):
                continue
            parameters = set(inspect.signature(function).parameters)
            if "role" in parameters and parameters & {"email", "user", "membership"}:
                names.add(name)
    return names


def role_granting_routes(app) -> dict[str, set[str]]:
    """endpoint → the granting forms and services its view names."""
    forms = {form.__name__ for form in role_granting_forms()}
    granting = forms | role_granting_services()
    routes = {}
    for rule in app.url_map.iter_rules():
        if "POST" not in rule.methods:
            continue
        view = inspect.unwrap(app.view_functions[rule.endpoint])
        used = set(view.__code__.co_names) & granting
        if used:
            routes[rule.endpoint] = used
    return routes


def _resolve(spec: dict, schema: dict) -> dict:
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[1]
        return spec["components"]["schemas"][name]
    return schema


def role_granting_api_operations(client) -> set[str]:
    spec = client.get("/api/v1/openapi.json").json
    found = set()
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if method not in {"post", "put", "patch", "delete"}:
                continue
            if any(p.get("name") == "role" for p in operation.get("parameters", [])):
                found.add(f"{method.upper()} {path}")
            for content in operation.get("requestBody", {}).get("content", {}).values():
                schema = _resolve(spec, content.get("schema", {}))
                if "role" in schema.get("properties", {}):
                    found.add(f"{method.upper()} {path}")
    return found


def role_granting_cli_commands(app) -> set[str]:
    found = set()

    def walk(command, prefix: str) -> None:
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, f"{prefix} {name}".strip())
        if any(param.name == "role" for param in getattr(command, "params", ())):
            found.add(prefix)

    walk(app.cli, "")
    return found


# -- the world the actors act in ------------------------------------------------------


class ApiTokens(dict):
    """An API token's header per actor, issued when first asked for."""

    def __init__(self, app) -> None:
        super().__init__()
        self.app = app

    def __missing__(self, actor: str) -> dict:
        limiter.reset()
        answer = self.app.test_client().post(
            "/api/v1/auth/token", json={"email": ACTOR_EMAILS[actor], "password": PASSWORD}
        )
        self[actor] = {"Authorization": f"Bearer {answer.json['token']}"}
        return self[actor]


class LoggedInClients(dict):
    """A client per actor, logged in when first asked for (a login costs a password hash)."""

    def __init__(self, app) -> None:
        super().__init__()
        self.app = app

    def __missing__(self, actor: str):
        client = self[actor] = self.app.test_client()
        log_in(client, ACTOR_EMAILS[actor])
        return client


@dataclass
class World:
    app: object
    make_user: Callable
    tenants: dict
    clients: LoggedInClients
    target: Membership
    tokens: ApiTokens

    def client_of(self, email: str):
        client = self.app.test_client()
        log_in(client, email)
        return client


@pytest.fixture
def world(app, make_user, tenants) -> World:
    make_user("viewer@leszno.pl", leszno="viewer")
    make_user("staff@leszno.pl", leszno="staff")
    make_user("admin@leszno.pl", leszno="admin")
    make_user("ngo@leszno.pl", leszno="ngo")
    make_user("admin@kalisz.pl", kalisz="admin")
    make_user("operator@razem.pl", operator=True)
    target = factories.membership_of(make_user("cel@leszno.pl", leszno="viewer"), tenants["leszno"])
    clients = LoggedInClients(app)
    return World(app, make_user, tenants, clients, target, ApiTokens(app))


def _state(world: World) -> tuple:
    """Everything a grant could change, as comparable values."""
    db.session.expire_all()
    organisation_invitations = set(
        db.session.execute(select(OrganisationInvitation.email, OrganisationInvitation.role))
    )
    per_city = []
    for tenant in world.tenants.values():
        with tenant_scope(tenant.id):  # each city's memberships are behind its wall
            memberships = set(db.session.execute(select(Membership.user_id, Membership.role)))
            invitations = set(db.session.execute(select(Invitation.email, Invitation.role)))
            audit = db.session.scalar(select(func.count()).select_from(AuditEntry))
            per_city.append((tenant.slug, frozenset(memberships), frozenset(invitations), audit))
    organisation_members = set(
        db.session.execute(
            select(
                OrganisationMember.organisation_id,
                OrganisationMember.user_id,
                OrganisationMember.role,
            )
        )
    )
    return (
        frozenset(organisation_invitations),
        frozenset(organisation_members),
        tuple(per_city),
    )


def _refused(world: World, attempt: Callable[[], object]) -> None:
    before = _state(world)
    response = attempt()
    assert response.status_code < 500
    assert _state(world) == before


# -- exercisers: one per door ---------------------------------------------------------

CITY_GRANTS = {"admin": {"viewer", "staff", "admin"}}  # everyone else grants nothing


def _page(url: str) -> Callable:
    """A request through the page's form, as the actor's browser sends it."""

    def send(world: World, actor: str, data: dict):
        return post_form(world.clients[actor], _path(url, data), _fields(data))

    return send


def _api(url: str) -> Callable:
    """The same request through the API, with the actor's token."""

    def send(world: World, actor: str, data: dict):
        body = _fields(data) | {"confirm_admin": True}
        path = "/api/v1/tenants" + _path(url, data)
        return world.app.test_client().post(path, json=body, headers=world.tokens[actor])

    return send


def _path(url: str, data: dict) -> str:
    return url.format(**({"city": "leszno"} | data))


def _fields(data: dict) -> dict:
    """What the request sends, without what names its address."""
    return {name: value for name, value in data.items() if name not in {"city", "target"}}


def _invites_through(send: Callable) -> Callable[[World, str], None]:
    def exercise_invite(world: World, actor: str) -> None:
        for role in ROLES_TO_TRY:
            email = factories.unique_email("zaproszenie")

            def attempt(role=role, email=email):
                return send(world, actor, {"email": email, "role": role, "confirm_admin": "y"})

            if role in CITY_GRANTS.get(actor, set()):
                attempt()
                with tenant_scope(world.tenants["leszno"].id):
                    granted = db.session.scalars(
                        select(Invitation.role).where(Invitation.email == email)
                    )
                    assert list(granted) == [role], f"{actor} could not invite as {role}"
            else:
                _refused(world, attempt)

    return exercise_invite


def _changes_roles_through(send: Callable) -> Callable[[World, str], None]:
    def exercise_change_role(world: World, actor: str) -> None:
        target = world.target.id
        for role in ROLES_TO_TRY:
            _reset(world.target, "staff" if role == "viewer" else "viewer")

            def attempt(role=role):
                return send(world, actor, {"target": target, "role": role, "confirm_admin": "y"})

            if role in CITY_GRANTS.get(actor, set()):
                attempt()
                assert factories.role_in(world.tenants["leszno"], target) == role
            else:
                _refused(world, attempt)
        # another city's administrator, from their own city, finds no such person
        other = {"target": target, "role": "admin", "confirm_admin": "y", "city": "kalisz"}
        _refused(world, lambda: send(world, actor, other))

    return exercise_change_role


def _reset(membership: Membership, role: str) -> None:
    with tenant_scope(membership.tenant_id):
        db.session.execute(
            Membership.__table__.update().where(Membership.id == membership.id).values(role=role)
        )
        db.session.commit()


def exercise_platform_invitation(world: World, actor: str) -> None:
    email = factories.unique_email("burmistrz")

    def attempt():
        return post_form(
            world.clients[actor], "/platform/leszno/invite-admin", {"email": email, "role": "admin"}
        )

    _refused(world, attempt)


def exercise_organisation_invitation(world: World, actor: str) -> None:
    """An organisation's own people: only its representatives invite, as editor or
    representative; a city role cannot be given through it."""
    organisation = factories.registration(world.tenants["leszno"]).organisation
    for role, email in (("representative", "przedstawiciel@ngo.pl"), ("editor", "redaktor@ngo.pl")):
        member = world.make_user(email)
        db.session.add(OrganisationMember(organisation=organisation, user=member, role=role))
    db.session.commit()
    client = world.client_of(ORGANISATION_ACTORS[actor])
    url = f"/organisations/{organisation.id}/people"
    for role in ROLES_TO_TRY:
        email = factories.unique_email("czlonek")

        def attempt(role=role, email=email):
            return post_form(client, url, {"email": email, "role": role})

        if actor == "representative" and role in {"editor", "representative"}:
            attempt()
            invited = select(OrganisationInvitation.role).where(
                OrganisationInvitation.email == email
            )
            assert db.session.scalar(invited) == role
        else:
            _refused(world, attempt)


def exercise_first_representative(world: World, actor: str) -> None:
    """A city's staff invite the first representative of an organisation in its register:
    as representative whatever the request names, and nobody else invites through it."""
    registration = factories.registration(world.tenants["leszno"])
    url = f"/leszno/organisations/{registration.id}/invite-representative"
    for role in ROLES_TO_TRY:
        email = factories.unique_email("pierwszy")

        def attempt(role=role, email=email):
            return post_form(world.clients[actor], url, {"email": email, "role": role})

        if actor in {"staff", "admin"}:
            attempt()
            invited = select(OrganisationInvitation.role).where(
                OrganisationInvitation.email == email
            )
            assert db.session.scalar(invited) == "representative"
            db.session.execute(OrganisationInvitation.__table__.delete())
            db.session.commit()
        else:
            _refused(world, attempt)


def exercise_claim_answer(world: World, actor: str) -> None:
    """A person's claim to act for an organisation: only its representatives answer it, as
    editor or representative."""
    from app.organisations import claims

    organisation = factories.registration(world.tenants["leszno"]).organisation
    for role, email in (("representative", "przedstawiciel@ngo.pl"), ("editor", "redaktor@ngo.pl")):
        member = world.make_user(email)
        db.session.add(OrganisationMember(organisation=organisation, user=member, role=role))
    db.session.commit()
    client = world.client_of(ORGANISATION_ACTORS[actor])
    for role in ROLES_TO_TRY:
        claimant = world.make_user(factories.unique_email("prosba"))
        with world.app.test_request_context():
            claim = claims.file_claim(claimant, organisation, "członek zarządu", None)
            db.session.commit()
        url = f"/organisations/claims/{claim.id}/answer"

        def attempt(role=role, url=url):
            return post_form(client, url, {"accept": "1", "role": role})

        if actor == "representative" and role in {"editor", "representative"}:
            attempt()
            granted = select(OrganisationMember.role).where(
                OrganisationMember.user_id == claimant.id
            )
            assert db.session.scalar(granted) == role
        else:
            _refused(world, attempt)


ORGANISATION_ACTORS = {
    "representative": "przedstawiciel@ngo.pl",
    "editor": "redaktor@ngo.pl",
    "admin of the city": "admin@leszno.pl",
    "ngo of another organisation": "ngo@leszno.pl",
}

INVITE = "/{city}/members/invite"
CHANGE_ROLE = "/{city}/members/{target}/role"
API_EXERCISERS: dict[str, Callable[[World, str], None]] = {
    "POST /api/v1/tenants/{tenant_slug}/members/invite": _invites_through(_api(INVITE)),
    "POST /api/v1/tenants/{tenant_slug}/members/{membership_id}/role": _changes_roles_through(
        _api(CHANGE_ROLE)
    ),
}
EXERCISERS: dict[str, Callable[[World, str], None]] = {
    "accounts.invite": _invites_through(_page(INVITE)),
    "accounts.change_role": _changes_roles_through(_page(CHANGE_ROLE)),
    "api_accounts.invite": API_EXERCISERS["POST /api/v1/tenants/{tenant_slug}/members/invite"],
    "api_accounts.change_role": API_EXERCISERS[
        "POST /api/v1/tenants/{tenant_slug}/members/{membership_id}/role"
    ],
    "platform.invite_admin": exercise_platform_invitation,
    "organisations.people": exercise_organisation_invitation,
    "organisations.answer_claim": exercise_claim_answer,
}
# No CLI command grants a role in a city today; a new one must be added here with an
# exerciser before this suite passes.
CLI_EXERCISERS: dict[str, Callable[[World, str], None]] = {}


# -- the tests ------------------------------------------------------------------------


def test_every_role_granting_route_has_an_exerciser(app):
    routes = role_granting_routes(app)
    assert set(routes) == set(EXERCISERS), (
        f"role-granting routes without an exerciser: {set(routes) - set(EXERCISERS)}; "
        f"exercisers of routes that no longer grant: {set(EXERCISERS) - set(routes)}"
    )


def test_every_role_granting_form_is_used_by_an_exercised_route(app):
    forms = {form.__name__ for form in role_granting_forms()}
    used = set().union(*role_granting_routes(app).values())
    assert forms <= used, f"forms granting a role that no exercised route uses: {forms - used}"
    assert {"InviteForm", "RoleForm", "MemberInviteForm"} <= forms  # the discovery works


def test_no_api_operation_or_cli_command_grants_a_role_unexercised(app, client):
    assert role_granting_api_operations(client) == set(API_EXERCISERS)
    assert role_granting_cli_commands(app) == set(CLI_EXERCISERS)


@pytest.mark.parametrize(
    "endpoint",
    [
        "accounts.invite",
        "accounts.change_role",
        "api_accounts.invite",
        "api_accounts.change_role",
        "platform.invite_admin",
    ],
)
@pytest.mark.parametrize("actor", CITY_ACTORS)
def test_city_roles_are_granted_only_by_who_may(world, endpoint, actor):
    EXERCISERS[endpoint](world, actor)


@pytest.mark.parametrize("endpoint", ["organisations.people", "organisations.answer_claim"])
@pytest.mark.parametrize("actor", list(ORGANISATION_ACTORS))
def test_organisation_roles_are_granted_only_by_its_representatives(world, endpoint, actor):
    EXERCISERS[endpoint](world, actor)


@pytest.mark.parametrize("actor", CITY_ACTORS)
def test_a_first_representative_is_invited_only_by_the_citys_staff(world, actor):
    """Not a door of the sweep (it grants no role one could choose) but one a city's staff
    could be tempted to misuse: whatever role is asked, it invites a representative."""
    exercise_first_representative(world, actor)


def test_the_operator_invites_a_city_administrator_and_nothing_else(world):
    email = factories.unique_email("burmistrz")
    post_form(
        world.clients["operator"],
        "/platform/leszno/invite-admin",
        {"email": email, "role": "viewer"},
    )
    with tenant_scope(world.tenants["leszno"].id):
        assert list(
            db.session.scalars(select(Invitation.role).where(Invitation.email == email))
        ) == ["admin"]
    _refused(
        world,
        lambda: post_form(
            world.clients["operator"],
            f"/leszno/members/{world.target.id}/role",
            {"role": "admin", "confirm_admin": "y"},
        ),
    )
