"""What parsing one message came to, wherever it ran: the message, or the reason there is none
(and which budget, if any, it went over)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from .parsing import MailParseError, ParsedMessage

log = logging.getLogger(__name__)

ParseFunction = Callable[[bytes], ParsedMessage]

TIME = "time"
MEMORY = "memory"
READY = "ready"  # what a parser process says once it has loaded the parser


@dataclass(frozen=True)
class ParseOutcome:
    """A parsed message, or why there is none. ``budget`` names the limit a message went over
    (``"time"`` or ``"memory"``); ``peak_mb`` is the parser process's peak while on it."""

    message: ParsedMessage | None
    error: str | None = None
    budget: str | None = None
    seconds: float = 0.0
    peak_mb: float | None = None


def parse_here(parse: ParseFunction, data: bytes) -> ParseOutcome:
    """Parse in this process; whatever a parser raises becomes the outcome's reason."""
    started = time.perf_counter()
    try:
        message = parse(data)
    except MailParseError as error:
        return ParseOutcome(None, str(error), seconds=time.perf_counter() - started)
    except MemoryError:
        elapsed = time.perf_counter() - started
        return ParseOutcome(None, "memory budget exceeded while parsing", MEMORY, elapsed)
    except Exception as error:  # a parser bug must quarantine the mail, not stop ingest
        log.warning("parser failed", exc_info=True)
        reason = f"{type(error).__name__}: {error}"
        return ParseOutcome(None, reason, seconds=time.perf_counter() - started)
    return ParseOutcome(message, seconds=time.perf_counter() - started)


def over_budget(budget: str, limit: float) -> str:
    """The quarantine reason for a message over a budget (``limit`` in seconds or bytes)."""
    if budget == TIME:
        return f"time budget exceeded: parsing took over {limit:g} s"
    return f"memory budget exceeded: parsing needed over {limit / 2**20:,.0f} MB"
