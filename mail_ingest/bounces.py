"""Delivery reports: which of our messages failed to arrive, for whom, and why. Standard reports
(RFC 3464 DSNs, rejection MDNs) are read here; the many non-standard ones (qmail, Exim, Exchange,
Yahoo, vendor gateways...) by GNU Mailman's flufl.bounce, consulted only for mail whose headers
already look like a bounce: it is slow on big messages and wrong on some people's mail."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from email.message import Message

from flufl.bounce import all_failures

from .headers import header_text, raw_header
from .machine_mail import DeliveryReport, daemon_sender, failure_subject_kind, suggests_bounce
from .mime_tree import Budget, parse_mime
from .service_notices import ses_notification

log = logging.getLogger(__name__)

_MESSAGE_ID = re.compile(r"<[\x21-\x3b\x3d\x3f-\x7e]+>")
_QUOTED_MESSAGE_ID = re.compile(
    r"^[ \t>]*(?:Original-)?Message-ID:[ \t]*(?:\r?\n[ \t]+)?(<[\x21-\x3b\x3d\x3f-\x7e]+>)",
    re.IGNORECASE | re.MULTILINE,
)
_FIELD = re.compile(r"^([A-Za-z-]+):[ \t]*(.*)$", re.MULTILINE)
_ADDRESS = re.compile(r"[^\s<>;:\"]+@[^\s<>;:\"]+")
# What mail servers write atop a bounce, and people do not.
_MTA_BOILERPLATE = re.compile(
    r"created automatically by mail delivery software|this is the mail system at host"
    r"|this is the qmail-send program|the following (mail|message) could not be delivered"
    r"|delivery has failed to these recipients|delivery to the following recipients? failed"
    r"|message from interscan|could not be delivered to one or more of its recipients",
    re.IGNORECASE,
)
_RETURNED = {"message/rfc822", "text/rfc822-headers", "message/rfc822-headers"}
SCAN_BYTES = 256 * 1024  # the explanation comes first; flufl.bounce costs about 1 s per MB
TEXT_CHARS = 64 * 1024


def find_delivery_report(
    message: Message, from_email: str, raw: bytes = b""
) -> DeliveryReport | None:
    """The delivery report this message is, if it is one. A complaint (ARF feedback report) is
    machine mail about our mail but reports no failed delivery: it is not one."""
    if _report_type(message) == "feedback-report":
        return None
    report = _dsn(message)
    if report is None and message.get_content_type() == "multipart/report":
        report = _rejection_mdn(message)
    if report is None:
        report = ses_notification(message, from_email)
    if report is None and suggests_bounce(message, from_email):
        report = _wrapped_dsn(message) or _text_bounce(message, from_email, raw)
    return report


def find_bounce(message: Message, from_email: str = "", raw: bytes = b"") -> DeliveryReport | None:
    """A permanent failure: the mail it reports on must be marked failed."""
    report = find_delivery_report(message, from_email, raw)
    return report if report is not None and report.failed else None


def _report_type(message: Message) -> str:
    value = message.get_param("report-type") if message.is_multipart() else None
    return value.lower() if isinstance(value, str) else ""


def _parts(message: Message, into_messages: bool = False) -> Iterator[Message]:
    """The parts of a message, not those of mail attached to it (a person forwarding a bounce
    as an attachment has not bounced anything) unless asked."""
    yield message
    if not message.is_multipart():  # a leaf: its payload (decoded by a lying charset) is not read
        return
    payload = message.get_payload()
    if isinstance(payload, list) and (
        into_messages or message.get_content_type() != "message/rfc822"
    ):
        for part in payload:
            if isinstance(part, Message):
                yield from _parts(part, into_messages)


def _dsn(message: Message) -> DeliveryReport | None:
    """RFC 3464: per-recipient Action and Status fields; "failed" (or "error") or a 5.x status is
    a bounce. A report with no such field (some gateways strip them) says nothing: None."""
    blocks = [
        block
        for part in _parts(message)
        if part.get_content_type() == "message/delivery-status"
        for block in _field_blocks(_raw_text(part))
        if "action" in block or "status" in block
    ]
    if not blocks:
        return None
    failures = [
        block
        for block in blocks
        if block.get("action", "").lower().startswith(("fail", "error"))
        or block.get("status", "").startswith("5")
    ]
    first = (failures or blocks)[0]
    status = first.get("status", "").split(" ")[0]
    reason = " ".join(filter(None, [status, first.get("diagnostic-code", "")])).strip()
    failed = [address for block in failures for address in _recipient(block)[:1]]
    if not failures:  # "delayed" (4.x) or "delivered" (2.x): machine mail, nothing bounced
        return DeliveryReport(False, None, reason or "delayed")
    return _report(message, reason or "delivery failed", failed)


def _recipient(block: dict[str, str]) -> list[str]:
    """The address as we wrote it (Original-Recipient) if the report keeps it, else the one the
    last server knew (Final-Recipient): forwarding and aliases rewrite the latter."""
    for field in ("original-recipient", "final-recipient"):
        kind, _, value = block.get(field, "").rpartition(";")
        if kind.strip().lower() in ("rfc822", "") and _ADDRESS.findall(value):
            return _ADDRESS.findall(value)  # an untyped "<user@host>" is seen too
    return []


def _rejection_mdn(message: Message) -> DeliveryReport | None:
    """A disposition notice that the message was deleted unread by a program (a Sieve reject,
    RFC 5429): a bounce by another name. A person's read receipt is machine mail, not a bounce."""
    for part in _parts(message):
        if part.get_content_type() != "message/disposition-notification":
            continue
        fields = {k: v for block in _field_blocks(_raw_text(part)) for k, v in block.items()}
        disposition = fields.get("disposition", "").lower()
        if disposition.startswith("automatic-action") and "deleted" in disposition:
            original = _MESSAGE_ID.findall(fields.get("original-message-id", ""))
            recipients = _recipient(fields)[:1]
            reason = header_text(message, "Subject") or "rejected"
            return DeliveryReport(
                True, original[0] if original else None, reason, tuple(recipients)
            )
    return None


