"""Inbound SMTP/LMTP (aiosmtpd): accepts mail for our addresses only, 250 as soon as it is stored
(never later: processing happens afterwards, elsewhere)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from .smtp_data import ChunkedDataLMTP, ChunkedDataSMTP

Deliver = Callable[[bytes, str], object]


class AcceptedRecipients:
    """Exact addresses and whole domains the helpdesk answers for; never an open relay."""

    def __init__(self, addresses: Iterable[str], domains: Iterable[str] = ()) -> None:
        self.addresses = {a.strip().lower() for a in addresses if a.strip()}
        self.domains = {d.strip().lower().lstrip("@") for d in domains if d.strip()}

    def __contains__(self, address: str) -> bool:
        address = address.strip().lower()
        return address in self.addresses or address.rpartition("@")[2] in self.domains


class InboundHandler:
    """aiosmtpd handler. ``deliver(bytes, source)`` stores and commits a message, raising if it
    could not, and leaves processing to others; it runs in a thread so the event loop never
    blocks, and so one sender's storing never waits for another's."""

    def __init__(
        self, deliver: Deliver, recipients: AcceptedRecipients, *, lmtp: bool = False
    ) -> None:
        self.deliver = deliver
        self.recipients = recipients
        self.lmtp = lmtp  # LMTP answers DATA once per recipient

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address not in self.recipients:
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        data = envelope.original_content or b""
        if isinstance(data, str):
            data = data.encode("utf-8", "surrogateescape")
        source = f"smtp:{session.peer[0] if session.peer else 'unknown'}"
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, self.deliver, data, source)
            status = "250 2.0.0 Message accepted"
        except Exception:  # noqa: BLE001 - any storage failure means "try again later"
            status = "451 4.3.0 Could not store the message; please retry"
        return "\r\n".join([status] * len(envelope.rcpt_tos)) if self.lmtp else status


class _SMTPController(Controller):
    def factory(self) -> SMTP:
        return ChunkedDataSMTP(self.handler, **self.SMTP_kwargs)


class _LMTPController(Controller):
    def factory(self) -> SMTP:
        return ChunkedDataLMTP(self.handler, **self.SMTP_kwargs)


def make_controller(
    handler: InboundHandler, host: str, port: int, *, max_bytes: int, lmtp: bool = False
) -> Controller:
    """A started-on-demand server thread; call ``.start()`` and ``.stop()``."""
    kwargs: dict[str, Any] = {"data_size_limit": max_bytes, "ident": "Polyglot Desk"}
    controller_class = _LMTPController if lmtp else _SMTPController
    return controller_class(handler, hostname=host, port=port, **kwargs)
