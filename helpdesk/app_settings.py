"""The settings service bound to the running app: the secret box and the mail settings now."""

from __future__ import annotations

from flask import current_app

from .core.services.outgoing_mail import MailSettings
from .core.services.secret_box import SecretBox
from .core.services.settings import SmtpSettings as SmtpSettings
from .core.services.settings import mail_settings, smtp_settings
from .extensions import db


def secret_box() -> SecretBox:
    return SecretBox(current_app.config["SECRETS_KEY"])


def current_mail_settings() -> MailSettings:
    """Who mail is from, as the environment, the database or the default says (in that order)."""
    return mail_settings(db.session, current_app.config, secret_box())


def current_smtp_settings() -> SmtpSettings:
    return smtp_settings(db.session, current_app.config, secret_box())
