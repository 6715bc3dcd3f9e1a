"""The city administrator's webhooks, as a page and through the API: add, see the secret
once, rotate it, send a test event, deactivate, send a failed delivery again. Nobody else
of the city, and nobody of another city, reaches them; an address into a private network
is refused in words the administrator reads."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select, text
from standardwebhooks.webhooks import WebhookVerificationError

from app import unit_of_work
from app.audit.models import AuditEntry
from app.extensions import db
from app.tenancy.context import tenant_scope
from app.webhooks.models import Delivery, Subscription
from tests import factories
from tests.conftest import PASSWORD, log_in, post_form

SECRET = re.compile(r'<code class="secret">(whsec_[^<]+)</code>')
EVENTS = ["proposal.submitted", "minutes.published"]


@pytest.fixture
def people(make_user):
    make_user("a.szymanska@leszno.pl", name="Anna Szymańska", leszno="admin")
    make_user("m.nowak@leszno.pl", name="Marek Nowak", leszno="staff")
    make_user("h.hendrysiak@echo.org.pl", name="Hanna Hendrysiak", leszno="ngo")
    make_user("admin@krakow.pl", name="Katarzyna Wiśniewska", krakow="admin")


@pytest.fixture
def admin(app, people):
    client = app.test_client()
    log_in(client, "a.szymanska@leszno.pl")
    return client


def _as(app, email: str):
    client = app.test_client()
    log_in(client, email)
    return client


def _bearer(client, email: str) -> dict:
    token = client.post("/api/v1/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {token.json['token']}"}


def _add(admin, url: str, events=EVENTS):
    return post_form(
        admin, "/leszno/webhooks", {"url": url, "description": "BIP Leszna", "events": events}
    )


def _subscriptions(tenant) -> list[Subscription]:
    with tenant_scope(tenant.id):
        found = list(db.session.scalars(select(Subscription).order_by(Subscription.id)))
        for subscription in found:
            db.session.expunge(subscription)
        return found


def test_the_admin_adds_a_subscription_and_reads_its_secret_once(admin, tenants, receiver):
    created = _add(admin, receiver.url)
    assert created.status_code == 201
    [secret] = SECRET.findall(created.get_data(as_text=True))
    [subscription] = _subscriptions(tenants["leszno"])
    assert subscription.secret == secret and subscription.events == EVENTS
    page = admin.get("/leszno/webhooks").get_data(as_text=True)
    assert receiver.url in page and secret not in page
    assert secret not in admin.get(f"/leszno/webhooks/{subscription.id}").get_data(as_text=True)
    with tenant_scope(tenants["leszno"].id):
        [entry] = db.session.scalars(
            select(AuditEntry).where(AuditEntry.entity == "Subscription")
        ).all()
    assert entry.action == "create" and entry.changes["url"] == receiver.url
    assert "secret" not in entry.changes


def test_the_admin_tests_rotates_deactivates_and_resends(admin, tenants, receiver):
    _add(admin, receiver.url)
    [subscription] = _subscriptions(tenants["leszno"])
    url = f"/leszno/webhooks/{subscription.id}"
    version = {"version": str(subscription.lock_version)}

    assert post_form(admin, f"{url}/test", version).status_code == 302
    [test_event] = receiver.payloads(subscription.secret)
    assert test_event["type"] == "webhook.test"
    assert "webhook.test" in admin.get(url).get_data(as_text=True)

    rotated = post_form(admin, f"{url}/secret", version)
    [secret] = SECRET.findall(rotated.get_data(as_text=True))
    assert secret != subscription.secret
    post_form(admin, f"{url}/test", {"version": str(subscription.lock_version + 1)})
    with pytest.raises(WebhookVerificationError):
        receiver.received[-1].verified(subscription.secret)
    assert receiver.received[-1].verified(secret)["type"] == "webhook.test"

    stale = post_form(admin, f"{url}/deactivate", version, follow_redirects=True)
    assert "Ktoś" in stale.get_data(as_text=True)  # changed meanwhile: look again
    assert _subscriptions(tenants["leszno"])[0].active
    post_form(admin, f"{url}/deactivate", {"version": str(subscription.lock_version + 1)})
    assert not _subscriptions(tenants["leszno"])[0].active
    factories.meeting(tenants["leszno"])
    assert len(receiver.received) == 2, "a deactivated subscription hears nothing"


def test_a_failed_delivery_is_sent_again_on_request(admin, tenants, receiver):
    _add(admin, receiver.url)
    [subscription] = _subscriptions(tenants["leszno"])
    receiver.answers = [500]
    factories.meeting(tenants["leszno"])
    delivery_id = _a_failed_delivery(tenants["leszno"])
    page = admin.get(f"/leszno/webhooks/{subscription.id}").get_data(as_text=True)
    assert "HTTP 500" in page and f"/leszno/webhooks/deliveries/{delivery_id}/resend" in page

    post_form(admin, f"/leszno/webhooks/deliveries/{delivery_id}/resend")
    with tenant_scope(tenants["leszno"].id):
        delivery = db.session.get_one(Delivery, delivery_id)
        assert delivery.state == "delivered" and len(delivery.attempt_log) == 2
    assert len(receiver.received) == 2


def test_an_address_into_a_private_network_is_refused_in_words(app, admin, tenants, monkeypatch):
    monkeypatch.setitem(app.config, "WEBHOOKS_ALLOW_PRIVATE_TARGETS", False)
    for url in ("http://127.0.0.1:8080/hook", "http://169.254.169.254/latest", "http://10.0.0.7/"):
        refused = _add(admin, url)
        assert refused.status_code == 422
        assert "tylko na adresy w publicznym internecie" in refused.get_data(as_text=True)
    not_web = _add(admin, "ftp://bip.leszno.pl/zdarzenia")
    assert not_web.status_code == 422
    api = admin.post(
        "/api/v1/tenants/leszno/webhooks",
        json={"url": "http://localhost:5000/", "events": EVENTS},
        headers=_bearer(admin, "a.szymanska@leszno.pl") | {"Accept-Language": "pl"},
    )
    assert api.status_code == 422 and api.content_type == "application/problem+json"
    assert _subscriptions(tenants["leszno"]) == []


def test_nobody_but_the_citys_admin_reaches_its_webhooks(app, client, admin, tenants, receiver):
    _add(admin, receiver.url)
    [subscription] = _subscriptions(tenants["leszno"])
    pages = ["/leszno/webhooks", f"/leszno/webhooks/{subscription.id}"]
    assert all(client.get(page).status_code == 302 for page in pages)  # log in first
    for email in ("m.nowak@leszno.pl", "h.hendrysiak@echo.org.pl"):
        someone = _as(app, email)
        assert [someone.get(page).status_code for page in pages] == [403, 403]
        assert post_form(someone, f"/leszno/webhooks/{subscription.id}/test").status_code == 403
        api = someone.get("/api/v1/tenants/leszno/webhooks", headers=_bearer(someone, email))
        assert api.status_code == 403
    assert client.get("/api/v1/tenants/leszno/webhooks").status_code == 401


def _a_failed_delivery(tenant) -> int:
    with tenant_scope(tenant.id):
        [delivery] = db.session.scalars(select(Delivery)).all()
        delivery.gave_up_at, delivery.next_attempt_at = delivery.last_attempt_at, None
        unit_of_work.commit()
        return delivery.id


def test_another_citys_subscription_answers_404(app, admin, tenants, receiver):
    _add(admin, receiver.url)
    [subscription] = _subscriptions(tenants["leszno"])
    receiver.answers = [500]
    post_form(admin, f"/leszno/webhooks/{subscription.id}/test", {"version": "1"})
    delivery_id = _a_failed_delivery(tenants["leszno"])
    krakow = _as(app, "admin@krakow.pl")
    base = f"/krakow/webhooks/{subscription.id}"
    assert krakow.get(base).status_code == 404
    for action in ("test", "secret", "deactivate", "activate"):
        answer = post_form(krakow, f"{base}/{action}", {"version": "1"})
        assert answer.status_code == 404, action
    resend = post_form(krakow, f"/krakow/webhooks/deliveries/{delivery_id}/resend")
    assert resend.status_code == 404
    staff = _as(app, "m.nowak@leszno.pl")
    resend = post_form(staff, f"/leszno/webhooks/deliveries/{delivery_id}/resend")
    assert resend.status_code == 403
    assert len(receiver.received) == 1, "nothing sent again"
    headers = _bearer(krakow, "admin@krakow.pl")
    api = f"/api/v1/tenants/krakow/webhooks/{subscription.id}"
    assert krakow.get(api, headers=headers).status_code == 404
    assert (
        krakow.patch(api, json={"version": 1, "active": False}, headers=headers).status_code == 404
    )
    assert krakow.delete(api, headers=headers).status_code == 404
    assert _subscriptions(tenants["leszno"])[0].active


def test_the_api_creates_reads_changes_and_deactivates(admin, tenants, receiver):
    headers = _bearer(admin, "a.szymanska@leszno.pl")
    created = admin.post(
        "/api/v1/tenants/leszno/webhooks",
        json={"url": receiver.url, "events": ["minutes.published"], "description": "BIP"},
        headers=headers,
    )
    assert created.status_code == 201 and created.json["secret"].startswith("whsec_")
    url = f"/api/v1/tenants/leszno/webhooks/{created.json['id']}"
    listed = admin.get("/api/v1/tenants/leszno/webhooks", headers=headers).json
    assert [s["url"] for s in listed] == [receiver.url] and "secret" not in listed[0]

    factories.meeting(tenants["leszno"])
    one = admin.get(url, headers=headers).json
    assert [d["state"] for d in one["deliveries"]] == ["delivered"]
    assert one["deliveries"][0]["last_status"] == 200 and "secret" not in one

    changed = admin.patch(
        url,
        json={"version": one["version"], "events": EVENTS, "rotate_secret": True},
        headers=headers,
    )
    assert changed.status_code == 200 and changed.json["events"] == EVENTS
    assert changed.json["secret"] != created.json["secret"]
    stale = admin.patch(url, json={"version": one["version"], "active": False}, headers=headers)
    assert stale.status_code == 409
    no_version = admin.patch(url, json={"active": False}, headers=headers)
    assert no_version.status_code == 428
    read = admin.get(url, headers=headers)
    by_etag = {"If-Match": read.headers["ETag"]}
    assert admin.patch(url, json={"active": False}, headers=headers | by_etag).status_code == 200
    assert admin.patch(url, json={"active": True}, headers=headers | by_etag).status_code == 412

    assert admin.delete(url, headers=headers).status_code == 204
    assert admin.get(url, headers=headers).json["active"] is False
    assert _subscriptions(tenants["leszno"])[0].deactivated_at is not None


def test_one_city_cannot_read_anothers_subscriptions_with_raw_sql(tenants, subscribe, receiver):
    subscribe("leszno", receiver.url)
    subscribe("krakow", receiver.url)
    factories.meeting(tenants["leszno"])
    with tenant_scope(tenants["krakow"].id):
        secrets = db.session.scalars(text("SELECT secret FROM webhook_subscriptions")).all()
        deliveries = db.session.scalars(text("SELECT id FROM webhook_deliveries")).all()
        tenant_ids = db.session.scalars(
            text("SELECT DISTINCT tenant_id FROM webhook_subscriptions")
        ).all()
    assert len(secrets) == 1 and tenant_ids == [tenants["krakow"].id]
    assert deliveries == [], "Leszno's delivery is not Kraków's to read"
