"""Parsing under a hard budget: each message is parsed in a child process with a deadline and a
memory ceiling, so no crafted mail can stall ingest or exhaust the server.

The children are few and long-lived. A batch of messages goes over in one write and each result
comes back as soon as it is ready, each with its own deadline; a child over its deadline is
killed, and the rest of the batch carries on in a new one. Normal mail pays one round trip per
batch and the pickling of what was parsed."""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Protocol

from .outcomes import MEMORY, READY, TIME, ParseFunction, ParseOutcome, over_budget, parse_here
from .parser_process import Progress
from .parsing import parse_message

log = logging.getLogger(__name__)

DEFAULT_TARGET = "mail_ingest.parsing:parse_message"


class Parser(Protocol):
    def parse_many(self, items: Sequence[bytes]) -> list[ParseOutcome]:
        """One outcome per message, in order; never raises for a message's sake."""

    def warm_up(self, count: int = 1) -> None:
        """Be ready for ``count`` callers at once before the first message arrives."""


class InProcessParser:
    """No budget: parsing in the caller, for when the budget is turned off."""

    def __init__(self, parse: ParseFunction = parse_message) -> None:
        self.parse = parse

    def parse_many(self, items: Sequence[bytes]) -> list[ParseOutcome]:
        return [parse_here(self.parse, data) for data in items]

    def warm_up(self, count: int = 1) -> None:
        pass


class ParserUnavailable(RuntimeError):
    """No parser process could be started: a fault of the server, not of any message (the mail
    stays pending and is taken again later)."""


STARTUP_SECONDS = 120.0


class _Child:
    """One parser process (``mail_ingest.parser_process``), our end of its socket, and the
    shared page where it says what it is parsing. A fresh interpreter rather than a fork: the
    parent has threads and open database connections."""

    def __init__(self, target: str, memory_mb: int) -> None:
        ours, theirs = socket.socketpair()
        with ours, theirs, tempfile.TemporaryFile() as shared:
            self.connection = Connection(os.dup(ours.fileno()))
            self.progress = Progress(shared.fileno())
            fds = (theirs.fileno(), shared.fileno())
            command = [sys.executable, "-m", "mail_ingest.parser_process", *map(str, fds)]
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
                [*command, str(memory_mb), target],
                pass_fds=fds,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, sys.path))},
            )
        self.target = target

    def wait_ready(self) -> _Child:
        """Starting takes a moment (more on a busy machine), never charged to a message."""
        if not self.connection.poll(STARTUP_SECONDS) or self.connection.recv() != READY:
            self.kill()
            raise ParserUnavailable(f"the parser process did not start ({self.target})")
        return self

    def send(self, items: Sequence[bytes]) -> None:
        self.progress.mark(0)  # unpickling the batch counts towards its first message
        self.connection.send(list(items))

    def kill(self) -> int | None:
        """Stop the process at once; its exit code if it had ended by itself."""
        exitcode = self.process.poll()
        self.process.kill()
        self.process.wait()
        self.connection.close()
        self.progress.memory.close()
        return exitcode

    def stop(self) -> None:
        self.connection.close()  # the child reads end-of-file and leaves
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.progress.memory.close()


Blame = tuple[int, ParseOutcome]  # a message that broke its child: its place, what happened


