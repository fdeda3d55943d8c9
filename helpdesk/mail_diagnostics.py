"""The admin pages' "test connection" and "send test mail": the server's own answer, verbatim.

Diagnostics only: they connect directly, synchronously, with a short timeout, and report each
step's answer (or the exact error, certificate problems included) instead of retrying."""

from __future__ import annotations

import imaplib
import smtplib
import ssl
from collections.abc import Mapping
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any

from imapclient import IMAPClient

TIMEOUT = 10.0
# Network, TLS (certificates included) and protocol errors; a bug still raises.
IMAP_ERRORS = (OSError, imaplib.IMAP4.error)
SMTP_ERRORS = (OSError, smtplib.SMTPException)


@dataclass
class Diagnosis:
    """``problem``: None when all went well, else "certificate", "login", "refused" or
    "connection" (the page explains it); ``lines``: what the server said, in order."""

    lines: list[str] = field(default_factory=list)
    problem: str | None = None

    @property
    def ok(self) -> bool:
        return self.problem is None

    def fail(self, error: BaseException, problem: str) -> Diagnosis:
        if isinstance(error, ssl.SSLCertVerificationError):
            problem = "certificate"
        self.lines.append(f"{type(error).__name__}: {_text(error)}")
        self.problem = problem
        return self


def _text(value: object) -> str:
    if isinstance(value, BaseException) and len(value.args) == 1:
        value = value.args[0]
    if isinstance(value, bytes):
        return value.decode(errors="replace")
    return str(value)


def check_imap(entry: Mapping[str, Any], timeout: float = TIMEOUT) -> Diagnosis:
    """Connect, STARTTLS where asked, log in, and list what the server said and offers."""
    result = Diagnosis()
    security = entry.get("security", "tls")
    context = ssl.create_default_context(cafile=entry.get("ca_file") or None)
    try:
        client = IMAPClient(
            entry["host"],
            port=int(entry["port"]),
            ssl=security == "tls",
            ssl_context=context,
            timeout=timeout,
        )
    except IMAP_ERRORS as error:  # a diagnostic reports the failure, whatever its kind
        return result.fail(error, "connection")
    try:
        result.lines.append(_text(client.welcome))
        if security == "starttls":
            result.lines.append(_text(client.starttls(context)))
        if security == "none" and client.has_capability("LOGINDISABLED"):
            result.lines.append("LOGINDISABLED")
            result.problem = "login"
            return result
        try:
            result.lines.append(_text(client.login(entry["user"], entry["password"])))
        except IMAP_ERRORS as error:
            return result.fail(error, "login")
        capabilities = b" ".join(client.capabilities())
        result.lines.append("CAPABILITY " + _text(capabilities))
        folder = entry.get("folder") or "INBOX"
        if not client.folder_exists(folder):
            result.lines.append(f"{folder}: no such folder")
            result.problem = "folder"
    except IMAP_ERRORS as error:
        return result.fail(error, "connection")
    finally:
        with suppress(*IMAP_ERRORS):  # the answer above is what matters
            client.logout()
    return result


def check_smtp(
    settings: Any, recipient: str, content: bytes, timeout: float = TIMEOUT
) -> Diagnosis:
    """Send ``content`` to ``recipient`` step by step, recording each of the server's replies.
    ``settings`` is an ``SmtpSettings``."""
    result = Diagnosis()
    security = settings.security
    port = settings.port or {"tls": 465, "starttls": 587}.get(security, 25)
    context = ssl.create_default_context(cafile=settings.ca_file)
    client: smtplib.SMTP
    try:
        if security == "tls":
            client = smtplib.SMTP_SSL(timeout=timeout, context=context)
        else:
            client = smtplib.SMTP(timeout=timeout)
        result.lines.append(_reply(client.connect(settings.host, port)))
    except SMTP_ERRORS as error:
        return result.fail(error, "connection")
    try:
        with client:
            return _smtp_session(client, result, settings, recipient, content, context)
    except SMTP_ERRORS as error:
        return result.fail(error, "connection")


def _smtp_session(
    client: smtplib.SMTP,
    result: Diagnosis,
    settings: Any,
    recipient: str,
    content: bytes,
    context: ssl.SSLContext,
) -> Diagnosis:
    result.lines.append(_reply(client.ehlo()))
    if settings.security == "starttls":
        result.lines.append(_reply(client.starttls(context=context)))
        client.ehlo()
    if settings.user:
        try:
            result.lines.append(_reply(client.login(settings.user, settings.password)))
        except smtplib.SMTPException as error:
            return result.fail(error, "login")
    for step in (
        lambda: client.mail(settings.mail_from),
        lambda: client.rcpt(recipient),
        lambda: client.data(content),
    ):
        code, text = step()
        result.lines.append(_reply((code, text)))
        if code >= 400:
            result.problem = "refused"
            return result
    return result


def _reply(answer: tuple[int, bytes | str]) -> str:
    code, text = answer
    return f"{code} {_text(text)}"
