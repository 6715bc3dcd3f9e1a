from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, EqualTo, Length

from app.accounts.models import Role
from app.accounts.roles import grantable_roles
from app.fields import PageForm

MIN_PASSWORD_LENGTH = 10
# Every password field says whether it is checked against the account (so it is throttled
# per account: tests/accounts/test_session_security.py finds it) or chosen; browsers and
# password managers read the same.
CHECKED = {"autocomplete": "current-password"}
CHOSEN = {"autocomplete": "new-password"}


def _new_password_fields():
    password = PasswordField(
        _l("New password"),
        render_kw=CHOSEN,
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=_l("Use at least %(min)d characters.", min=MIN_PASSWORD_LENGTH),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        render_kw=CHOSEN,
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    return password, confirm


def grantable_role_choices() -> list[SelectChoice]:
    """The roles the current person may grant in the current city, least privilege first."""
    from app.i18n import ROLE_LABELS

    return [
        SelectChoice(role.value, ROLE_LABELS[role.value])
        for role in grantable_roles(current_user, g.tenant.id)
    ]


def _role_field():
    # Viewer by default: a mistake then shows too little, never lets someone change too much.
    return SelectField(_l("Role"), choices=grantable_role_choices, default=Role.VIEWER.value)


def _confirm_admin_field():
    return BooleanField(_l("I confirm granting administrator rights"))


class LoginForm(PageForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    password = PasswordField(_l("Password"), render_kw=CHECKED, validators=[DataRequired()])
    submit = SubmitField(_l("Log in"))


class ForgotPasswordForm(PageForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    submit = SubmitField(_l("Send me a link"))


class ResetPasswordForm(PageForm):
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Set the password"))


class ProfileForm(PageForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    # "" is no preference (the browser's language, else the city's): saving the profile
    # unchanged must not pin the language shown first
    locale = SelectField(
        _l("Language"),
        choices=[
            SelectChoice("", _l("As my browser says")),
            SelectChoice("pl", "Polski"),
            SelectChoice("en", "English"),
        ],
    )
    submit = SubmitField(_l("Save"))


class ChangePasswordForm(PageForm):
    current_password = PasswordField(
        _l("Current password"), render_kw=CHECKED, validators=[DataRequired()]
    )
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Change the password"))


class TokenForm(PageForm):
    name = StringField(
        _l("Token name"),
        validators=[DataRequired(), Length(max=100)],
        description=_l("For example: the city's BIP integration"),
    )
    submit = SubmitField(_l("Create a token"))


class InviteForm(PageForm):
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    role = _role_field()
    confirm_admin = _confirm_admin_field()
    submit = SubmitField(_l("Send the invitation"))


class RoleForm(PageForm):
    role = _role_field()
    confirm_admin = _confirm_admin_field()
    submit = SubmitField(_l("Change the role"))


class AdminInviteForm(PageForm):
    """The platform operator's: a new city's first administrator, the one role of that door."""

    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email()])
    submit = SubmitField(_l("Invite"))


class SignUpForm(PageForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(_l("E-mail"), validators=[DataRequired(), Email(), Length(max=254)])
    password, confirm = _new_password_fields()
    privacy = BooleanField(
        _l("I have read the information on the processing of my personal data"),
        validators=[
            DataRequired(_l("Confirm that you have read the information on personal data."))
        ],
    )
    submit = SubmitField(_l("Create my account"))


class SendAgainForm(PageForm):
    submit = SubmitField(_l("Send the link again"))


class ConfirmEmailForm(PageForm):
    submit = SubmitField(_l("Confirm my address"))


class AcceptInvitationForm(PageForm):
    name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=200)])
    password, confirm = _new_password_fields()
    submit = SubmitField(_l("Create my account"))


class DeleteAccountForm(PageForm):
    password = PasswordField(_l("Your password"), render_kw=CHECKED, validators=[DataRequired()])
    submit = SubmitField(_l("Delete my account"))
