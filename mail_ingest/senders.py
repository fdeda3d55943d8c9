"""Who sent a mail: an address a reply can go to, salvaged the way forgiving mail readers do,
and the display name, which is untrusted text.

Real mail often breaks RFC 5322 in its sender headers: ``Test test@example.com`` with no angle
brackets, ``"Joe" <"joe@x.org">``, ``Joe <joe@x.org`` with the bracket never closed, a bare
``MAILER-DAEMON``, or ``Return-Path: <>``. The address is always searched for in the raw header,
never in decoded text: an encoded word in a display name can hide commas, angle brackets or a
whole second address, and decoding it first would let the name choose where replies go. Every
candidate is validated; no candidate at all is a valid answer (the mail is then a ticket with
no reply address)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from email.message import Message
from email.utils import getaddresses

from .headers import decode_value, raw_header

# In order of trust. Return-Path and X-Envelope-From are the envelope sender as the delivering
# server saw it; X-Original-From/-Sender keep the author where a list rewrote From. A
# Received "for" clause names a recipient, not the sender, so it is never used.
SENDER_HEADERS = (
    "From",
    "Sender",
    "Reply-To",
    "Return-Path",
    "X-Envelope-From",
    "X-Original-From",
    "X-Original-Sender",
)
MAX_ADDRESS_CHARS = 254  # RFC 5321 path limit, and the column's width
MAX_LOCAL_CHARS = 64
MAX_NAME_CHARS = 200  # the contact name column's width
_STDLIB_MAX_CHARS = 16_384  # longer values skip the stdlib parser (its cost grows with them)
_STDLIB_MAX_NESTING = 64
_NAME_INPUT_CHARS = 4 * MAX_NAME_CHARS  # enough raw text to fill a name after decoding

_LOCAL_FORBIDDEN = set('"(),:;<>@[\\]')
_LABEL = re.compile(r"^(?!-)[\w-]{1,63}(?<!-)$")
_IP_LITERAL = re.compile(r"^\[(?:\d{1,3}\.){3}\d{1,3}\]$")
_TOKEN_SPLIT = re.compile(r"[\s,;:<>()]+")
# Embeddings, overrides and isolates reorder the text around them: never from a stranger.
_BIDI_CONTROLS = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAME_EDGES = " \"'<>(),;:"


@dataclass(frozen=True)
class Sender:
    address: str  # lower-cased and validated; "" when no header holds a usable one
    name: str  # display text, cleaned and bounded; may be ""
    header: str | None = None  # the header the address came from


def find_sender(message: Message) -> Sender:
    """The first usable address in SENDER_HEADERS, with the name given beside it (or the first
    name any of them gave, such as ``MAILER-DAEMON``)."""
    first_name = ""
    for header in SENDER_HEADERS:
        value = raw_header(message, header)
        if not value:
            continue
        address, name = parse_mailbox(value)
        if address:
            return Sender(address, name or first_name, header)
        first_name = first_name or name
    return Sender("", first_name)


def parse_mailbox(value: str) -> tuple[str, str]:
    """(address, display name) from one raw header value; "" for what it does not hold. A
    well-formed value is the stdlib's to parse; anything else is salvaged."""
    parsed = safe_getaddresses([value])
    address = normalized_address(parsed[0][1]) if len(parsed) == 1 else ""
    if address:
        return address, display_name(parsed[0][0])
    for candidate in _salvaged_candidates(value):
        address = normalized_address(candidate)
        if address:
            return address, display_name(_remainder(value, candidate))
    if len(parsed) == 1 and parsed[0][0]:  # ``"Joe" <c@d>``: a name, and no usable address
        return "", display_name(parsed[0][0])
    unbracketed = re.sub(r"<[^<>]*>?", " ", value)
    return "", display_name(unbracketed if unbracketed.strip() else value)


def safe_getaddresses(values: list[str]) -> list[tuple[str, str]]:
    """The stdlib's ``getaddresses``, on values it can take: it recurses once per comment
    parenthesis or group colon (3,000 of them raise RecursionError) and slows with length."""
    text = ", ".join(values)
    if len(text) > _STDLIB_MAX_CHARS or text.count("(") + text.count(":") > _STDLIB_MAX_NESTING:
        return []
    return getaddresses([text])


