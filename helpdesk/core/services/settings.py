"""The one place that decides each outgoing mail setting: environment, then database, then default.

``config`` holds what the environment said (or the default), and ``PINNED_SETTINGS`` names the
settings an environment variable set: those win and the browser cannot change them. The others
come from the ``settings`` table when an admin saved them there, else from the default. The
outbox worker asks per batch, so a change takes effect without a restart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from ..db_session import DbSession
from ..errors import SettingInvalid, SettingPinned
from ..models import AuditAction, Setting, User
from .audit import changed_fields, record_audit
from .outgoing_mail import MailSettings
from .secret_box import SecretBox

SMTP_SETTINGS = (
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_SECURITY",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_TIMEOUT",
    "MAIL_FROM",
)
SECRET_SETTINGS = frozenset({"SMTP_PASSWORD"})
SECURITIES = ("none", "starttls", "tls")
CHANGED = "(changed)"  # what the audit log says of a secret


@dataclass(frozen=True)
class ResolvedSetting:
    """A setting's value and where it came from: "environment", "database" or "default"."""

    name: str
    value: Any
    source: str
    variable: str | None = None  # the environment variable that pins it


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int | None
    security: str
    user: str
    password: str
    timeout: float
    mail_from: str
    ca_file: str | None = None

    @property
    def domain(self) -> str:
        return self.mail_from.rpartition("@")[2]


def _parse(name: str, text: str) -> Any:
    """The typed value of ``text`` as stored or typed; refuses what the transport could not use."""
    text = text.strip()
    try:
        if name == "SMTP_PORT":
            port = int(text) if text else None
            if port is not None and not 0 < port < 65536:
                raise ValueError(text)
            return port
        if name == "SMTP_TIMEOUT":
            timeout = float(text)
            if not 0 < timeout <= 600:
                raise ValueError(text)
            return timeout
    except ValueError as error:
        raise SettingInvalid(name, text) from error
    if name == "SMTP_SECURITY" and text not in SECURITIES:
        raise SettingInvalid(name, text)
    if name == "MAIL_FROM" and "@" not in text:
        raise SettingInvalid(name, text)
    return text


def resolve_settings(
    session: DbSession, config: Mapping[str, Any], box: SecretBox
) -> dict[str, ResolvedSetting]:
    """Every outgoing mail setting with its value and its source."""
    pinned = config.get("PINNED_SETTINGS", {})
    stored = {row.name: row.value for row in session.scalars(select(Setting))}
    resolved = {}
    for name in SMTP_SETTINGS:
        if name in pinned:
            resolved[name] = ResolvedSetting(name, config[name], "environment", pinned[name])
        elif name in stored:
            text = stored[name]
            value = box.decrypt(text) if name in SECRET_SETTINGS else _stored_value(name, text)
            resolved[name] = ResolvedSetting(name, value, "database")
        else:
            resolved[name] = ResolvedSetting(name, config[name], "default")
    return resolved


def _stored_value(name: str, text: str) -> Any:
    try:
        return _parse(name, text)
    except SettingInvalid:  # saved under older rules: the default serves until fixed
        return None


def smtp_settings(session: DbSession, config: Mapping[str, Any], box: SecretBox) -> SmtpSettings:
    """The settings the next mail is sent with."""
    values = {name: s.value for name, s in resolve_settings(session, config, box).items()}
    return SmtpSettings(
        host=values["SMTP_HOST"] or "",
        port=values["SMTP_PORT"],
        security=values["SMTP_SECURITY"] or "none",
        user=values["SMTP_USER"] or "",
        password=values["SMTP_PASSWORD"] or "",
        timeout=values["SMTP_TIMEOUT"] or 30.0,
        mail_from=values["MAIL_FROM"] or config["MAIL_FROM"],
        ca_file=config.get("SMTP_CA_FILE"),
    )


def mail_settings(session: DbSession, config: Mapping[str, Any], box: SecretBox) -> MailSettings:
    """Who mail is from (and so the Message-ID domain), as the outgoing mail settings say."""
    smtp = smtp_settings(session, config, box)
    return MailSettings(smtp.mail_from, smtp.domain, config["REPLY_ATTACHMENTS_MAX_BYTES"])


def save_smtp_settings(
    session: DbSession,
    config: Mapping[str, Any],
    box: SecretBox,
    actor: User | None,
    typed: Mapping[str, str | None],
) -> None:
    """Store what an admin typed (``None`` for a secret: keep it) and audit the change, secrets
    as "(changed)". A setting the environment pins is refused, never silently ignored."""
    pinned = config.get("PINNED_SETTINGS", {})
    before = _audit_view(resolve_settings(session, config, box))
    for name, text in typed.items():
        if name not in SMTP_SETTINGS:
            raise SettingInvalid(name, text or "")
        if name in pinned:
            raise SettingPinned(pinned[name])
        if text is None:
            continue
        if name in SECRET_SETTINGS:
            stored = box.encrypt(text) if text else ""
        else:
            _parse(name, text)
            stored = text.strip()
        row = session.get(Setting, name) or Setting(name=name)
        row.value = stored
        session.add(row)
    session.flush()
    final = smtp_settings(session, config, box)
    if final.user and final.security == "none":  # never a password in clear
        raise SettingInvalid("SMTP_SECURITY", final.security)
    after = _audit_view(resolve_settings(session, config, box))
    if "SMTP_PASSWORD" in typed and typed["SMTP_PASSWORD"] is not None:
        after["SMTP_PASSWORD"] = CHANGED
    old, new = changed_fields(before, after)
    if new:
        record_audit(
            session,
            actor,
            AuditAction.SETTINGS_CHANGED,
            target_type="settings",
            target_id="outgoing_mail",
            before=old,
            after=new,
        )


def _audit_view(resolved: Mapping[str, ResolvedSetting]) -> dict[str, Any]:
    return {
        name: ("(set)" if s.value else "") if name in SECRET_SETTINGS else s.value
        for name, s in resolved.items()
    }
