"""Sign-up pages: the form, "check your inbox", sending the link again, and the link."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from app.accounts import services, signup
from app.accounts.forms import ConfirmEmailForm, SendAgainForm, SignUpForm
from app.accounts.views import blueprint
from app.extensions import limiter
from app.i18n import safe_next
from app.mail import public_mail_form
from app.tenancy.resolution import tenant_of_path


def _sign_up_rate_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


def _after_sign_up() -> str:
    return url_for("organisations.start")


@blueprint.route("/signup", methods=["GET", "POST"])
@limiter.limit(_sign_up_rate_limit, methods=["POST"])
@public_mail_form
def sign_up():
    next_path = safe_next(request.args.get("next"), "") or None
    if current_user.is_authenticated:
        return redirect(next_path or _after_sign_up())
    form = SignUpForm()
    if form.validate_on_submit():
        signup.sign_up(
            form.name.data, form.email.data, form.password.data, str(get_locale()), next_path
        )
        signup.remember_sign_up(form.email.data.strip().lower(), next_path)
        return redirect(url_for("accounts.sign_up_sent"))
    return render_template(
        "accounts/sign_up.html",
        form=form,
        next_path=next_path,
        # the city the person came from is the one that will process their data
        clause_tenant=tenant_of_path(next_path),
    ), (422 if form.errors else 200)


@blueprint.get("/signup/sent")
def sign_up_sent():
    remembered = signup.remembered_sign_up()
    if remembered is None:
        return redirect(url_for("accounts.sign_up"))
    return render_template(
        "accounts/sign_up_sent.html", email=remembered["email"], form=SendAgainForm()
    )


@blueprint.post("/signup/again")
@public_mail_form
def send_again():
    remembered = signup.remembered_sign_up()
    if remembered is None or not SendAgainForm().validate_on_submit():
        return redirect(url_for("accounts.sign_up"))
    signup.send_again(remembered["email"], remembered.get("next"))
    flash(_("We have sent the message again. Check the spam folder too."), "info")
    return redirect(url_for("accounts.sign_up_sent"))


@blueprint.route("/signup/confirm/<token>", methods=["GET", "POST"])
def confirm_email(token: str):
    """The link of the mail opens a page and its button confirms: a mail scanner that opens
    every link confirms nothing."""
    confirmation = signup.read_confirmation(token)
    if confirmation.user is None:
        return render_template(
            "accounts/confirm_email.html", problem=confirmation.problem, form=None
        ), 404 if confirmation.problem == "invalid" else 410
    form = ConfirmEmailForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        signup.confirm(confirmation.user)
        services.start_session(confirmation.user)
        flash(_("Your address is confirmed. Welcome to Razem."), "success")
        return redirect(safe_next(confirmation.next_path, _after_sign_up()))
    return render_template("accounts/confirm_email.html", problem=None, form=form)
