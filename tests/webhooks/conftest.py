from __future__ import annotations

import pytest

from app import unit_of_work
from app.extensions import db
from app.tenancy.context import tenant_scope
from app.webhooks import services
from app.webhooks.catalogue import SUBSCRIBABLE
from app.webhooks.models import Subscription
from tests.webhooks.receiver import Receiver, serve


@pytest.fixture
def receiver():
    found, server = serve()
    yield found
    server.shutdown()
    server.server_close()


@pytest.fixture
def subscribe(tenants):
    """subscribe("leszno", receiver.url, events=[...]) -> the subscription (detached)."""

    def make(slug: str, url: str, events=SUBSCRIBABLE) -> Subscription:
        with tenant_scope(tenants[slug].id):
            subscription = services.subscribe(
                url, [str(kind) for kind in events], "BIP Urzędu Miasta", None
            )
            unit_of_work.commit()
            db.session.refresh(subscription)
            db.session.expunge(subscription)
            return subscription

    return make


@pytest.fixture
def leszno_bip(receiver: Receiver, subscribe) -> Subscription:
    return subscribe("leszno", receiver.url)
