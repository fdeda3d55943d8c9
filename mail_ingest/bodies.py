"""Walking a MIME tree: the best text, an HTML copy, attachments (TNEF and enclosed mail too)."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email import policy
from email.message import Message

from charset_normalizer import CharsetMatch, from_bytes
from tnefparse import TNEF

from helpdesk.core.inbound_mail import InboundAttachment

from . import limits
from .headers import decode_value, header_text
from .html_text import html_over_limits, html_to_text
from .mime_tree import Budget, leaf_parts, parse_mime

log = logging.getLogger(__name__)

MAX_ENCLOSED_DEPTH = 5  # forwarded inside forwarded inside...: enough for real mail, bounded
# Machine-readable parts of reports (bounces, read receipts): read by machine_mail, not files.
REPORT_PARTS = {
    "message/delivery-status",
    "text/rfc822-headers",
    "message/disposition-notification",
    "message/feedback-report",
}


@dataclass
class Bodies:
    text: str = ""  # the message's own text
    html: str | None = None
    attachments: list[InboundAttachment] = field(default_factory=list)
    forwarded: list[str] = field(default_factory=list)  # text of enclosed messages


def decode_bytes(payload: bytes, declared: str | None) -> str:
    """The text of a part, even when its declared charset is wrong, unknown or missing."""
    if declared:
        try:
            return payload.decode(declared)
        except (LookupError, ValueError):  # unknown, lying or garbled ("utf\0-8") label
            pass
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return _guess_decode(payload)


# Charsets in the order they are met in real mail. charset-normalizer often rates a rare one a
# hair above the right one (French in cp1257 rather than cp1252); near-ties go to the common one.
_PREVALENCE = [
    "cp1252",
    "latin_1",
    "iso8859_15",
    "cp1251",
    "koi8_r",
    "koi8_u",
    "shift_jis",
    "cp932",
    "euc_jp",
    "iso2022_jp",
    "gb18030",
    "gbk",
    "gb2312",
    "big5",
    "big5hkscs",
    "cp1256",
    "iso8859_6",
    "euc_kr",
    "cp949",
    "cp1250",
    "iso8859_2",
    "cp1253",
    "cp1254",
    "cp1255",
    "cp1257",
    "cp874",
    "tis_620",
]
_NEAR_TIE = 0.05


def _guess_decode(payload: bytes) -> str:
    matches = list(from_bytes(payload))
    if not matches:
        return payload.decode("latin-1")  # every byte is some character: nothing is lost
    least_chaos = min(match.chaos for match in matches)
    near = [match for match in matches if match.chaos - least_chaos <= _NEAR_TIE]

    def rank(match: CharsetMatch) -> int:
        encoding = match.encoding.lower()
        return _PREVALENCE.index(encoding) if encoding in _PREVALENCE else len(_PREVALENCE)

    return str(min(near, key=rank))


def safe_filename(name: str, default: str = "attachment") -> str:
    """Untrusted: keep the last path component, drop control characters, bound the length."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c for c in name if c.isprintable()).strip().lstrip(".")
    return name[:200] or default


def _filename(part: Message) -> str | None:
    """RFC 2231 (collapsed by the stdlib) or RFC 2047 words (as Outlook writes them)."""
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - a mangled RFC 2231 parameter must not lose the part
        return None
    return decode_value(name) if name else None


def _is_attachment(part: Message) -> bool:
    disposition = part.get_content_disposition()
    if disposition == "attachment":
        return True
    return _filename(part) is not None and part.get_content_maintype() != "text"


def extract_bodies(message: Message, depth: int = 0, budget: Budget | None = None) -> Bodies:
    """First text/plain wins; an HTML-only mail gets text made from its HTML. Enclosed messages
    are kept as .eml attachments and their text collected in ``forwarded``. Within the limits
    of :mod:`.limits`: what lies beyond them is noted in ``budget.dropped``."""
    found = Bodies()
    budget = budget or Budget()
    plain: str | None = None
    for part in leaf_parts(message, budget):
        content_type = part.get_content_type()
        if content_type in REPORT_PARTS:
            continue
        if part.get_content_maintype() == "multipart":  # its boundary never came: it is text
            plain = plain or _defective_multipart_text(part)
        elif content_type == "message/rfc822":
            found.forwarded.append(_enclosed(part, found, depth, budget))
        elif content_type == "application/ms-tnef":
            _unpack_tnef(part, found, budget)
        elif _is_attachment(part) or part.get_content_maintype() != "text":
            _add_attachment(part, found, budget)
        elif content_type == "text/plain" and plain is None:
            plain = _body_text(part, found, budget, "message.txt")
        elif content_type == "text/html" and found.html is None:
            found.html = _body_text(part, found, budget, "message.html")
        elif content_type not in ("text/plain", "text/html"):
            _add_attachment(part, found, budget)  # text/calendar, text/csv...: keep as a file
    if plain is None or not plain.strip():
        plain = html_to_text(found.html) if found.html else ""
    if found.html and (reason := html_over_limits(found.html)):
        budget.drop(f"{reason}: no formatted copy (kept as message.html)")
        if not any(a.filename == "message.html" for a in found.attachments):
            found.attachments.append(
                InboundAttachment("message.html", "text/html", found.html.encode("utf-8"))
            )
        found.html = None
    found.text = _bounded_text(plain.replace("\r\n", "\n").strip(), budget)
    found.forwarded = [text for text in found.forwarded if text]
    return found


