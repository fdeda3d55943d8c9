"""Where outgoing mail goes: an SMTP server, or a folder when no server is configured."""

from __future__ import annotations

import smtplib
import ssl
from pathlib import Path
from typing import Protocol

from ..core.services.settings import SmtpSettings


class DeliveryError(Exception):
    """Sending failed. ``permanent`` says whether trying again could help."""

    def __init__(self, message: str, *, permanent: bool) -> None:
        super().__init__(message)
        self.permanent = permanent


class Transport(Protocol):
    def send(self, mail_from: str, recipients: list[str], content: bytes, key: str) -> str:
        """Deliver and return where it went; raise DeliveryError otherwise."""


class FolderTransport:
    """For demos and development: each mail becomes an .eml file, named so a retry overwrites."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def send(self, mail_from: str, recipients: list[str], content: bytes, key: str) -> str:
        self.folder.mkdir(parents=True, exist_ok=True)
        target = self.folder / f"{key}.eml"
        target.write_bytes(content)
        return f"file:{target}"


class SMTPTransport:
    """Submission with certificate and host name always verified (against ``ca_file`` when the
    server's certificate comes from a private CA), and never a login in clear: with a user set,
    ``none`` security is refused."""

    def __init__(
        self,
        host: str,
        port: int | None,
        security: str,
        user: str,
        password: str,
        timeout: float,
        ca_file: str | None = None,
    ) -> None:
        if security not in ("none", "starttls", "tls"):
            raise ValueError(
                f"HELPDESK_SMTP_SECURITY must be none, starttls or tls, not {security!r}"
            )
        if user and security == "none":
            raise ValueError(
                "HELPDESK_SMTP_USER needs HELPDESK_SMTP_SECURITY starttls or tls: "
                "a password is never sent in clear"
            )
        self.host, self.security = host, security
        self.port = port or {"tls": 465, "starttls": 587}.get(security, 25)
        self.user, self.password, self.timeout = user, password, timeout
        self.ca_file = ca_file

    def _connect(self) -> smtplib.SMTP:
        context = ssl.create_default_context(cafile=self.ca_file)
        if self.security == "tls":
            return smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
        client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        if self.security == "starttls":
            client.starttls(context=context)
        return client

    def send(self, mail_from: str, recipients: list[str], content: bytes, key: str) -> str:
        try:
            with self._connect() as client:
                if self.user:
                    client.login(self.user, self.password)
                refused = client.sendmail(mail_from, recipients, content)
        except smtplib.SMTPAuthenticationError as error:
            # Our credentials, not the mail, are wrong: keep it queued until they are fixed.
            raise DeliveryError(
                f"SMTP login refused: {error.smtp_code}", permanent=False
            ) from error
        except smtplib.SMTPResponseException as error:
            detail = error.smtp_error
            if isinstance(detail, bytes):
                detail = detail.decode(errors="replace")
            text = f"{error.smtp_code} {detail}"
            raise DeliveryError(text, permanent=500 <= error.smtp_code < 600) from error
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            raise DeliveryError(
                f"recipients refused: {error.recipients}",
                permanent=all(500 <= c < 600 for c in codes),
            ) from error
        except (OSError, smtplib.SMTPException) as error:
            raise DeliveryError(f"{type(error).__name__}: {error}", permanent=False) from error
        if refused:
            raise DeliveryError(f"some recipients refused: {refused}", permanent=True)
        return f"smtp:{self.host}:{self.port}"


def transport_from_settings(settings: SmtpSettings, outbox_dir: Path) -> Transport:
    """The transport the settings service describes (environment, then database, then default)."""
    if not settings.host:
        return FolderTransport(outbox_dir)
    return SMTPTransport(
        settings.host,
        settings.port,
        settings.security,
        settings.user,
        settings.password,
        settings.timeout,
        settings.ca_file,
    )
