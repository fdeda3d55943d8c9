"""The baseline every ingest figure is compared with: bare stdlib parsing with body extraction."""

from __future__ import annotations

import email
from email import policy


def bare_parse_and_extract(data: bytes) -> str:
    """compat32 parse, first text part decoded: the least any ingester must do."""
    message = email.message_from_bytes(data, policy=policy.compat32)
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                return payload.decode(part.get_content_charset() or "utf-8", "replace")
    return ""