def recipient_addresses(values: list[str]) -> list[str]:
    """The addresses in recipient headers (To, Cc…), lower-cased, in order; as lenient as
    matching them against our mailboxes needs, and safe on any value."""
    parsed = safe_getaddresses(values)
    candidates = [c for _, c in parsed] if parsed else _words_with_at(" ".join(values))
    found = (_eight_bit_as_text(c).strip().strip('"').lower() for c in candidates)
    return [a for a in found if "@" in a and not any(c.isspace() for c in a)]


def normalized_address(candidate: str) -> str:
    """``candidate`` lower-cased if it is a plausible address, else ""."""
    address = _eight_bit_as_text(candidate).strip().strip('"').strip().lower()
    address = address.removeprefix("mailto:")
    address = address.removesuffix(".")
    return address if is_plausible_address(address) else ""


def is_plausible_address(address: str) -> bool:
    """One @, a local part a server accepts, a domain of letter/digit labels with a dot (or an
    IPv4 literal), no whitespace or control characters, bounded. Forgiving where mailers are
    (``john..doe``, international addresses), strict where a reply would surely fail."""
    if not 3 <= len(address) <= MAX_ADDRESS_CHARS or address.count("@") != 1:
        return False
    local, domain = address.split("@")
    if not 0 < len(local) <= MAX_LOCAL_CHARS or _LOCAL_FORBIDDEN & set(local):
        return False
    if not address.isprintable() or " " in address or "\ufffd" in address:
        return False  # control, format (bidi) or line-breaking characters, or undecodable bytes
    if _IP_LITERAL.match(domain):
        return all(int(part) < 256 for part in domain[1:-1].split("."))
    labels = domain.split(".")
    return (
        len(labels) >= 2
        and all(_LABEL.match(label) for label in labels)
        and not labels[-1].isdigit()
    )


def display_name(raw: str) -> str:
    """Decoded, one line, no control or reordering characters, no stray quotes or brackets
    at its edges, at most MAX_NAME_CHARS."""
    text = decode_value(raw[:_NAME_INPUT_CHARS])
    if not text.isprintable():  # rare: control, format or line-breaking characters
        text = "".join(" " if c.isspace() else c for c in text if c.isspace() or _shown(c))
    return " ".join(text.split()).strip(_NAME_EDGES)[:MAX_NAME_CHARS].strip()


def _shown(char: str) -> bool:
    """Kept in a name: not a control character, nor one that reorders or hides text (joiners,
    which scripts such as Arabic, Persian and Hindi need, stay)."""
    return unicodedata.category(char) != "Cc" and char not in _BIDI_CONTROLS and char != "\ufeff"


def _eight_bit_as_text(value: str) -> str:
    """Raw 8-bit bytes arrive as surrogates: in an address they can only be UTF-8 (RFC 6532);
    anything else becomes U+FFFD, which no address passes with."""
    try:
        return value.encode("ascii", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # already text
        return value


def _salvaged_candidates(text: str) -> list[str]:
    """Addresses as a forgiving reader finds them. Quoted strings are display names: what is
    in angle brackets outside them comes first, then bare words with an @. Only with no angle
    brackets at all is a quoted address taken (``"joe@x.org"``); unbalanced quotes are strays."""
    balanced = text.count('"') % 2 == 0
    outside = re.sub(r'"[^"]*"', " ", text) if balanced else text.replace('"', " ")
    bracketed = _bracketed(outside)
    if bracketed:
        return bracketed
    candidates = _words_with_at(outside)
    if not candidates and balanced:
        candidates = _words_with_at(text.replace('"', " "))
    return candidates


def _bracketed(text: str) -> list[str]:
    """What follows each ``<``, up to ``>`` (or where an unclosed one's word ends)."""
    found = []
    for piece in text.split("<")[1:]:
        inside = piece.split(">", 1)[0].strip()
        found.append(inside.split()[0] if inside else "")
    return [item for item in found if item]


def _words_with_at(text: str) -> list[str]:
    return [word for word in _TOKEN_SPLIT.split(text) if "@" in word]


def _remainder(text: str, address: str) -> str:
    """The header without the address: what is left is the display name."""
    text = text.replace(f"<{address}>", " ", 1).replace(address, " ", 1)
    return text.replace("<>", " ")
