"""Log in and out, passwords, the account page, my cities, and a city's people and roles."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from sqlalchemy import select

from app.accounts import erasure, services
from app.accounts.forms import (
    AcceptInvitationForm,
    ChangePasswordForm,
    DeleteAccountForm,
    ForgotPasswordForm,
    InviteForm,
    LoginForm,
    ProfileForm,
    ResetPasswordForm,
    RoleForm,
    TokenForm,
    grantable_role_choices,
)
from app.accounts.models import ApiToken, Invitation, Membership, Role
from app.accounts.permissions import cities_of_current_user, get_or_404, require
from app.accounts.signup import remember_sign_up
from app.accounts.throttle import logged_in_account, per_address_and_account, submitted_email
from app.core import home
from app.exports.doors import door_of
from app.extensions import db
from app.i18n import role_label, safe_next
from app.mail import public_mail_form
from app.organisations import services as organisation_services
from app.tenancy import clock

blueprint = Blueprint("accounts", __name__, template_folder="templates")


def _password_reset_rate_limit() -> str:
    return current_app.config["PASSWORD_RESET_RATE_LIMIT"]


def _not_a_password_change() -> bool:
    return "password-submit" not in request.form


@blueprint.route("/login", methods=["GET", "POST"])
@per_address_and_account(submitted_email, methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("accounts.my_cities"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except services.UnconfirmedEmail as unconfirmed:
            remember_sign_up(unconfirmed.user.email, request.args.get("next"))
            return render_template("accounts/login.html", form=form, unconfirmed=True)
        if user is not None:
            services.start_session(user)
            return redirect(safe_next(request.args.get("next"), _home_for(user)))
        flash(_("The e-mail or the password is not right."), "error")
    return render_template("accounts/login.html", form=form)


def _home_for(user) -> str:
    cities = cities_of_current_user()
    if len(cities) == 1 and not user.regional_roles:
        return url_for("core.tenant_home", tenant_slug=cities[0][0].slug)
    return url_for("accounts.my_cities")


@blueprint.post("/logout")
def logout():
    if current_user.is_authenticated:
        services.end_session(current_user)
    session.clear()
    flash(_("You have logged out."), "info")
    return redirect(url_for("core.landing"))


@blueprint.route("/password/forgot", methods=["GET", "POST"])
@per_address_and_account(submitted_email, _password_reset_rate_limit, methods=["POST"])
@public_mail_form
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.send_password_reset(form.email.data)
        flash(
            _("If an account uses this address, a link to set a new password is on its way."),
            "info",
        )
        return redirect(url_for("accounts.login"))
    return render_template("accounts/forgot_password.html", form=form)


@blueprint.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    user = services.user_from_reset_token(token)
    if user is None:
        flash(_("This link has expired or was already used. Ask for a new one."), "error")
        return redirect(url_for("accounts.forgot_password"))
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.reset_password(user, form.password.data)
        flash(_("Your new password is set. You can log in now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset_password.html", form=form)


@blueprint.route("/account", methods=["GET", "POST"])
@per_address_and_account(logged_in_account, methods=["POST"], exempt_when=_not_a_password_change)
@require()
def account():
    profile = ProfileForm(prefix="profile", obj=current_user)
    password = ChangePasswordForm(prefix="password")
    if profile.submit.data and profile.validate_on_submit():
        current_user.name = profile.name.data
        current_user.locale = profile.locale.data or None
        if profile.locale.data:
            session["locale"] = profile.locale.data
        else:
            session.pop("locale", None)
        flash(_("Saved."), "success")
        return redirect(url_for("accounts.account"))
    if password.submit.data and password.validate_on_submit():
        if current_user.check_password(password.current_password.data):
            user = current_user._get_current_object()
            services.set_new_password(user, password.password.data)
            services.start_session(user)  # this one stays; every other has ended
            flash(
                _(
                    "Your password has been changed. You have been logged out everywhere "
                    "else, and your API tokens no longer work."
                ),
                "success",
            )
            return redirect(url_for("accounts.account"))
        password.current_password.errors.append(_("This is not your current password."))
    return render_template(
        "accounts/account.html",
        profile=profile,
        password=password,
        token_form=TokenForm(prefix="token"),
        tokens=_tokens_of_current_user(),
        token_use_minutes=max(1, services.token_use_precision() // timedelta(minutes=1)),
    )


def _tokens_of_current_user() -> list[ApiToken]:
    return list(
        db.session.scalars(
            select(ApiToken)
            .where(
                ApiToken.user_id == current_user.id,
                ApiToken.revoked_at.is_(None),
                ApiToken.expires_at > clock.now(),
            )
            .order_by(ApiToken.created_at.desc())
        )
    )


@blueprint.post("/account/tokens")
@require()
def create_token():
    form = TokenForm(prefix="token")
    if not form.validate_on_submit():
        flash(_("Give the token a name."), "error")
        return redirect(url_for("accounts.account"))
    secret = services.issue_api_token(current_user, form.name.data)
    return render_template("accounts/token_created.html", secret=secret, name=form.name.data)


@blueprint.post("/account/tokens/<int:token_id>/revoke")
@require()
def revoke_token(token_id: int):
    token = get_or_404(ApiToken, token_id, user_id=current_user.id)
    token.revoked_at = clock.now()
    flash(_("The token no longer works."), "success")
    return redirect(url_for("accounts.account"))


@blueprint.post("/account/personal-data")
@require()
def export_personal_data():
    """ "Pobierz moje dane": the archive is made in the background; its page links it."""
    record = door_of("accounts.export_personal_data").start(None, "zip")
    return redirect(url_for("jobs.status", job_id=record.id))


@blueprint.route("/account/delete", methods=["GET", "POST"])
@per_address_and_account(logged_in_account, methods=["POST"])
@require()
def delete_account():
    user = current_user._get_current_object()
    form = DeleteAccountForm()
    refusals = erasure.reasons_to_refuse(user)
    if not refusals and form.validate_on_submit():
        if user.check_password(form.password.data):
            erasure.erase(user, performed_by=f"self (user {user.id})")
            logout_user()
            session.clear()
            flash(_("Your account has been deleted."), "success")
            return redirect(url_for("core.landing"))
        form.password.errors.append(_("This is not your password."))
    return render_template("accounts/delete_account.html", form=form, refusals=refusals)


@blueprint.get("/my-cities")
@require()
def my_cities():
    # The requests first, in the scope the person came with: read after the cities (another
    # scope, home.ngo_cities), they would cost a statement to bring the person's scope back.
    requests = organisation_services.requests_to_cities(current_user)
    taking_part = home.ngo_cities(current_user)
    return render_template(
        "accounts/my_cities.html",
        cities=cities_of_current_user(),
        taking_part={city.tenant.id: city for city in taking_part},
        places=sorted(
            ((city.tenant, place) for city in taking_part for place in city.own.places),
            key=lambda found: found[1].held_on,
        ),
        requests=requests,
        regional_roles=current_user.regional_roles,
    )


# The switcher's value for a region's view ("regions/wielkopolskie"); no tenant slug has "/".
REGION_CHOICE = "regions/"


@blueprint.post("/switch")
@require()
def switch_tenant():
    """To one of the person's cities, or to the view of a region they coordinate: the
    marshal office's coordinator works in both with one account."""
    slug = request.form.get("tenant", "")
    region_slug = slug.removeprefix(REGION_CHOICE)
    if slug.startswith(REGION_CHOICE):
        if not any(a.region.slug == region_slug for a in current_user.regional_roles):
            abort(404)
        return redirect(url_for("regions.overview", region_slug=region_slug))
    if not any(tenant.slug == slug for tenant, _ in cities_of_current_user()):
        abort(404)
    return redirect(url_for("core.tenant_home", tenant_slug=slug))


