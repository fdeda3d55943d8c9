"""Bytes to a MIME tree of bounded size, and its leaf parts walked without recursion.

The stdlib's feed parser recurses once per nesting level and keeps every line as a string while
it reads a part, so crafted mail could exhaust the stack (multiparts 2,000 deep, message/rfc822
200 deep) or memory (30 MB of quoted-printable soft breaks: 964 MB). Here the same parser runs
with limits (:mod:`.limits`): parts nested too deep are not parsed in place but read flat
afterwards, split at the boundaries they declare, so the readable text at the bottom of a deep
tree still makes a ticket; parts past the part limit, lines past the line limit and header
fields past the header limit are dropped, and every drop is noted in ``Budget.dropped``.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.feedparser import BytesFeedParser
from email.message import Message

from . import limits

log = logging.getLogger(__name__)
# (bytes.replace, not a regex: sre keeps state for every repetition of a group: 1.3 GB here)
_SOFT_BREAK_RUNS = [line * limits.QP_SOFT_BREAK_RUN for line in (b"=\r\n", b"=\n")]
_BOUNDARY = re.compile(r'boundary\s*=\s*(?:"([^"\r\n]+)"|([^\s;"]+))', re.IGNORECASE)
_READ_HEADERS = frozenset(
    {
        "from",
        "sender",
        "reply-to",
        "return-path",
        "to",
        "cc",
        "delivered-to",
        "x-original-to",
        "subject",
        "date",
        "message-id",
        "in-reply-to",
        "references",
        "mime-version",
        "content-type",
        "content-transfer-encoding",
        "content-disposition",
        "content-id",
        "content-language",
        "auto-submitted",
        "precedence",
        "list-id",
        "x-autoreply",
        "x-autorespond",
        "x-auto-response-suppress",
    }
)
_FEED_CHUNK = 1024 * 1024  # fed piecewise, the parser's queue of unread lines stays small


@dataclass
class Budget:
    """What one message may still cost, shared by every parse of its bytes (enclosed messages
    are parsed again, deep parts read flat), and what was left unread."""

    parts: int = 0
    salvaged_bytes: int = 0
    decoded_bytes: int = 0
    dropped: list[str] = field(default_factory=list)

    def drop(self, what: str) -> None:
        if what not in self.dropped:
            log.warning("mail over a parsing limit: %s", what)
            self.dropped.append(what)


class BoundedMessage(Message):
    """A compat32 message that the bounded parser may have left unparsed: ``unread`` says why
    ("depth": read flat later; "parts": dropped). Unread parts claim a type nothing handles, so
    neither the parser nor a walker descends into them."""

    unread: str | None = None
    salvaged = False  # read flat from a part nested too deep: containers hold no parts

    def get_content_type(self) -> str:
        return "application/x-unread" if self.unread else super().get_content_type()


class _BoundedParser(BytesFeedParser):
    def __init__(self, budget: Budget) -> None:
        super().__init__(_factory=BoundedMessage, policy=policy.compat32)
        self.budget = budget

    def _parse_headers(self, lines: list[str]) -> None:
        if len(lines) > limits.MAX_HEADER_FIELDS:
            lines = _bounded_header_lines(lines, self.budget)
        super()._parse_headers(lines)  # type: ignore[misc]
        current: BoundedMessage = self._cur  # type: ignore[attr-defined]
        self.budget.parts += 1
        if self.budget.parts > limits.MAX_PARTS:
            current.unread = "parts"
            self.budget.drop(f"parts after the first {limits.MAX_PARTS:,}")
        elif len(self._msgstack) > limits.MAX_MIME_DEPTH and (  # type: ignore[attr-defined]
            current.get_content_maintype() in ("multipart", "message")
        ):
            current.unread = "depth"


def _bounded_header_lines(lines: list[str], budget: Budget) -> list[str]:
    """The first header fields, then only those the parser reads (a flood of junk fields would
    make every header look-up slow)."""
    kept: list[str] = []
    fields = 0
    keep = True
    for line in lines:
        if line[:1] not in (" ", "\t"):
            fields += 1
            name = line.split(":", 1)[0].strip().lower()
            keep = fields <= limits.MAX_HEADER_FIELDS or name in _READ_HEADERS
        if keep:
            kept.append(line)
    budget.drop(f"header fields after the first {limits.MAX_HEADER_FIELDS:,}")
    return kept


def parse_mime(data: bytes, budget: Budget) -> BoundedMessage:
    """Parse like ``email.message_from_bytes`` with compat32, within the budget's limits."""
    data = _bounded_lines(data, budget)
    parser = _BoundedParser(budget)
    for start in range(0, len(data), _FEED_CHUNK):
        parser.feed(data[start : start + _FEED_CHUNK])
    message = parser.close()
    assert isinstance(message, BoundedMessage)
    return message


