"""Forms of the account's security page: password, second factor, sessions."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=1024)]
    )
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    repeat_password = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )
    change_password = SubmitField(_l("Change password"))


class StartSecondFactorForm(FlaskForm):
    start = SubmitField(_l("Set up an authenticator app"))


class ConfirmSecondFactorForm(FlaskForm):
    code = StringField(
        _l("The six-digit code the app shows"), validators=[DataRequired(), Length(max=32)]
    )
    turn_on = SubmitField(_l("Turn on"))


class DisableSecondFactorForm(FlaskForm):
    disable_password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    disable_code = StringField(
        _l("Code from the app, or a recovery code"), validators=[DataRequired(), Length(max=32)]
    )
    turn_off = SubmitField(_l("Turn off"))


class SignOutEverywhereForm(FlaskForm):
    sign_out = SubmitField(_l("Sign out everywhere"))