# A city's people and roles (its administrators).


@blueprint.get("/<tenant_slug>/members")
@require(Role.ADMIN)
def members():
    return render_template(
        "accounts/members.html",
        memberships=services.members(g.tenant.id),
        invitations=services.open_invitations(),
        invite_form=InviteForm(),
        roles=grantable_role_choices(),
        now=clock.now(),
    )


@blueprint.post("/<tenant_slug>/members/invite")
@require(Role.ADMIN)
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        try:
            services.invite(
                g.tenant,
                form.email.data,
                form.role.data,
                current_user,
                admin_confirmed=form.confirm_admin.data,
            )
        except services.AccountError as error:
            flash(str(error), "error")
        else:
            flash(_("The invitation has been sent to %(email)s.", email=form.email.data), "success")
        return redirect(url_for("accounts.members"))
    flash(_("Enter a valid e-mail address and choose a role."), "error")
    return redirect(url_for("accounts.members"))


@blueprint.post("/<tenant_slug>/members/<int:membership_id>/role")
@require(Role.ADMIN)
def change_role(membership_id: int):
    membership = get_or_404(Membership, membership_id, tenant_id=g.tenant.id)
    form = RoleForm()
    if form.validate_on_submit():
        try:
            services.change_role(
                membership, form.role.data, current_user, admin_confirmed=form.confirm_admin.data
            )
            flash(_("The role has been changed."), "success")
        except services.AccountError as error:
            flash(str(error), "error")
    return redirect(url_for("accounts.members"))