def _bounded_lines(data: bytes, budget: Budget) -> bytes:
    for run in _SOFT_BREAK_RUNS:  # quoted-printable soft breaks decode to nothing: none lost
        while run in data:
            data = data.replace(run, run[: len(run) // limits.QP_SOFT_BREAK_RUN])
    if data.count(b"\n") <= limits.MAX_LINES:
        return data
    end = -1
    for _ in range(limits.MAX_LINES):
        end = data.find(b"\n", end + 1)
    budget.drop(f"lines after the first {limits.MAX_LINES:,} ({len(data) - end - 1:,} bytes)")
    return data[: end + 1]


def leaf_parts(message: Message, budget: Budget) -> Iterator[Message]:
    """Leaf parts in order, enclosed messages whole (message/rfc822 is not descended into), with
    parts nested too deep read flat in their place. A loop over a stack, never recursion."""
    stack: list[Message] = [message]
    while stack:
        part = stack.pop()
        unread = getattr(part, "unread", None)
        salvaged = getattr(part, "salvaged", False)
        if unread == "depth":
            stack.extend(reversed(list(_read_flat(part, budget))))
        elif unread:
            continue  # past the part limit: noted when it was parsed
        elif part.is_multipart() and (salvaged or part.get_content_type() != "message/rfc822"):
            children = [sub for sub in part.get_payload() if isinstance(sub, Message)]
            for child in children:
                child.salvaged = salvaged  # type: ignore[union-attr]
            stack.extend(reversed(children))
        elif not (salvaged and part.get_content_maintype() == "multipart"):
            yield part  # (a salvaged container's parts were split off: nothing of it is text)


def _read_flat(part: Message, budget: Budget) -> Iterator[BoundedMessage]:
    """The parts inside a part nested too deep: its raw text split at every boundary declared
    in it, each piece parsed on its own (so shallow). Re-reading costs, so it is bounded too."""
    raw = part.get_payload()
    if not isinstance(raw, str):
        return
    budget.salvaged_bytes += len(raw)
    if budget.salvaged_bytes > limits.MAX_SALVAGED_BYTES or budget.parts > limits.MAX_PARTS:
        budget.drop(f"parts nested over {limits.MAX_MIME_DEPTH} deep (too many to read flat)")
        return
    own = part.get_param("boundary")
    boundaries = {m.group(1) or m.group(2) for m in _BOUNDARY.finditer(raw)}
    separators = {"--" + b.strip() for b in boundaries | ({own} if isinstance(own, str) else set())}
    pieces: list[list[str]] = [[]]
    for line in raw.splitlines(keepends=True):
        bare = line.rstrip()
        if bare.startswith("--") and (bare in separators or bare[:-2] in separators):
            pieces.append([])
        else:
            pieces[-1].append(line)
    if isinstance(own, str):
        pieces = pieces[1:]  # the preamble: "This is a multi-part message in MIME format."
    for piece in pieces:
        if piece and not _is_container(piece) and budget.parts <= limits.MAX_PARTS:
            inner = parse_mime("".join(piece).encode("ascii", "surrogateescape"), budget)
            inner.salvaged = True
            yield inner


_MULTIPART = re.compile(r"content-type:\s*multipart/", re.IGNORECASE)


def _is_container(piece: list[str]) -> bool:
    """A multipart whose parts were split off holds nothing to read: skipped without parsing,
    so a tree of 2,000 nested multiparts costs one parse for the text at its bottom."""
    for line in piece:
        if not line.strip():
            return False
        if _MULTIPART.match(line):
            return True
    return False
