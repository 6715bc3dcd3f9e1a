"""The city administrator's webhooks: subscriptions, their deliveries, and their secret
shown once (at creation and at each rotation)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import require
from app.unit_of_work import EditConflict, check_version
from app.webhooks import services
from app.webhooks.access import delivery_for, subscription_for
from app.webhooks.forms import SubscriptionForm, VersionedActionForm
from app.webhooks.models import Subscription
from app.webhooks.targets import TargetRefused

blueprint = Blueprint("webhooks", __name__, template_folder="templates")


@blueprint.get("/<tenant_slug>/webhooks")
@require(Role.ADMIN)
def index():
    return _index(SubscriptionForm())


def _index(form: SubscriptionForm, status: int = 200):
    subscriptions = services.listing()
    return render_template(
        "webhooks/index.html",
        subscriptions=subscriptions,
        deliveries=services.recent_deliveries(subscriptions),
        form=form,
        action_form=VersionedActionForm(),
    ), status


@blueprint.post("/<tenant_slug>/webhooks")
@require(Role.ADMIN)
def create():
    form = SubscriptionForm()
    if not form.validate_on_submit():
        return _index(form, 422)
    try:
        subscription = services.subscribe(
            form.url.data, form.events.data, form.description.data or "", current_user.id
        )
    except TargetRefused as refusal:
        form.url.errors = [str(refusal)]
        return _index(form, 422)
    return _secret_page(subscription, created=True)


def _secret_page(subscription: Subscription, created: bool):
    return render_template("webhooks/secret.html", subscription=subscription, created=created), (
        201 if created else 200
    )


@blueprint.get("/<tenant_slug>/webhooks/<int:subscription_id>")
@require(Role.ADMIN)
def show(subscription_id: int):
    subscription = subscription_for(subscription_id)
    return render_template(
        "webhooks/show.html",
        subscription=subscription,
        deliveries=services.recent_deliveries([subscription])[subscription.id],
        action_form=VersionedActionForm(),
    )


def _acting_on(subscription_id: int) -> Subscription | None:
    """The subscription, if the form was sent from its current version (else a message)."""
    subscription = subscription_for(subscription_id, "manage")
    form = VersionedActionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        check_version(subscription, form.version.data)
    except EditConflict:
        flash(_("Someone changed this subscription meanwhile: look at it again."), "error")
        return None
    return subscription


@blueprint.post("/<tenant_slug>/webhooks/<int:subscription_id>/secret")
@require(Role.ADMIN)
def rotate_secret(subscription_id: int):
    subscription = _acting_on(subscription_id)
    if subscription is None:
        return redirect(url_for("webhooks.show", subscription_id=subscription_id))
    services.rotate_secret(subscription)
    return _secret_page(subscription, created=False)


@blueprint.post("/<tenant_slug>/webhooks/<int:subscription_id>/deactivate")
@require(Role.ADMIN)
def deactivate(subscription_id: int):
    subscription = _acting_on(subscription_id)
    if subscription is not None:
        services.deactivate(subscription)
        flash(_("The subscription is deactivated: it receives no more events."), "success")
    return redirect(url_for("webhooks.show", subscription_id=subscription_id))


@blueprint.post("/<tenant_slug>/webhooks/<int:subscription_id>/activate")
@require(Role.ADMIN)
def activate(subscription_id: int):
    subscription = _acting_on(subscription_id)
    if subscription is not None:
        services.change(subscription, subscription.lock_version, {"active": True})
        flash(_("The subscription is active again."), "success")
    return redirect(url_for("webhooks.show", subscription_id=subscription_id))


@blueprint.post("/<tenant_slug>/webhooks/<int:subscription_id>/test")
@require(Role.ADMIN)
def send_test(subscription_id: int):
    subscription = subscription_for(subscription_id, "manage")
    if not VersionedActionForm().validate_on_submit():
        abort(400)
    if not subscription.active:
        flash(_("Activate the subscription to send it a test event."), "error")
    else:
        services.send_test(subscription)
        flash(_("A test event is on its way; its delivery is listed below."), "success")
    return redirect(url_for("webhooks.show", subscription_id=subscription_id))


@blueprint.post("/<tenant_slug>/webhooks/deliveries/<int:delivery_id>/resend")
@require(Role.ADMIN)
def resend(delivery_id: int):
    delivery = delivery_for(delivery_id, "manage")
    if not VersionedActionForm().validate_on_submit():
        abort(400)
    if delivery.state == "failed":
        services.resend(delivery)
        flash(_("The event is sent again; its delivery is listed below."), "success")
    return redirect(url_for("webhooks.show", subscription_id=delivery.subscription_id))
