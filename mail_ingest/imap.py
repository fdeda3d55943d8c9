"""IMAP (imapclient): read new mail by UID checkpoint, store it, and only then act on the server.

Order per message: deliver (raw bytes committed) -> flag/move/delete on the server -> advance the
checkpoint. A crash anywhere re-reads at most the messages after the checkpoint, and the
store's deduplication drops what was already kept."""

from __future__ import annotations

import logging
import ssl
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from imapclient import IMAPClient

log = logging.getLogger(__name__)

Deliver = Callable[[bytes, str], object]
AFTER_STORE_ACTIONS = ("seen", "move", "delete")


class ImapSecurityError(Exception):
    """The server cannot give the protection the mailbox asks for, so the password stays home."""


class CheckpointStore(Protocol):
    def load(self, key: str) -> tuple[int | None, int]: ...

    def save(self, key: str, uidvalidity: int, last_uid: int) -> None: ...


@dataclass(frozen=True)
class ImapMailbox:
    host: str
    user: str
    password: str
    port: int = 993
    security: str = "tls"  # tls, starttls or none
    folder: str = "INBOX"
    after_store: str = "seen"  # seen, move or delete
    move_to: str = "Processed"
    ca_file: str | None = None  # PEM bundle of a private CA; None: the system trust store
    idle: bool = True  # wait with IDLE where the server offers it; False: poll on the interval

    @classmethod
    def from_config(cls, entry: dict[str, Any]) -> ImapMailbox:
        security = entry.get("security", "tls")
        after_store = entry.get("after_store", "seen")
        if security not in ("tls", "starttls", "none"):
            raise ValueError(f"IMAP security must be tls, starttls or none, not {security!r}")
        if after_store not in AFTER_STORE_ACTIONS:
            raise ValueError(f"IMAP after_store must be one of {AFTER_STORE_ACTIONS}")
        ca_file = entry.get("ca_file")
        if ca_file is not None and not Path(ca_file).is_file():
            raise ValueError(f"IMAP ca_file {ca_file!r} is not a readable file")
        return cls(
            host=entry["host"],
            user=entry["user"],
            password=entry["password"],
            port=int(entry.get("port", 993 if security == "tls" else 143)),
            security=security,
            folder=entry.get("folder", "INBOX"),
            after_store=after_store,
            move_to=entry.get("move_to", "Processed"),
            ca_file=ca_file,
            idle=bool(entry.get("idle", True)),
        )

    @property
    def key(self) -> str:
        return f"{self.user}@{self.host}:{self.port}/{self.folder}"


def _tls_context(box: ImapMailbox) -> ssl.SSLContext:
    """Certificate and host name are always checked; ``ca_file`` only changes whom we trust
    (that CA alone instead of the system store), never whether we check."""
    return ssl.create_default_context(cafile=box.ca_file)


def connect(box: ImapMailbox, timeout: float = 60) -> IMAPClient:
    context = _tls_context(box)
    client = IMAPClient(
        box.host, port=box.port, ssl=box.security == "tls", ssl_context=context, timeout=timeout
    )
    try:
        if box.security == "starttls":
            _start_tls(client, box, context)
        _check_login_allowed(client, box)
        client.login(box.user, box.password)
    except BaseException:
        _close_quietly(client)  # a refused login must not leak the connection
        raise
    return client


def _close_quietly(client: IMAPClient) -> None:
    """Close without hiding the error at hand: a failed STARTTLS handshake has already taken
    (and closed) the socket, so shutting it down again fails with EBADF."""
    with suppress(OSError):
        client.shutdown()


def _start_tls(client: IMAPClient, box: ImapMailbox, context: ssl.SSLContext) -> None:
    """STARTTLS or nothing: a server (or a man in the middle) that drops it gets no password."""
    if not client.has_capability("STARTTLS"):
        raise ImapSecurityError(
            f"IMAP {box.key}: the server does not offer STARTTLS; not logging in without TLS"
        )
    client.starttls(context)


def _check_login_allowed(client: IMAPClient, box: ImapMailbox) -> None:
    """RFC 3501: never send LOGIN where the server says LOGINDISABLED (it wants TLS first)."""
    if client.has_capability("LOGINDISABLED"):
        raise ImapSecurityError(
            f"IMAP {box.key}: the server refuses passwords without TLS; "
            'set "security" to "tls" or "starttls"'
        )


def sync_folder(
    client: IMAPClient,
    box: ImapMailbox,
    deliver: Deliver,
    checkpoints: CheckpointStore,
    batch: int = 50,
) -> int:
    """Store every message after the checkpoint; returns how many were delivered."""
    selected = client.select_folder(box.folder)
    uidvalidity = int(selected[b"UIDVALIDITY"])
    known_validity, last_uid = checkpoints.load(box.key)
    if known_validity != uidvalidity:
        last_uid = 0  # the folder was recreated: UIDs mean new things; dedup catches repeats
    uids = sorted(uid for uid in client.search(["UID", f"{last_uid + 1}:*"]) if uid > last_uid)
    delivered = 0
    for start in range(0, len(uids), batch):
        chunk = uids[start : start + batch]
        fetched = client.fetch(chunk, ["BODY.PEEK[]"])
        for uid in chunk:
            if uid not in fetched:  # the server did not hand it over: retry next round
                log.warning("IMAP %s: UID %s not returned by FETCH; will retry", box.key, uid)
                return delivered
            deliver(fetched[uid][b"BODY[]"], f"imap:{box.key}#{uid}")
            _after_store(client, box, uid)
            checkpoints.save(box.key, uidvalidity, uid)
            delivered += 1
    if box.after_store == "delete" and delivered:
        client.expunge()
    return delivered


def _after_store(client: IMAPClient, box: ImapMailbox, uid: int) -> None:
    if box.after_store == "move":
        if client.has_capability("MOVE"):
            client.move([uid], box.move_to)
            return
        client.copy([uid], box.move_to)
        client.add_flags([uid], [b"\\Deleted"])
    elif box.after_store == "delete":
        client.add_flags([uid], [b"\\Deleted"])
    else:
        client.add_flags([uid], [b"\\Seen"])


def _wait_for_news(
    client: IMAPClient, stop: threading.Event, interval: float, idle: bool = True
) -> None:
    """IDLE where the server offers it (new mail wakes us at once), otherwise just wait."""
    if not idle or not client.has_capability("IDLE"):
        stop.wait(interval)
        return
    client.idle()
    try:
        deadline = time.monotonic() + interval
        while not stop.is_set() and time.monotonic() < deadline:
            if client.idle_check(timeout=1):
                return
    finally:
        client.idle_done()


def poll_forever(
    box: ImapMailbox,
    deliver: Deliver,
    checkpoints: CheckpointStore,
    stop: threading.Event,
    interval: float,
) -> None:
    """Keep one mailbox in sync until ``stop``; errors reconnect with backoff (up to 10 min),
    and each mailbox runs in its own thread, so a broken one never holds up the others."""
    delay = interval
    while not stop.is_set():
        try:
            with connect(box) as client:
                if box.after_store == "move" and not client.folder_exists(box.move_to):
                    client.create_folder(box.move_to)
                while not stop.is_set():
                    sync_folder(client, box, deliver, checkpoints)
                    delay = interval
                    _wait_for_news(client, stop, interval, box.idle)
        except Exception:
            log.exception("IMAP %s failed; retrying in %.0f s", box.key, delay)
            stop.wait(delay)
            delay = min(max(delay * 2, 1.0), 600.0)
