"""/api/v1/tenants/<slug>/webhooks: a city's subscriptions, for its administrators."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import abort
from marshmallow import Schema, fields, validate

from app.accounts.models import Role
from app.accounts.permissions import require
from app.api import BEARER
from app.api.blueprint import ApiBlueprint
from app.api.versions import shows_version, version_read
from app.unit_of_work import EditConflict
from app.webhooks import services
from app.webhooks.access import subscription_for
from app.webhooks.catalogue import SUBSCRIBABLE
from app.webhooks.models import Delivery, Subscription
from app.webhooks.targets import TargetRefused

blueprint = ApiBlueprint(
    "api_webhooks",
    __name__,
    tag="Webhooki · Webhooks",
    url_prefix="/api/v1/tenants/<tenant_slug>",
    description="The city's subscriptions of its own systems to Razem's events (administrators)",
)

EVENTS_DESCRIPTION = "Any of: " + ", ".join(f"`{kind}`" for kind in SUBSCRIBABLE)


def _events(**options) -> fields.List:
    return fields.List(
        fields.String(validate=validate.OneOf([str(kind) for kind in SUBSCRIBABLE])),
        validate=validate.Length(min=1),
        metadata={"description": EVENTS_DESCRIPTION, "example": ["minutes.published"]},
        **options,
    )


class DeliverySchema(Schema):
    id = fields.Integer()
    event_id = fields.String(metadata={"description": "Sent as `webhook-id`: the same on retries"})
    event_kind = fields.String(metadata={"example": "minutes.published"})
    state = fields.String(metadata={"description": "`pending`, `delivered` or `failed`"})
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime(allow_none=True)
    last_attempt_at = fields.DateTime(allow_none=True)
    last_status = fields.Integer(
        allow_none=True, metadata={"description": "HTTP status; null: no answer"}
    )
    last_response = fields.String(metadata={"description": "The answer's first characters"})
    delivered_at = fields.DateTime(allow_none=True)
    gave_up_at = fields.DateTime(allow_none=True)


class SubscriptionSchema(Schema):
    id = fields.Integer(dump_only=True)
    version = fields.Integer(
        metadata={"description": "Send back the version you read; a newer one answers 409."}
    )
    url = fields.Url(
        required=True,
        schemes={"http", "https"},
        validate=validate.Length(max=2000),
        metadata={"example": "https://bip.leszno.pl/razem/zdarzenia"},
    )
    events = _events(required=True)
    description = fields.String(load_default="", validate=validate.Length(max=300))
    active = fields.Boolean(dump_only=True)
    created_at = fields.DateTime(dump_only=True)
    deactivated_at = fields.DateTime(dump_only=True, allow_none=True)
    secret = fields.String(
        dump_only=True,
        metadata={
            "description": "Only in the answer that creates the subscription or rotates its "
            "secret: keep it to verify `webhook-signature` (Standard Webhooks)."
        },
    )


class SubscriptionChangeSchema(Schema):
    version = fields.Integer(
        metadata={"description": "The version you read, or its ETag in If-Match instead"}
    )
    url = fields.Url(schemes={"http", "https"}, validate=validate.Length(max=2000))
    events = _events()
    description = fields.String(validate=validate.Length(max=300))
    active = fields.Boolean()
    rotate_secret = fields.Boolean(
        metadata={"description": "true: a new secret, in this answer only"}
    )


class SubscriptionRecordSchema(SubscriptionSchema):
    deliveries = fields.List(
        fields.Nested(DeliverySchema),
        dump_only=True,
        metadata={"description": "The last deliveries, the newest first"},
    )


def _record(subscription: Subscription, secret: bool = False, **more) -> dict:
    values = {
        name: getattr(subscription, name)
        for name in ("id", "url", "events", "description", "active", "created_at")
    }
    values.update(
        version=subscription.lock_version, deactivated_at=subscription.deactivated_at, **more
    )
    if secret:
        values["secret"] = subscription.secret
    return values


def _deliveries(deliveries: list[Delivery]) -> list[dict]:
    return [{**{n: getattr(d, n) for n in DeliverySchema().fields}} for d in deliveries]


@blueprint.route("/webhooks")
class Subscriptions(MethodView):
    @blueprint.doc(security=BEARER)
    @blueprint.response(200, SubscriptionSchema(many=True))
    @blueprint.listing()
    @require(Role.ADMIN)
    def get(self):
        """The city's webhook subscriptions (administrators).

        The active first, the newest first; never their secrets."""
        return [_record(s) for s in services.listing()]

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(SubscriptionSchema)
    @blueprint.response(201, SubscriptionSchema)
    @require(Role.ADMIN)
    def post(self, data):
        """Subscribe an address to events (administrators).

        The answer holds the secret that signs every delivery, shown this once. An address
        that is not http(s) or that leads to a private network answers 422."""
        data.pop("version", None)
        try:
            subscription = services.subscribe(
                data["url"], data["events"], data["description"], current_user.id
            )
        except TargetRefused as refusal:
            abort(422, message=str(refusal))
        return _record(subscription, secret=True)


@blueprint.route("/webhooks/<int:subscription_id>")
class SubscriptionRecord(MethodView):
    @blueprint.doc(security=BEARER)
    @blueprint.response(200, SubscriptionRecordSchema)
    @require(Role.ADMIN)
    def get(self, subscription_id: int):
        """A subscription with its last deliveries (administrators).

        Each delivery with its state, attempts and the receiver's last answer."""
        subscription = subscription_for(subscription_id)
        recent = services.recent_deliveries([subscription])[subscription.id]
        shows_version(subscription)
        return _record(subscription, deliveries=_deliveries(recent))

    @blueprint.doc(security=BEARER)
    @blueprint.arguments(SubscriptionChangeSchema)
    @blueprint.response(200, SubscriptionSchema)
    @blueprint.versioned()
    @require(Role.ADMIN)
    def patch(self, data, subscription_id: int):
        """Change a subscription (administrators).

        Its address, events, description, whether it is active, or (`rotate_secret`) its
        secret, then in this answer only. State the version you read: `version` in the body
        (a newer one answers 409) or the ETag in `If-Match` (412)."""
        subscription = subscription_for(subscription_id, "manage")
        try:
            services.change(subscription, version_read(subscription, data), data)
        except EditConflict as error:
            abort(409, message=str(error))
        except TargetRefused as refusal:
            abort(422, message=str(refusal))
        shows_version(subscription)
        return _record(subscription, secret=bool(data.get("rotate_secret")))

    @blueprint.doc(security=BEARER)
    @blueprint.response(204)
    @require(Role.ADMIN)
    def delete(self, subscription_id: int):
        """Deactivate a subscription (administrators).

        It receives no more events; it and its deliveries stay on record, and a PATCH with
        `active: true` turns it on again."""
        services.deactivate(subscription_for(subscription_id, "manage"))