def _wrapped_dsn(message: Message) -> DeliveryReport | None:
    """A DSN that a gateway forwarded as an attachment of its own notice."""
    for part in _parts(message, into_messages=True):
        if part is not message and part.get_content_type() == "multipart/report":
            return _dsn(part)
    return None


def _text_bounce(message: Message, from_email: str, raw: bytes) -> DeliveryReport | None:
    temporary, permanent = _scan(message, raw)
    subject = header_text(message, "Subject")
    kind = failure_subject_kind(subject)
    explicit = [
        a.strip() for a in header_text(message, "X-Failed-Recipients").split(",") if a.strip()
    ]
    if permanent or explicit:
        return _report(message, subject or "delivery failed", explicit or permanent)
    if temporary or kind == "warning":
        return DeliveryReport(False, None, subject or "delayed")
    if kind == "failure" and (daemon_sender(message, from_email) or _boilerplate(message)):
        return _report(message, subject, [])  # says it failed, names nobody (InterScan, JetMail)
    return None


def _boilerplate(message: Message) -> bool:
    for part in _parts(message):
        if part.get_content_type() == "text/plain":
            return bool(_MTA_BOILERPLATE.search(_raw_text(part)[:4096]))
    return False


def _scan(message: Message, raw: bytes) -> tuple[list[str], list[str]]:
    """flufl.bounce's detectors, on at most SCAN_BYTES of the message. They raise on some
    malformed headers; a detector that fails finds nothing."""
    if len(raw) > SCAN_BYTES:  # parsed within the parser's limits (no deep recursion)
        message = parse_mime(raw[:SCAN_BYTES], Budget())
    try:
        temporary, permanent = all_failures(message)
    except Exception:
        log.debug("flufl.bounce failed on a message", exc_info=True)
        return [], []
    decode = lambda found: sorted(a.decode("utf-8", "replace") for a in found)  # noqa: E731
    return decode(temporary), decode(permanent)


def _report(message: Message, reason: str, failed: list[str]) -> DeliveryReport:
    recipients = tuple(dict.fromkeys(a.strip("<>").lower()[:254] for a in failed))
    reason = reason[:500].replace("\x00", "\ufffd")
    return DeliveryReport(True, original_message_id(message), reason, recipients)


def original_message_id(message: Message) -> str | None:
    """The Message-ID of the mail a report returns: from the returned message or its headers
    (message/rfc822, text/rfc822-headers), else from headers quoted in the text of the notice,
    else the message it says it replies to."""
    for part in _parts(message, into_messages=True):
        if part is message:
            continue
        content_type = part.get_content_type()
        if content_type in _RETURNED:
            found = _returned_id(part)
        elif part.get_content_maintype() == "text" and content_type != "text/html":
            found = next(iter(_QUOTED_MESSAGE_ID.findall(_raw_text(part)[:TEXT_CHARS])), None)
        else:
            continue
        if found:
            return found
    if not message.is_multipart():
        quoted = _QUOTED_MESSAGE_ID.findall(_raw_text(message)[:TEXT_CHARS])
        if quoted:
            return str(quoted[0])
    replied = _MESSAGE_ID.findall(raw_header(message, "In-Reply-To") or "")
    return replied[0] if replied else None


def _returned_id(part: Message) -> str | None:
    payload = part.get_payload()
    if isinstance(payload, list) and payload and isinstance(payload[0], Message):
        ids = _MESSAGE_ID.findall(raw_header(payload[0], "Message-ID") or "")
        return ids[0] if ids else None
    return next(iter(_QUOTED_MESSAGE_ID.findall(_raw_text(part)[:TEXT_CHARS])), None)


def _field_blocks(text: str) -> list[dict[str, str]]:
    """A delivery-status body as blocks of lower-cased fields (per message, per recipient)."""
    blocks = []
    for chunk in re.split(r"\r?\n[ \t]*\r?\n", text):
        fields: dict[str, str] = {}
        for name, value in _FIELD.findall(re.sub(r"\r?\n[ \t]+", " ", chunk)):
            fields.setdefault(name.lower(), value.strip())
        if fields:
            blocks.append(fields)
    return blocks


def _raw_text(part: Message) -> str:
    """The body of a part as text, whatever the stdlib made of it (it parses some as messages)."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return "\n\n".join(p.as_string() if isinstance(p, Message) else str(p) for p in payload)
    decoded = part.get_payload(decode=True)
    return decoded.decode("utf-8", "replace") if isinstance(decoded, bytes) else str(payload)
