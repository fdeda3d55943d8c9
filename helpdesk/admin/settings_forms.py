"""Forms of the mailboxes and outgoing mail pages; passwords are write-only fields."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional


class OutgoingMailForm(FlaskForm):
    SMTP_HOST = StringField(_l("SMTP server"), validators=[Optional(), Length(max=253)])
    SMTP_PORT = StringField(_l("Port (empty: the usual one)"), validators=[Length(max=5)])
    SMTP_SECURITY = SelectField(
        _l("Security"),
        choices=[
            SelectChoice("starttls", _l("STARTTLS")),
            SelectChoice("tls", _l("TLS")),
            SelectChoice("none", _l("None (only without a user name)")),
        ],
    )
    SMTP_USER = StringField(_l("User name"), validators=[Length(max=254)])
    SMTP_PASSWORD = PasswordField(_l("Password"), validators=[Length(max=1024)])
    clear_password = BooleanField(_l("Remove the stored password"))
    MAIL_FROM = StringField(_l("From address"), validators=[Length(max=254)])
    SMTP_TIMEOUT = StringField(_l("Timeout (seconds)"), validators=[Length(max=8)])
    save = SubmitField(_l("Save"))


class TestMailForm(FlaskForm):
    recipient = EmailField(_l("Send to"), validators=[DataRequired(), Email(), Length(max=254)])
    send = SubmitField(_l("Send test mail"))


class ImapAccountForm(FlaskForm):
    host = StringField(_l("IMAP server"), validators=[DataRequired(), Length(max=253)])
    port = IntegerField(_l("Port"), validators=[DataRequired(), NumberRange(min=1, max=65535)])
    security = SelectField(
        _l("Security"),
        choices=[SelectChoice("tls", _l("TLS")), SelectChoice("starttls", _l("STARTTLS"))],
    )
    username = StringField(_l("User name"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[Length(max=1024)])
    folder = StringField(_l("Folder"), validators=[DataRequired(), Length(max=200)])
    ca_file = StringField(
        _l("Private CA bundle on the server (optional path)"), validators=[Length(max=500)]
    )
    use_idle = BooleanField(_l("Wait with IDLE (new mail arrives at once); off: poll"))
    address = StringField(_l("Address mail to it is sent to"), validators=[Length(max=254)])
    language = SelectField(_l("Language"), choices=[])
    enabled = BooleanField(_l("Read this mailbox"))
    save = SubmitField(_l("Save"))


class ImapAccountActionForm(FlaskForm):
    test = SubmitField(_l("Test connection"))
    delete = SubmitField(_l("Remove"))


class InboundAddressForm(FlaskForm):
    address = EmailField(_l("Address"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Sender name on replies"), validators=[Length(max=200)])
    language = SelectField(_l("Language"), choices=[])
    save = SubmitField(_l("Save"))
