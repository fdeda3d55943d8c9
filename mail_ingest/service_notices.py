"""Notices from mail services, read for what they report: Amazon SES bounce notifications that
arrive by mail through SNS, as JSON (alone, or wrapped in SNS's envelope)."""

from __future__ import annotations

import json
from email.message import Message
from typing import Any

from .headers import raw_header
from .machine_mail import DeliveryReport

_SERVICE_DOMAINS = ("sns.amazonaws.com", "amazonses.com")
MAX_CHARS = 256 * 1024


def ses_notification(message: Message, from_email: str) -> DeliveryReport | None:
    """An SES "Bounce" notification: a permanent one is a bounce of the message it names (by the
    Message-ID our mail carried), a transient one a delay. Complaints and deliveries: None."""
    domain = from_email.rpartition("@")[2]
    from_service = any(domain == d or domain.endswith("." + d) for d in _SERVICE_DOMAINS)
    if not from_service and raw_header(message, "X-Amz-Sns-Message-Id") is None:
        return None
    notice = _json_body(message)
    if isinstance(notice.get("Message"), str):  # SNS's envelope around the SES notice
        notice = _loads(notice["Message"])
    kind = notice.get("notificationType") or notice.get("eventType")
    bounce = notice.get("bounce")
    if kind != "Bounce" or not isinstance(bounce, dict):
        return None
    recipients = tuple(
        str(r.get("emailAddress", "")).lower()[:254]
        for r in bounce.get("bouncedRecipients") or []
        if isinstance(r, dict) and r.get("emailAddress")
    )
    reason = " ".join(str(bounce.get(k, "")) for k in ("bounceType", "bounceSubType")).strip()
    return DeliveryReport(
        bounce.get("bounceType") == "Permanent", _original_id(notice), reason[:500], recipients
    )


def _original_id(notice: dict[str, Any]) -> str | None:
    """The Message-ID our mail carried (SES's own id for it is another thing)."""
    mail = _dict(notice.get("mail"))
    value = _dict(mail.get("commonHeaders")).get("messageId")
    headers = mail.get("headers")
    headers = headers if isinstance(headers, list) else []
    named = [
        _dict(h).get("value") for h in headers if str(_dict(h).get("name")).lower() == "message-id"
    ]
    value = str(value or next(iter(named), "") or "").strip()
    if value and not value.startswith("<"):
        value = f"<{value}>"
    return value if 2 < len(value) <= 998 and " " not in value else None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _json_body(message: Message) -> dict[str, Any]:
    for part in message.walk():
        if part.get_content_type() in ("text/plain", "application/json"):
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes):
                text = payload[:MAX_CHARS].decode("utf-8", "replace")
                start, end = text.find("{"), text.rfind("}")
                if 0 <= start < end:
                    return _loads(text[start : end + 1])
    return {}


def _loads(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}
