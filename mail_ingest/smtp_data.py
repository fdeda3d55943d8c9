"""SMTP DATA read in chunks, not line by line.

aiosmtpd reads DATA one line at a time on the event loop, keeping a bytearray per line: 30 MB of
three-byte lines (quoted-printable soft breaks) took it about a minute of the loop and over half
a gigabyte, and every other session on the listener waited. Here the message is read in whatever
chunks arrive, the end found with one search per chunk, and dot-stuffing undone in one pass; the
size and line-length limits and their answers stay as aiosmtpd has them."""

from __future__ import annotations

import asyncio
import re

from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import MISSING, SMTP

END = b"\r\n.\r\n"
READ_ALL = 1 << 30  # take everything buffered, so whatever follows the end can be put back
TOO_MUCH = "552 Error: Too much mail data"
TOO_LONG = "500 Line too long (see RFC5321 4.5.3.1.6)"


async def read_data(
    reader: asyncio.StreamReader, size_limit: int | None, line_limit: int
) -> tuple[bytes | None, str | None]:
    """The message, dot-stuffing undone; or None and the status refusing it (read to its end
    all the same, as RFC 5321 asks); (None, None) when the connection ends first."""
    buffer = bytearray(b"\r\n")  # the CRLF that ended "DATA": a first line "." ends it too
    searched, too_much = 0, False
    while (end := buffer.find(END, searched)) < 0:
        if size_limit and len(buffer) > size_limit + len(END) + 2:
            too_much = True
            del buffer[: -(len(END) - 1)]  # keep only what could be the start of the end
        searched = max(0, len(buffer) - len(END) + 1)
        chunk = await reader.read(READ_ALL)
        if not chunk:
            return None, None
        buffer += chunk
    if leftover := buffer[end + len(END) :]:
        reader.feed_data(bytes(leftover))  # a client that did not wait for our answer
    if too_much:
        return None, TOO_MUCH
    content = bytes(buffer[: end + 2]).replace(b"\r\n.", b"\r\n")[2:]
    # anchored at line starts, so the search stays linear (unanchored, every position of a long
    # line would start a new attempt: minutes with the GIL held on 20 MB of 990-byte lines)
    if re.search(rb"^[^\r\n]{%d}" % (line_limit - 1), content, re.MULTILINE):
        return None, TOO_LONG
    return content, None


class ChunkedDataSMTP(SMTP):
    """aiosmtpd's SMTP with DATA read by ``read_data``; everything else as aiosmtpd does it."""

    async def smtp_DATA(self, arg: str) -> None:
        if await self.check_helo_needed() or await self.check_auth_needed("DATA"):
            return
        assert self.envelope is not None
        if not self.envelope.rcpt_tos:
            await self.push("503 Error: need RCPT command")
            return
        if arg:
            await self.push("501 Syntax: DATA")
            return
        await self.push("354 End data with <CR><LF>.<CR><LF>")
        content, refusal = await read_data(
            self._reader, self.data_size_limit, self.line_length_limit
        )
        if content is None:
            self._set_post_data_state()
            if refusal:
                await self.push(refusal)
            return
        self.envelope.content = self.envelope.original_content = content
        status = await self._call_handler_hook("DATA")
        self._set_post_data_state()
        await self.push("250 OK" if status is MISSING else status)


class ChunkedDataLMTP(ChunkedDataSMTP, LMTP):
    """LMTP (LHLO instead of HELO/EHLO) with the same DATA reading."""
