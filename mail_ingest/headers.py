"""Header values as text. Parsing uses the fast compat32 policy, so decoding is done here, once,
leniently: RFC 2047 encoded words, raw 8-bit UTF-8 (or legacy charsets), broken words kept."""

from __future__ import annotations

import re
from email.errors import MessageError  # HeaderParseError, CharsetError...
from email.header import decode_header, make_header
from email.message import Message

from charset_normalizer import from_bytes

_ENCODED_WORD = re.compile(r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?=")


def raw_header(message: Message, name: str) -> str | None:
    """The header exactly as it arrived (8-bit bytes as surrogates), first occurrence."""
    lowered = name.lower()
    for key, value in message.raw_items():
        if key.lower() == lowered:
            return str(value)
    return None


def header_text(message: Message, name: str) -> str:
    """A header decoded to text, unfolded. Never raises."""
    return decode_value(raw_header(message, name))


def decode_value(value: str | None) -> str:
    if not value:
        return ""
    text = _redecode_8bit(value)
    if "=?" in text and _ENCODED_WORD.search(text):
        try:
            text = str(make_header(decode_header(text)))
        except (MessageError, LookupError, ValueError, UnicodeError):  # bad words stay as written
            text = _decode_words_one_by_one(text)
    return re.sub(r"\r?\n[ \t]*", " ", text)


def _redecode_8bit(value: str) -> str:
    """Bytes 0x80-0xFF arrive as surrogates: UTF-8 if they are, else the likeliest charset."""
    if not any("\udc80" <= c <= "\udcff" for c in value):
        return value
    raw = value.encode("ascii", "surrogateescape")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        best = from_bytes(raw).best()
        return str(best) if best is not None else raw.decode("latin-1")


def _decode_words_one_by_one(text: str) -> str:
    def decode(match: re.Match[str]) -> str:
        try:
            return str(make_header(decode_header(match.group(0))))
        except (MessageError, LookupError, ValueError, UnicodeError):
            return match.group(0)

    return _ENCODED_WORD.sub(decode, text)


def clean_text(value: str) -> str:
    """Text safe for any database: no NUL (PostgreSQL refuses it), no lone surrogates."""
    return value.replace("\x00", "\ufffd").encode("utf-8", "replace").decode("utf-8")
