"""IMAP accounts set in the browser, beside those of HELPDESK_IMAP_MAILBOXES; each change audited.

The IMAP worker asks ``imap_configs`` every few seconds and starts, restarts or stops pollers
to match, so an added, changed or removed account needs no restart."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..db_session import DbSession
from ..errors import ImapAccountInvalid
from ..models import AuditAction, ImapAccount, Language, User
from .audit import changed_fields, record_audit
from .mailboxes import ensure_mailbox
from .secret_box import SecretBox
from .settings import CHANGED

SECURITIES = ("tls", "starttls")
ENVIRONMENT_VARIABLE = "HELPDESK_IMAP_MAILBOXES"


@dataclass(frozen=True)
class ImapAccountInput:
    host: str
    port: int
    security: str
    username: str
    password: str | None  # None (or ""): keep the stored one
    folder: str = "INBOX"
    use_idle: bool = True
    address: str = ""
    language_code: str | None = None
    enabled: bool = True
    ca_file: str | None = None


def _validate(session: DbSession, data: ImapAccountInput) -> None:
    if not data.host.strip() or any(c.isspace() or c in "/@" for c in data.host.strip()):
        raise ImapAccountInvalid("host", data.host)
    if not 0 < data.port < 65536:
        raise ImapAccountInvalid("port", str(data.port))
    if data.security not in SECURITIES:  # never a password in clear from the browser
        raise ImapAccountInvalid("security", data.security)
    if not data.username.strip():
        raise ImapAccountInvalid("username", data.username)
    if not data.folder.strip():
        raise ImapAccountInvalid("folder", data.folder)
    if data.ca_file and not Path(data.ca_file).is_file():
        raise ImapAccountInvalid("ca_file", data.ca_file)
    if data.address and "@" not in data.address:
        raise ImapAccountInvalid("address", data.address)
    if data.language_code and session.get(Language, data.language_code) is None:
        raise ImapAccountInvalid("language_code", data.language_code)


def _snapshot(account: ImapAccount) -> dict[str, Any]:
    """What the audit log shows: everything but the password."""
    return {
        "host": account.host,
        "port": account.port,
        "security": account.security,
        "username": account.username,
        "folder": account.folder,
        "ca_file": account.ca_file,
        "use_idle": account.use_idle,
        "address": account.address,
        "language_code": account.language_code,
        "enabled": account.enabled,
    }


def save_imap_account(
    session: DbSession,
    box: SecretBox,
    actor: User | None,
    account: ImapAccount | None,
    data: ImapAccountInput,
) -> ImapAccount:
    """Create (``account`` None) or change an account; its address becomes an inbound mailbox
    with its language, so mail read from it is routed in that language."""
    _validate(session, data)
    creating = account is None
    if account is None:
        if not data.password:
            raise ImapAccountInvalid("password", "")
        account = ImapAccount(host="", port=0, username="")
        session.add(account)
        before: dict[str, Any] = {}
    else:
        before = _snapshot(account)
    fields = asdict(data)
    password = fields.pop("password")
    for name, value in fields.items():
        setattr(account, name, value.strip() if isinstance(value, str) else value)
    account.address = account.address.lower()
    account.language_code = data.language_code or None
    account.ca_file = data.ca_file or None
    if password:
        account.password = box.encrypt(password)
    if account.address:
        ensure_mailbox(session, account.address, account.language_code)
    session.flush()
    old, new = changed_fields(before, _snapshot(account))
    if password and not creating:
        old["password"], new["password"] = CHANGED, CHANGED
    if creating or new:
        action = AuditAction.MAILBOX_CREATED if creating else AuditAction.MAILBOX_CHANGED
        record_audit(session, actor, action, target=account, before=old or None, after=new)
    return account


def delete_imap_account(session: DbSession, actor: User | None, account: ImapAccount) -> None:
    """Stop reading it (within the worker's next reload); mail already read stays."""
    record_audit(
        session, actor, AuditAction.MAILBOX_DELETED, target=account, before=_snapshot(account)
    )
    session.delete(account)
    session.flush()


def imap_accounts(session: DbSession) -> list[ImapAccount]:
    return list(session.scalars(select(ImapAccount).order_by(ImapAccount.id)))


def account_config(account: ImapAccount, box: SecretBox) -> dict[str, Any]:
    """The account as an IMAP mailbox entry, in the shape of HELPDESK_IMAP_MAILBOXES."""
    return {
        "host": account.host,
        "port": account.port,
        "security": account.security,
        "user": account.username,
        "password": box.decrypt(account.password),
        "folder": account.folder,
        "ca_file": account.ca_file,
        "idle": account.use_idle,
        "address": account.address,
        "language": account.language_code,
    }


def imap_configs(
    session: DbSession, config: Mapping[str, Any], box: SecretBox
) -> list[dict[str, Any]]:
    """Every mailbox to read now: the environment's, then the enabled ones from the browser."""
    entries = [dict(entry) for entry in config.get("IMAP_MAILBOXES", [])]
    for account in imap_accounts(session):
        if account.enabled:
            entries.append(account_config(account, box))
    return entries
