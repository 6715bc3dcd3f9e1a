"""Who may read and change a city's legal texts: everyone reads them (the law wants them
public); its administrators edit them. Pages and templates ask `can(action, LegalText)`."""

from __future__ import annotations

from collections.abc import Callable

from app.accounts.models import Role
from app.accounts.permissions import has_role, register_policy
from app.legal.models import LegalText

LEGAL_TEXT_RULES: dict[str, Callable[[LegalText | None], bool]] = {
    "view": lambda text: True,
    "edit": lambda text: has_role(Role.ADMIN),
}

register_policy(lambda action, text: LEGAL_TEXT_RULES[action](text), LegalText)