def _body_text(part: Message, found: Bodies, budget: Budget, name: str) -> str:
    """A text body; one too long for a ticket's text is kept whole as a file and read in part."""
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    if len(payload) > limits.MAX_TEXT_BYTES or payload.count(b"\n") > limits.MAX_TEXT_LINES:
        budget.drop(f"a text body too long for a ticket (kept whole as {name})")
        found.attachments.append(InboundAttachment(name, part.get_content_type(), payload))
        payload = payload[: limits.MAX_TEXT_BYTES]
    return decode_bytes(payload, part.get_content_charset())


def _bounded_text(text: str, budget: Budget) -> str:
    if text.count("\n") <= limits.MAX_TEXT_LINES:
        return text
    budget.drop(f"text after the first {limits.MAX_TEXT_LINES:,} lines")
    return "\n".join(text.split("\n", limits.MAX_TEXT_LINES)[: limits.MAX_TEXT_LINES])


def _defective_multipart_text(part: Message) -> str:
    payload = part.get_payload()
    if not isinstance(payload, str):
        return ""
    return decode_bytes(payload.encode("utf-8", "surrogateescape"), part.get_content_charset())


def _add_attachment(part: Message, found: Bodies, budget: Budget) -> None:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes) or (not payload and _filename(part) is None):
        return
    budget.decoded_bytes += len(payload)
    if budget.decoded_bytes > limits.MAX_DECODED_BYTES:
        budget.drop(f"attachments after the first {limits.MAX_DECODED_BYTES:,} bytes")
        return
    found.attachments.append(
        InboundAttachment(
            safe_filename(_filename(part) or "attachment"),
            part.get_content_type(),
            payload,
            inline=part.get_content_disposition() == "inline",
            content_id=_content_id(part),
        )
    )


def _content_id(part: Message) -> str | None:
    """What an HTML body's ``cid:`` URLs name this part by: the Content-ID without brackets."""
    value = " ".join(str(part.get("Content-ID", "")).split()).strip("<>")
    return value[:255] or None


def _enclosed(part: Message, found: Bodies, depth: int, budget: Budget) -> str:
    inner = part.get_payload()
    inner_message = inner[0] if isinstance(inner, list) and inner else None
    if not isinstance(inner_message, Message):
        return ""
    try:
        raw = inner_message.as_bytes(policy=policy.compat32)
    except Exception:  # noqa: BLE001 - headers too broken to serialize: keep what text there is
        raw = inner_message.as_string(policy=policy.compat32).encode("utf-8", "replace")
    subject = " ".join(header_text(inner_message, "Subject").split())
    name = _filename(part) or f"{subject or 'message'}.eml"
    found.attachments.append(
        InboundAttachment(safe_filename(name, "message.eml"), "message/rfc822", raw)
    )
    if depth >= MAX_ENCLOSED_DEPTH:
        return ""
    reparsed = parse_mime(raw, budget)
    inner = extract_bodies(reparsed, depth + 1, budget)
    found.attachments.extend(inner.attachments)
    found.forwarded.extend(inner.forwarded)
    header = "\n".join(
        f"{name}: {' '.join(header_text(reparsed, name).split())}"
        for name in ("From", "Date", "Subject")
        if header_text(reparsed, name)
    )
    return f"---------- Forwarded message ----------\n{header}\n\n{inner.text}".strip()


def _unpack_tnef(part: Message, found: Bodies, budget: Budget) -> None:
    """Outlook's winmail.dat: its files become real attachments; the original is kept too."""
    _add_attachment(part, found, budget)
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return
    try:
        tnef = TNEF(payload)
        for attachment in tnef.attachments:
            name = attachment.long_filename() or attachment.name or "attachment"
            found.attachments.append(
                InboundAttachment(
                    safe_filename(str(name)), "application/octet-stream", bytes(attachment.data)
                )
            )
    except Exception:
        log.info("could not unpack a TNEF attachment", exc_info=True)