class BudgetedParser:
    """Parses in child processes, at most ``seconds`` of wall time and ``memory_mb`` of address
    space per message. Thread-safe: each caller takes a child of its own for its batch."""

    def __init__(self, seconds: float, memory_mb: int, target: str = DEFAULT_TARGET) -> None:
        self.seconds, self.memory_mb, self.target = seconds, memory_mb, target
        self._idle: list[_Child] = []
        self._lock = threading.Lock()

    def parse_many(self, items: Sequence[bytes]) -> list[ParseOutcome]:
        results: list[ParseOutcome | None] = [None] * len(items)
        todo = list(range(len(items)))
        while todo:
            done, blamed = self._run([items[i] for i in todo])
            for position, outcome in zip(todo, done, strict=False):
                results[position] = outcome
            if blamed is None:
                break
            offset, outcome = blamed
            results[todo[offset]] = outcome
            # what the child had parsed but not yet sent when it was stopped is parsed again
            todo = todo[len(done) : offset] + todo[offset + 1 :]
        return [outcome for outcome in results if outcome is not None]

    def _run(self, items: Sequence[bytes]) -> tuple[list[ParseOutcome], Blame | None]:
        """Parse in one child until the batch ends or a message breaks the child: the outcomes
        received in order, and the message to blame if it broke."""
        child = self._send(items)
        done: list[ParseOutcome] = []
        charged = (-1, 0.0)  # a message's clock starts when it is handed over, not later
        while len(done) < len(items):
            index, started = child.progress.read()
            if index == charged[0]:
                started = min(started, charged[1])
            charged = (index, started)
            remaining = started + self.seconds - time.monotonic()
            try:
                arrived = remaining > 0 and child.connection.poll(remaining)
                if arrived:
                    done.extend(child.connection.recv())
            except (EOFError, OSError):  # the child died on the message it was on
                index, started = child.progress.read()
                return done, (max(index, len(done)), self._died(child, started))
            if not arrived and child.progress.read()[0] == index:
                peak_mb = _peak_mb(child.process.pid)
                child.kill()
                return done, (max(index, len(done)), self._late(started, peak_mb))
            over = next((i for i, o in enumerate(done) if o.budget is not None), None)
            if over is not None:
                child.kill()
                return done[:over], (over, done[over])
        self._give_back(child)
        return done, None

    def _send(self, items: Sequence[bytes]) -> _Child:
        for _attempt in range(2):
            child = self._take()
            try:
                child.send(items)
                return child
            except OSError:  # the idle child had died meanwhile: the batch goes to a new one
                child.kill()
        raise ParserUnavailable("parser processes die before they can be used")

    def _late(self, started: float, peak_mb: float | None) -> ParseOutcome:
        elapsed = time.monotonic() - started
        log.warning("parsing stopped after %.1f s, over its time budget", elapsed)
        return ParseOutcome(None, over_budget(TIME, self.seconds), TIME, elapsed, peak_mb)

    def _died(self, child: _Child, started: float) -> ParseOutcome:
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.process.wait(timeout=5)
        exitcode = child.kill()
        elapsed = time.monotonic() - started
        if exitcode == -9:  # the kernel's out-of-memory killer (or an operator)
            reason = f"{over_budget(MEMORY, self.memory_mb * 2**20)} (killed)"
            return ParseOutcome(None, reason, MEMORY, seconds=elapsed)
        return ParseOutcome(None, f"the parser process died (exit code {exitcode})")

    def _take(self) -> _Child:
        with self._lock:
            if self._idle:
                return self._idle.pop()
        return _Child(self.target, self.memory_mb).wait_ready()

    def _give_back(self, child: _Child) -> None:
        with self._lock:
            self._idle.append(child)

    def warm_up(self, count: int = 1) -> None:
        """Have ``count`` children ready ahead of the first messages (an interpreter takes a
        moment to start)."""
        with self._lock:
            missing = count - len(self._idle)
        starting = [_Child(self.target, self.memory_mb) for _ in range(missing)]
        for child in starting:
            self._give_back(child.wait_ready())

    def close(self) -> None:
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.stop()


def _peak_mb(pid: int) -> float | None:
    """A process's peak resident memory so far, from /proc (Linux); None elsewhere."""
    try:
        with open(f"/proc/{pid}/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


_SHARED: dict[tuple[float, int], Parser] = {}
_SHARED_LOCK = threading.Lock()


def shared_parser(seconds: float, memory_mb: int) -> Parser:
    """One pool per budget for the whole process, its children shared by every caller as a
    connection pool is. ``seconds`` 0 turns the budget off: parsing happens in the caller."""
    if seconds <= 0:
        return InProcessParser()
    with _SHARED_LOCK:
        parser = _SHARED.get((seconds, memory_mb))
        if parser is None:
            parser = _SHARED[(seconds, memory_mb)] = BudgetedParser(seconds, memory_mb)
        return parser
