"""IMAP polling (imapclient): fetch new mail, hand it over, and only then flag it on the server."""

from __future__ import annotations

import logging
import ssl
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from imapclient import IMAPClient

log = logging.getLogger(__name__)

Deliver = Callable[[bytes, str], object]


@dataclass(frozen=True)
class ImapMailbox:
    host: str
    user: str
    password: str
    port: int = 993
    security: str = "tls"  # tls, starttls or none
    folder: str = "INBOX"

    @classmethod
    def from_config(cls, entry: dict[str, Any]) -> ImapMailbox:
        security = entry.get("security", "tls")
        default_port = 993 if security == "tls" else 143
        return cls(
            host=entry["host"],
            user=entry["user"],
            password=entry["password"],
            port=int(entry.get("port", default_port)),
            security=security,
            folder=entry.get("folder", "INBOX"),
        )

    @property
    def label(self) -> str:
        return f"imap:{self.user}@{self.host}/{self.folder}"


def _connect(box: ImapMailbox) -> IMAPClient:
    context = ssl.create_default_context()
    client = IMAPClient(
        box.host, port=box.port, ssl=box.security == "tls", ssl_context=context, timeout=60
    )
    if box.security == "starttls":
        client.starttls(context)
    client.login(box.user, box.password)
    return client


def poll_once(box: ImapMailbox, deliver: Deliver, batch: int = 50) -> int:
    """Fetch unseen messages; each is flagged \\Seen only after ``deliver`` returned (stored and
    committed). A crash in between re-delivers it next time, and deduplication drops the copy."""
    fetched = 0
    with _connect(box) as client:
        client.select_folder(box.folder)
        uids = client.search(["UNSEEN"])
        for start in range(0, len(uids), batch):
            chunk = uids[start : start + batch]
            for uid, data in client.fetch(chunk, ["BODY.PEEK[]"]).items():
                deliver(data[b"BODY[]"], f"{box.label}#{uid}")
                client.add_flags([uid], [b"\\Seen"])
                fetched += 1
    return fetched


def poll_forever(
    box: ImapMailbox, deliver: Deliver, stop: threading.Event, interval: float
) -> None:
    """Poll until ``stop`` is set; network errors back off (up to 10 minutes) instead of dying."""
    delay = interval
    while not stop.is_set():
        try:
            poll_once(box, deliver)
            delay = interval
        except Exception:
            log.exception("polling %s failed; retrying in %.0f s", box.label, delay)
            delay = min(max(delay * 2, interval), 600)
        stop.wait(delay)
