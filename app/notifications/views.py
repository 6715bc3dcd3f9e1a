"""A person's notifications, their choices, and the link of every e-mail that stops its kind."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts.permissions import require
from app.fields import PageForm
from app.notifications import services
from app.notifications.catalogue import KIND_LABELS, Delivery, Kind
from app.notifications.forms import preferences_form
from app.tenancy.context import acting_as

blueprint = Blueprint("notifications", __name__, template_folder="templates")


@blueprint.get("/notifications")
@require()
def index():
    return render_template(
        "notifications/index.html",
        notifications=services.latest_of(current_user),
        form=PageForm(),
    )


@blueprint.post("/notifications/read")
@require()
def mark_read():
    if not PageForm().validate_on_submit():
        abort(400)
    services.mark_all_read(current_user)
    return redirect(url_for("notifications.index"))


@blueprint.route("/account/notifications", methods=["GET", "POST"])
@require()
def preferences():
    form = preferences_form(services.preferences_of(current_user))
    if form.validate_on_submit():
        for kind in Kind:
            services.choose(current_user, kind, Delivery(form[kind.value].data))
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.preferences"))
    return render_template("notifications/preferences.html", form=form)


@blueprint.route("/notifications/stop/<token>", methods=["GET", "POST"])
def stop(token: str):
    """From an e-mail, without logging in. A page with a button, so that a mail scanner
    opening every link stops nothing."""
    asked = services.stop_request(token)
    if asked is None:
        abort(404)
    person, kind = asked
    form = PageForm()
    if form.validate_on_submit():
        # The signed link is the person's word: their choice is written as theirs.
        with acting_as(person.id):
            services.choose(person, kind, Delivery.OFF)
        flash(_("Done: no more e-mails about this. You will still see it in Razem."), "success")
        return render_template("notifications/stopped.html", kind=KIND_LABELS[kind])
    return render_template("notifications/stop.html", kind=KIND_LABELS[kind], form=form)
