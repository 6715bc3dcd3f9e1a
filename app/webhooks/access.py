"""Who may see and manage a city's webhooks: its administrators alone (a subscription
carries a secret and reaches into the city's own systems). Pages, the API and templates
ask `can(action, Subscription)`; lookups go through `subscription_for`."""

from __future__ import annotations

from collections.abc import Callable

from app.accounts.models import Role
from app.accounts.permissions import authorised, has_role, register_policy
from app.webhooks.models import Delivery, Subscription

RULES: dict[str, Callable[[Subscription | Delivery | None], bool]] = {
    "view": lambda record: has_role(Role.ADMIN),
    "manage": lambda record: has_role(Role.ADMIN),
}

register_policy(lambda action, record: RULES[action](record), Subscription, Delivery)


def subscription_for(subscription_id: int, action: str = "view") -> Subscription:
    """The current city's subscription (404 for another city's id), if one may `action`."""
    return authorised(Subscription, subscription_id, action)


def delivery_for(delivery_id: int, action: str = "view") -> Delivery:
    return authorised(Delivery, delivery_id, action)