@blueprint.post("/<tenant_slug>/members/<int:membership_id>/remove")
@require(Role.ADMIN)
def remove_member(membership_id: int):
    membership = get_or_404(Membership, membership_id, tenant_id=g.tenant.id)
    try:
        services.remove_member(membership, current_user)
        flash(_("The person no longer works here."), "success")
    except services.AccountError as error:
        flash(str(error), "error")
    return redirect(url_for("accounts.members"))


@blueprint.post("/<tenant_slug>/invitations/<int:invitation_id>/revoke")
@require(Role.ADMIN)
def revoke_invitation(invitation_id: int):
    services.revoke_invitation(get_or_404(Invitation, invitation_id))
    flash(_("The invitation has been withdrawn."), "success")
    return redirect(url_for("accounts.members"))


@blueprint.route("/<tenant_slug>/join/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    invitation = services.find_invitation(token)
    if invitation is None:
        return render_template("accounts/invitation_invalid.html"), 404
    existing = services.find_user(invitation.email)
    if existing is not None:
        return _accept_as_existing_user(invitation, existing)
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        user = services.create_user(invitation.email, form.name.data, form.password.data)
        services.accept_invitation(invitation, user)
        services.start_session(user)
        flash(_("Welcome to Razem."), "success")
        return redirect(url_for("core.tenant_home"))
    return _invitation_page(invitation, form)


def _invitation_page(invitation: Invitation, form):
    locale = str(get_locale())
    return render_template(
        "accounts/accept_invitation.html",
        form=form,
        invitation=invitation,
        heading=_("Invitation to %(city)s", city=g.tenant.name_as("genitive", locale)),
        intro=_(
            "You are invited to work in %(city)s as: %(role)s.",
            city=g.tenant.name_as("locative", locale),
            role=role_label(invitation.role),
        ),
    )


def _accept_as_existing_user(invitation: Invitation, user):
    if not current_user.is_authenticated:
        flash(_("You already have an account: log in to accept the invitation."), "info")
        return redirect(url_for("accounts.login", next=request.path))
    if request.method == "POST":
        try:
            services.accept_invitation(invitation, current_user)
        except services.AccountError as error:
            flash(str(error), "error")
            return redirect(url_for("accounts.my_cities"))
        city = g.tenant.name_as("locative", str(get_locale()))
        flash(_("You now work in %(city)s.", city=city), "success")
        return redirect(url_for("core.tenant_home"))
    return _invitation_page(invitation, None)
