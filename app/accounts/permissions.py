"""The one permission helper: every view and API endpoint asks here.

Objects of another tenant are invisible (404, by scoping); a missing role is 403.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from functools import wraps
from typing import Any, TypeVar

from flask import abort, current_app, g, request
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm.interfaces import ORMOption

from app.accounts.models import Role
from app.collation import polish_key
from app.extensions import db, login_manager
from app.tenancy.models import Tenant

OPERATOR = "operator"
COORDINATOR = "coordinator"

# The city's office: it sees and runs everything of its own tenant.
STAFF = (Role.ADMIN, Role.STAFF)

Model = TypeVar("Model")


# Features that grant a role in a tenant other than by membership register here: the NGO
# base gives "ngo" where one of the user's organisations is active. Each source maps the
# signed-in person to {tenant_id: role}.
RoleSource = Callable[[Any], dict[int, str]]
_role_sources: list[RoleSource] = []


def register_role_source(source: RoleSource) -> None:
    """Idempotent: every app created in the process registers its features' sources."""
    if source not in _role_sources:
        _role_sources.append(source)


@contextmanager
def as_anonymous() -> Iterator[None]:
    """Ask the policies as an anonymous visitor, whoever is logged in: a feed or a widget
    shows what the city's public pages show anyone, and a shared cache may keep it."""
    g.as_anonymous = True
    try:
        yield
    finally:
        g.as_anonymous = False


def _is_anonymous() -> bool:
    return not current_user.is_authenticated or g.get("as_anonymous", False)


def tenant_roles() -> dict[int, str]:
    """The current user's role in every tenant; computed once a request."""
    if _is_anonymous():
        return {}
    if "tenant_roles" not in g:
        roles: dict[int, str] = {}
        for source in _role_sources:
            roles.update(source(current_user))
        roles.update({m.tenant_id: m.role for m in current_user.memberships})
        g.tenant_roles = roles
    return g.tenant_roles


def cities_of_current_user() -> list[tuple[Tenant, str]]:
    """(tenant, role) for every city the current user works in, by name; worked out once a
    request, as their roles are (the header's switcher and the page both ask)."""
    roles = tenant_roles()
    if not roles:
        return []
    if "cities_of_user" not in g:
        g.cities_of_user = _cities_of(roles)
    return g.cities_of_user


def _cities_of(roles: dict[int, str]) -> list[tuple[Tenant, str]]:
    # resolution reads the page cache, whose edge.py reads this module
    from app.tenancy.resolution import cities_by_id

    # the cities of their memberships came with the person (Membership.tenant is joined)
    tenants = {m.tenant_id: m.tenant for m in current_user.memberships}
    tenants.update(cities_by_id(tenant_id for tenant_id in roles if tenant_id not in tenants))
    by_name = sorted(tenants.values(), key=lambda tenant: polish_key(tenant.name()))
    return [(tenant, roles[tenant.id]) for tenant in by_name]


def current_tenant_role() -> str | None:
    tenant = g.get("tenant")
    if tenant is None or _is_anonymous():
        return None
    # A membership outranks every other source (tenant_roles), so in a city the person holds
    # one in no source is asked: an API request of the city's staff runs no query for it.
    membership = current_user.membership_in(tenant.id)
    return membership.role if membership is not None else tenant_roles().get(tenant.id)


def is_staff() -> bool:
    return current_tenant_role() in STAFF


def has_role(*roles: str) -> bool:
    if _is_anonymous():
        return False
    for role in roles:
        if role == OPERATOR and current_user.is_operator:
            return True
        if role == COORDINATOR and "region" in g and current_user.coordinates(g.region.id):
            return True
        if role == current_tenant_role():
            return True
    return False


def require(*roles: str) -> Callable:
    """Decorate a view: log in first (401 for the API), then one of `roles` (403).

    With no roles, any logged-in user may pass.
    """

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if roles and not has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        guarded.required_roles = roles  # type: ignore[attr-defined]
        return guarded

    return decorate


def declared_roles(endpoint: str, method: str) -> tuple[str, ...] | None:
    """The roles `require` declares on the view of `endpoint` for `method` (a MethodView's
    method has its own); None where the view requires no login."""
    view = current_app.view_functions.get(endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        view = getattr(view_class, method.lower(), None)
    return getattr(view, "required_roles", None)


def require_declared_roles() -> Any:
    """Who sends a request, asked before anything reads what it holds: the API's views
    parse and validate their body in decorators outside `require`, which would answer a
    stranger's empty body 422 before it answered 401 or 403."""
    if request.endpoint is None:
        return None
    roles = declared_roles(request.endpoint, request.method)
    if roles is None:
        return None
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    if roles and not has_role(*roles):
        abort(403)
    return None


def get_or_404(
    model: type[Model], object_id: Any, options: Sequence[ORMOption] = (), **filters: Any
) -> Model:
    """Load by id through the scoped ORM (another tenant's id finds nothing) or 404; with
    `options`, the loader options of a page that needs less, or more, of it."""
    statement = select(model).where(model.id == object_id).options(*options)  # type: ignore[attr-defined]
    for name, value in filters.items():
        statement = statement.where(getattr(model, name) == value)
    found = db.session.scalar(statement)
    if found is None:
        abort(404)
    return found


# Each feature declares who may do what with its records in its access.py and registers
# that policy here for its models, so pages, the API and templates ask one `can`.
Policy = Callable[[str, Any], bool]
_policies: dict[type, Policy] = {}


def register_policy(policy: Policy, *models: type) -> None:
    for model in models:
        _policies[model] = policy


def can(action: str, subject: Any) -> bool:
    """May the current user do `action` with `subject` (a record, or its class for actions
    such as "create" that have no record yet)?"""
    model = subject if isinstance(subject, type) else type(subject)
    return _policies[model](action, None if isinstance(subject, type) else subject)


def authorised(
    model: type[Model], object_id: Any, action: str = "view", options: Sequence[ORMOption] = ()
) -> Model:
    """Load, 404 when absent or not for the current user's eyes, 403 when visible but
    `action` is not theirs: the one shape of every door's lookup."""
    found = get_or_404(model, object_id, options)
    if not can("view", found):
        abort(404)
    if action != "view" and not can(action, found):
        abort(403)
    return found
