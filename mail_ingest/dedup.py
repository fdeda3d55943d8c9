"""When two arrivals are one message: the same Message-ID *and* the same content.

Keying on the Message-ID alone threw away a different message that reused one (broken mailers,
some ticketing gateways). Keying on the whole bytes would keep the same mail twice when it comes
by two transports, since each adds its own Received, Delivered-To, Return-Path… lines. So the key
is the Message-ID plus a digest of what the author's mail system fixed once for all copies: the
From, Date and Subject headers and the body (the bytes after the header block, line endings
normalised, trailing blank lines ignored).
"""

from __future__ import annotations

import hashlib
import re
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

# Printable ASCII only (RFC 5322 msg-id): a NUL or raw 8-bit byte must never reach the store.
_MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+>")
_HEADER_END = re.compile(rb"\r?\n\r?\n")
STABLE_HEADERS = ("From", "Date", "Subject")
HEADER_SCAN_BYTES = 256 * 1024
DIGEST_CHARS = 32  # 128 bits: no two different messages under one Message-ID will collide
MAX_KEY_CHARS = 998  # RawMail.dedup_key


def dedup_key(data: bytes) -> str:
    """``<message-id> <content digest>``, ``<> <content digest>`` for mail without one (a
    space: the one separator no Message-ID can contain). Equal keys: the same message,
    whichever way it came."""
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(data[:HEADER_SCAN_BYTES])
    found = _MESSAGE_ID.findall(str(headers.get("Message-ID", "")))
    message_id = found[0] if found else "<>"
    suffix = " " + content_digest(data, headers)
    return message_id[: MAX_KEY_CHARS - len(suffix)] + suffix


def content_digest(data: bytes, headers: Message) -> str:
    digest = hashlib.sha256()
    for name in STABLE_HEADERS:
        value = " ".join(str(headers.get(name, "")).split())  # unfolded, as any hop may refold
        digest.update(f"{name}:{value}\n".encode("utf-8", "surrogateescape"))
    digest.update(b"\n")
    digest.update(_body(data).replace(b"\r\n", b"\n").rstrip(b"\r\n"))
    return digest.hexdigest()[:DIGEST_CHARS]


def _body(data: bytes) -> bytes:
    end = _HEADER_END.search(data)
    return data[end.end() :] if end else b""
