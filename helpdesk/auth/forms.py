"""Sign-in, second step, password reset, and the form an invited person creates their account
with."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in"))
    submit = SubmitField(_l("Sign in"))


class AcceptInvitationForm(FlaskForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=200)])
    password = PasswordField(_l("Choose a password"), validators=[DataRequired(), Length(max=1024)])
    submit = SubmitField(_l("Create my account"))


class LanguageChoiceForm(FlaskForm):
    """A visitor's language before signing in; each offered as it calls itself."""

    locale = SelectField(_l("Language"))
    change_language = SubmitField(_l("Change language"))


def language_choice_form(languages: list[tuple[str, str]], current: str) -> LanguageChoiceForm:
    form = LanguageChoiceForm(prefix="lang", locale=current)
    form.locale.choices = [(code, name, {"lang": code}) for code, name in languages]
    return form


class SecondFactorForm(FlaskForm):
    code = StringField(
        _l("Code from your authenticator app, or a recovery code"),
        validators=[DataRequired(), Length(max=32)],
    )
    submit = SubmitField(_l("Continue"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    submit = SubmitField(_l("Send me a link"))


class NewPasswordForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=1024)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("password", message=_l("The passwords differ."))],
    )
    submit = SubmitField(_l("Set password"))
