"""Who may grant which role in a city: the one rule every door (page, API, CLI) asks.

A city hall's administrator (the NGO liaison office) manages its people and may grant any
staff role; staff and viewers grant nothing, and neither does an NGO representative, whose
access is never granted by a person: it follows from the organisation's active registration
in the city. The platform operator grants only to set up a city (its first administrator).
"""

from __future__ import annotations

from app.accounts.models import MEMBERSHIP_ROLES, Role, User


def grantable_roles(actor: User | None, tenant_id: int) -> tuple[Role, ...]:
    if actor is None:
        return ()
    membership = actor.membership_in(tenant_id)
    if membership is not None and membership.role == Role.ADMIN:
        return MEMBERSHIP_ROLES
    if actor.is_operator:
        return (Role.ADMIN,)
    return ()
